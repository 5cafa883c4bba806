//! A small live chart of a group's lag (the sum over its partitions of the engine's
//! `GroupSnapshot.lag`), sampled over simulated time into a bounded buffer.

use std::sync::Arc;

use leptos::prelude::*;

use crate::session::Session;
use crate::text::seconds;

/// The chart's coordinate space: whole numbers only, so no float formatting is needed.
const W: u64 = 2400;
const H: u64 = 440;

/// The lag chart of `group`.
#[component]
pub fn LagChart(session: Session, group: Arc<str>) -> impl IntoView {
    let g = group.clone();
    let points = Memo::new(move |_| {
        session.lag.with(|all| {
            all.iter()
                .find(|s| s.group == g)
                .map(|s| s.points.clone())
                .unwrap_or_default()
        })
    });
    let shape = move || {
        points.with(|p| {
            let (Some(first), Some(last)) = (p.first(), p.last()) else {
                return (String::new(), 0, 0, 0);
            };
            let max = p.iter().map(|(_, l)| *l).max().unwrap_or(0);
            let scale = max.max(1);
            let span = (last.0 - first.0).max(1);
            let mut d = String::new();
            for (i, (t, l)) in p.iter().enumerate() {
                let x = (*t - first.0) * W / span;
                let y = H - 20 - l.min(&scale) * (H - 60) / scale;
                d.push(if i == 0 { 'M' } else { 'L' });
                d.push_str(&x.to_string());
                d.push(' ');
                d.push_str(&y.to_string());
            }
            (d, last.1, max, last.0 - first.0)
        })
    };
    let label = {
        let group = group.clone();
        move || {
            let (_, now, max, span) = shape();
            format!(
                "Lag of group {group}: {now} now, at most {max} over the last {}",
                seconds(span)
            )
        }
    };
    view! {
        <figure class="lag">
            <svg
                viewBox=format!("0 0 {W} {H}")
                preserveAspectRatio="none"
                role="img"
                aria-label=label
            >
                <path class="lag-line" d=move || shape().0></path>
            </svg>
            <figcaption>
                "lag " <strong>{move || shape().1.to_string()}</strong>
                <span class="muted">{move || format!(" · peak {}", shape().2)}</span>
            </figcaption>
        </figure>
    }
}
