//! Kafka Playground's page: a Leptos (client-side rendered) view of the `kafka-sim`
//! engine.
//!
//! A learner adds brokers, creates topics, produces records and watches them travel,
//! land in partitions, replicate and survive (or not) a broker crash, and sees consumer
//! groups read them. The engine's [`Timeline`](kafka_sim::scenario::Timeline) holds the
//! recording; [`session::Session`] wraps it with the signals the views read; the playback loop
//! ([`playback`]) is the only place wall time enters. The page computes no Kafka rule:
//! what it shows comes from engine snapshots, journeys and events.

// A `RUSTFLAGS` variable replaces the target's rustflags in .cargo/config.toml instead of
// adding to them, which would silently grow the bundle by 22 KB gzip. (rustdoc reads this
// file with its own flags to document it or collect doctests: nothing is built then.)
#[cfg(all(target_arch = "wasm32", not(erase_components), not(doc), not(doctest)))]
compile_error!(
    "the page is built with `--cfg erase_components` (.cargo/config.toml); \
     a RUSTFLAGS variable overrides it: add `--cfg erase_components` to it"
);

pub mod browser;
pub mod feed;
pub mod playback;
pub mod presets;
pub mod session;

pub mod share;
pub mod text;
pub mod view;

use leptos::prelude::*;

use crate::session::{Notice, Session};
use crate::view::cluster::Cluster;
use crate::view::flights::{FlightsLayer, InFlightList};
use crate::view::groups::Groups;
use crate::view::header::Header;
use crate::view::journey::Journey;
use crate::view::narration::Narration;
use crate::view::partitions::Topics;
use crate::view::producer_panel::ProducerPanel;

/// Opens what the address asks for: a shared scenario (`#scenario=...`, played to its
/// end and paused), or else the playground preset, playing.
fn open_from_address(session: Session) {
    if let Some(fragment) = browser::fragment().filter(|f| f.starts_with("#scenario=")) {
        let result = share::decode_fragment(&fragment)
            .map_err(|e| vec![e])
            .and_then(|json| share::load_scenario(&json))
            .and_then(|doc| session.load(doc, true));
        match result {
            Ok(()) => {
                session.playing.set(false);
                session
                    .status
                    .set("Opened the shared scenario at its end. Press Play to go on.".into());
                return;
            }
            Err(lines) => session.notice.set(Some(Notice {
                title: "The link's scenario could not be opened; the playground opened instead."
                    .into(),
                lines,
            })),
        }
    }
    let preset = presets::default_preset();
    match preset.scenario().and_then(|doc| session.load(doc, false)) {
        Ok(()) => {
            session.preset.set(Some(preset.id));
            session.playing.set(true);
        }
        Err(lines) => session.notice.set(Some(Notice {
            title: "The playground could not start.".into(),
            lines,
        })),
    }
}

/// The whole page: the playground, opened from the address.
#[component]
pub fn App() -> impl IntoView {
    let session = Session::new();
    open_from_address(session);
    // A pasted share link in the same tab changes only the fragment.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        if browser::fragment().is_some_and(|f| f.starts_with("#scenario=")) {
            open_from_address(session);
        }
    });
    view! { <Playground session/> }
}

/// The playground around `session`, with its playback loop.
#[component]
pub fn Playground(session: Session) -> impl IntoView {
    let layer = NodeRef::<leptos::html::Div>::new();
    playback::start(session, layer);
    view! {
        <a class="skip-link" href="#cluster-heading">"Skip to the cluster"</a>
        <Header session/>
        <main class="layout">
            <div class="stage">
                <ProducerPanel session/>
                <Cluster session/>
                <InFlightList session/>
                <div class="explain">
                    <Journey session/>
                    <Narration session/>
                </div>
                <Topics session/>
            </div>
            <aside class="side" aria-label="Consumers">
                <Groups session/>
            </aside>
        </main>
        <footer class="footer">
            <p>
                "A deterministic simulation of Apache Kafka running in your browser (Rust → WebAssembly). "
                "Nothing leaves the page: share links carry the scenario in the address."
            </p>
        </footer>
        <FlightsLayer node_ref=layer/>
    }
}
