//! Kafka Playground's page: a Leptos (client-side rendered) view of the `kafka-sim`
//! engine.
//!
//! The page runs a preset scenario through the engine in the browser and shows the
//! snapshot it ends with. It reads [`Snapshot`]s and computes no Kafka rule itself.

pub mod cluster;
pub mod presets;

use kafka_sim::{SimTime, Snapshot};
use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::cluster::{BrokerTable, PartitionTable};
use crate::presets::{PRESETS, Preset};

/// A preset and what running it gave.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The preset that ran.
    pub preset: &'static Preset,
    /// The snapshot it ended with, or the engine's errors.
    pub result: Result<Snapshot, Vec<String>>,
}

impl Outcome {
    /// Runs `preset` to its end.
    pub fn of(preset: &'static Preset) -> Outcome {
        Outcome {
            preset,
            result: preset.run(),
        }
    }
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <header class="site-header">
            <h1>"Kafka Playground"</h1>
            <p class="tagline">
                "A simulated Apache Kafka cluster running in your browser: brokers, partitions, "
                "replication and failover, step by step."
            </p>
        </header>
        <main>
            <Playground initial=presets::default_preset()/>
        </main>
    }
}

/// Picks a preset, runs it, and shows the cluster it ends with.
#[component]
pub fn Playground(
    /// The preset selected and run when the component mounts.
    initial: &'static Preset,
) -> impl IntoView {
    let (selected, set_selected) = signal(initial);
    let (outcome, set_outcome) = signal(Outcome::of(initial));

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        set_outcome.set(Outcome::of(selected.get_untracked()));
    };
    let options = PRESETS
        .iter()
        .map(|p| {
            view! {
                <option value=p.id selected=move || selected.get().id == p.id>
                    {p.title}
                </option>
            }
        })
        .collect_view();

    view! {
        <section class="panel" aria-labelledby="scenario-heading">
            <h2 id="scenario-heading">"Scenario"</h2>
            <form class="preset-form" on:submit=on_submit>
                <label for="preset">"Preset"</label>
                <select
                    id="preset"
                    name="preset"
                    on:change:target=move |ev| {
                        if let Some(p) = presets::find(&ev.target().value()) {
                            set_selected.set(p);
                        }
                    }
                >
                    {options}
                </select>
                <button type="submit" id="run">"Run preset"</button>
            </form>
            <p class="run-status" role="status" aria-live="polite">
                {move || outcome.with(status_line)}
            </p>
        </section>
        {move || outcome.with(|o| match &o.result {
            Ok(snapshot) => Either::Left(view! { <ClusterView snapshot=snapshot.clone()/> }),
            Err(errors) => Either::Right(view! { <RunErrors errors=errors.clone()/> }),
        })}
    }
}

/// One sentence about the last run: which preset, and where simulated time stopped.
fn status_line(o: &Outcome) -> impl IntoView + use<> {
    let title = o.preset.title;
    match &o.result {
        Ok(s) => Either::Left(view! {
            "Ran “" {title} "” to simulated time "
            <strong id="sim-time">{SimTime(s.time_ms).to_string()}</strong> "."
        }),
        Err(_) => Either::Right(view! { "“" {title} "” could not run." }),
    }
}

/// The brokers and every topic of a snapshot.
#[component]
pub fn ClusterView(
    /// What to show.
    snapshot: Snapshot,
) -> impl IntoView {
    let topics = snapshot
        .topics
        .into_iter()
        .map(|topic| view! { <PartitionTable topic/> })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="brokers-heading">
            <h2 id="brokers-heading">"Brokers"</h2>
            <BrokerTable brokers=snapshot.brokers/>
        </section>
        <section class="panel" aria-labelledby="topics-heading">
            <h2 id="topics-heading">"Topics"</h2>
            {topics}
        </section>
    }
}

/// The engine's reasons a scenario could not run.
#[component]
pub fn RunErrors(
    /// One line per problem.
    errors: Vec<String>,
) -> impl IntoView {
    view! {
        <section class="panel errors" role="alert" aria-labelledby="errors-heading">
            <h2 id="errors-heading">"The scenario could not run"</h2>
            <ul>{errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
        </section>
    }
}
