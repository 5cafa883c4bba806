//! The playback loop: the only place wall time enters the page.
//!
//! Every animation frame (`requestAnimationFrame`) turns the wall time since the last
//! frame, times the chosen speed, into `Timeline::advance(ms)`, and redraws the messages
//! in flight at the new simulated time. The full snapshot (and with it the DOM) is
//! refreshed at most every [`REFRESH_MS`] of wall time, because re-rendering every log
//! every frame would cost more than a frame: the flying messages move every frame, the
//! clock with each snapshot, and the log rows on screen over the few frames after it
//! (the others now and then, and all of them when playback pauses).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::browser;
use crate::session::{RECORDS_PER_LOG, SLICES, Session};
use crate::view::flights::{Anchors, DrawOptions, FlightLayer, assignment_links};
use crate::view::log_row::CELL_PX;

/// Wall milliseconds between two snapshots while time moves (rows then follow over the
/// next frames, see [`Due`]; a snapshot also waits for the rows on screen to have
/// followed the last one).
pub const REFRESH_MS: f64 = 110.0;
/// Log rows on screen that follow a snapshot in one frame.
const ROWS_PER_FRAME: usize = 6;
/// Rows and tables off screen follow a snapshot only about every this many snapshots
/// (about once a second), and at once when they scroll into view.
const OFFSCREEN_EVERY: u64 = 10;
/// Most frames that measuring anchors waits after a refresh for a frame without rows to
/// update.
const MEASURE_WAIT: u32 = 6;
/// Longest wall gap a frame accounts for (a background tab must not jump minutes).
const MAX_FRAME_MS: f64 = 100.0;
/// Most simulated milliseconds one frame advances.
const MAX_STEP_MS: f64 = 2_000.0;
/// Width taken in a log row by "N more" and the log-end slot, with their gaps.
const ROW_RESERVED_PX: f64 = 62.0;

/// The frame callback, shared with itself so that each frame can ask for the next.
type FrameFn = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

struct Loop {
    last_ts: Option<f64>,
    carry: f64,
    last_refresh: f64,
    refreshes_seen: u64,
    /// Slices of partition rows still to update after the last snapshot.
    slices_left: usize,
    /// Log rows that still have to follow the last snapshot, first due first.
    rows_due: VecDeque<Due>,
    /// Snapshots published (every [`OFFSCREEN_EVERY`]th also updates the off-screen table).
    publishes: u64,
    /// Where the round of brokers (see [`rows_due`]) goes on at the next snapshot.
    offscreen_next: usize,
    /// Whether playback ran at the last frame (the loop sleeps only a frame after it stops;
    /// [`Session::pause`] shows everything at once).
    was_playing: bool,
    anchors: Anchors,
    layout_dirty: Rc<Cell<bool>>,
    layer: FlightLayer,
    /// Whether the system asks for less motion (kept current by a media listener).
    reduced_motion: Rc<Cell<bool>>,
    layer_clear: bool,
    /// Frames since a refresh changed the DOM, while anchors are still to be measured.
    measure_due: Option<u32>,
    prof: Prof,
}

