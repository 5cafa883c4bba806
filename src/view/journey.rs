//! A record's journey, as the engine tells it (`Simulation::journey`): how its partition
//! was chosen (the client's hash and `hash mod partitions`), where it was written, which
//! replicas hold it, whether it is committed and acknowledged, whether and why it was
//! lost, duplicates, and its deliveries to consumers.

use kafka_sim::Client;
use kafka_sim::journey::RecordJourney;
use kafka_sim::partitioner::PartitionChoice;
use kafka_sim::snapshot::ProduceStatus;
use leptos::prelude::*;

use crate::session::Session;
use crate::text::{key_class, quoted, seconds};

/// The partitioner's arithmetic in one line, with the key as typed.
pub fn arithmetic(choice: Option<&PartitionChoice>, key: Option<&str>) -> String {
    let k = key
        .map(|k| format!("\"{k}\""))
        .unwrap_or_else(|| "no key".into());
    match choice {
        Some(PartitionChoice::Murmur2 {
            hash,
            positive,
            partitions,
            partition,
        }) => format!(
            "murmur2({k}) = {hash}; toPositive = {hash} & 0x7fffffff = {positive}; {positive} mod {partitions} = {partition}"
        ),
        Some(PartitionChoice::Crc32 {
            hash,
            partitions,
            partition,
        }) => format!("crc32({k}) = {hash}; {hash} mod {partitions} = {partition}"),
        Some(PartitionChoice::Sticky { partition }) => format!(
            "{k}: the sticky partition at that moment was {partition} (it changes from batch to batch)"
        ),
        Some(PartitionChoice::Random { partition }) => {
            format!("random choice for {k}: partition {partition}")
        }
        Some(PartitionChoice::RoundRobin { counter, partition }) => format!(
            "round robin: counter {counter} over the partitions with a leader → partition {partition}"
        ),
        None => "not chosen yet: the producer is waiting for metadata".into(),
    }
}

