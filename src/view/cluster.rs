//! The cluster: the controller, every broker with the replicas it holds, and the cluster
//! settings.

use kafka_sim::{BrokerId, Command};
use leptos::prelude::*;

use crate::session::Session;
use crate::view::broker::BrokerBox;
use crate::view::flights::FlightsLegend;
use crate::view::form::{ErrorFor, FormErrors};
use crate::view::settings::Settings;

/// The cluster panel.
#[component]
pub fn Cluster(session: Session) -> impl IntoView {
    let broker_ids = Memo::new(move |_| {
        session
            .snap
            .with(|s| s.brokers.iter().map(|b| b.id).collect::<Vec<BrokerId>>())
    });
    let fenced = Memo::new(move |_| {
        session
            .snap
            .with(|s| s.brokers.iter().filter(|b| b.fenced).count())
    });
    let errors = FormErrors::new();
    let add_broker = move |_| {
        errors.clear();
        if let Err(e) = session.apply(Command::AddBroker) {
            errors.set("", e.to_string());
        }
    };
    view! {
        <section class="panel cluster" aria-labelledby="cluster-heading">
            <div class="panel-head">
                <h2 id="cluster-heading">"Cluster"</h2>
                <div class="toolbar">
                    <label class="check">
                        <input
                            type="checkbox"
                            prop:checked=move || session.show_heartbeats.get()
                            on:change:target=move |ev| {
                                session.show_heartbeats.set(ev.target().checked());
                                session.mark_dirty();
                            }
                        />
                        "Show heartbeats"
                    </label>
                    <button
                        type="button"
                        on:click=add_broker
                        aria-describedby="add-broker-error"
                    >
                        <span aria-hidden="true">"+ "</span>
                        "Add broker"
                    </button>
                </div>
            </div>
            <ErrorFor errors field="" id="add-broker-error"/>
            <div class="controller-row">
                <div class="controller">
                    <span class="node controller-node" data-node="controller" aria-hidden="true"></span>
                    <h3>"Controller"</h3>
                    <p class="sub">
                        "KRaft: fences silent brokers, elects leaders"
                        {move || match fenced.get() {
                            0 => String::new(),
                            1 => " · 1 broker fenced".to_string(),
                            n => format!(" · {n} brokers fenced"),
                        }}
                    </p>
                </div>
                <ReplicaLegend/>
            </div>
            <div class="brokers">
                <For each=move || broker_ids.get() key=|id| *id let:id>
                    <BrokerBox session id/>
                </For>
            </div>
            <FlightsLegend/>
            <Settings session/>
        </section>
    }
}

/// The key to the log rows' marks.
#[component]
fn ReplicaLegend() -> impl IntoView {
    view! {
        <ul class="legend" aria-label="How to read a log">
            <li><span class="glyph leader" aria-hidden="true">"★"</span>"leader"</li>
            <li><span class="glyph follower" aria-hidden="true">"○"</span>"follower"</li>
            <li><span class="pill isr">"ISR"</span>"in sync"</li>
            <li><span class="sample committed" aria-hidden="true"></span>"committed"</li>
            <li><span class="sample uncommitted" aria-hidden="true"></span>"above the high watermark: not committed yet"</li>
            <li><span class="sample lost" aria-hidden="true">"x"</span>"lost to truncation"</li>
        </ul>
    }
}