/// Starts the loop; it stops by itself when the page (`session`) is gone. While nothing moves
/// (paused, every row up to date, nothing left to measure) it sleeps: it asks for no
/// frames, so a paused playground embedded in a course page costs nothing, and
/// [`Session::wake`] (a command, a refresh, play), a resize, a scroll or a change of the
/// motion preference starts it again.
pub fn start(session: Session, layer: NodeRef<leptos::html::Div>) {
    let frame_fn: FrameFn = Rc::new(RefCell::new(None));
    let asleep = Rc::new(Cell::new(false));
    let wake: Rc<dyn Fn()> = {
        let (frame_fn, asleep) = (frame_fn.clone(), asleep.clone());
        Rc::new(move || {
            if asleep.replace(false) {
                request(&frame_fn);
            }
        })
    };
    session.set_waker(wake.clone());
    // Play, pause, speed and the heartbeat switch change what the loop draws.
    Effect::new(move |_| {
        session.playing.track();
        session.speed.track();
        session.show_heartbeats.track();
        session.wake();
    });
    let layout_dirty = Rc::new(Cell::new(true));
    for event in ["resize", "scroll"] {
        let (dirty, wake) = (layout_dirty.clone(), wake.clone());
        listen(
            web_sys::window().map(Into::into),
            event,
            Closure::new(move || {
                dirty.set(true);
                wake();
            }),
        );
    }
    {
        // Anything that grows or shrinks the page (an error beside a field, a panel
        // opening) moves the nodes messages fly between. While playing, every snapshot
        // measures them anyway.
        let (dirty, wake) = (layout_dirty.clone(), wake.clone());
        observe_resize(Closure::new(move || {
            if !session.playing.try_get_untracked().unwrap_or(false) {
                dirty.set(true);
                wake();
            }
        }));
    }
    let reduced_motion = Rc::new(Cell::new(browser::prefers_reduced_motion()));
    {
        let (reduced, dirty, wake) = (reduced_motion.clone(), layout_dirty.clone(), wake);
        listen(
            browser::reduced_motion_query().map(Into::into),
            "change",
            Closure::new(move || {
                reduced.set(browser::prefers_reduced_motion());
                dirty.set(true);
                wake();
            }),
        );
    }
    let state = RefCell::new(Loop {
        last_ts: None,
        carry: 0.0,
        last_refresh: 0.0,
        refreshes_seen: 0,
        slices_left: 0,
        rows_due: VecDeque::new(),
        publishes: 0,
        offscreen_next: 0,
        was_playing: false,
        anchors: Anchors::default(),
        layout_dirty,
        layer: FlightLayer::default(),
        reduced_motion,
        layer_clear: true,
        measure_due: None,
        prof: Prof::new(),
    });
    let next = frame_fn.clone();
    *frame_fn.borrow_mut() = Some(Closure::new(move |ts: f64| {
        if !session.alive() {
            // Not scheduling another frame ends the loop.
            return;
        }
        let mut st = state.borrow_mut();
        frame(session, layer, &mut st, ts);
        if idle(session, &st) {
            // The next frame starts afresh: the time asleep is not played.
            st.last_ts = None;
            asleep.set(true);
        } else {
            request(&next);
        }
    }));
    request(&frame_fn);
}

/// Listens to `event` on `target` for as long as the page lives (passive, capturing).
fn listen(target: Option<web_sys::EventTarget>, event: &str, on: Closure<dyn Fn()>) {
    if let Some(t) = target {
        let opts = web_sys::AddEventListenerOptions::new();
        opts.set_passive(true);
        opts.set_capture(true);
        let _ = t.add_event_listener_with_callback_and_add_event_listener_options(
            event,
            on.as_ref().unchecked_ref(),
            &opts,
        );
    }
    on.forget();
}

/// Calls `on` whenever the page's body changes size, for as long as the page lives.
fn observe_resize(on: Closure<dyn Fn()>) {
    let body = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body());
    if let (Some(body), Ok(observer)) = (
        body,
        web_sys::ResizeObserver::new(on.as_ref().unchecked_ref()),
    ) {
        observer.observe(&body);
    }
    on.forget();
}

/// Whether the loop has nothing to do until something wakes it: paused, no refresh
/// asked for, every row up to date, nothing to measure.
fn idle(session: Session, st: &Loop) -> bool {
    !session.playing.try_get_untracked().unwrap_or(false)
        && !st.was_playing
        && !session.dirty()
        && session.refresh_count() == st.refreshes_seen
        && st.rows_due.is_empty()
        && st.slices_left == 0
        && st.measure_due.is_none()
        && !st.layout_dirty.get()
}

fn request(f: &FrameFn) {
    if let (Some(w), Some(cb)) = (web_sys::window(), f.borrow().as_ref()) {
        let _ = w.request_animation_frame(cb.as_ref().unchecked_ref());
    }
}

/// Frames over which [`Prof`] averages.
const PROF_FRAMES: u32 = 120;

/// The phases of a frame that [`Prof`] times.
#[derive(Clone, Copy)]
enum Phase {
    Advance,
    Publish,
    Rows,
    Measure,
    Draw,
    Frame,
}

const PHASES: [&str; 6] = ["advance", "publish", "rows", "measure", "draw", "frame"];

/// Where the loop's own time goes, for tuning: opened with `?prof` in the address, the
/// page logs to the console, every [`PROF_FRAMES`] frames, the mean and the worst frame of
/// each phase in milliseconds (`e2e/perf/frames.mjs` prints them with `PROF=1`). The DOM
/// updates that the signals set here cause run after the frame callback, and style,
/// layout and paint after those, so they are not in these figures.
#[derive(Default)]
struct Prof {
    on: bool,
    frames: u32,
    sum: [f64; 6],
    max: [f64; 6],
    this_frame: [f64; 6],
}

