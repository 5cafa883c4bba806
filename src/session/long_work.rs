//! Work on the timeline that can take long (playing a loaded scenario to its end,
//! seeking, replaying with new settings), done in slices of a few milliseconds between
//! which the browser stays free: no task runs past ~30 ms. Past half a second a progress
//! line (simulated time reached of the total) and a Cancel show; Cancel leaves the
//! playground as it was before. While the work runs, the playground takes no command and
//! draws nothing new (the playback loop waits), and a layer over the page keeps clicks
//! from reaching what is about to be replaced.

use kafka_sim::scenario::{Mark, Timeline};
use leptos::prelude::*;

use super::Session;

/// Wall time one slice may take, in milliseconds.
const SLICE_MS: f64 = 25.0;
/// Wall time one bounded seek should take: how many scheduled things it may run adapts
/// to it (a busy instant of a big cluster is thousands of them).
const CALL_MS: f64 = 5.0;
/// Wall time after which the progress and its Cancel show.
const SHOW_AFTER_MS: f64 = 500.0;

/// What the page shows of work in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Busy {
    /// What is being done ("Playing the scenario to its end").
    pub what: &'static str,
    /// Simulated time reached, from where the work started.
    pub done_ms: u64,
    /// Simulated time to reach, from where the work started.
    pub total_ms: u64,
    /// Whether it has taken long enough to show (and offer Cancel).
    pub shown: bool,
}

/// The timeline long work moves.
pub(super) enum Target {
    /// A new timeline, which replaces the live one once it has reached the target.
    Fresh(Box<Timeline>),
    /// The live one, with the moment to put back on Cancel (taken before any rewind).
    Live { back: Box<Mark> },
}

/// When the work is done (or failed): what to do with the session.
pub type Finish = Box<dyn FnOnce(Session, Result<(), String>)>;

/// Work in progress.
pub(super) struct Work {
    /// The timeline brought to `target`: a new one (a load, a replay with new settings)
    /// or the live one (a seek), with the moment to go back to on Cancel.
    tl: Option<Timeline>,
    back: Option<Mark>,
    from: u64,
    target: u64,
    what: &'static str,
    finish: Option<Finish>,
    started: f64,
    /// Scheduled things one bounded seek may run.
    budget: usize,
    was_playing: bool,
}

impl std::fmt::Debug for Work {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Work")
            .field("what", &self.what)
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

impl Session {
    /// Brings a timeline to `target` in slices, then calls `finish`: a new one (it
    /// replaces the live one when it gets there), or the live one, which Cancel puts back
    /// at `back`. Cancel leaves everything as it was.
    pub(super) fn start_work(&self, on: Target, target: u64, what: &'static str, finish: Finish) {
        self.cancel_work();
        let was_playing = self.playing.get_untracked();
        self.playing.set(false);
        let (tl, back) = match on {
            Target::Fresh(t) => (Some(*t), None),
            Target::Live { back } => (None, Some(*back)),
        };
        let from = match &tl {
            Some(t) => t.now_ms(),
            None => self.with_tl(Timeline::now_ms).unwrap_or(0),
        };
        self.work.set_value(Some(Work {
            tl,
            back,
            from,
            target,
            what,
            finish: Some(finish),
            started: now_ms(),
            budget: 2_000,
            was_playing,
        }));
        self.busy.set(Some(Busy {
            what,
            done_ms: 0,
            total_ms: target.saturating_sub(from),
            shown: false,
        }));
        self.slice();
    }

    /// Whether work is in progress (the playback loop waits).
    pub fn working(&self) -> bool {
        self.work.try_with_value(Option::is_some).unwrap_or(false)
    }

    /// Stops the work in progress, leaving the playground as it was before it began.
    pub fn cancel_work(&self) {
        let Some(w) = self.work.try_update_value(Option::take).flatten() else {
            return;
        };
        if let Some(mark) = w.back {
            self.update_tl(|tl| tl.restore(mark));
        }
        self.busy.set(None);
        self.playing.set(w.was_playing);
        self.refresh();
    }

