//! The host-page API (`docs/embedding.md`): the embedded playground and the page around
//! it talk with `window.postMessage`, in objects whose `type` begins with
//! `kafka-playground:`. Messages are data only: nothing in one is evaluated or inserted
//! as markup, and a message that is malformed or refused gets an `error` reply naming
//! the field, with nothing changed.

use std::cell::Cell;
use std::rc::Rc;

use kafka_sim::event::Event;
use kafka_sim::scenario::Timeline;
use kafka_sim::snapshot::BrokerStatus;
use kafka_sim::{Acks, BrokerId, Client, Command, Partitioner, limits};
use leptos::prelude::*;
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::session::{Session, producer_config};
use crate::share;

/// The API's version, in `ready`.
pub const VERSION: u32 = 1;
const PREFIX: &str = "kafka-playground:";
/// What the frame sends, never obeyed when it comes back.
const OUTGOING: [&str; 6] = ["ready", "state", "produced", "height", "error", "goal"];

/// Posts `message` to the host page (any origin: the messages hold nothing private).
pub fn post(message: &Value) {
    let Some(w) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = w.parent() else {
        return;
    };
    if let Ok(data) = js_sys::JSON::parse(&message.to_string()) {
        let _ = parent.post_message(&data, "*");
    }
}

fn error(message: &str, field: &str) -> Value {
    json!({ "type": "kafka-playground:error", "message": message, "field": field })
}

/// The `state` message: time, play state, brokers.
fn state(session: Session) -> Value {
    let brokers: Vec<Value> = session.snap.with_untracked(|s| {
        s.brokers
            .iter()
            .map(|b| {
                let status = match b.status {
                    BrokerStatus::Running => "running",
                    BrokerStatus::Stopped => "stopped",
                };
                json!({ "id": b.id.0, "status": status })
            })
            .collect()
    });
    json!({
        "type": "kafka-playground:state",
        "time_ms": session.clock.get_untracked(),
        "playing": session.playing.get_untracked(),
        "brokers": brokers,
    })
}

/// A field of a message: what it holds, or the error reply naming it.
fn field<'a>(m: &'a Value, name: &str) -> Option<&'a Value> {
    m.get(name).filter(|v| !v.is_null())
}

fn text(m: &Value, name: &'static str, required: bool) -> Result<Option<String>, Value> {
    match field(m, name) {
        None if required => Err(error("required field is missing", name)),
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(error("expected a string or null", name)),
    }
}

fn whole(m: &Value, name: &'static str) -> Result<u64, Value> {
    match field(m, name) {
        None => Err(error("required field is missing", name)),
        Some(v) => v
            .as_u64()
            .ok_or_else(|| error("expected a whole number of zero or more", name)),
    }
}

fn broker(m: &Value) -> Result<BrokerId, Value> {
    let id = whole(m, "id")?;
    u32::try_from(id)
        .map(BrokerId)
        .map_err(|_| error("no broker has this id", "id"))
}

/// Does what the host asks; on refusal, the error reply.
fn handle(session: Session, m: &Value) -> Result<(), Value> {
    let kind = m
        .get("type")
        .and_then(Value::as_str)
        .and_then(|t| t.strip_prefix(PREFIX))
        .ok_or_else(|| error("expected a string beginning with kafka-playground:", "type"))?;
    if session.working() {
        return Err(error(
            "the playground is busy replaying a scenario; try again when it is done",
            "type",
        ));
    }
    match kind {
        "play" => session.playing.set(true),
        "pause" => session.pause(),
        "step" => session.step(),
        "seek" => session.seek(whole(m, "time_ms")?),
        "load" => {
            let doc = field(m, "scenario")
                .ok_or_else(|| error("required field is missing", "scenario"))?;
            let loaded =
                share::load_scenario(&doc.to_string()).and_then(|d| session.load(d, false, |_| {}));
            if let Err(lines) = loaded {
                return Err(error(&lines.join("; "), "scenario"));
            }
        }
        "produce" => produce(session, m)?,
        "stop_broker" => apply(session, Command::StopBroker(broker(m)?), Some("id"))?,
        "start_broker" => apply(session, Command::StartBroker(broker(m)?), Some("id"))?,
        _ => return Err(error("not a message the playground knows", "type")),
    }
    // Answered with the state, once, by the effect that tells every change of it.
    session.bump_revision();
    Ok(())
}

/// Applies `cmd`; a refusal names `field` of the message, or else the field the engine
/// names (a produce's `topic`, `key`, ...).
fn apply(session: Session, cmd: Command, field: Option<&str>) -> Result<(), Value> {
    session
        .apply(cmd)
        .map(|_| ())
        .map_err(|e| error(&e.to_string(), field.or(e.field()).unwrap_or("")))
}