impl Prof {
    fn new() -> Prof {
        let on = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .is_some_and(|q| q.contains("prof"));
        Prof {
            on,
            ..Prof::default()
        }
    }

    fn now(&self) -> f64 {
        if !self.on {
            return 0.0;
        }
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    }

    /// Adds the time since `t0` to `phase`.
    fn add(&mut self, phase: Phase, t0: f64) {
        if self.on {
            self.this_frame[phase as usize] += self.now() - t0;
        }
    }

    fn end_frame(&mut self) {
        if !self.on {
            return;
        }
        for (i, t) in std::mem::take(&mut self.this_frame).into_iter().enumerate() {
            self.sum[i] += t;
            self.max[i] = self.max[i].max(t);
        }
        self.frames += 1;
        if self.frames < PROF_FRAMES {
            return;
        }
        let mut line = format!("frames {}", self.frames);
        for (i, name) in PHASES.iter().enumerate() {
            line.push(' ');
            line.push_str(name);
            line.push(' ');
            line.push_str(&crate::text::fixed(self.sum[i] / f64::from(self.frames), 2));
            line.push('/');
            line.push_str(&crate::text::fixed(self.max[i], 1));
        }
        web_sys::console::log_1(&line.into());
        *self = Prof {
            on: true,
            ..Prof::default()
        };
    }
}

fn frame(session: Session, layer: NodeRef<leptos::html::Div>, st: &mut Loop, ts: f64) {
    let t0 = st.prof.now();
    frame_inner(session, layer, st, ts);
    st.prof.add(Phase::Frame, t0);
    st.prof.end_frame();
}