/// The journey panel.
#[component]
pub fn Journey(session: Session) -> impl IntoView {
    let client = move |j: &RecordJourney| {
        session.snap.with_untracked(|s| {
            s.producers
                .iter()
                .find(|p| p.id == j.producer)
                .map(|p| match p.client {
                    Client::Java => "Java",
                    Client::Dotnet => ".NET (librdkafka)",
                })
                .unwrap_or("")
        })
    };
    view! {
        <section class="panel journey-panel" aria-labelledby="journey-heading">
            <div class="panel-head">
                <h2 id="journey-heading">"Record journey"</h2>
                <Show when=move || session.selected.with(Option::is_some)>
                    <button type="button" class="quiet small" on:click=move |_| {
                        session.selected.set(None);
                        session.journey.set(None);
                    }>
                        "Close"
                    </button>
                </Show>
            </div>
            {move || match session.journey.get() {
                None => view! {
                    <p class="hint">
                        {if session.selected.with(Option::is_some) {
                            "The engine no longer keeps this record's story."
                        } else {
                            "Click a record in a log (or produce one) to follow its journey."
                        }}
                    </p>
                }
                    .into_any(),
                Some(j) => {
                    let who = client(&j);
                    view! { <JourneyBody j who/> }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn JourneyBody(j: RecordJourney, who: &'static str) -> impl IntoView {
    let partition = j.partition.map(|p| p.0.to_string());
    let tp = match j.partition {
        Some(p) => format!("{}-{}", j.topic, p),
        None => j.topic.to_string(),
    };
    let status = match j.status {
        ProduceStatus::Pending => ("pending", "waiting for an answer".to_string()),
        ProduceStatus::Acked => (
            "ok",
            match j.acked_offset {
                Some(o) => format!("acknowledged at offset {o}"),
                None => "sent without waiting (acks=0): no offset was returned".to_string(),
            },
        ),
        ProduceStatus::Failed => (
            "bad",
            format!(
                "failed: {}",
                j.error.map(|e| e.name()).unwrap_or("unknown error")
            ),
        ),
    };
    let offset = j
        .copies
        .iter()
        .find(|c| c.on_leader)
        .map(|c| c.offset.0)
        .or(j.acked_offset.map(|o| o.0));
    let hw = j.high_watermark.map(|h| h.0);
    let committed_text = if j.committed {
        format!(
            "Yes: it is below the high watermark ({}), so every in-sync replica has it and consumers may read it.",
            hw.map(|h| h.to_string()).unwrap_or_default()
        )
    } else if j.copies.is_empty() {
        "No: no replica holds it now.".to_string()
    } else {
        format!(
            "Not yet: the high watermark is {}; consumers cannot read it until it moves past.",
            hw.map(|h| h.to_string())
                .unwrap_or_else(|| "unknown".into())
        )
    };
    let arith = arithmetic(j.choice.as_ref(), j.key.as_deref());
    let copies = j
        .copies
        .iter()
        .map(|c| {
            view! {
                <li>
                    {if c.on_leader { "★ broker " } else { "○ broker " }}
                    {c.broker.0.to_string()}
                    " at offset " {c.offset.0.to_string()}
                    " (epoch " {c.leader_epoch.0.to_string()} ")"
                    {if c.on_leader { " — the leader" } else { "" }}
                </li>
            }
        })
        .collect_view();
    let lost = j
        .lost
        .iter()
        .map(|l| {
            view! {
                <li class="bad">
                    "broker " {l.broker.0.to_string()} " lost its copy at offset "
                    {l.offset.0.to_string()} " at " {seconds(l.truncated_at_ms)}
                    ": it truncated its log to follow leader " {l.leader.0.to_string()}
                    ", which does not have it."
                </li>
            }
        })
        .collect_view();
    let deliveries = j
        .deliveries
        .iter()
        .map(|d| {
            view! {
                <li>
                    {d.consumer.to_string()} " read it at offset " {d.offset.0.to_string()}
                    {if d.redelivered { " (redelivered)" } else { "" }}
                </li>
            }
        })
        .collect_view();
    let no_copies = j.copies.is_empty();
    let no_deliveries = j.deliveries.is_empty();
    view! {
        <article class="journey" data-testid="journey" data-partition=partition.clone().unwrap_or_default()>
            <p class="record-id">
                <span class=format!("swatch key {}", key_class(j.key.as_deref())) aria-hidden="true"></span>
                "Key " <strong>{quoted(j.key.as_deref())}</strong>
                ", value " <strong>{quoted(j.value.as_deref())}</strong>
                <span class="muted">
                    " — record #" {j.record.0.to_string()} " from producer " {j.producer.to_string()}
                    {if who.is_empty() { String::new() } else { format!(" ({who})") }}
                </span>
            </p>
            {j.acked_but_lost.then(|| view! {
                <p class="alert bad">
                    <strong>"Acknowledged, then lost. "</strong>
                    "The producer was told it was written, but the leader's log no longer has it."
                </p>
            })}
            {(j.copies_on_leader > 1).then(|| view! {
                <p class="alert warn">
                    <strong>"Duplicated. "</strong>
                    {format!(
                        "The leader holds {} copies: a retry wrote it again (the producer is not idempotent).",
                        j.copies_on_leader,
                    )}
                </p>
            })}
            <ol class="steps">
                <li>
                    <h3>"1. Partition chosen"</h3>
                    <code class="arith">{arith}</code>
                    <p>
                        "→ partition " <strong>{partition.clone().unwrap_or_else(|| "?".into())}</strong>
                        " of " {j.topic.to_string()}
                    </p>
                </li>
                <li>
                    <h3>"2. Sent to the leader"</h3>
                    <p>
                        {tp.clone()}
                        {offset.map(|o| format!(", offset {o}")).unwrap_or_default()}
                        ". " <span class=format!("pill {}", status.0)>{status.1}</span>
                        {(j.attempts > 1).then(|| format!(" after {} attempts", j.attempts))}
                    </p>
                    {j.last_error.map(|e| view! {
                        <p class="muted">"Last error on the way: " <code>{e.name()}</code></p>
                    })}
                </li>
                <li>
                    <h3>"3. Replicated"</h3>
                    {if no_copies {
                        view! { <p class="muted">"No replica holds it now."</p> }.into_any()
                    } else {
                        view! { <ul class="plain">{copies}</ul> }.into_any()
                    }}
                    <ul class="plain">{lost}</ul>
                </li>
                <li>
                    <h3>"4. Committed?"</h3>
                    <p>{committed_text}</p>
                </li>
                <li>
                    <h3>"5. Read by consumers"</h3>
                    {if no_deliveries {
                        view! { <p class="muted">"Not read by any consumer yet."</p> }.into_any()
                    } else {
                        view! { <ul class="plain">{deliveries}</ul> }.into_any()
                    }}
                </li>
            </ol>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_shows_the_hash_and_the_modulo() {
        let c = PartitionChoice::Crc32 {
            hash: 10,
            partitions: 3,
            partition: 1,
        };
        assert_eq!(
            arithmetic(Some(&c), Some("k")),
            "crc32(\"k\") = 10; 10 mod 3 = 1"
        );
        let m = PartitionChoice::Murmur2 {
            hash: -5,
            positive: 2147483643,
            partitions: 3,
            partition: 0,
        };
        assert!(arithmetic(Some(&m), Some("k")).ends_with("2147483643 mod 3 = 0"));
    }
}
