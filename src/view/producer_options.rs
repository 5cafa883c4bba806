//! The producer panel's folds, fetched when first opened: the producer's settings
//! (client, `acks`, partitioner, topic) and auto-produce. [`Producing`] is what they share
//! with the produce bar.

use kafka_sim::{Acks, Client, Command, CommandError, Partitioner};
use leptos::prelude::*;

use crate::session::{AutoProduce, Session, producer_config};
use crate::text::CLIENTS;
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
pub fn field_of(e: &CommandError) -> &'static str {
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

/// The settings picked in the producer panel, and what they do.
#[derive(Clone, Copy, Debug)]
pub struct Producing {
    /// The page's session.
    pub session: Session,
    /// The client picked.
    pub client: RwSignal<Client>,
    /// `acks` picked.
    pub acks: RwSignal<Acks>,
    /// The partitioner picked.
    pub partitioner: RwSignal<Partitioner>,
    /// The topic picked ("" or a topic gone: the first there is).
    pub topic: RwSignal<String>,
    /// Auto-produce's rate, as typed.
    pub rate: RwSignal<String>,
    /// Auto-produce's distinct keys, as typed.
    pub keys: RwSignal<String>,
    /// The panel's errors by field.
    pub errors: FormErrors,
    /// The auto-produce schedule that runs.
    pub running: Memo<Option<AutoProduce>>,
    /// The topics there are.
    pub topics: Memo<Vec<String>>,
    /// The topic produced to: the one picked, or the first there is.
    pub chosen_topic: Memo<String>,
}

impl Producing {
    /// The producer for the settings picked, started if needed; errors go beside the field.
    pub fn producer(self) -> Option<String> {
        let Producing {
            session,
            client,
            acks,
            partitioner,
            errors,
            ..
        } = self;
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
    }

    /// Stops the auto-produce schedule that runs.
    fn stop_auto(self) {
        if let Some(a) = self.running.get_untracked() {
            let _ = self.session.apply(Command::AutoProduce {
                producer: a.producer,
                topic: a.topic,
                rate_per_sec: 0,
                keys: a.keys,
            });
        }
    }

    /// Starts auto-producing with the fields' rate and keys.
    fn start_auto(self) {
        let Producing {
            session,
            rate,
            keys,
            errors,
            chosen_topic,
            ..
        } = self;
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
        let Some(id) = self.producer() else {
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
    }

    /// A change of settings while auto-producing moves auto-produce to the new producer.
    fn restart_auto(self) {
        if self.running.get_untracked().is_some() {
            self.stop_auto();
            self.start_auto();
        }
    }
}

/// The producer's settings: client, `acks`, partitioner, topic.
#[component]
pub fn ProducerOptions(p: Producing) -> impl IntoView {
    let Producing {
        client,
        acks,
        partitioner,
        topic,
        errors,
        topics,
        chosen_topic,
        ..
    } = p;
    view! {
        <div class="fold-body">
            <div class="field">
                <label for="p-client">"Client"</label>
                <select
                    id="p-client"
                    on:change:target=move |ev| {
                        let c = Client::parse(&ev.target().value()).unwrap_or(Client::Dotnet);
                        client.set(c);
                        partitioner.set(Partitioner::default_for(c));
                        p.restart_auto();
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
                        p.restart_auto();
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
                        if let Some(picked) = Partitioner::parse(&ev.target().value()) {
                            partitioner.set(picked);
                            p.restart_auto();
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
                        p.restart_auto();
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
    }
}

/// Auto-produce: on or off, its rate and distinct keys.
#[component]
pub fn AutoProduceFields(p: Producing) -> impl IntoView {
    let Producing {
        rate,
        keys,
        errors,
        running,
        ..
    } = p;
    view! {
        <div class="fold-body" title="Values auto-0, auto-1, …; keys key-0, key-1, … (0 distinct keys: no key)">
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || running.with(Option::is_some)
                    on:change:target=move |ev| {
                        if ev.target().checked() {
                            p.start_auto();
                            // Refused: the box shows the truth again.
                            ev.target().set_checked(running.with_untracked(Option::is_some));
                        } else {
                            p.stop_auto();
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
                    on:change=move |_| p.restart_auto()
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
                    on:change=move |_| p.restart_auto()
                    aria-describedby="p-keys-error"
                />
            </div>
            <ErrorFor errors field="rate" id="p-rate-error"/>
            <ErrorFor errors field="keys" id="p-keys-error"/>
        </div>
    }
}
