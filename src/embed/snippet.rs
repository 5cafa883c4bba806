//! "Embed": the iframe a course author pastes into a lesson for the current scenario,
//! with the embed options as controls and a live preview.

use leptos::prelude::*;

use crate::browser;
use crate::embed::options::{EmbedOptions, SPEEDS};
use crate::session::Session;
use crate::share;

/// The snippet's frame size: what the example course page uses.
const WIDTH: u32 = 720;
const HEIGHT: u32 = 480;

/// One option as a picker: its values as the address writes them, the one chosen.
fn picker(
    id: &'static str,
    label: &'static str,
    values: &'static [&'static str],
    chosen: RwSignal<&'static str>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                on:change:target=move |ev| {
                    let v = ev.target().value();
                    if let Some(found) = values.iter().find(|x| **x == v) {
                        chosen.set(found);
                    }
                }
            >
                {values
                    .iter()
                    .map(|v| view! { <option value=*v selected=chosen.get_untracked() == *v>{*v}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}

const CONTROLS: &[&str] = &["minimal", "none", "full"];
const THEMES: &[&str] = &["auto", "light", "dark"];
const SPEED_VALUES: &[&str] = &{
    let mut values = [""; SPEEDS.len()];
    let mut i = 0;
    while i < SPEEDS.len() {
        values[i] = SPEEDS[i].0;
        i += 1;
    }
    values
};
const AUTOPLAY: &[&str] = &["1", "0"];

/// The embed section of the share menu.
#[component]
pub fn EmbedSnippet(session: Session) -> impl IntoView {
    let controls = RwSignal::new("minimal");
    let theme = RwSignal::new("auto");
    let speed = RwSignal::new("1");
    let autoplay = RwSignal::new("1");
    let open = RwSignal::new(false);
    // The scenario as it is when the section opens (or the learner asks again).
    let fragment = RwSignal::new(String::new());
    let take_state = move || {
        let f = session
            .scenario_json()
            .map(|json| share::encode_fragment(&json))
            .unwrap_or_default();
        fragment.set(f);
    };
    let src = move || {
        // The pickers offer only values the address takes: the parser reads them back.
        let (options, _) = EmbedOptions::parse([
            ("embed", ""),
            ("controls", controls.get()),
            ("theme", theme.get()),
            ("speed", speed.get()),
            ("autoplay", autoplay.get()),
        ]);
        let mut url = browser::full_page_url("");
        url.push_str(&options.to_query());
        url.push_str(&fragment.get());
        url
    };
    let snippet = move || {
        format!(
            "<iframe src=\"{}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" title=\"Kafka Playground\" \
             style=\"border:1px solid #ccc;border-radius:8px\" loading=\"lazy\"></iframe>",
            src().replace('"', "&quot;")
        )
    };
    let copy = move |_| {
        browser::copy_text(snippet(), move |ok| {
            session.status.set(if ok {
                "Embed code copied: paste it into the course page.".into()
            } else {
                "Select the embed code and copy it.".into()
            });
        })
    };
    view! {
        <details
            class="fold embed-snippet"
            on:toggle:target=move |ev| {
                let now = ev.target().open();
                if now {
                    take_state();
                }
                open.set(now);
            }
        >
            <summary><span class="fold-title">"Embed in a course page"</span></summary>
            <div class="fold-body">
                <div class="field-row">
                    {picker("embed-controls", "controls", CONTROLS, controls)}
                    {picker("embed-theme", "theme", THEMES, theme)}
                    {picker("embed-speed-option", "speed", SPEED_VALUES, speed)}
                    {picker("embed-autoplay", "autoplay", AUTOPLAY, autoplay)}
                </div>
                <label for="embed-code">"Embed code"</label>
                <textarea id="embed-code" class="code" readonly rows="4" prop:value=snippet></textarea>
                <div class="actions">
                    <button type="button" on:click=copy>"Copy embed code"</button>
                    <button type="button" class="quiet" on:click=move |_| take_state()>
                        "Use the state of now"
                    </button>
                </div>
                <Show when=move || open.get()>
                    <p class="hint">"Preview (half size):"</p>
                    <div class="embed-preview">
                        <iframe
                            src=src
                            width=WIDTH.to_string()
                            height=HEIGHT.to_string()
                            title="Preview of the embedded playground"
                            tabindex="-1"
                        ></iframe>
                    </div>
                </Show>
            </div>
        </details>
    }
}
