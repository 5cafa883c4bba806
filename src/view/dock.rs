//! The dock beside the stage: what is not needed every minute (the narration, a record's
//! journey, the topics, the cluster settings, the messages in flight and the key to the
//! picture) as tabs. A panel is mounted when its tab is first chosen (its code is fetched
//! then, see `on_demand`) and then stays mounted, hidden when its tab is not chosen, so
//! that it keeps following the simulation; the tab chosen is remembered while the page is
//! open. Keyboard: the arrow keys, Home and End move between tabs (WAI-ARIA tabs).

use leptos::prelude::*;

use crate::lesson::Learn;
use crate::on_demand::fetched;
use crate::session::{DockTab, Session};
use crate::view::narration::Narration;
use crate::view::partitions::Topics;

/// The tabs, in order: which, and their label.
const TABS: [(DockTab, &str); 6] = [
    (DockTab::Learn, "Learn"),
    (DockTab::Narration, "Events"),
    (DockTab::Record, "Record"),
    (DockTab::Topics, "Topics"),
    (DockTab::Settings, "Settings"),
    (DockTab::Messages, "Messages"),
];

fn tab_id(t: DockTab) -> &'static str {
    match t {
        DockTab::Learn => "tab-learn",
        DockTab::Narration => "tab-narration",
        DockTab::Record => "tab-record",
        DockTab::Topics => "tab-topics",
        DockTab::Settings => "tab-settings",
        DockTab::Messages => "tab-messages",
    }
}

fn panel_id(t: DockTab) -> &'static str {
    match t {
        DockTab::Learn => "panel-learn",
        DockTab::Narration => "panel-narration",
        DockTab::Record => "panel-record",
        DockTab::Topics => "panel-topics",
        DockTab::Settings => "panel-settings",
        DockTab::Messages => "panel-messages",
    }
}

/// The dock.
#[component]
pub fn Dock(session: Session) -> impl IntoView {
    let chosen = session.dock_tab;
    // A panel is mounted when its tab is first chosen (its code is fetched then: see
    // on_demand) and stays mounted.
    let [learned, recorded, settings_seen, messages_seen] = [
        DockTab::Learn,
        DockTab::Record,
        DockTab::Settings,
        DockTab::Messages,
    ]
    .map(|t| session.tab_ever_chosen(t));
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let i = TABS
            .iter()
            .position(|(t, _)| *t == chosen.get_untracked())
            .unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" | "ArrowDown" => (i + 1) % TABS.len(),
            "ArrowLeft" | "ArrowUp" => (i + TABS.len() - 1) % TABS.len(),
            "Home" => 0,
            "End" => TABS.len() - 1,
            _ => return,
        };
        ev.prevent_default();
        chosen.set(TABS[next].0);
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(tab_id(TABS[next].0)))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = el.focus();
        }
    };
    let panel = move |t: DockTab, content: AnyView| {
        view! {
            <div
                class="dock-panel"
                role="tabpanel"
                id=panel_id(t)
                aria-labelledby=tab_id(t)
                hidden=move || chosen.get() != t
            >
                {content}
            </div>
        }
    };
    view! {
        <aside class="dock" aria-label="Details">
            <div class="tabs" role="tablist" aria-label="Details" on:keydown=on_key>
                {TABS
                    .map(|(t, label)| {
                        view! {
                            <button
                                type="button"
                                role="tab"
                                id=tab_id(t)
                                aria-controls=panel_id(t)
                                aria-selected=move || if chosen.get() == t { "true" } else { "false" }
                                tabindex=move || if chosen.get() == t { "0" } else { "-1" }
                                on:click=move |_| chosen.set(t)
                            >
                                {label}
                            </button>
                        }
                    })}
            </div>
            {panel(
                DockTab::Learn,
                // Mounted when first chosen: the list is fetched then, not with the page.
                view! {
                    {move || {
                        learned
                            .get()
                            .then(|| {
                                use_context::<Learn>()
                                    .map(|learn| {
                                        fetched(move || learn_panel(learn))
                                    })
                            })
                    }}
                }
                    .into_any(),
            )}
            {panel(DockTab::Narration, view! { <Narration session/> }.into_any())}
            {panel(
                DockTab::Record,
                view! {
                    {move || {
                        recorded.get().then(|| fetched(move || journey(session)))
                    }}
                }
                    .into_any(),
            )}
            {panel(DockTab::Topics, view! { <Topics session/> }.into_any())}
            {panel(
                DockTab::Settings,
                view! {
                    {move || {
                        settings_seen
                            .get()
                            .then(|| fetched(move || settings(session)))
                    }}
                }
                    .into_any(),
            )}
            {panel(
                DockTab::Messages,
                view! {
                    {move || {
                        messages_seen
                            .get()
                            .then(|| fetched(move || messages(session)))
                    }}
                }
                    .into_any(),
            )}
        </aside>
    }
}

crate::on_demand::on_demand!(
    learn,
    /// The Learn tab's content.
    fn learn_panel(learn: Learn) -> AnyView {
        view! { <crate::lesson::view::LearnPanel learn/> }.into_any()
    }
);

crate::on_demand::on_demand!(
    dock_record,
    /// The Record tab.
    fn journey(session: Session) -> AnyView {
        view! { <crate::view::journey::Journey session/> }.into_any()
    }
);

crate::on_demand::on_demand!(
    dock_settings,
    /// The Settings tab.
    fn settings(session: Session) -> AnyView {
        view! { <crate::view::settings::Settings session/> }.into_any()
    }
);

crate::on_demand::on_demand!(
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
