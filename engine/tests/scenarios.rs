//! Every scenario under `scenarios/` runs with its expected outcome (`X.expect.json` beside
//! `X.json`), with the invariants checked after every delivered message, fired timer and
//! step, and twice to check that the same document gives the same output.

use std::path::{Path, PathBuf};

use kafka_sim::SimOptions;
use kafka_sim::invariants;
use kafka_sim::scenario::{self, Moment};
use serde_json::Value;

fn scenario_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
            .map(|e| e.expect("dir entry").path())
            .collect();
        entries.sort();
        for p in entries {
            // Lessons are scenarios with a `lesson` section: tests/lessons.rs runs them.
            if p.is_dir() && !p.ends_with("lessons") {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "json")
                && !p.to_string_lossy().ends_with(".expect.json")
            {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let mut out = Vec::new();
    walk(&root, &mut out);
    out
}

/// `expected` is contained in `actual`: objects by the keys `expected` names, arrays
/// element by element with the same length, anything else equal.
fn matches(expected: &Value, actual: &Value, path: &str, errors: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => matches(ev, av, &format!("{path}.{k}"), errors),
                    None => errors.push(format!("{path}.{k}: missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                errors.push(format!(
                    "{path}: expected {} entries, found {}: {}",
                    e.len(),
                    a.len(),
                    actual
                ));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                matches(ev, av, &format!("{path}[{i}]"), errors);
            }
        }
        _ if expected == actual => {}
        _ => errors.push(format!("{path}: expected {expected}, found {actual}")),
    }
}

fn contains_match(pattern: &Value, trace: &[Value]) -> bool {
    trace.iter().any(|e| {
        let mut errs = Vec::new();
        matches(pattern, e, "", &mut errs);
        errs.is_empty()
    })
}

fn options() -> SimOptions {
    SimOptions {
        trace_capacity: 1_000_000,
        records_kept_per_log: u64::MAX,
        produced_kept: usize::MAX,
        consumed_kept: usize::MAX,
        ..SimOptions::default()
    }
}

/// The options a scenario's expectation asks for: `"records_kept_per_log": N` runs it
/// with that display cap (the page's is `limits::PAGE_RECORDS_KEPT_PER_LOG`).
fn options_for(expect: &Value) -> SimOptions {
    let mut o = options();
    if let Some(n) = expect["records_kept_per_log"].as_u64() {
        o.records_kept_per_log = n;
    }
    o
}

fn check_scenario(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("read scenario");
    let expect_path = PathBuf::from(path.to_string_lossy().replace(".json", ".expect.json"));
    let expect: Value = match std::fs::read_to_string(&expect_path) {
        Ok(t) => serde_json::from_str(&t).expect("expect file is JSON"),
        Err(_) => return vec![format!("no {}", expect_path.display())],
    };
    let doc = match scenario::parse(&text) {
        Ok(d) => d,
        Err(e) => return e.iter().map(ToString::to_string).collect(),
    };
    let mut errors = Vec::new();
    let mut violations: Vec<String> = Vec::new();
    let mut checkpoints: Vec<(usize, Value)> = Vec::new();
    let wanted: Vec<usize> = expect["checkpoints"]
        .as_array()
        .map(|c| {
            c.iter()
                .filter_map(|c| c["after_step"].as_u64())
                .map(|n| n as usize)
                .collect()
        })
        .unwrap_or_default();
    let options = options_for(&expect);
    let run = scenario::run_observed(&doc, options, &mut |moment, sim| {
        if violations.len() < 5 {
            for v in invariants::check(sim) {
                violations.push(format!("at {} ms ({moment:?}): {v}", sim.now().0));
            }
        }
        if let Moment::AfterStep(i) = moment
            && wanted.contains(&i)
        {
            // The output as if the scenario ended here.
            let partial = scenario::Run {
                sim: sim.clone(),
                produced: Vec::new(),
            };
            let mut out =
                serde_json::to_value(scenario::run_output(&doc, &partial)).expect("serializes");
            out["produced"] = produced_so_far(sim);
            checkpoints.push((i, out));
        }
    })
    .expect("runs");
    errors.extend(violations);
    let output = serde_json::to_value(scenario::run_output(&doc, &run)).expect("serializes");
    matches(&expect["output"], &output, "output", &mut errors);
    for c in expect["checkpoints"].as_array().into_iter().flatten() {
        let step = c["after_step"].as_u64().expect("after_step") as usize;
        match checkpoints.iter().find(|(i, _)| *i == step) {
            Some((_, out)) => matches(
                &c["output"],
                out,
                &format!("after step {step}"),
                &mut errors,
            ),
            None => errors.push(format!("checkpoint after step {step}: no such step")),
        }
    }
    let trace: Vec<Value> = run
        .sim
        .trace()
        .entries()
        .map(|e| serde_json::to_value(e).expect("serializes"))
        .collect();
    for p in expect["trace_contains"].as_array().into_iter().flatten() {
        if !contains_match(p, &trace) {
            errors.push(format!("trace has no event like {p}"));
        }
    }
    for p in expect["trace_excludes"].as_array().into_iter().flatten() {
        if contains_match(p, &trace) {
            errors.push(format!("trace has an event like {p}, which it must not"));
        }
    }
    // The same document again, through the plain runner: byte-identical output.
    let again = scenario::run(&doc, options).expect("runs");
    let first = serde_json::to_string(&scenario::run_output(&doc, &run)).expect("json");
    let second = serde_json::to_string(&scenario::run_output(&doc, &again)).expect("json");
    if first != second {
        errors.push("two runs of the same document gave different outputs".into());
    }
    errors
}

