//! The producer panel, like the Web API producer of a .NET tutorial: pick a client (Java
//! or .NET/Confluent.Kafka), `acks` and a partitioner, type a key and a value, Produce;
//! or auto-produce at a rate. Each combination of client, acks and partitioner is one
//! producer (`dotnet-all`, `java-1-round_robin`), started on first use.

use std::sync::Arc;

use kafka_sim::snapshot::NodeId;
use kafka_sim::{Acks, Applied, Client, Command, Partitioner};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::on_demand::{fetched, on_first_open};
use crate::session::Session;
use crate::text::client_label;
use crate::view::form::{ErrorFor, FormErrors};
use crate::view::producer_options::{AutoProduceFields, ProducerOptions, Producing, field_of};

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

    let p = Producing {
        session,
        client,
        acks,
        partitioner,
        topic,
        rate,
        keys,
        errors,
        running,
        topics,
        chosen_topic,
    };
    // The folds' code is fetched when each is first opened.
    let (opened_options, opened_auto) = (RwSignal::new(false), RwSignal::new(false));

    let produce = move |ev: SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let Some(id) = p.producer() else {
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
            <details class="fold producer-options" on:toggle:target=on_first_open(opened_options)>
                <summary>
                    <span class="fold-title">"Client, acks, partitioner, topic"</span>
                    <span class="fold-summary">{summary}</span>
                </summary>
                {move || opened_options.get().then(|| fetched(move || producer_options(p)))}
            </details>
            <details class="fold auto-produce" on:toggle:target=on_first_open(opened_auto)>
                <summary>
                    <span class="fold-title">"Auto-produce"</span>
                    <span class="fold-summary">
                        {move || running.with(|a| a.as_ref().map(|a| format!("{}/s", a.rate_per_sec)).unwrap_or_else(|| "off".into()))}
                    </span>
                </summary>
                {move || opened_auto.get().then(|| fetched(move || auto_produce(p)))}
            </details>
        </section>
    }
}

crate::on_demand::on_demand!(
    producer_options,
    /// The producer's settings fold.
    fn producer_options(p: Producing) -> AnyView {
        view! { <ProducerOptions p/> }.into_any()
    }
);

crate::on_demand::on_demand!(
    auto_produce,
    /// The auto-produce fold.
    fn auto_produce(p: Producing) -> AnyView {
        view! { <AutoProduceFields p/> }.into_any()
    }
);
