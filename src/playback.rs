//! The playback loop: the only place wall time enters the page.
//!
//! Every animation frame (`requestAnimationFrame`) turns the wall time since the last
//! frame, times the chosen speed, into `Timeline::advance(ms)`, and redraws the messages
//! in flight at the new simulated time. The full snapshot (and with it the DOM) is
//! refreshed at most every [`REFRESH_MS`] of wall time, because re-rendering every log
//! every frame would cost more than a frame; the clock and the flying messages move every
//! frame.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::browser;
use crate::state::{Pg, RECORDS_PER_LOG, SLICES};
use crate::view::flights::{Anchors, DrawOptions, FlightLayer, assignment_links};

/// Wall milliseconds between two snapshots while time moves (rows then follow over the
/// next [`SLICES`] frames, so this must be longer than that many frames).
pub const REFRESH_MS: f64 = 110.0;
/// Brokers whose log rows follow a snapshot in one frame.
const BROKERS_PER_FRAME: usize = 2;
/// Off-screen brokers and tables follow only every this many snapshots (about once a
/// second), and at once when they scroll into view.
const OFFSCREEN_EVERY: u64 = 10;
/// Longest wall gap a frame accounts for (a background tab must not jump minutes).
const MAX_FRAME_MS: f64 = 100.0;
/// Most simulated milliseconds one frame advances.
const MAX_STEP_MS: f64 = 2_000.0;
/// Wall milliseconds between re-reading colours and motion preferences.
const PREFS_EVERY_MS: f64 = 2_000.0;
/// Width of one record cell including its gap (CSS `--cell-w` + `--cell-gap`), in pixels.
const CELL_PX: f64 = 41.0;
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
    /// Brokers whose log rows still have to follow the last snapshot.
    brokers_due: Vec<u32>,
    /// Snapshots published (every [`OFFSCREEN_EVERY`]th also updates what is off screen).
    publishes: u64,
    /// Whether playback ran at the last frame: pausing shows everything at once.
    was_playing: bool,
    anchors: Anchors,
    layout_dirty: Rc<Cell<bool>>,
    layer: FlightLayer,
    prefs_at: f64,
    reduced_motion: bool,
    layer_clear: bool,
}

/// Starts the loop; it stops by itself when the page (`pg`) is gone.
pub fn start(pg: Pg, layer: NodeRef<leptos::html::Div>) {
    let layout_dirty = Rc::new(Cell::new(true));
    for event in ["resize", "scroll"] {
        let dirty = layout_dirty.clone();
        let on = Closure::<dyn Fn()>::new(move || dirty.set(true));
        if let Some(w) = web_sys::window() {
            let opts = web_sys::AddEventListenerOptions::new();
            opts.set_passive(true);
            opts.set_capture(true);
            let _ = w.add_event_listener_with_callback_and_add_event_listener_options(
                event,
                on.as_ref().unchecked_ref(),
                &opts,
            );
        }
        // The listener lives as long as the page.
        on.forget();
    }
    let state = RefCell::new(Loop {
        last_ts: None,
        carry: 0.0,
        last_refresh: 0.0,
        refreshes_seen: 0,
        slices_left: 0,
        brokers_due: Vec::new(),
        publishes: 0,
        was_playing: false,
        anchors: Anchors::default(),
        layout_dirty,
        layer: FlightLayer::default(),
        prefs_at: 0.0,
        reduced_motion: browser::prefers_reduced_motion(),
        layer_clear: true,
    });
    let frame_fn: FrameFn = Rc::new(RefCell::new(None));
    let next = frame_fn.clone();
    *frame_fn.borrow_mut() = Some(Closure::new(move |ts: f64| {
        if !pg.alive() {
            // Not scheduling another frame ends the loop.
            return;
        }
        frame(pg, layer, &mut state.borrow_mut(), ts);
        request(&next);
    }));
    request(&frame_fn);
}

fn request(f: &FrameFn) {
    if let (Some(w), Some(cb)) = (web_sys::window(), f.borrow().as_ref()) {
        let _ = w.request_animation_frame(cb.as_ref().unchecked_ref());
    }
}

thread_local! {
    static PROF: std::cell::RefCell<[f64; 6]> = const { std::cell::RefCell::new([0.0; 6]) };
}
fn perf_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
fn prof(i: usize, t0: f64) -> f64 {
    let t = perf_now();
    PROF.with(|p| p.borrow_mut()[i] += t - t0);
    t
}

fn frame(pg: Pg, layer: NodeRef<leptos::html::Div>, st: &mut Loop, ts: f64) {
    let t0 = perf_now();
    PROF.with(|p| {
        let mut p = p.borrow_mut();
        p[5] += 1.0;
        if p[5] >= 120.0 {
            web_sys::console::log_1(
                &format!(
                    "frames {} advance {} refresh {} measure {} draw {} other {}",
                    p[5],
                    p[0] / p[5],
                    p[1] / p[5],
                    p[2] / p[5],
                    p[3] / p[5],
                    p[4] / p[5]
                )
                .into(),
            );
            *p = [0.0; 6];
        }
    });
    frame_inner(pg, layer, st, ts);
    prof(4, t0);
}

