//! Code fetched when first needed. In the page's build (feature `split`) each function
//! declared with [`on_demand!`] is a wasm-split point: its code, and whatever only it
//! reaches, goes to a part that `scripts/split-wasm` writes beside the main module and the
//! browser fetches on the first call; a fetch that fails is an `Err` (tried again on the
//! next call), not a dead page. Without the feature (tests, native builds) they are plain
//! async functions, ready at once.
//!
//! Declared where they are used: the dock's tabs other than Events and Topics (mounted
//! when first chosen), the share menu's embed and real-cluster sections (when the menu
//! first opens), the create-topic form, the producer's two folds and the add-consumer form
//! (when first opened), the scenario reader (with the first link, file or preset opened),
//! the lesson rules (with the first lesson opened) and the host-page API (only in a
//! frame). The sticky assignors come with the last four (`session::assignors`).

use std::future::Future;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

/// Declares an on-demand function returning `Result<_, SplitLoaderError>`: a split point
/// in the page's build, a plain `async fn` otherwise.
macro_rules! on_demand {
    ($chunk:ident, $(#[$attr:meta])* fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        #[cfg(feature = "split")]
        $(#[$attr])*
        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        pub fn $name($($arg: $ty),*) -> Result<$ret, ::leptos::wasm_split::SplitLoaderError> {
            Ok($body)
        }

        #[cfg(not(feature = "split"))]
        $(#[$attr])*
        pub async fn $name($($arg: $ty),*) -> Result<$ret, ::leptos::wasm_split::SplitLoaderError> {
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

/// A fold's `on:toggle:target` handler that notes when it first opens, for its content
/// to be fetched then (and kept).
pub fn on_first_open(
    opened: RwSignal<bool>,
) -> impl Fn(leptos::ev::Targeted<web_sys::Event, web_sys::HtmlDetailsElement>) + Copy + 'static {
    move |ev| {
        if ev.target().open() {
            opened.set(true);
        }
    }
}

pub(crate) use on_demand;
