//! Replica placement against `tests/vectors/replica_assignment.json`: Kafka's
//! `AdminRackAwareTest.testReplicaAssignment` plus generated rack-unaware layouts with explicit
//! `startIndex`, `nextReplicaShift` and `startPartitionId`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use kafka_sim::placement::assign_replicas_rack_unaware;
use serde::Deserialize;

/// The algorithm this crate implements.
const RACK_UNAWARE: &str = "AdminUtils.assignReplicasToBrokers (rack-unaware)";
/// Algorithms the file also covers that the simulator does not model (yet); skipped by name so
/// that an unknown algorithm fails loudly instead of being skipped.
const NOT_MODELLED: [&str; 2] = [
    "AdminUtils.assignReplicasToBrokers (rack-aware)",
    "KRaft StripedReplicaPlacer (MockRandom(17))",
];

#[derive(Debug, Deserialize)]
struct Case {
    name: String,
    algorithm: String,
    input: serde_json::Value,
    expected: serde_json::Value,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RackUnawareInput {
    brokers: Vec<u32>,
    partitions: u32,
    replication_factor: u32,
    start_index: u32,
    next_replica_shift: u32,
    start_partition_id: u32,
}

fn read_cases() -> Vec<Case> {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "vectors",
        "replica_assignment.json",
    ]
    .iter()
    .collect();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()))
}

/// Runs every rack-unaware case, panicking on the first mismatch; returns (ran, skipped).
fn run_rack_unaware_cases() -> (usize, usize) {
    let mut ran = 0;
    let mut skipped = 0;
    for case in read_cases() {
        if NOT_MODELLED.contains(&case.algorithm.as_str()) {
            skipped += 1;
            continue;
        }
        assert_eq!(
            case.algorithm, RACK_UNAWARE,
            "unknown algorithm in case {:?}",
            case.name
        );
        let input: RackUnawareInput = serde_json::from_value(case.input.clone())
            .unwrap_or_else(|e| panic!("input of {:?}: {e}", case.name));
        let expected: BTreeMap<String, Vec<u32>> = serde_json::from_value(case.expected.clone())
            .unwrap_or_else(|e| panic!("expected of {:?}: {e}", case.name));
        let got = assign_replicas_rack_unaware(
            &input.brokers,
            input.partitions,
            input.replication_factor,
            input.start_index,
            input.next_replica_shift,
            input.start_partition_id,
        )
        .unwrap_or_else(|e| panic!("{:?} refused: {e}", case.name));
        assert_eq!(
            got.len(),
            expected.len(),
            "partition count of {:?}",
            case.name
        );
        for (i, replicas) in got.iter().enumerate() {
            let id = u64::from(input.start_partition_id) + i as u64;
            let want = expected
                .get(&id.to_string())
                .unwrap_or_else(|| panic!("{:?} has no partition {id}", case.name));
            assert_eq!(replicas, want, "partition {id} of {:?}", case.name);
        }
        ran += 1;
    }
    (ran, skipped)
}

#[test]
fn every_rack_unaware_case_matches_kafka() {
    run_rack_unaware_cases();
}

#[test]
fn ten_rack_unaware_cases_ran_and_three_other_algorithms_were_skipped() {
    // 1 AdminRackAwareTest case + 9 generated; 1 rack-aware + 2 StripedReplicaPlacer skipped.
    assert_eq!(run_rack_unaware_cases(), (10, 3));
}

#[test]
fn adding_partitions_continues_from_start_partition_id() {
    let case = read_cases()
        .into_iter()
        .find(|c| c.algorithm == RACK_UNAWARE && c.input["startPartitionId"] != 0)
        .expect("a case that adds partitions");
    let expected: BTreeMap<String, Vec<u32>> =
        serde_json::from_value(case.expected).expect("expected map");
    // The expectation is keyed by the new partition ids, not from 0.
    assert!(!expected.contains_key("0"), "{expected:?}");
    assert!(expected.contains_key("3"), "{expected:?}");
}
