//! Long lists drawn a part per animation frame, so that a big cluster loaded from a link
//! never builds its whole picture in one task (issue 14: no task over 100 ms). The part
//! drawn grows each frame until it holds everything; a list that grows later fills in the
//! same way.

use leptos::prelude::*;

/// How many of `all()` items to draw now: `per_frame` at once, `per_frame` more each
/// animation frame after that.
pub fn drawn_in_frames(
    all: impl Fn() -> usize + Send + Sync + 'static,
    per_frame: usize,
) -> RwSignal<usize> {
    let drawn = RwSignal::new(0usize);
    Effect::new(move |_| {
        let (now, all) = (drawn.get(), all());
        if now < all {
            let next = now.saturating_add(per_frame.max(1)).min(all);
            if now == 0 {
                drawn.set(next);
            } else {
                // The list may be gone by the next frame: then nothing is set.
                request_animation_frame(move || {
                    let _ = drawn.try_set(next);
                });
            }
        }
    });
    drawn
}