fn frame_inner(pg: Pg, layer: NodeRef<leptos::html::Div>, st: &mut Loop, ts: f64) {
    let dt = st
        .last_ts
        .map_or(0.0, |last| (ts - last).clamp(0.0, MAX_FRAME_MS));
    st.last_ts = Some(ts);

    let playing = pg.playing.try_get_untracked().unwrap_or(false);
    let mut moved = false;
    if playing {
        let speed = pg.speed.try_get_untracked().unwrap_or(1.0);
        let sim = (dt * speed + st.carry).min(MAX_STEP_MS);
        let ms = sim.floor();
        st.carry = sim - ms;
        if ms >= 1.0 {
            let t = perf_now();
            pg.advance(ms as u64);
            prof(0, t);
            moved = true;
        }
    } else {
        st.carry = 0.0;
    }

    // Pausing brings every row, on screen or not, to the same moment.
    let paused_now = st.was_playing && !playing;
    st.was_playing = playing;
    let asked = pg.take_dirty() || paused_now;
    if asked {
        pg.refresh();
        st.last_refresh = ts;
        st.slices_left = 0;
        st.brokers_due.clear();
    } else if moved && ts - st.last_refresh >= REFRESH_MS {
        let t = perf_now();
        pg.publish();
        prof(1, t);
        st.last_refresh = ts;
        st.publishes += 1;
        // What is on screen follows every snapshot; what is not, now and then.
        let all = st.publishes.is_multiple_of(OFFSCREEN_EVERY);
        st.brokers_due = if all {
            st.anchors.brokers.clone()
        } else {
            st.anchors.visible_brokers.clone()
        };
        st.slices_left = if all || st.anchors.topics_visible {
            SLICES
        } else {
            0
        };
    }
    for _ in 0..BROKERS_PER_FRAME {
        if let Some(b) = st.brokers_due.pop() {
            pg.bump_broker(b);
        }
    }
    if st.slices_left > 0 {
        // One slice of partition rows per frame follows the latest snapshot.
        st.slices_left -= 1;
        pg.bump(SLICES - 1 - st.slices_left);
    }
    let refreshes = pg.refresh_count();
    let refreshed = refreshes != st.refreshes_seen;
    st.refreshes_seen = refreshes;
    if refreshed {
        // The DOM may have moved: measure where nodes are after it settles.
        st.layout_dirty.set(true);
    }

    if ts - st.prefs_at >= PREFS_EVERY_MS {
        st.prefs_at = ts;
        st.reduced_motion = browser::prefers_reduced_motion();
        st.layout_dirty.set(true);
    }
    let relayout = st.layout_dirty.replace(false);
    if relayout {
        let t = perf_now();
        let before = std::mem::take(&mut st.anchors.visible_brokers);
        let topics_before = st.anchors.topics_visible;
        st.anchors = Anchors::measure();
        // Brokers and tables that scrolled into view catch up at once.
        for b in &st.anchors.visible_brokers {
            if !before.contains(b) {
                pg.bump_broker(*b);
            }
        }
        if st.anchors.topics_visible && !topics_before {
            for n in 0..SLICES {
                pg.bump(n);
            }
        }
        fit_cells(pg);
        prof(2, t);
    }

    if (refreshed || relayout)
        && let Some(root) = layer.get_untracked()
    {
        let links = pg
            .snap
            .try_with_untracked(assignment_links)
            .unwrap_or_default();
        st.layer.draw_links(&root, &links, &st.anchors);
    }

    if !(moved || refreshed || relayout) {
        return;
    }
    let Some(root) = layer.get_untracked() else {
        return;
    };
    let Some((now, msgs)) = pg.in_flight() else {
        return;
    };
    if msgs.is_empty() && st.layer_clear {
        return;
    }
    st.layer_clear = msgs.is_empty();
    let t = perf_now();
    let anchors = std::mem::take(&mut st.anchors);
    st.layer.draw(
        &root,
        &msgs,
        now as f64 + if playing { st.carry } else { 0.0 },
        &anchors,
        DrawOptions {
            reduced_motion: st.reduced_motion,
            show_heartbeats: pg.show_heartbeats.try_get_untracked().unwrap_or(true),
        },
    );
    st.anchors = anchors;
    prof(3, t);
}

/// How many record cells fit in a log row now, from the width of the first row.
fn fit_cells(pg: Pg) {
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
    let fit =
        (((width - ROW_RESERVED_PX) / CELL_PX).floor().max(0.0) as usize).clamp(3, RECORDS_PER_LOG);
    if pg.cells.try_get_untracked() != Some(fit) {
        pg.cells.set(fit);
    }
}
