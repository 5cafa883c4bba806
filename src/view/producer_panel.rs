//! The producer panel, like the Web API producer of a .NET tutorial: pick a client (Java
//! or .NET/Confluent.Kafka), `acks` and a partitioner, type a key and a value, Produce;
//! or auto-produce at a rate. Each combination of client, acks and partitioner is one
//! producer (`dotnet-all`, `java-1-round_robin`), started on first use.

use std::sync::Arc;

use kafka_sim::snapshot::NodeId;
use kafka_sim::{Acks, Applied, Client, Command, CommandError, Partitioner};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::session::{Session, producer_config};
use crate::text::{CLIENTS, client_label};
use crate::view::form::{ErrorFor, FormErrors, whole_number};
use crate::view::settings::Modelled;

fn partitioner_label(p: Partitioner) -> &'static str {
    match p {
        Partitioner::JavaBuiltIn => "default — Java: murmur2 of the key; sticky without key",
        Partitioner::ConsistentRandom => {
            "consistent_random — librdkafka default: crc32 of the key; random without key"
        }
        Partitioner::Consistent => "consistent — crc32 of the key (also without key)",
        Partitioner::Murmur2 => "murmur2 — Java-compatible hash",
        Partitioner::Murmur2Random => "murmur2_random — murmur2; random without key",
        Partitioner::Random => "random — any partition",
        Partitioner::RoundRobin => "round_robin — partitions take turns",
    }
}

/// The form field an engine error concerns.
fn field_of(e: &CommandError) -> &'static str {
    match e.field() {
        Some("topic") => "topic",
        Some("key") => "key",
        Some("value") => "value",
        Some("partitioner") => "partitioner",
        Some("acks" | "enable.idempotence") => "acks",
        Some("rate_per_sec") => "rate",
        _ => "",
    }
}