/// `produce`: by the named producer, else the first there is, else a .NET producer with
/// the defaults (as the page's Produce makes one); to the named topic, else the first.
fn produce(session: Session, m: &Value) -> Result<(), Value> {
    let key = text(m, "key", false)?;
    let value = text(m, "value", false)?;
    let named = text(m, "producer", false)?;
    let topic = text(m, "topic", false)?;
    let (first_producer, topic) = session.snap.with_untracked(|s| {
        let topic = match topic {
            Some(t) => s.topics.iter().any(|x| *x.name == *t).then_some(t),
            None => s.topics.first().map(|t| t.name.to_string()),
        };
        (s.producers.first().map(|p| p.id.to_string()), topic)
    });
    // Refused before a producer is made for it: a refused message changes nothing.
    let topic = topic.ok_or_else(|| error("no topic of the scenario has this name", "topic"))?;
    for (name, v) in [("key", &key), ("value", &value)] {
        if v.as_ref()
            .is_some_and(|v| v.len() > limits::MAX_KEY_OR_VALUE_BYTES)
        {
            return Err(error("longer than the playground's 4 KiB limit", name));
        }
    }
    let producer = match named.or(first_producer) {
        Some(p) => p,
        None => {
            let config = producer_config(
                Client::Dotnet,
                Acks::All,
                Partitioner::default_for(Client::Dotnet),
            )
            .map_err(|(f, why)| error(&why, f))?;
            session
                .ensure_producer(config)
                .map_err(|e| error(&e.to_string(), "producer"))?
        }
    };
    apply(
        session,
        Command::Produce {
            producer,
            topic,
            key: key.as_deref().map(Into::into),
            value: value.as_deref().map(Into::into),
        },
        None,
    )
}

/// The `produced` messages of the outcomes the trace has told since `seq`.
fn outcomes(tl: &Timeline, seq: &Cell<u64>) {
    let trace = tl.sim().trace();
    if trace.total() < seq.get() {
        // The history shown was replaced (a seek, a load): start from now.
        seq.set(trace.total());
        return;
    }
    for entry in trace.since(seq.get()) {
        let (record, topic, partition, offset, error) = match &entry.event {
            Event::ProduceAcked {
                record,
                topic,
                partition,
                offset,
                ..
            } => (*record, topic, Some(*partition), *offset, None),
            Event::ProduceFailed {
                record,
                topic,
                partition,
                error,
                ..
            } => (*record, topic, *partition, None, Some(error.name())),
            _ => continue,
        };
        let produced = tl.sim().produced().get(record);
        post(&json!({
            "type": "kafka-playground:produced",
            "topic": topic.as_ref(),
            "partition": partition.map(|p| p.0),
            "offset": offset.map(|o| o.0),
            "key": produced.and_then(|r| r.key.as_deref()),
            "value": produced.and_then(|r| r.value.as_deref()),
            "status": if error.is_none() { "acked" } else { "failed" },
            "error": error,
        }));
    }
    seq.set(trace.total());
}

/// Starts the API: answers the host's messages, tells it of every change of play state
/// and every command, and of every produce's outcome.
pub fn start(session: Session) {
    let Some(w) = web_sys::window() else {
        return;
    };
    // Not in a frame: there is no host to talk to (a page is its own parent).
    let parent = w.parent().ok().flatten();
    if parent.as_ref().is_none_or(|p| js_sys::Object::is(p, &w)) {
        return;
    }
    let seq = Rc::new(Cell::new(u64::MAX));
    session.add_on_publish(Rc::new(move |tl| {
        if seq.get() == u64::MAX {
            seq.set(tl.sim().trace().total());
        }
        outcomes(tl, &seq);
    }));
    Effect::new(move |_| {
        session.playing.track();
        session.revision.track();
        post(&state(session));
    });
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            // Only the page around the frame speaks to it.
            let from_parent = match (ev.source(), parent.as_ref()) {
                (Some(source), Some(p)) => js_sys::Object::is(&source, p),
                _ => false,
            };
            if !from_parent {
                return;
            }
            let data = js_sys::JSON::stringify(&ev.data())
                .ok()
                .and_then(|s| s.as_string())
                .and_then(|s| serde_json::from_str::<Value>(&s).ok());
            let Some(m) = data else {
                return;
            };
            // Other scripts of the host post messages too: only ours are answered, and only
            // those a host sends (not the frame's own, which a host may echo).
            let kind = m
                .get("type")
                .and_then(Value::as_str)
                .and_then(|t| t.strip_prefix(PREFIX));
            if kind.is_none_or(|k| OUTGOING.contains(&k)) {
                return;
            }
            if let Err(reply) = handle(session, &m) {
                post(&reply);
            }
        });
    let _ = w.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    // The page lives as long as the frame: the listener with it.
    on_message.forget();
}

/// Tells the host the stage is drawn.
pub fn ready(session: Session) {
    post(&json!({
        "type": "kafka-playground:ready",
        "version": VERSION,
        "time_ms": session.clock.get_untracked(),
    }));
}
