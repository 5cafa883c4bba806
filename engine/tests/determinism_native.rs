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

/// What the display cap may not change: per partition its registration and each replica's
/// log end, high watermark and where each leader epoch starts in it.
fn log_structure(sim: &kafka_sim::Simulation) -> Vec<String> {
    let mut out = Vec::new();
    for (tp, st) in sim.controller().partitions() {
        out.push(format!("{tp:?} {st:?}"));
        for b in &st.replicas {
            let log = sim
                .broker(*b)
                .and_then(|br| br.replica(*tp))
                .map(|r| r.log())
                .expect("a replica on each assigned broker");
            out.push(format!(
                "{tp:?}@{b}: leo {} hw {} epochs {:?}",
                log.log_end_offset(),
                log.high_watermark(),
                log.epochs()
            ));
        }
    }
    out
}

#[test]
fn the_load_soak_under_the_page_cap_heals_and_matches_the_uncapped_run() {
    let capped = determinism::load_soak(kafka_sim::limits::PAGE_RECORDS_KEPT_PER_LOG);
    let merged = capped
        .brokers()
        .iter()
        .flat_map(|b| {
            capped
                .controller()
                .partitions()
                .filter_map(|(tp, _)| b.replica(*tp))
        })
        .any(|r| r.log().merged_runs() > 0);
    assert!(
        merged,
        "the soak is long enough for logs to merge old batches"
    );
    for (tp, st) in capped.controller().partitions() {
        assert_eq!(st.isr.len(), 3, "{tp:?} did not heal: {st:?}");
        let leo = st
            .leader
            .and_then(|l| capped.broker(l))
            .and_then(|b| b.log_end_offset(*tp));
        for b in &st.replicas {
            let log = capped
                .broker(*b)
                .and_then(|br| br.replica(*tp))
                .map(|r| r.log());
            assert_eq!(
                log.map(|l| l.log_end_offset()),
                leo,
                "broker {b} behind on {tp:?}"
            );
            assert_eq!(
                log.map(|l| l.high_watermark()),
                leo,
                "broker {b}'s high watermark on {tp:?}"
            );
        }
    }
    let full = determinism::load_soak(u64::MAX);
    assert_eq!(log_structure(&capped), log_structure(&full));
    let outcomes = |s: &kafka_sim::Simulation| {
        s.produced()
            .iter()
            .map(|r| (r.record, r.status, r.partition, r.offset, r.error))
            .collect::<Vec<_>>()
    };
    assert_eq!(outcomes(&capped), outcomes(&full));
}
