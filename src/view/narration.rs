//! The narration: the log of the feed's sentences (`role="log"`, announced politely to
//! screen readers).

use leptos::prelude::*;

use crate::feed::Line;
use crate::session::Session;
use crate::text::seconds;

/// The narration log, newest first.
#[component]
pub fn Narration(session: Session) -> impl IntoView {
    view! {
        <section class="panel narration" aria-labelledby="narration-heading">
            <div class="panel-head">
                <h2 id="narration-heading">"What happened"</h2>
                <label class="check">
                    <input
                        type="checkbox"
                        prop:checked=move || session.record_events.get()
                        on:change:target=move |ev| session.set_record_events(ev.target().checked())
                    />
                    "Record events"
                </label>
            </div>
            <div class="narration-log" role="log" aria-live="polite" aria-label="Narration">
            <ol class="narration-lines">
                <For each=move || session.lines.get() key=|l: &Line| l.id let:line>
                    <li class=line.tone.class()>
                        <span class="when">{seconds(line.time_ms)}</span>
                        <span class="glyph" aria-hidden="true">{line.tone.glyph()}</span>
                        <span class="what">{line.text}</span>
                    </li>
                </For>
            </ol>
            </div>
        </section>
    }
}
