//! The embedded playground's control bar: play/pause, step, speed, the simulated time
//! and "Open in the playground" (the current state, in the full page, in a new tab).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser;
use crate::embed::options::SPEEDS;
use crate::session::Session;
use crate::share;
use crate::text::seconds;

/// The bar.
#[component]
pub fn EmbedBar(session: Session) -> impl IntoView {
    // The link carries the state of the moment it is followed.
    let open = move |ev: leptos::ev::MouseEvent| {
        let Some(a) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            return;
        };
        let fragment = session
            .scenario_json()
            .map(|json| share::encode_fragment(&json))
            .unwrap_or_default();
        a.set_href(&browser::full_page_url(&fragment));
    };
    view! {
        <div class="embed-bar" role="group" aria-label="Playback">
            <button
                type="button"
                class="primary small play"
                on:click=move |_| session.toggle_playing()
            >
                {move || if session.playing.get() { "Pause" } else { "Play" }}
            </button>
            <button type="button" class="small" on:click=move |_| session.step()>
                "Step"
            </button>
            <label class="visually-hidden" for="embed-speed">"Speed"</label>
            <select
                id="embed-speed"
                class="small"
                on:change:target=move |ev| {
                    let v = ev.target().value();
                    if let Some((_, _, f)) = SPEEDS.iter().find(|s| s.0 == v) {
                        session.speed.set(*f);
                    }
                }
            >
                {SPEEDS
                    .iter()
                    .map(|(v, label, f)| {
                        let f = *f;
                        view! {
                            <option value=*v selected=move || session.speed.get_untracked() == f>
                                {*label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <span
                class="embed-clock"
                data-testid="clock"
                data-time-ms=move || session.clock.get().to_string()
                role="timer"
                aria-label="Simulated time"
            >
                {move || seconds(session.clock.get())}
            </span>
            <a class="open-full" href="index.html" target="_blank" rel="noopener" on:click=open>
                "Open in the playground"
                <span class="visually-hidden">" (new tab)"</span>
            </a>
        </div>
    }
}
