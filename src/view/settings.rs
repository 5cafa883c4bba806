//! Cluster settings that matter for learning. A change goes through
//! `Timeline::reconfigure`: the recording replays from the start with the new set-up, up
//! to the current moment. On error the engine's messages show beside the field and
//! nothing changes.

use kafka_sim::scenario::{Scenario, ScenarioError};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::session::Session;
use crate::view::form::{ErrorFor, FormErrors, Input, labelled_input, whole_number};

/// The form's fields: (id, label, Kafka's key as it appears in validation paths).
const FIELDS: [(&str, &str, &str); 4] = [
    ("set-latency", "Network latency (ms)", "latency_ms"),
    (
        "set-session",
        "broker.session.timeout.ms",
        "broker.session.timeout.ms",
    ),
    (
        "set-heartbeat",
        "broker.heartbeat.interval.ms",
        "broker.heartbeat.interval.ms",
    ),
    (
        "set-lag",
        "replica.lag.time.max.ms",
        "replica.lag.time.max.ms",
    ),
];

/// The field an error concerns (its path's last name), if the form has it.
fn field_of(e: &ScenarioError) -> &'static str {
    let name = e.field();
    FIELDS
        .iter()
        .map(|(_, _, key)| *key)
        .chain(["unclean.leader.election.enable"])
        .find(|key| *key == name)
        .unwrap_or("")
}

/// The current values, as the engine resolved them.
fn current(session: Session) -> ([String; 4], bool) {
    session
        .with_tl(|tl| {
            let sim = tl.sim();
            let c = sim.cluster_config();
            (
                [
                    sim.latency_ms().to_string(),
                    c.broker_session_timeout_ms.to_string(),
                    c.broker_heartbeat_interval_ms.to_string(),
                    c.replica_lag_time_max_ms.to_string(),
                ],
                c.unclean_leader_election_enable,
            )
        })
        .unwrap_or_default()
}

/// The cluster settings form.
#[component]
pub fn Settings(session: Session) -> impl IntoView {
    let values: [RwSignal<String>; 4] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let unclean = RwSignal::new(false);
    let errors = FormErrors::new();
    // Re-read whenever the set-up is replaced (load, import, reconfigure).
    Effect::new(move |_| {
        session.setup_rev.track();
        let (v, u) = current(session);
        for (signal, value) in values.iter().zip(v) {
            signal.set(value);
        }
        unclean.set(u);
    });

    // Success is told when the replay (in slices) has reached now.
    let report = move |result: Result<(), Vec<ScenarioError>>| match result {
        Ok(()) => {}
        Err(list) => {
            for e in list {
                errors.set(field_of(&e), e.to_string());
            }
        }
    };

    let apply = move |ev: SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let mut parsed = [0u64; 4];
        let mut ok = true;
        for (i, (_, label, key)) in FIELDS.iter().enumerate() {
            match whole_number(&values[i].get_untracked(), label) {
                Ok(n) => parsed[i] = n,
                Err(e) => {
                    errors.set(key, e);
                    ok = false;
                }
            }
        }
        if !ok {
            return;
        }
        let u = unclean.get_untracked();
        let result = session.reconfigure(
            move |doc: &mut Scenario| {
                doc.network.latency_ms = Some(parsed[0]);
                let c = &mut doc.cluster.config;
                c.broker_session_timeout_ms = Some(parsed[1]);
                c.broker_heartbeat_interval_ms = Some(parsed[2]);
                c.replica_lag_time_max_ms = Some(parsed[3]);
                c.unclean_leader_election_enable = Some(u);
            },
            |session| {
                session.status.set(
                    "Settings applied: the recording was replayed with them up to now.".into(),
                );
            },
        );
        report(result);
    };

    let kafka_defaults = move |_| {
        errors.clear();
        // Absent from the document means Kafka's own default. Latency is not a Kafka
        // setting and stays.
        let result = session.reconfigure(
            |doc: &mut Scenario| {
                let c = &mut doc.cluster.config;
                c.broker_session_timeout_ms = None;
                c.broker_heartbeat_interval_ms = None;
                c.replica_lag_time_max_ms = None;
                c.replica_fetch_wait_max_ms = None;
                c.unclean_leader_election_enable = None;
            },
            |session| {
                session.status.set(
                    "Kafka's defaults applied: the recording was replayed with them up to now."
                        .into(),
                );
            },
        );
        report(result);
    };

    view! {
        <form class="settings card" novalidate on:submit=apply aria-labelledby="settings-heading">
                <h3 id="settings-heading">"Cluster settings"</h3>
                <p class="hint">
                    "Chosen so that a failover shows within seconds. Changing one replays everything recorded so far with the new settings, up to the current moment."
                </p>
                <div class="field-grid">
                    {FIELDS
                        .iter()
                        .enumerate()
                        .map(|(i, &(id, label, key))| {
                            labelled_input(errors, id, label, values[i], key, Input::Number { min: "0" })
                        })
                        .collect_view()}
                </div>
                <div class="field check-field">
                    <label class="check">
                        <input
                            type="checkbox"
                            prop:checked=move || unclean.get()
                            on:change:target=move |ev| unclean.set(ev.target().checked())
                            aria-describedby="set-unclean-error"
                        />
                        "unclean.leader.election.enable"
                    </label>
                    <ErrorFor errors field="unclean.leader.election.enable" id="set-unclean-error"/>
                </div>
                <div class="actions">
                    <button type="submit" class="primary">"Apply settings"</button>
                    <button type="button" on:click=kafka_defaults>"Use Kafka's defaults"</button>
                </div>
                <p class="hint">
                    "Kafka's defaults: broker.session.timeout.ms 9000, broker.heartbeat.interval.ms 2000, replica.lag.time.max.ms 30000, replica.fetch.wait.max.ms 500, unclean.leader.election.enable false."
                </p>
                <ErrorFor errors field="" id="settings-error"/>
        </form>
        <Modelled shows_in="cluster"/>
    }
}

/// Which Kafka the playground models, and where it knowingly does otherwise (`shows_in`:
/// the simplifications a learner would meet here).
#[component]
pub fn Modelled(shows_in: &'static str) -> impl IntoView {
    let differs = kafka_sim::modelled::SIMPLIFICATIONS
        .iter()
        .filter(|s| s.shows_in == shows_in)
        .map(|s| view! { <li>{s.sentence}</li> })
        .collect_view();
    view! {
        <div class="modelled">
            <p class="hint">"Models " {kafka_sim::modelled::MODELLED} "."</p>
            <p class="hint">"Where the playground does otherwise:"</p>
            <ul class="hint plain">{differs}</ul>
        </div>
    }
}
