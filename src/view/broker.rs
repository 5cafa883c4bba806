//! A broker: its state (running or stopped, fenced or not), a button to stop or start it,
//! and the replicas it holds, each as a log row.

use std::sync::Arc;

use kafka_sim::snapshot::BrokerStatus;
use kafka_sim::{BrokerId, Command};
use leptos::prelude::*;

use crate::session::Session;
use crate::text::count;
use crate::view::form::{ErrorFor, FormErrors};
use crate::view::log_row::LogRow;

/// Log rows a broker draws at most at first, and how many more each "Show more" adds.
/// Every row is live (it follows each snapshot), so a topic of 256 partitions would
/// otherwise put hundreds of them in every broker; 32 covers the 12-broker, 64-partition
/// RF 3 cluster (16 per broker) and any preset.
pub const ROWS_AT_ONCE: usize = 32;

/// Log rows the whole cluster draws at first: a broker draws its share of them, between
/// [`FEWEST_ROWS_AT_ONCE`] and [`ROWS_AT_ONCE`]. 64 brokers drawing 32 rows each built
/// 27,000 elements in one task of about half a second once a link had loaded (issue 14:
/// no task over 100 ms); at 4 rows each they build about 3,500.
pub const CLUSTER_ROWS_AT_ONCE: usize = 256;

/// The fewest log rows a broker draws at first, however many brokers there are.
pub const FEWEST_ROWS_AT_ONCE: usize = 4;

/// The log rows each of `brokers` brokers draws at first (and adds per "Show more").
pub fn rows_at_once(brokers: usize) -> usize {
    (CLUSTER_ROWS_AT_ONCE / brokers.max(1)).clamp(FEWEST_ROWS_AT_ONCE, ROWS_AT_ONCE)
}

/// One broker box.
#[component]
pub fn BrokerBox(session: Session, id: BrokerId) -> impl IntoView {
    let state = Memo::new(move |_| {
        session.snap.with(|s| {
            s.brokers
                .iter()
                .find(|b| b.id == id)
                .map(|b| (b.status == BrokerStatus::Running, b.fenced))
        })
    });
    let running = move || state.get().is_some_and(|s| s.0);
    let fenced = move || state.get().is_some_and(|s| s.1);
    // The replicas this broker holds, in topic then partition order.
    let replicas = Memo::new(move |_| {
        session.snap.with(|s| {
            let mut v: Vec<(Arc<str>, u32)> = Vec::new();
            for t in &s.topics {
                for p in &t.partitions {
                    if p.replicas.contains(&id) {
                        v.push((t.name.clone(), p.partition.0));
                    }
                }
            }
            v
        })
    });
    // A broker added later keeps the page size of its time: its rows do not shrink.
    let page = rows_at_once(session.snap.with_untracked(|s| s.brokers.len()));
    let shown = RwSignal::new(page);
    let drawn = move || replicas.with(|v| v.iter().take(shown.get()).cloned().collect::<Vec<_>>());
    let not_drawn = move || replicas.with(Vec::len).saturating_sub(shown.get());
    let more_than_a_page = move || replicas.with(Vec::len) > page;
    let coordinates = Memo::new(move |_| {
        session.snap.with(|s| {
            s.groups
                .iter()
                .filter(|g| g.coordinator == Some(id))
                .map(|g| g.group.to_string())
                .collect::<Vec<_>>()
        })
    });
    let errors = FormErrors::new();
    let error_id = format!("broker-{id}-error");
    let toggle = move |_| {
        errors.clear();
        let cmd = if running() {
            Command::StopBroker(id)
        } else {
            Command::StartBroker(id)
        };
        if let Err(e) = session.apply(cmd) {
            errors.set("", e.to_string());
        }
    };
    let heading = format!("broker-{id}-heading");
    view! {
        <article
            class="broker"
            class:stopped=move || !running()
            class:fenced=fenced
            data-testid=format!("broker-{id}")
            data-status=move || if running() { "running" } else { "stopped" }
            data-fenced=move || if fenced() { "true" } else { "false" }
            aria-labelledby=heading.clone()
        >
            <header class="broker-head">
                <span class="node broker-node" data-node=format!("broker:{id}") aria-hidden="true">
                    {id.0.to_string()}
                </span>
                <h3 id=heading.clone()>"Broker " {id.0.to_string()}</h3>
                <span class="pill status" class:bad=move || !running()>
                    {move || if running() { "running" } else { "stopped" }}
                </span>
                <Show when=fenced>
                    <span class="pill warn" title="The controller fenced it: it may lead no partition">
                        "fenced"
                    </span>
                </Show>
                <button
                    type="button"
                    class="small"
                    class:danger=running
                    aria-label=move || {
                        if running() { format!("Stop broker {id}") } else { format!("Start broker {id}") }
                    }
                    aria-describedby=error_id.clone()
                    on:click=toggle
                >
                    {move || if running() { "Stop" } else { "Start" }}
                </button>
            </header>
            <ErrorFor errors field="" id=error_id/>
            <Show when=move || coordinates.with(|c| !c.is_empty())>
                <p class="coordinator">
                    "Group coordinator of " {move || coordinates.get().join(", ")}
                </p>
            </Show>
            <div class="replicas">
                <For each=drawn key=|r| r.clone() let:r>
                    <LogRow session topic=r.0 partition=r.1 broker=id/>
                </For>
                // Stays once everything is drawn, as a way back to the first rows, so that
                // the button keeps the keyboard focus.
                <Show when=more_than_a_page>
                    <p class="more-replicas" data-testid=format!("broker-{id}-more")>
                        {move || {
                            let n = not_drawn();
                            if n == 0 {
                                let all = replicas.with(Vec::len);
                                format!("All {all} replicas drawn. ")
                            } else {
                                count(n, "more replica", "more replicas")
                                    + " not drawn; the Topics table lists every partition. "
                            }
                        }}
                        <button
                            type="button"
                            class="small"
                            aria-label=move || match not_drawn() {
                                0 => format!("Show only the first {page} replicas of broker {id}"),
                                n => format!("Show {} more replicas of broker {id}", n.min(page)),
                            }
                            on:click=move |_| {
                                if not_drawn() == 0 {
                                    shown.set(page);
                                } else {
                                    shown.update(|n| *n += page);
                                }
                            }
                        >
                            {move || match not_drawn() {
                                0 => format!("Show only the first {page}"),
                                n => format!("Show {} more", n.min(page)),
                            }}
                        </button>
                    </p>
                </Show>
                <Show when=move || replicas.with(Vec::is_empty)>
                    <p class="empty">"No replicas yet. New topics place replicas here."</p>
                </Show>
            </div>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_cluster_draws_fewer_rows_per_broker_and_a_small_one_its_full_page() {
        assert_eq!(rows_at_once(1), ROWS_AT_ONCE);
        assert_eq!(rows_at_once(8), ROWS_AT_ONCE);
        assert_eq!(rows_at_once(12), 21);
        assert_eq!(rows_at_once(64), FEWEST_ROWS_AT_ONCE);
        assert_eq!(
            rows_at_once(0),
            ROWS_AT_ONCE,
            "no broker yet: no division by zero"
        );
        for brokers in 1..=64 {
            let n = rows_at_once(brokers);
            assert!(n * brokers <= CLUSTER_ROWS_AT_ONCE.max(FEWEST_ROWS_AT_ONCE * brokers));
        }
    }
}
