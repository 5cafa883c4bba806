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
pub mod embed;
pub mod feed;
pub mod fetch;
pub mod lesson;
pub mod on_demand;
pub mod playback;
pub mod presets;
pub mod session;

pub mod share;
pub mod text;
pub mod view;

use kafka_sim::scenario::Scenario;
use leptos::prelude::*;

use crate::embed::bar::EmbedBar;
use crate::embed::{Controls, EmbedOptions};
use crate::lesson::Learn;
use crate::lesson::view::LessonStrip;
use crate::session::{BusyLayer, Notice, Session};
use crate::view::cluster::Cluster;
use crate::view::dock::Dock;
use crate::view::flights::FlightsLayer;
use crate::view::groups::Groups;
use crate::view::header::Header;
use crate::view::producer_panel::ProducerPanel;

/// What the address asks the page to open: a share link's scenario once read (the
/// engine's reader is fetched for it first, while index.html's still picture shows), or
/// nothing (the playground).
#[derive(Debug, Default)]
pub struct Opening(Option<Result<Scenario, Vec<String>>>);

impl Opening {
    /// Reads the address's `#scenario=` link, if it has one.
    pub async fn from_address() -> Opening {
        let Some(fragment) = browser::fragment().filter(|f| f.starts_with("#scenario=")) else {
            return Opening(None);
        };
        Opening(Some(match share::decode_fragment(&fragment) {
            Ok(json) => share::read_scenario(json).await,
            Err(e) => Err(vec![e]),
        }))
    }
}

/// Opens a link's scenario read into `opening`, if there is one; whether it opened. The
/// full page opens it at its end, paused, as it was shared; an embedded playground plays
/// it from the start (if `autoplay`), for the lesson around it to show it happening. On
/// error the notice says what `otherwise` happens.
fn open_link(session: Session, options: &EmbedOptions, otherwise: &str, opening: Opening) -> bool {
    let Opening(Some(read)) = opening else {
        return false;
    };
    let (embed, autoplay) = (options.embed, options.autoplay);
    let opened = move |session: Session| {
        session.playing.set(embed && autoplay);
        if !embed {
            session
                .status
                .set("Opened the shared scenario at its end. Press Play to go on.".into());
        }
    };
    match read.and_then(|doc| session.load(doc, !embed, opened)) {
        Ok(()) => true,
        Err(lines) => {
            session.notice.set(Some(Notice {
                title: format!("The link's scenario could not be opened; {otherwise}."),
                lines,
            }));
            false
        }
    }
}

fn open_from_address(session: Session, options: &EmbedOptions, opening: Opening) {
    if open_link(session, options, "the playground opened instead", opening) {
        return;
    }
    let preset = presets::default_preset();
    let autoplay = options.autoplay;
    let started = move |session: Session| {
        session.preset.set(Some(preset.id));
        session.playing.set(autoplay);
    };
    match session.load(presets::default_scenario(), false, started) {
        Ok(()) => {}
        Err(lines) => session.notice.set(Some(Notice {
            title: "The playground could not start.".into(),
            lines,
        })),
    }
}

/// The whole page: the playground, opened from the address (`opening`, read from it
/// first; embedded in a course page with `?embed`).
#[component]
pub fn App(opening: Opening) -> impl IntoView {
    let query = browser::query_pairs();
    let (options, problems) =
        EmbedOptions::parse(query.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let session = Session::new();
    if options.embed {
        browser::set_root_attribute("data-theme", options.theme.attribute());
        session.speed.set(options.speed_factor());
        if !problems.is_empty() {
            browser::warn(&format!("Kafka Playground: {}", problems.join("; ")));
        }
    }
    open_from_address(session, &options, opening);
    let learn = Learn::new(session, options.embed);
    provide_context(learn);
    match (&options.lesson, query.iter().find(|(n, _)| n == "lesson")) {
        (Some(slug), _) => learn.open(slug),
        // The full page says why (embedded, the options line does).
        (None, Some((_, raw))) if !options.embed => learn.open(raw),
        _ => {}
    }
    // A pasted share link in the same tab changes only the fragment.
    let reopen = options.clone();
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        let reopen = reopen.clone();
        leptos::task::spawn_local(async move {
            let opening = Opening::from_address().await;
            // A link pasted over the learner's work: refused, it changes nothing.
            open_link(session, &reopen, "nothing changed", opening);
        });
    });
    // index.html marks an embedded page at once (for its still picture); the whole page
    // inside a frame (`controls=full`) scrolls as the page does.
    let staged = options.embed && options.controls != Controls::Full;
    browser::set_root_attribute("data-embed", staged.then_some(""));
    if staged {
        view! { <Embedded session learn controls=options.controls problems/> }.into_any()
    } else {
        if options.embed {
            start_guest(session);
        }
        view! { <Playground session/> }.into_any()
    }
}