/// The `produced` list of a simulation in progress, from its table.
fn produced_so_far(sim: &kafka_sim::Simulation) -> Value {
    Value::Array(
        sim.produced()
            .iter()
            .map(|r| {
                serde_json::json!({
                    "producer": r.producer, "topic": r.topic, "key": r.key, "value": r.value,
                    "partition": r.partition, "status": r.status, "offset": r.offset, "error": r.error,
                })
            })
            .collect(),
    )
}

#[test]
fn every_scenario_meets_its_expected_outcome() {
    let files = scenario_files();
    assert!(
        files.len() >= 7,
        "expected the scenario files, found {files:?}"
    );
    let mut failures = Vec::new();
    for f in &files {
        let errors = check_scenario(f);
        if !errors.is_empty() {
            failures.push(format!("{}:\n  {}", f.display(), errors.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_five_failure_scenarios_of_the_reference_are_present() {
    let names: Vec<String> = scenario_files()
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    for prefix in ["1-", "2-", "3a-", "3b-", "4-", "5-"] {
        assert!(
            names.iter().any(|n| n.starts_with(prefix)),
            "no failure scenario {prefix}* in {names:?}"
        );
    }
}

/// A run's output without record contents (keys and values), which is all the display
/// cap may change.
fn without_contents(mut out: Value) -> Value {
    for t in out["topics"].as_array_mut().into_iter().flatten() {
        for p in t["partitions"].as_array_mut().into_iter().flatten() {
            for l in p["logs"].as_array_mut().into_iter().flatten() {
                l["records"] = Value::Null;
            }
        }
    }
    for c in out["consumed"].as_array_mut().into_iter().flatten() {
        c["key"] = Value::Null;
        c["value"] = Value::Null;
    }
    out
}

#[test]
fn the_page_display_cap_changes_only_which_contents_are_kept() {
    let mut failures = Vec::new();
    for f in &scenario_files() {
        let text = std::fs::read_to_string(f).expect("read scenario");
        let doc = scenario::parse(&text).expect("valid scenario");
        let run = |cap: u64| {
            let o = SimOptions {
                records_kept_per_log: cap,
                ..options()
            };
            let run = scenario::run(&doc, o).expect("runs");
            without_contents(serde_json::to_value(scenario::run_output(&doc, &run)).expect("json"))
        };
        let (full, capped) = (
            run(u64::MAX),
            run(kafka_sim::limits::PAGE_RECORDS_KEPT_PER_LOG),
        );
        let mut errors = Vec::new();
        matches(&full, &capped, "output", &mut errors);
        if !errors.is_empty() {
            failures.push(format!("{}:\n  {}", f.display(), errors.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