fn frame_inner(session: Session, layer: NodeRef<leptos::html::Div>, st: &mut Loop, ts: f64) {
    let dt = st
        .last_ts
        .map_or(0.0, |last| (ts - last).clamp(0.0, MAX_FRAME_MS));
    st.last_ts = Some(ts);
    // Long work moves the timeline in slices between frames: nothing is drawn from a
    // moment half reached.
    if session.working() {
        return;
    }

    let playing = session.playing.try_get_untracked().unwrap_or(false);
    let mut moved = false;
    if playing {
        let speed = session.speed.try_get_untracked().unwrap_or(1.0);
        let sim = (dt * speed + st.carry).min(MAX_STEP_MS);
        let ms = sim.floor();
        st.carry = sim - ms;
        if ms >= 1.0 {
            let t = st.prof.now();
            session.advance(ms as u64);
            st.prof.add(Phase::Advance, t);
            moved = true;
        }
    } else {
        st.carry = 0.0;
    }

    st.was_playing = playing;
    let asked = session.take_dirty();
    let mut published = false;
    if asked {
        session.refresh();
        st.last_refresh = ts;
        st.slices_left = 0;
        st.rows_due.clear();
    } else if moved && ts - st.last_refresh >= REFRESH_MS && !rows_on_screen_due(st) {
        let t = st.prof.now();
        session.publish();
        st.prof.add(Phase::Publish, t);
        st.last_refresh = ts;
        st.publishes += 1;
        st.rows_due = rows_due(st);
        let all = st.publishes.is_multiple_of(OFFSCREEN_EVERY);
        st.slices_left = if all || st.anchors.topics_visible {
            SLICES
        } else {
            0
        };
        // Rows start following at the next frame: this one had the snapshot to take.
        published = true;
    }
    let t = st.prof.now();
    if !published {
        // A few log rows and one slice of partition rows per frame follow the latest
        // snapshot: each costs the browser style, layout and paint for every record
        // cell that changed.
        match st.rows_due.pop_front() {
            Some(Due::Rows(rows)) => {
                for row in rows {
                    session.bump_row(&row);
                }
            }
            Some(Due::Broker(b)) => session.bump_broker(b),
            None => {}
        }
        if st.slices_left > 0 {
            st.slices_left -= 1;
            session.bump(SLICES - 1 - st.slices_left);
        }
    }
    st.prof.add(Phase::Rows, t);
    let refreshes = session.refresh_count();
    let refreshed = refreshes != st.refreshes_seen;
    st.refreshes_seen = refreshes;

    // The DOM may move after a refresh, as rows follow it over the next frames: measure
    // where nodes are once they have (the browser lays a frame's changes out after the
    // frame callback), in a frame with no rows to update, not to add to one that has.
    if refreshed {
        st.measure_due = Some(0);
    }
    let measure_now = st.measure_due.is_some_and(|waited| {
        (!published && st.rows_due.is_empty() && st.slices_left == 0) || waited >= MEASURE_WAIT
    });
    if measure_now {
        st.measure_due = None;
    } else if let Some(waited) = st.measure_due.as_mut() {
        *waited += 1;
    }
    let relayout = st.layout_dirty.replace(false) || measure_now;
    let links = if refreshed || relayout {
        session
            .snap
            .try_with_untracked(assignment_links)
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    if relayout {
        let t = st.prof.now();
        let before = std::mem::take(&mut st.anchors.visible_rows);
        let topics_before = st.anchors.topics_visible;
        st.anchors = Anchors::measure(&links);
        // Rows and tables that scrolled into view catch up at once.
        for row in &st.anchors.visible_rows {
            if !before.contains(row) {
                session.bump_row(row);
            }
        }
        if st.anchors.topics_visible && !topics_before {
            for n in 0..SLICES {
                session.bump(n);
            }
        }
        fit_cells(session);
        st.prof.add(Phase::Measure, t);
    }

    if (refreshed || relayout)
        && let Some(root) = layer.get_untracked()
    {
        st.layer.draw_links(&root, &links, &st.anchors);
    }

    if !(moved || refreshed || relayout) {
        return;
    }
    let Some(root) = layer.get_untracked() else {
        return;
    };
    let t = st.prof.now();
    let Some((now, msgs)) = session.in_flight() else {
        return;
    };
    if msgs.is_empty() && st.layer_clear {
        return;
    }
    st.layer_clear = msgs.is_empty();
    let anchors = std::mem::take(&mut st.anchors);
    st.layer.draw(
        &root,
        &msgs,
        now as f64 + if playing { st.carry } else { 0.0 },
        &anchors,
        DrawOptions {
            reduced_motion: st.reduced_motion.get(),
            show_heartbeats: session.show_heartbeats.try_get_untracked().unwrap_or(true),
        },
    );
    st.anchors = anchors;
    st.prof.add(Phase::Draw, t);
}

/// Whether rows on screen have yet to follow the last snapshot. The next one waits for
/// them: when frames come slowly, snapshots come less often instead of piling work onto
/// every frame.
fn rows_on_screen_due(st: &Loop) -> bool {
    st.rows_due.iter().any(|d| matches!(d, Due::Rows(_)))
}

/// Log rows that follow a snapshot together, in one frame.
enum Due {
    /// Rows on screen (their `data-testid`).
    Rows(Vec<String>),
    /// Every row of a broker, on screen or not.
    Broker(u32),
}

/// The rows that follow a new snapshot, in order: those on screen, a few per frame; then
/// a share of the brokers, each with all its rows, in turns (so that rows off screen
/// follow about every [`OFFSCREEN_EVERY`] snapshots); then any broker that had not
/// followed the previous snapshot yet.
fn rows_due(st: &mut Loop) -> VecDeque<Due> {
    let mut due: VecDeque<Due> = st
        .anchors
        .visible_rows
        .chunks(ROWS_PER_FRAME)
        .map(|rows| Due::Rows(rows.to_vec()))
        .collect();
    let brokers = &st.anchors.brokers;
    let mut turn = Vec::new();
    if !brokers.is_empty() {
        let n = brokers.len().div_ceil(OFFSCREEN_EVERY as usize);
        for i in 0..n {
            turn.push(brokers[(st.offscreen_next + i) % brokers.len()]);
        }
        st.offscreen_next = (st.offscreen_next + n) % brokers.len();
    }
    for d in std::mem::take(&mut st.rows_due) {
        if let Due::Broker(b) = d
            && !turn.contains(&b)
        {
            turn.push(b);
        }
    }
    due.extend(turn.into_iter().map(Due::Broker));
    due
}

/// How many record cells fit in a log row now, from the width of the first row.
fn fit_cells(session: Session) {
    let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(".log .cells").ok().flatten())
    else {
        return;
    };
    let width = el.get_bounding_client_rect().width();
    if width <= 0.0 {
        return;
    }
    let cell = CELL_PX as f64;
    let fit =
        (((width - ROW_RESERVED_PX) / cell).floor().max(0.0) as usize).clamp(3, RECORDS_PER_LOG);
    if session.cells.try_get_untracked() != Some(fit) {
        session.cells.set(fit);
    }
}