/// The host-page API and the guest's manners, once the stage is drawn.
fn start_guest(session: Session) {
    request_animation_frame(move || {
        embed::guest::start(session);
        leptos::task::spawn_local(async move {
            if host_api(session).await.is_ok() {
                embed::host::ready(session);
            } else {
                web_sys::console::error_1(
                    &"Kafka Playground: the host-page API did not load (network); reload the frame to try again."
                        .into(),
                );
            }
        });
    });
}

/// The playground embedded in a course page: the stage, scaled to fit the frame, and the
/// thin control bar (`controls=minimal`) or nothing else (`controls=none`).
#[component]
fn Embedded(
    session: Session,
    learn: Learn,
    controls: Controls,
    problems: Vec<String>,
) -> impl IntoView {
    let layer = NodeRef::<leptos::html::Div>::new();
    playback::start(session, layer);
    start_guest(session);
    let notice = (!problems.is_empty()).then(|| {
        view! {
            <p class="embed-notice" role="status">
                "Embed options ignored: " {problems.join("; ")}
            </p>
        }
    });
    view! {
        <div class="embed" inert=move || session.busy.with(Option::is_some)>
            {notice}
            <EmbedNotice session/>
            <LessonStrip learn/>
            <div class="embed-viewport">
                <Stage session/>
            </div>
            {(controls == Controls::Minimal).then(|| view! { <EmbedBar session/> })}
        </div>
        <BusyLayer session/>
        <FlightsLayer node_ref=layer/>
    }
}

/// A scenario that could not be opened, in one line.
#[component]
fn EmbedNotice(session: Session) -> impl IntoView {
    move || {
        session.notice.get().map(|n| {
            view! {
                <p class="embed-notice" role="alert">
                    {n.title} " " {n.lines.join("; ")}
                </p>
            }
        })
    }
}

/// The playground around `session`, with its playback loop: the top bar, the stage (the
/// picture, with the controls on the things they act on) and the dock beside it.
#[component]
pub fn Playground(session: Session) -> impl IntoView {
    let layer = NodeRef::<leptos::html::Div>::new();
    playback::start(session, layer);
    view! {
        <a class="skip-link" href="#stage">"Skip to the stage"</a>
        // What long work is about to replace takes no input until it is done.
        <div class="contents" inert=move || session.busy.with(Option::is_some)>
            <Header session/>
            <main class="workspace">
                <Stage session/>
                <Dock session/>
            </main>
        </div>
        <BusyLayer session/>
        <footer class="footer">
            <p>
                "A deterministic simulation of Apache Kafka running in your browser (Rust → WebAssembly), modelling "
                {kafka_sim::modelled::MODELLED}
                ". Nothing leaves the page: share links carry the scenario in the address."
            </p>
        </footer>
        <FlightsLayer node_ref=layer/>
    }
}

/// The stage: producers on one side, the cluster in the middle, consumer groups on the
/// other; messages fly between them over it.
#[component]
pub fn Stage(session: Session) -> impl IntoView {
    view! {
        <section class="stage" id="stage" tabindex="-1" aria-label="Stage">
            <ProducerPanel session/>
            <Cluster session/>
            <Groups session/>
        </section>
    }
}

crate::on_demand::on_demand!(
    host_api,
    /// The host-page API of an embedded playground (only a frame has a host).
    fn host_api(session: Session) -> () {
        // The host's `load` may bring groups that use them.
        crate::session::assignors::install();
        crate::embed::host::start(session)
    }
);
