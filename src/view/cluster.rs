//! The cluster: the controller, every broker with the replicas it holds, the key to the
//! log rows' marks.

use kafka_sim::{BrokerId, Command};
use leptos::prelude::*;

use crate::session::Session;
use crate::view::broker::BrokerBox;
use crate::view::form::{ErrorFor, FormErrors};
use crate::view::progressive::drawn_in_frames;

/// Broker boxes drawn per animation frame: 64 brokers at once built their boxes in one
/// task of about 70 ms on top of the rest of a loaded link's picture.
pub const BROKERS_PER_FRAME: usize = 8;

/// The cluster lane of the stage: the controller, every broker with the replicas it holds,
/// and a slot to add a broker.
#[component]
pub fn Cluster(session: Session) -> impl IntoView {
    let broker_ids = Memo::new(move |_| {
        session
            .snap
            .with(|s| s.brokers.iter().map(|b| b.id).collect::<Vec<BrokerId>>())
    });
    let drawn = drawn_in_frames(move || broker_ids.with(Vec::len), BROKERS_PER_FRAME);
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
        <section class="lane cluster" aria-labelledby="cluster-heading">
            <div class="lane-head">
                <h2 id="cluster-heading">"Cluster"</h2>
                <div class="controller" title="The KRaft controller quorum: it fences brokers that stop heartbeating and elects leaders">
                    <span class="node controller-node" data-node="controller" aria-hidden="true"></span>
                    <span class="controller-name">"Controller"</span>
                    <span class="sub">
                        {move || match fenced.get() {
                            0 => String::new(),
                            1 => "1 broker fenced".to_string(),
                            n => format!("{n} brokers fenced"),
                        }}
                    </span>
                </div>
            </div>
            <div class="brokers">
                <For
                    each=move || broker_ids.with(|ids| ids.iter().take(drawn.get()).copied().collect::<Vec<_>>())
                    key=|id| *id
                    let:id
                >
                    <BrokerBox session id/>
                </For>
                <div class="add-slot">
                    <button
                        type="button"
                        class="add-broker"
                        on:click=add_broker
                        aria-describedby="add-broker-error"
                    >
                        <span aria-hidden="true">"+ "</span>
                        "Add broker"
                    </button>
                    <ErrorFor errors field="" id="add-broker-error"/>
                </div>
            </div>
        </section>
    }
}

/// Whether heartbeats and metadata requests are drawn.
#[component]
pub fn HeartbeatSwitch(session: Session) -> impl IntoView {
    view! {
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
    }
}

/// The key to the log rows' marks.
#[component]
pub fn ReplicaLegend() -> impl IntoView {
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
