//! The top bar: title, simulated clock, playback (play/pause, step, speed, timeline),
//! share/export/import and the scenario picker; and the page-wide notice.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser;
use crate::embed::options::SPEEDS;
use crate::on_demand::{fetched, on_first_open};
use crate::presets::{self, PRESETS};
use crate::session::{Notice, Session};
use crate::share;
use crate::text::seconds;

/// The top bar.
#[component]
pub fn Header(session: Session) -> impl IntoView {
    let toggle = move |_| session.toggle_playing();
    let on_speed = move |ev: leptos::ev::Event| {
        if let Some(v) = target_value(&ev)
            .and_then(|v| SPEEDS.iter().find(|s| s.0 == v))
            .map(|s| s.2)
        {
            session.speed.set(v);
        }
    };
    let on_seek = move |ev: leptos::ev::Event| {
        if let Some(t) = target_value(&ev).and_then(|v| v.parse::<u64>().ok()) {
            session.seek(t);
        }
    };
    view! {
        <header class="topbar">
            <div class="brand">
                <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
                    <circle cx="16" cy="6" r="4"></circle>
                    <circle cx="6" cy="24" r="4"></circle>
                    <circle cx="26" cy="24" r="4"></circle>
                    <path d="M16 10 6 20M16 10l10 10M10 24h12"></path>
                </svg>
                <h1>"Kafka Playground"</h1>
            </div>
            <div class="transport" role="group" aria-label="Playback">
                <button
                    type="button"
                    class="primary play"
                    class:playing=move || session.playing.get()
                    on:click=toggle
                >
                    <svg class="icon" viewBox="0 0 16 16" aria-hidden="true">
                        <path d=move || {
                            if session.playing.get() { "M4 3h3v10H4zM9 3h3v10H9z" } else { "M4 2.5v11l9-5.5z" }
                        }></path>
                    </svg>
                    {move || if session.playing.get() { "Pause" } else { "Play" }}
                </button>
                <button type="button" on:click=move |_| session.step() title="Go to the next moment something happens">
                    <svg class="icon" viewBox="0 0 16 16" aria-hidden="true">
                        <path d="M3 2.5v11l7.5-5.5zM11 3h2.5v10H11z"></path>
                    </svg>
                    "Step"
                </button>
                <label class="speed" for="speed">"Speed"</label>
                <select id="speed" on:change=on_speed>
                    {SPEEDS
                        .iter()
                        .map(|(v, label, _)| {
                            view! {
                                <option value=*v selected=*v == "1">
                                    {*label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <div
                    class="clock"
                    data-testid="clock"
                    data-time-ms=move || session.clock.get().to_string()
                    aria-label="Simulated time"
                    role="timer"
                >
                    <span class="clock-label" aria-hidden="true">"sim time"</span>
                    <span class="clock-value">{move || seconds(session.clock.get())}</span>
                </div>
            </div>
            <div class="timeline">
                <label for="timeline">"Timeline"</label>
                <input
                    id="timeline"
                    type="range"
                    min="0"
                    step="1"
                    max=move || session.end_ms.get().to_string()
                    prop:value=move || {
                        session.end_ms.track();
                        session.clock.get().to_string()
                    }
                    aria-valuetext=move || seconds(session.clock.get())
                    on:input=on_seek
                />
                <span class="timeline-end">{move || seconds(session.end_ms.get())}</span>
                <p class="replay-note" class:shown=move || !session.at_end.get() aria-live="polite">
                    {move || {
                        if session.at_end.get() {
                            ""
                        } else {
                            "Replaying the recording. Anything you do here replaces what came after."
                        }
                    }}
                </p>
            </div>
            <ShareBar session/>
        </header>
        <NoticeBar session/>
    }
}

fn target_value(ev: &leptos::ev::Event) -> Option<String> {
    let t = ev.target()?;
    if let Some(i) = t.dyn_ref::<web_sys::HtmlInputElement>() {
        return Some(i.value());
    }
    t.dyn_ref::<web_sys::HtmlSelectElement>().map(|s| s.value())
}

/// Copy link, export, import and the scenario picker.
#[component]
fn ShareBar(session: Session) -> impl IntoView {
    let learn = use_context::<crate::lesson::Learn>();
    let file_ref = NodeRef::<leptos::html::Input>::new();
    // The preset Load loads: what the picker shows, which follows what was loaded last
    // ("" after a shared link or an imported file, until the learner picks one).
    let (preset, set_preset) = signal("");
    Effect::new(move |_| set_preset.set(session.preset.get().unwrap_or("")));
    let copy = move |_| {
        let Some(json) = session.scenario_json() else {
            return;
        };
        let fragment = share::encode_fragment(&json);
        let chars = browser::address_without_fragment().len() + fragment.len();
        if !share::link_opens(chars) {
            session.notice.set(Some(Notice {
                title: "This scenario is too long for a link.".into(),
                lines: vec![format!(
                    "Its link would be {chars} characters; browsers open links of at most about {} (Firefox 1 MiB, Chromium 2 MiB). Use Export to save it as a file, and Import to open it.",
                    share::MAX_LINK_CHARS
                )],
            }));
            return;
        }
        match browser::replace_fragment(&fragment) {
            Some(url) => browser::copy_text(url, move |ok| {
                session.status.set(if ok {
                    "Link copied: it opens the scenario as it is now.".into()
                } else {
                    "The link is in the address bar; copy it from there.".into()
                });
            }),
            None => session.status.set("The link could not be made.".into()),
        }
    };
    let export = move |_| {
        let Some(json) = session.scenario_json() else {
            return;
        };
        if browser::download("kafka-playground-scenario.json", "application/json", &json) {
            session
                .status
                .set("Scenario exported as kafka-playground-scenario.json.".into());
        }
    };
    let pick_file = move |_| {
        if let Some(input) = file_ref.get_untracked() {
            input.click();
        }
    };
    let on_file = move |_| {
        let Some(input) = file_ref.get_untracked() else {
            return;
        };
        let name = input
            .files()
            .and_then(|f| f.get(0))
            .map(|f| f.name())
            .unwrap_or_default();
        let el = input.clone();
        browser::read_chosen_file(&input, move |text| {
            // Let the same file be chosen again later.
            el.set_value("");
            let imported = {
                let name = name.clone();
                move |session: Session| {
                    // Another scenario on the stage: the lesson is over.
                    if let Some(l) = learn {
                        l.leave();
                    }
                    session.notice.set(None);
                    session.status.set(format!("Imported {name}."));
                }
            };
            leptos::task::spawn_local(async move {
                let read = match text {
                    Ok(t) => share::read_scenario(t).await,
                    Err(e) => Err(vec![e]),
                };
                match read.and_then(|doc| session.load(doc, true, imported)) {
                    Ok(()) => {}
                    Err(lines) => session.notice.set(Some(Notice {
                        title: format!("{name} was not imported; nothing changed."),
                        lines,
                    })),
                }
            });
        });
    };
    let load_preset = move |_| {
        let Some(p) = presets::find(preset.get_untracked()) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let loaded = move |session: Session| {
                if let Some(l) = learn {
                    l.leave();
                }
                session.preset.set(Some(p.id));
                session.notice.set(None);
                session
                    .status
                    .set(format!("Loaded “{}”. Press Play to watch it.", p.title));
            };
            match p
                .scenario()
                .await
                .and_then(|doc| session.load(doc, false, loaded))
            {
                Ok(()) => {}
                Err(lines) => session.notice.set(Some(Notice {
                    title: format!("“{}” could not be loaded; nothing changed.", p.title),
                    lines,
                })),
            }
        });
    };
    // The menu closes as menus do: a click elsewhere, or Escape (back to its summary).
    let menu_ref = NodeRef::<leptos::html::Details>::new();
    let share_opened = RwSignal::new(false);
    let close_menu = move |focus: bool| {
        if let Some(d) = menu_ref.get_untracked().filter(|d| d.open()) {
            d.set_open(false);
            if focus && let Ok(Some(s)) = d.query_selector("summary") {
                let _ = s.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        }
    };
    let _ = window_event_listener(leptos::ev::click, move |ev| {
        let inside = menu_ref
            .get_untracked()
            .zip(ev.target())
            .is_some_and(|(d, t)| {
                t.dyn_into::<web_sys::Node>()
                    .is_ok_and(|n| d.contains(Some(&n)))
            });
        if !inside {
            close_menu(false);
        }
    });
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            close_menu(true);
        }
    });
    view! {
        <div class="sharebar">
            <div class="preset-picker">
                <label for="preset">"Scenario"</label>
                <select
                    id="preset"
                    on:change=move |ev| {
                        if let Some(p) = target_value(&ev).as_deref().and_then(presets::find) {
                            set_preset.set(p.id);
                        }
                    }
                >
                    <option value="" disabled prop:selected=move || preset.get().is_empty()>
                        "From a link or file"
                    </option>
                    {PRESETS
                        .iter()
                        .map(|p| {
                            let id = p.id;
                            view! {
                                <option value=id prop:selected=move || preset.get() == id>
                                    {p.title}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <button
                    type="button"
                    on:click=load_preset
                    disabled=move || preset.get().is_empty()
                >
                    "Load"
                </button>
            </div>
            <details
                class="menu share-menu"
                node_ref=menu_ref
                on:toggle:target=on_first_open(share_opened)
            >
                <summary>"Share"</summary>
                <div class="menu-body" role="group" aria-label="Share">
                    <button type="button" on:click=copy>"Copy link"</button>
                    <button type="button" on:click=export>"Export"</button>
                    <button type="button" on:click=pick_file>"Import"</button>
                    <input
                        type="file"
                        class="visually-hidden"
                        accept=".json,application/json"
                        aria-label="Import scenario"
                        tabindex="-1"
                        node_ref=file_ref
                        on:change=on_file
                    />
                    // Fetched when the menu first opens (see on_demand).
                    {move || {
                        share_opened
                            .get()
                            .then(|| {
                                view! {
                                    {fetched(move || embed_snippet(session))}
                                    {fetched(move || run_for_real(session))}
                                }
                            })
                    }}
                </div>
            </details>
            // A new message re-creates the toast, which restarts its CSS fade-out: no
            // timer, so wall time stays out of everything but the playback loop.
            <div class="status-line" role="status">
                {move || {
                    let text = session.status.get();
                    (!text.is_empty()).then(|| view! { <p class="toast">{text}</p> })
                }}
            </div>
        </div>
    }
}

/// The page-wide notice (a link or file that could not be loaded, ...).
#[component]
fn NoticeBar(session: Session) -> impl IntoView {
    move || {
        session.notice.get().map(|n| {
            view! {
                <div class="notice" role="alert">
                    <div>
                        <strong>{n.title}</strong>
                        <ul>{n.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                    </div>
                    <button type="button" class="quiet" on:click=move |_| session.notice.set(None)>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}

crate::on_demand::on_demand!(
    share_embed,
    /// The share menu's embed snippet.
    fn embed_snippet(session: Session) -> AnyView {
        view! { <crate::embed::snippet::EmbedSnippet session/> }.into_any()
    }
);

crate::on_demand::on_demand!(
    share_real,
    /// The share menu's "Run this on a real cluster".
    fn run_for_real(session: Session) -> AnyView {
        view! { <crate::view::run_for_real::RunForReal session/> }.into_any()
    }
);
