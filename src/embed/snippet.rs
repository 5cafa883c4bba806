//! "Embed": the iframe a course author pastes into a lesson for the current scenario,
//! with the embed options as controls and a live preview.

use leptos::prelude::*;

use crate::browser;
use crate::embed::options::{Controls, EmbedOptions, SPEEDS, Theme};
use crate::session::Session;
use crate::share;

/// The snippet's frame size: what the example course page uses.
const WIDTH: u32 = 720;
const HEIGHT: u32 = 480;

/// The embed section of the share menu.
#[component]
pub fn EmbedSnippet(session: Session) -> impl IntoView {
    let controls = RwSignal::new(Controls::Minimal);
    let autoplay = RwSignal::new(true);
    let theme = RwSignal::new(Theme::Auto);
    let speed = RwSignal::new("1");
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
        let options = EmbedOptions {
            embed: true,
            controls: controls.get(),
            autoplay: autoplay.get(),
            theme: theme.get(),
            speed: speed.get(),
        };
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
    let select = |id: &'static str,
                  label: &'static str,
                  options: Vec<(&'static str, bool)>,
                  on: Box<dyn Fn(String)>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select id=id on:change:target=move |ev| on(ev.target().value())>
                    {options
                        .into_iter()
                        .map(|(v, chosen)| view! { <option value=v selected=chosen>{v}</option> })
                        .collect_view()}
                </select>
            </div>
        }
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
                    {select(
                        "embed-controls",
                        "controls",
                        vec![("none", false), ("minimal", true), ("full", false)],
                        Box::new(move |v| {
                            controls.set(match v.as_str() {
                                "none" => Controls::None,
                                "full" => Controls::Full,
                                _ => Controls::Minimal,
                            })
                        }),
                    )}
                    {select(
                        "embed-theme",
                        "theme",
                        vec![("auto", true), ("light", false), ("dark", false)],
                        Box::new(move |v| {
                            theme.set(match v.as_str() {
                                "light" => Theme::Light,
                                "dark" => Theme::Dark,
                                _ => Theme::Auto,
                            })
                        }),
                    )}
                    {select(
                        "embed-speed-option",
                        "speed",
                        SPEEDS.iter().map(|(v, _, _)| (*v, *v == "1")).collect(),
                        Box::new(move |v| {
                            if let Some((s, _, _)) = SPEEDS.iter().find(|s| s.0 == v) {
                                speed.set(s);
                            }
                        }),
                    )}
                    <label class="check">
                        <input
                            type="checkbox"
                            prop:checked=move || autoplay.get()
                            on:change:target=move |ev| autoplay.set(ev.target().checked())
                        />
                        "autoplay"
                    </label>
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
