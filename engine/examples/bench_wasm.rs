//! The throughput workload for wasm: `scripts/bench` builds this with wasm-bindgen and runs
//! it in Node (V8, the engine of Chromium) to compare with the native benchmark.
#![cfg(target_arch = "wasm32")]

#[path = "../benches/workload.rs"]
mod workload;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::wasm_bindgen;

/// Runs the workload; returns "records seconds memory_bytes simulated_ms".
#[wasm_bindgen]
pub fn run_bench(records: u32) -> String {
    let start = js_sys::Date::now();
    let outcome = workload::run(u64::from(records), 10_000);
    let secs = (js_sys::Date::now() - start) / 1000.0;
    assert_eq!(outcome.produced, u64::from(records));
    assert_eq!(outcome.committed, u64::from(records));
    let memory = wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            m.buffer()
                .dyn_into::<js_sys::ArrayBuffer>()
                .map(|b| b.byte_length())
                .unwrap_or(0)
        })
        .unwrap_or(0);
    format!("{records} {secs} {memory} {}", outcome.sim_ms)
}
