//! Code fetched when first needed. In the page's build (feature `split`) each function
//! below is a wasm-split point: its code, and whatever only it reaches, goes to a chunk
//! that `scripts/split-wasm` writes beside the main module and the browser fetches on
//! the first call; a fetch that fails is an `Err` (and is tried again on the next call),
//! not a dead page. Without the feature (tests, native builds) they are plain async
//! functions, ready at once.
//!
//! What is here is what the first screen does not show: the dock's tabs other than
//! Events and Topics (mounted when first chosen), the share menu's embed and
//! real-cluster sections (when the menu first opens), the create-topic form, the lesson
//! rules (with the first lesson opened) and the host-page API (only in a frame).

use std::future::Future;

use kafka_sim::Simulation;
use kafka_sim::lesson::{Lesson, Progress};
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::lesson::Learn;
use crate::session::Session;

/// Declares an on-demand function returning `Result<_, SplitLoaderError>`: a split point
/// in the page's build, a plain `async fn` otherwise.
macro_rules! on_demand {
    ($chunk:ident, $(#[$attr:meta])* fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        #[cfg(feature = "split")]
        $(#[$attr])*
        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        pub fn $name($($arg: $ty),*) -> Result<$ret, SplitLoaderError> {
            Ok($body)
        }

        #[cfg(not(feature = "split"))]
        $(#[$attr])*
        pub async fn $name($($arg: $ty),*) -> Result<$ret, SplitLoaderError> {
            Ok($body)
        }
    };
}

/// A view fetched on demand, shown once it is there; if its fetch fails, says so with a
/// button to try again.
pub fn fetched<F>(load: impl Fn() -> F + Send + Sync + 'static) -> impl IntoView
where
    F: Future<Output = Result<AnyView, SplitLoaderError>> + Send + 'static,
{
    let attempt = RwSignal::new(0u32);
    move || {
        attempt.track();
        let view = load();
        Suspend::new(async move {
            match view.await {
                Ok(view) => view,
                Err(_) => view! {
                    <p class="form-error" role="alert">
                        "This part of the page did not load (is the network down?). "
                        <button type="button" on:click=move |_| attempt.update(|n| *n += 1)>
                            "Try again"
                        </button>
                    </p>
                }
                .into_any(),
            }
        })
    }
}

on_demand!(
    learn,
    /// The Learn tab's content.
    fn learn_panel(learn: Learn) -> AnyView {
        view! { <crate::lesson::view::LearnPanel learn/> }.into_any()
    }
);

on_demand!(
    share_embed,
    /// The share menu's embed snippet.
    fn embed_snippet(session: Session) -> AnyView {
        view! { <crate::embed::snippet::EmbedSnippet session/> }.into_any()
    }
);

on_demand!(
    share_real,
    /// The share menu's "Run this on a real cluster".
    fn run_for_real(session: Session) -> AnyView {
        view! { <crate::view::run_for_real::RunForReal session/> }.into_any()
    }
);

on_demand!(
    dock_record,
    /// The Record tab.
    fn journey(session: Session) -> AnyView {
        view! { <crate::view::journey::Journey session/> }.into_any()
    }
);

on_demand!(
    topic_form,
    /// The Topics tab's form to create a topic.
    fn topic_form(session: Session) -> AnyView {
        view! { <crate::view::topic_form::TopicForm session/> }.into_any()
    }
);

on_demand!(
    dock_settings,
    /// The Settings tab.
    fn settings(session: Session) -> AnyView {
        view! { <crate::view::settings::Settings session/> }.into_any()
    }
);

/// The engine's lesson rules as the page calls them once fetched: reading a lesson, and
/// checking its goals after every snapshot (synchronously, so through pointers).
#[derive(Clone, Copy, Debug)]
pub struct LessonRules {
    /// Reads a lesson file (`Lesson::parse`), its errors as lines.
    pub parse: fn(&str, &str) -> Result<Lesson, Vec<String>>,
    /// The progress of a lesson just started.
    pub start: fn(&Lesson) -> Progress,
    /// The goals newly met and the stage reached, after a snapshot.
    pub observe: fn(&mut Progress, &Simulation) -> (Vec<usize>, usize),
}

on_demand!(
    lessons,
    /// The lesson rules, with the code they reach.
    fn lesson_rules() -> LessonRules {
        LessonRules {
            parse: |text, slug| {
                Lesson::parse(text, slug)
                    .map_err(|errors| errors.iter().map(ToString::to_string).collect())
            },
            start: Progress::new,
            observe: |progress, sim| (progress.observe(sim), progress.stage()),
        }
    }
);

on_demand!(
    host_api,
    /// The host-page API of an embedded playground (only a frame has a host).
    fn host_api(session: Session) -> () {
        crate::embed::host::start(session)
    }
);

on_demand!(
    dock_messages,
    /// The Messages tab: the messages in flight and the key to the picture.
    fn messages(session: Session) -> AnyView {
        use crate::view::cluster::{HeartbeatSwitch, ReplicaLegend};
        use crate::view::flights::{FlightsLegend, InFlightList};
        view! {
            <HeartbeatSwitch session/>
            <InFlightList session/>
            <h3 class="key-heading">"Messages"</h3>
            <FlightsLegend/>
            <h3 class="key-heading">"Logs"</h3>
            <ReplicaLegend/>
        }
        .into_any()
    }
);