/// The producer panel.
#[component]
pub fn ProducerPanel(session: Session) -> impl IntoView {
    let client = RwSignal::new(Client::Dotnet);
    let acks = RwSignal::new(Acks::All);
    let partitioner = RwSignal::new(Partitioner::default_for(Client::Dotnet));
    let topic = RwSignal::new(String::new());
    let key = RwSignal::new(String::from("alice"));
    let value = RwSignal::new(String::from("paid"));
    let rate = RwSignal::new(String::from("5"));
    let keys = RwSignal::new(String::from("4"));
    let errors = FormErrors::new();
    // The auto-produce fields show what runs (a loaded scenario, a moment sought on the
    // timeline), not what was typed last.
    let running = Memo::new(move |_| session.auto_produce());
    Effect::new(move |_| {
        if let Some(a) = running.get() {
            rate.set(a.rate_per_sec.to_string());
            keys.set(a.keys.to_string());
            topic.set(a.topic);
        }
    });

    let topics = Memo::new(move |_| {
        session.snap.with(|s| {
            s.topics
                .iter()
                .map(|t| t.name.to_string())
                .collect::<Vec<_>>()
        })
    });
    // The topic produced to: the one picked, or the first there is.
    let chosen_topic = Memo::new(move |_| {
        let t = topic.get();
        topics.with(|names| {
            if names.contains(&t) {
                t
            } else {
                names.first().cloned().unwrap_or_default()
            }
        })
    });

    // The producer for the settings picked, started if needed; errors go beside the field.
    let producer = move || -> Option<String> {
        let config = match producer_config(
            client.get_untracked(),
            acks.get_untracked(),
            partitioner.get_untracked(),
        ) {
            Ok(c) => c,
            Err((field, message)) => {
                let f = if field == "partitioner" {
                    "partitioner"
                } else {
                    "acks"
                };
                errors.set(f, format!("{field}: {message}"));
                return None;
            }
        };
        match session.ensure_producer(config) {
            Ok(id) => Some(id),
            Err(e) => {
                errors.set(field_of(&e), e.to_string());
                None
            }
        }
    };

    let produce = move |ev: SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let Some(id) = producer() else {
            return;
        };
        let k = key.get_untracked();
        let cmd = Command::Produce {
            producer: id,
            topic: chosen_topic.get_untracked(),
            key: (!k.is_empty()).then(|| Arc::from(k.as_str())),
            value: Some(Arc::from(value.get_untracked().as_str())),
        };
        match session.apply(cmd) {
            Ok(Applied::Record(r)) => {
                // Show where it went at once: its journey opens.
                session.select_record(r);
            }
            Ok(_) => {}
            Err(e) => errors.set(field_of(&e), e.to_string()),
        }
    };

    let stop_auto = move || {
        if let Some(a) = running.get_untracked() {
            let _ = session.apply(Command::AutoProduce {
                producer: a.producer,
                topic: a.topic,
                rate_per_sec: 0,
                keys: a.keys,
            });
        }
    };
    let start_auto = move || {
        errors.clear();
        let number = |text: String, field: &'static str, what: &str| {
            whole_number(&text, what)
                .and_then(|n| u32::try_from(n).map_err(|_| format!("{what}: {n} is too large")))
                .map_err(|e| errors.set(field, e))
                .ok()
        };
        let (Some(r), Some(k)) = (
            number(rate.get_untracked(), "rate", "Rate (records/s)"),
            number(keys.get_untracked(), "keys", "Distinct keys"),
        ) else {
            return;
        };
        if r == 0 {
            return;
        }
        let Some(id) = producer() else {
            return;
        };
        let t = chosen_topic.get_untracked();
        if let Err(e) = session.apply(Command::AutoProduce {
            producer: id,
            topic: t,
            rate_per_sec: r,
            keys: k,
        }) {
            errors.set(field_of(&e), e.to_string());
        }
    };
    // A change of settings while auto-producing moves auto-produce to the new producer.
    let restart_auto = move || {
        if running.get_untracked().is_some() {
            stop_auto();
            start_auto();
        }
    };

    let producers = Memo::new(move |_| {
        session.snap.with(|s| {
            s.producers
                .iter()
                .map(|p| {
                    (
                        p.id.clone(),
                        p.client,
                        p.acks,
                        p.idempotent,
                        p.records_waiting,
                        p.auto_produce.as_ref().map(|a| a.rate_per_sec),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let auto_of =
        move |id: &Arc<str>| producers.with(|v| v.iter().find(|q| q.0 == *id).and_then(|q| q.5));

    // What the options say, in one line, shown while they are folded away.
    let summary = move || {
        let mut s = String::from(client_label(client.get()));
        s.push_str(" · acks=");
        s.push_str(acks.get().name());
        s.push_str(" · ");
        s.push_str(partitioner.get().name());
        s.push_str(" → ");
        s.push_str(&chosen_topic.get());
        s
    };

    view! {
        <section class="lane producers" aria-labelledby="producer-heading">
            <div class="lane-head">
                <h2 id="producer-heading">"Producers"</h2>
            </div>
            <ul class="producer-nodes" aria-label="Producers">
                // Keyed by what does not change while playing: the count of records
                // waiting changes at every snapshot, and the item (with the node that
                // messages fly from) should not be made again for it.
                <For each=move || producers.get() key=|p| (p.0.clone(), p.3) let:p>
                    <li class="producer-node">
                        <span class="node" data-node=NodeId::Producer(p.0.clone()).to_string() aria-hidden="true">
                            "P"
                        </span>
                        <span class="pname">{p.0.to_string()}</span>
                        <span class="pmeta">
                            {format!("{} · acks={}", client_label(p.1), p.2.name())}
                            {if p.3 { " · idempotent" } else { "" }}
                            {
                                let id = p.0.clone();
                                move || {
                                    let waiting = producers
                                        .with(|v| v.iter().find(|q| q.0 == id).map_or(0, |q| q.4));
                                    if waiting > 0 { format!(" · {waiting} waiting") } else { String::new() }
                                }
                            }
                            {
                                let id = p.0.clone();
                                move || auto_of(&id).map(|r| format!(" · auto {r}/s")).unwrap_or_default()
                            }
                        </span>
                    </li>
                </For>
                <Show when=move || producers.with(Vec::is_empty)>
                    <li class="empty">"The first Produce starts a producer named after its settings."</li>
                </Show>
            </ul>
            <form class="produce-bar" novalidate on:submit=produce>
                <div class="field">
                    <label for="p-key">"Key"</label>
                    <input
                        id="p-key"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="no key"
                        prop:value=move || key.get()
                        on:input:target=move |ev| key.set(ev.target().value())
                        aria-describedby="p-key-error"
                        title="Optional. Records with the same key go to the same partition."
                        aria-invalid=move || if errors.has("key") { "true" } else { "false" }
                    />
                    <ErrorFor errors field="key" id="p-key-error"/>
                </div>
                <div class="field">
                    <label for="p-value">"Value"</label>
                    <input
                        id="p-value"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=move || value.get()
                        on:input:target=move |ev| value.set(ev.target().value())
                        aria-describedby="p-value-error"
                        aria-invalid=move || if errors.has("value") { "true" } else { "false" }
                    />
                    <ErrorFor errors field="value" id="p-value-error"/>
                </div>
                <button type="submit" class="primary" aria-describedby="p-form-error">
                    "Produce"
                </button>
                <ErrorFor errors field="" id="p-form-error"/>
            </form>
            <details class="fold producer-options">
                <summary>
                    <span class="fold-title">"Client, acks, partitioner, topic"</span>
                    <span class="fold-summary">{summary}</span>
                </summary>
                <div class="fold-body">
                    <div class="field">
                        <label for="p-client">"Client"</label>
                        <select
                            id="p-client"
                            on:change:target=move |ev| {
                                let c = Client::parse(&ev.target().value()).unwrap_or(Client::Dotnet);
                                client.set(c);
                                partitioner.set(Partitioner::default_for(c));
                                restart_auto();
                            }
                            prop:value=move || client.get().name()
                        >
                            {CLIENTS
                                .map(|c| {
                                    let library = match c {
                                        Client::Java => "Java (KafkaProducer)",
                                        Client::Dotnet => ".NET (Confluent.Kafka)",
                                    };
                                    view! { <option value=c.name()>{library}</option> }
                                })}
                        </select>
                    </div>
                    <div class="field">
                        <label for="p-acks">"acks"</label>
                        <select
                            id="p-acks"
                            aria-describedby="p-acks-error"
                            on:change:target=move |ev| {
                                acks.set(match ev.target().value().as_str() {
                                    "0" => Acks::None,
                                    "1" => Acks::Leader,
                                    _ => Acks::All,
                                });
                                restart_auto();
                            }
                            prop:value=move || acks.get().name()
                        >
                            <option value="0">"0 — don't wait"</option>
                            <option value="1">"1 — the leader has it"</option>
                            <option value="all">"all — every in-sync replica has it"</option>
                        </select>
                        <ErrorFor errors field="acks" id="p-acks-error"/>
                    </div>
                    <div class="field">
                        <label for="p-partitioner">"Partitioner"</label>
                        <select
                            id="p-partitioner"
                            aria-describedby="p-partitioner-error"
                            on:change:target=move |ev| {
                                if let Some(p) = Partitioner::parse(&ev.target().value()) {
                                    partitioner.set(p);
                                    restart_auto();
                                }
                            }
                            prop:value=move || partitioner.get().name()
                        >
                            {Partitioner::ALL
                                .iter()
                                .map(|p| view! { <option value=p.name()>{partitioner_label(*p)}</option> })
                                .collect_view()}
                        </select>
                        <ErrorFor errors field="partitioner" id="p-partitioner-error"/>
                    </div>
                    <div class="field">
                        <label for="p-topic">"Topic"</label>
                        <select
                            id="p-topic"
                            aria-describedby="p-topic-error"
                            on:change:target=move |ev| {
                                topic.set(ev.target().value());
                                restart_auto();
                            }
                            prop:value=move || chosen_topic.get()
                        >
                            // Options made again when a topic is created: each says whether
                            // it is the one chosen, so the choice survives.
                            {move || {
                                topics
                                    .get()
                                    .into_iter()
                                    .map(|t| {
                                        let chosen = chosen_topic.get_untracked() == t;
                                        let label = t.clone();
                                        view! { <option value=t selected=chosen>{label}</option> }
                                    })
                                    .collect_view()
                            }}
                        </select>
                        <ErrorFor errors field="topic" id="p-topic-error"/>
                    </div>
                    <Modelled shows_in="producer"/>
                </div>
            </details>
            <details class="fold auto-produce">
                <summary>
                    <span class="fold-title">"Auto-produce"</span>
                    <span class="fold-summary">
                        {move || running.with(|a| a.as_ref().map(|a| format!("{}/s", a.rate_per_sec)).unwrap_or_else(|| "off".into()))}
                    </span>
                </summary>
                <div class="fold-body" title="Values auto-0, auto-1, …; keys key-0, key-1, … (0 distinct keys: no key)">
                    <label class="check">
                        <input
                            type="checkbox"
                            prop:checked=move || running.with(Option::is_some)
                            on:change:target=move |ev| {
                                if ev.target().checked() {
                                    start_auto();
                                    // Refused: the box shows the truth again.
                                    ev.target().set_checked(running.with_untracked(Option::is_some));
                                } else {
                                    stop_auto();
                                }
                            }
                        />
                        "Auto-produce"
                    </label>
                    <div class="field inline">
                        <label for="p-rate">"Rate (records/s)"</label>
                        <input
                            id="p-rate"
                            type="number"
                            min="0"
                            inputmode="numeric"
                            prop:value=move || rate.get()
                            on:input:target=move |ev| rate.set(ev.target().value())
                            on:change=move |_| restart_auto()
                            aria-describedby="p-rate-error"
                        />
                    </div>
                    <div class="field inline">
                        <label for="p-keys">"Distinct keys"</label>
                        <input
                            id="p-keys"
                            type="number"
                            min="0"
                            inputmode="numeric"
                            prop:value=move || keys.get()
                            on:input:target=move |ev| keys.set(ev.target().value())
                            on:change=move |_| restart_auto()
                            aria-describedby="p-keys-error"
                        />
                    </div>
                    <ErrorFor errors field="rate" id="p-rate-error"/>
                    <ErrorFor errors field="keys" id="p-keys-error"/>
                </div>
            </details>
        </section>
    }
}