    /// One slice of the work; schedules the next, or finishes.
    fn slice(&self) {
        let session = *self;
        let start = now_ms();
        let outcome = self.work.try_update_value(|work| {
            let w = work.as_mut()?;
            let mut result = Ok(());
            loop {
                let step = |tl: &mut Timeline| {
                    let t0 = now_ms();
                    if tl
                        .seek_at_most(w.target, w.budget)
                        .map_err(|e| e.to_string())?
                    {
                        return Ok(None);
                    }
                    Ok(Some((tl.now_ms(), now_ms() - t0)))
                };
                let stepped = match w.tl.as_mut() {
                    Some(tl) => step(tl),
                    None => session.update_tl(step).unwrap_or(Ok(None)),
                };
                match stepped {
                    Ok(Some((reached, took))) => {
                        // Ask for as much as fits in a call's wall time.
                        let scale = (CALL_MS / took.max(0.05)).clamp(0.25, 4.0);
                        w.budget = ((w.budget as f64 * scale) as usize).clamp(16, 4_000_000);
                        if now_ms() - start >= SLICE_MS {
                            return Some((reached, false, result));
                        }
                    }
                    Ok(None) => return Some((w.target, true, result)),
                    Err(e) => {
                        result = Err(e);
                        return Some((w.target, true, result));
                    }
                }
            }
        });
        let Some(Some((reached, done, result))) = outcome else {
            return;
        };
        if done {
            let Some(mut w) = self.work.try_update_value(Option::take).flatten() else {
                return;
            };
            self.busy.set(None);
            if result.is_err()
                && let Some(mark) = w.back.take()
            {
                self.update_tl(|tl| tl.restore(mark));
            }
            if result.is_ok()
                && let Some(tl) = w.tl.take()
            {
                self.tl.set_value(Some(tl));
            }
            self.playing.set(w.was_playing && result.is_ok());
            if let Some(finish) = w.finish.take() {
                finish(*self, result);
            }
            return;
        }
        let shown = self
            .work
            .try_with_value(|w| w.as_ref().map(|w| now_ms() - w.started >= SHOW_AFTER_MS))
            .flatten()
            .unwrap_or(false);
        let from = self
            .work
            .try_with_value(|w| w.as_ref().map(|w| w.from))
            .flatten()
            .unwrap_or(0);
        self.busy.update(|b| {
            if let Some(b) = b.as_mut() {
                b.done_ms = reached.saturating_sub(from).min(b.total_ms);
                b.shown = shown;
            }
        });
        set_timeout(move || session.slice(), std::time::Duration::ZERO);
    }
}

/// The progress of long work, with its Cancel; and, from its start, a layer that keeps
/// clicks off the page. Everything else is inert meanwhile, so the Cancel takes the focus
/// when it shows.
#[component]
pub fn BusyLayer(session: Session) -> impl IntoView {
    let cancel = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = cancel.get() {
            let _ = button.focus();
        }
    });
    let active = Memo::new(move |_| session.busy.with(Option::is_some));
    let shown = Memo::new(move |_| session.busy.with(|b| b.as_ref().is_some_and(|b| b.shown)));
    let what = move || session.busy.with(|b| b.as_ref().map(|b| b.what));
    let figures = move || {
        session.busy.with(|b| {
            b.as_ref().map(|b| {
                format!(
                    "{} of {} simulated",
                    crate::text::seconds(b.done_ms),
                    crate::text::seconds(b.total_ms)
                )
            })
        })
    };
    let percent = move || {
        session.busy.with(|b| {
            b.as_ref().map_or(0, |b| {
                (b.done_ms.saturating_mul(100))
                    .checked_div(b.total_ms)
                    .unwrap_or(100)
                    .min(100)
            })
        })
    };
    view! {
        <Show when=move || active.get()>
            <div class="busy-layer" class:shown=move || shown.get()>
                <Show when=move || shown.get()>
                    // Told once; the figures and the bar change many times a second.
                    <div class="busy">
                        <p role="status">{what} "…"</p>
                        <p class="busy-figures">{figures}</p>
                        <progress
                            max="100"
                            value=move || percent().to_string()
                            aria-label="Simulated time reached"
                        ></progress>
                        <button type="button" node_ref=cancel on:click=move |_| session.cancel_work()>
                            "Cancel"
                        </button>
                    </div>
                </Show>
            </div>
        </Show>
    }
}
