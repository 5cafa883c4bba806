//! Determinism, natively: the same document twice gives the same output, and every output
//! matches the committed digest that the wasm build must match too (`determinism_wasm.rs`).
//! After an intended change of behaviour, `BLESS=1 cargo test --test determinism_native`
//! rewrites the digests.
#![cfg(not(target_arch = "wasm32"))]

mod determinism;

use std::path::Path;

#[test]
fn the_same_document_twice_gives_byte_identical_output() {
    for (name, text) in determinism::SCENARIOS {
        assert_eq!(
            determinism::run_scenario(text),
            determinism::run_scenario(text),
            "{name} ran differently twice"
        );
    }
    assert_eq!(determinism::soak(), determinism::soak());
}

#[test]
fn every_scenario_file_is_a_determinism_case() {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).expect("read scenarios") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(&p, base, out);
            } else if p.extension().is_some_and(|x| x == "json")
                && !p.to_string_lossy().ends_with(".expect.json")
            {
                let rel = p.strip_prefix(base).expect("under scenarios/");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let mut files = Vec::new();
    walk(&base, &base, &mut files);
    for f in &files {
        assert!(
            determinism::SCENARIOS.iter().any(|(n, _)| n == f),
            "scenarios/{f} is missing from tests/determinism/mod.rs SCENARIOS"
        );
    }
}

#[test]
fn outputs_match_the_digests_the_wasm_build_also_checks() {
    let outputs = determinism::all_outputs();
    let lines: Vec<String> = outputs
        .iter()
        .map(|(n, o)| format!("{n} {}", determinism::fnv64(o)))
        .collect();
    if std::env::var_os("BLESS").is_some() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/determinism/digests.txt");
        std::fs::write(path, lines.join("\n") + "\n").expect("write digests");
        return;
    }
    for (name, out) in &outputs {
        assert_eq!(
            determinism::expected_digest(name),
            Some(determinism::fnv64(out).as_str()),
            "{name}: output changed; if intended, rerun with BLESS=1"
        );
    }
}
