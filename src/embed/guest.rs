//! A good guest on a course page: the stage scales to fit the frame (no scrollbar, every
//! broker inside), the playground pauses while it is scrolled out of view or its tab is
//! hidden and resumes where it was, and the frame tells its host how tall it would like
//! to be (`kafka-playground:height`, and Canvas LMS's `lti.frameResize`).

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::embed::host;
use crate::session::Session;

fn element(selector: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .query_selector(selector)
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}

/// Scales the stage to the frame and returns the height the frame would need to show
/// it at the frame's width without shrinking it further.
fn fit() -> Option<f64> {
    let w = web_sys::window()?;
    let stage = element(".embed .stage")?;
    let viewport = element(".embed-viewport")?;
    let size = |v: Result<JsValue, JsValue>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    let (frame_w, frame_h) = (size(w.inner_width()), size(w.inner_height()));
    let bar = element(".embed-bar").map_or(0.0, |b| f64::from(b.offset_height()));
    let notice = element(".embed-notice").map_or(0.0, |b| f64::from(b.offset_height()));
    // The stage's own size: transforms do not change layout.
    let (natural_w, natural_h) = (
        f64::from(stage.offset_width()).max(1.0),
        f64::from(stage.offset_height()).max(1.0),
    );
    let room_h = (frame_h - bar - notice).max(1.0);
    let by_width = (frame_w / natural_w).min(1.0);
    let scale = by_width.min(room_h / natural_h);
    let style = stage.style();
    // No float formatting: it would weigh several KB in the bundle.
    let mut transform = String::from("scale(");
    transform.push_str(&crate::text::fixed(scale, 4));
    transform.push(')');
    let _ = style.set_property("transform", &transform);
    let mut height = ((natural_h * scale).floor() as u32).to_string();
    height.push_str("px");
    let _ = viewport.style().set_property("height", &height);
    Some((bar + notice + natural_h * by_width).ceil())
}

/// Whether the frame is scrolled into view and its tab shown.
#[derive(Debug, Default)]
struct Seen {
    in_view: Cell<bool>,
    hidden: Cell<bool>,
    /// It was playing when it went out of sight.
    resume: Cell<bool>,
}

impl Seen {
    fn update(&self, session: Session) {
        let visible = self.in_view.get() && !self.hidden.get();
        if !visible && session.playing.get_untracked() {
            self.resume.set(true);
            session.pause();
        } else if visible && self.resume.replace(false) {
            session.playing.set(true);
        }
    }
}

/// Starts the guest behaviour for an embedded playground.
pub fn start(session: Session) {
    let Some(w) = web_sys::window() else {
        return;
    };
    let Some(doc) = w.document() else {
        return;
    };
    // Height: posted when it changes, as the frame's content height changes.
    let last = Rc::new(Cell::new(0u32));
    let refit = {
        let last = last.clone();
        move || {
            if let Some(h) = fit().map(|h| h as u32)
                && h != last.get()
            {
                last.set(h);
                host::post(&json!({ "type": "kafka-playground:height", "height": h }));
                host::post(&json!({ "subject": "lti.frameResize", "height": h }));
            }
        }
    };
    let on_resize = Closure::<dyn Fn()>::new(refit.clone());
    let _ = w.add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
    on_resize.forget();
    if let (Some(stage), Ok(observer)) = (
        element(".embed .stage"),
        web_sys::ResizeObserver::new(
            Closure::<dyn Fn()>::new(refit.clone())
                .into_js_value()
                .unchecked_ref(),
        ),
    ) {
        observer.observe(&stage);
    }
    refit();

    // Out of view or hidden: pause, and resume when back if it was playing.
    let seen = Rc::new(Seen {
        in_view: Cell::new(true),
        ..Seen::default()
    });
    seen.hidden.set(doc.hidden());
    let on_visibility = {
        let seen = seen.clone();
        let doc = doc.clone();
        Closure::<dyn Fn()>::new(move || {
            seen.hidden.set(doc.hidden());
            seen.update(session);
        })
    };
    let _ = doc.add_event_listener_with_callback(
        "visibilitychange",
        on_visibility.as_ref().unchecked_ref(),
    );
    on_visibility.forget();
    let on_intersect = {
        let seen = seen.clone();
        Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if let Some(e) = entries
                .iter()
                .last()
                .and_then(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
            {
                seen.in_view.set(e.is_intersecting());
                seen.update(session);
            }
        })
    };
    if let (Some(root), Ok(observer)) = (
        doc.document_element(),
        web_sys::IntersectionObserver::new(on_intersect.as_ref().unchecked_ref()),
    ) {
        observer.observe(&root);
    }
    on_intersect.forget();
}
