//! Determinism, natively: the same document twice gives the same output, and every output
//! matches the committed digest that the wasm build must match too (`determinism_wasm.rs`).
//! After an intended change of behaviour, `BLESS=1 cargo test --test determinism_native`
//! rewrites the digests.
#![cfg(not(target_arch = "wasm32"))]

mod determinism;

use std::path::Path;

use kafka_sim::inspect;

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
            // Lessons are scenarios with a `lesson` section: tests/lessons.rs runs them.
            if p.is_dir() && !p.ends_with("lessons") {
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

#[test]
fn the_load_soak_under_the_page_cap_heals_and_matches_the_uncapped_run() {
    let capped = determinism::load_soak(kafka_sim::limits::PAGE_RECORDS_KEPT_PER_LOG);
    assert!(
        inspect::merged_runs(&capped) > 0,
        "the soak is long enough for logs to merge old batches"
    );
    let snap = capped.snapshot();
    for t in &snap.topics {
        for p in &t.partitions {
            let tp = format!("{}-{}", t.name, p.partition);
            assert_eq!(p.isr.len(), 3, "{tp} did not heal: {p:?}");
            let leader = p.leader.expect("a leader after healing");
            let leo = p
                .logs
                .iter()
                .find(|l| l.broker == leader)
                .map(|l| l.log_end_offset);
            for log in &p.logs {
                assert_eq!(
                    Some(log.log_end_offset),
                    leo,
                    "broker {} behind on {tp}",
                    log.broker
                );
                assert_eq!(
                    Some(log.high_watermark),
                    leo,
                    "broker {}'s high watermark on {tp}",
                    log.broker
                );
            }
        }
    }
    let full = determinism::load_soak(u64::MAX);
    assert_eq!(
        inspect::log_structure(&capped),
        inspect::log_structure(&full)
    );
    let outcomes = |s: &kafka_sim::Simulation| {
        s.produced()
            .iter()
            .map(|r| (r.record, r.status, r.partition, r.offset, r.error))
            .collect::<Vec<_>>()
    };
    assert_eq!(outcomes(&capped), outcomes(&full));
}
