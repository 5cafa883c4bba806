//! The engine as the page uses it, exported through one function, so that its weight in
//! the bundle can be measured alone (`scripts/size`).
#![cfg(target_arch = "wasm32")]

use kafka_sim::scenario::{Timeline, parse};
use kafka_sim::snapshot::RecordId;
use kafka_sim::{BrokerId, Command, SimOptions, SnapshotOptions};
use wasm_bindgen::prelude::wasm_bindgen;

/// Loads a scenario, plays it, acts on it and reads it back the ways the page does.
#[wasm_bindgen]
pub fn probe(text: &str, ms: u32) -> usize {
    let doc = match parse(text) {
        Ok(d) => d,
        Err(e) => return e.len(),
    };
    let Ok(mut t) = Timeline::new(doc, SimOptions::default()) else {
        return 0;
    };
    let _ = t.play_to_end();
    let _ = t.apply(Command::StopBroker(BrokerId(1)));
    let _ = t.advance(u64::from(ms));
    let _ = t.seek(u64::from(ms / 2));
    let snap = t.sim().snapshot_with(SnapshotOptions {
        records_per_log: 8,
        produced: 20,
    });
    let journey = t.sim().journey(RecordId(0)).map_or(0, |j| j.copies.len());
    let events = t.sim().trace().since(0).count();
    snap.topics.len() + journey + events + t.scenario_until_now().to_json().len()
}
