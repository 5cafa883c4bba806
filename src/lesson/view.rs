//! What the page shows of lessons: the Learn tab of the dock (the list with the progress
//! kept, or the lesson on the stage: its text, goals, hints, "Show me", "Start again"),
//! and, embedded, a strip over the stage with the lesson's text and goals.

use leptos::prelude::*;

use super::{Active, Learn};

/// A goal's mark, with words for those who do not see it.
fn goal_item(text: String, met: bool, id: String) -> impl IntoView {
    view! {
        <li class="goal" class:met=met data-goal=id>
            <span class="goal-mark" aria-hidden="true">{if met { "✓" } else { "○" }}</span>
            <span class="goal-text">{text}</span>
            <span class="visually-hidden">{if met { " (met)" } else { " (not met yet)" }}</span>
        </li>
    }
}

/// The Learn tab: the lesson on the stage, or the list of lessons.
#[component]
pub fn LearnPanel(learn: Learn) -> impl IntoView {
    move || match learn.active.get() {
        Some(a) => view! { <LessonPanel learn active=a/> }.into_any(),
        None => view! { <LessonList learn/> }.into_any(),
    }
}

#[component]
fn LessonList(learn: Learn) -> impl IntoView {
    learn.read_kept();
    learn.load_index();
    let entries = move || {
        match learn.index.get() {
        None => view! { <p class="muted">"Loading the lessons…"</p> }.into_any(),
        Some(Err(e)) => view! { <p class="form-error" role="alert">{e}</p> }.into_any(),
        Some(Ok(list)) => view! {
            <ol class="lesson-list">
                {list
                    .into_iter()
                    .map(|e| {
                        let slug = e.slug.clone();
                        let met = move || learn.kept.with(|k| k.count(&slug));
                        let open_slug = e.slug.clone();
                        view! {
                            <li>
                                <a
                                    href=format!("?lesson={}", e.slug)
                                    on:click=move |ev| {
                                        ev.prevent_default();
                                        learn.open(&open_slug);
                                    }
                                >
                                    {e.title}
                                </a>
                                <span class="lesson-chapter">{e.chapter}</span>
                                {move || {
                                    let n = met();
                                    (n > 0)
                                        .then(|| {
                                            view! {
                                                <span class="lesson-kept">
                                                    "✓ " {n} {if n == 1 { " goal met" } else { " goals met" }}
                                                </span>
                                            }
                                        })
                                }}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any(),
    }
    };
    view! {
        <section class="lessons" aria-labelledby="lessons-heading">
            <h3 id="lessons-heading">"Lessons"</h3>
            <p class="muted">
                "Each lesson sets up a cluster and gives you goals: make them happen with the controls on the stage, and the simulation checks them."
            </p>
            {entries}
            <Show when=move || !learn.kept.with(|k| k.is_empty())>
                <button type="button" class="link-button" on:click=move |_| learn.clear_kept()>
                    "Forget my progress"
                </button>
            </Show>
            <p class="muted small-text">"Your progress stays in this browser only."</p>
        </section>
    }
}

#[component]
fn LessonPanel(learn: Learn, active: Active) -> impl IntoView {
    let Active {
        title,
        chapter,
        stages,
        stage,
        goals,
        hints,
        hints_shown,
        showing,
        ..
    } = active;
    let done = goals.iter().all(|g| g.met);
    let more_hints = hints_shown < hints.len();
    let total = stages.len();
    view! {
        <section class="lesson" aria-labelledby="lesson-title">
            <p class="lesson-chapter">{chapter}</p>
            <h3 id="lesson-title">{title}</h3>
            <ol class="lesson-stages">
                {stages
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| {
                        view! {
                            <li
                                class:current=i == stage
                                class:done=i < stage
                                aria-current=(i == stage).then_some("step")
                            >
                                {text}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <p class="visually-hidden">{format!("Stage {} of {total}", (stage + 1).min(total))}</p>
            <h4>"Goals"</h4>
            <ul class="goals">
                {goals.into_iter().map(|g| goal_item(g.text, g.met, g.id)).collect_view()}
            </ul>
            {done.then(|| view! { <p class="lesson-done">"Every goal is met. Well done."</p> })}
            {(hints_shown > 0)
                .then(|| {
                    view! {
                        <ul class="hints" aria-label="Hints">
                            {hints[..hints_shown]
                                .iter()
                                .map(|h| view! { <li>{h.clone()}</li> })
                                .collect_view()}
                        </ul>
                    }
                })}
            <div class="lesson-actions">
                {more_hints
                    .then(|| {
                        view! {
                            <button type="button" on:click=move |_| learn.hint()>
                                "Show a hint"
                            </button>
                        }
                    })}
                <button type="button" on:click=move |_| learn.show_me() disabled=showing>
                    "Show me"
                </button>
                <button type="button" on:click=move |_| learn.start_again()>"Start again"</button>
                <button type="button" class="link-button" on:click=move |_| learn.leave()>
                    "All lessons"
                </button>
            </div>
        </section>
    }
}

/// Embedded: the lesson's current stage and its goals, over the stage.
#[component]
pub fn LessonStrip(learn: Learn) -> impl IntoView {
    move || {
        learn.active.get().map(|a| {
            let text = a
                .stages
                .get(a.stage)
                .cloned()
                .unwrap_or_else(|| "Every goal is met. Well done.".into());
            let label = format!("Lesson: {}", a.title);
            view! {
                <section class="lesson-strip" aria-label=label>
                    <p>
                        <strong>{a.title}</strong>
                        " · "
                        {text}
                    </p>
                    <ul class="goals">
                        {a.goals.into_iter().map(|g| goal_item(g.text, g.met, g.id)).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}
