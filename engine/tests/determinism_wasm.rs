//! Determinism in the browser: the wasm build reproduces the digests of the native run,
//! so the same document gives byte-identical output on both targets.
#![cfg(target_arch = "wasm32")]

mod determinism;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn wasm_outputs_match_the_native_digests() {
    let outputs = determinism::all_outputs();
    assert_eq!(outputs.len(), determinism::SCENARIOS.len() + 2);
    for (name, out) in &outputs {
        assert_eq!(
            determinism::expected_digest(name),
            Some(determinism::fnv64(out).as_str()),
            "{name}: the wasm output differs from the native one"
        );
    }
}
