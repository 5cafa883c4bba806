//! A consumer's console, in the spirit of a .NET console consumer:
//! `Consumed 'paid' from orders [1] @ 5`, redeliveries flagged.

use std::sync::Arc;

use leptos::prelude::*;

use crate::session::{ConsoleLine, Session};

/// The console of `consumer`: its latest deliveries, newest at the bottom.
#[component]
pub fn ConsolePane(session: Session, consumer: Arc<str>) -> impl IntoView {
    let c = consumer.clone();
    let lines = Memo::new(move |_| {
        session.consoles.with(|all| {
            all.iter()
                .find(|x| x.consumer == c)
                .map(|x| x.lines.clone())
                .unwrap_or_default()
        })
    });
    view! {
        <div class="console-wrap">
            // Reversed in the DOM and flipped back by CSS (column-reverse), so the view
            // stays scrolled to the newest line without script.
            <ol class="console" aria-label=format!("Console of {consumer}") tabindex="0">
                <For
                    each=move || lines.with(|l| l.iter().rev().cloned().collect::<Vec<_>>())
                    key=|l: &ConsoleLine| l.seq
                    let:line
                >
                    <li class:redelivered=line.redelivered>
                        {line.text}
                        {line.redelivered.then(|| view! { <span class="tag">"redelivered"</span> })}
                    </li>
                </For>
                <Show when=move || lines.with(Vec::is_empty)>
                    <li class="muted">"Nothing read yet."</li>
                </Show>
            </ol>
        </div>
    }
}
