//! Runs every case of `tests/vectors/assignors.json` (expectations taken from Kafka's own tests
//! and javadoc) through [`kafka_sim::assignor::assign`].

use std::collections::BTreeMap;

use kafka_sim::assignor::{AssignmentInput, AssignorName, TopicPartition, assign};
use serde::Deserialize;

/// One case of the vector file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    assignor: AssignorName,
    #[allow(dead_code)]
    kind: String,
    #[allow(dead_code)]
    source: String,
    input: AssignmentInput,
    expected: BTreeMap<String, Vec<TopicPartition>>,
    order_matters: bool,
    #[serde(default)]
    partitions_transferring_ownership: Option<BTreeMap<TopicPartition, String>>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

fn vectors() -> &'static str {
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/assignors.json"
    ))
}

fn sorted(list: &[TopicPartition]) -> Vec<TopicPartition> {
    let mut list = list.to_vec();
    list.sort();
    list
}

/// Checks one case; returns a description of the mismatch, if any.
fn check(case: &Case) -> Result<(), String> {
    let out = assign(case.assignor, &case.input).map_err(|e| format!("error: {e}"))?;
    let members: Vec<&String> = out.assignment.keys().collect();
    let expected_members: Vec<&String> = case.expected.keys().collect();
    if members != expected_members {
        return Err(format!(
            "members {members:?}, expected {expected_members:?}"
        ));
    }
    for (member, expected) in &case.expected {
        let got = &out.assignment[member];
        let same = if case.order_matters {
            got == expected
        } else {
            sorted(got) == sorted(expected)
        };
        if !same {
            return Err(format!("{member}: got {got:?}, expected {expected:?}"));
        }
    }
    if let Some(expected) = &case.partitions_transferring_ownership
        && &out.partitions_transferring_ownership != expected
    {
        return Err(format!(
            "partitions_transferring_ownership: got {:?}, expected {expected:?}",
            out.partitions_transferring_ownership
        ));
    }
    Ok(())
}

#[test]
fn every_assignor_vector_matches_kafka() {
    let raw: Vec<serde_json::Value> = serde_json::from_str(vectors()).expect("vector file is JSON");
    let cases: Vec<Case> = serde_json::from_str(vectors()).expect("every case parses");
    assert_eq!(cases.len(), raw.len());

    let mut ran = 0;
    let mut failures = Vec::new();
    for case in &cases {
        ran += 1;
        if let Err(why) = check(case) {
            failures.push(format!("{} [{}]: {why}", case.name, case.assignor));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(ran, raw.len(), "every case in the file ran");
}

#[test]
fn vectors_cover_all_four_assignors() {
    let cases: Vec<Case> = serde_json::from_str(vectors()).expect("every case parses");
    for assignor in AssignorName::ALL {
        assert!(
            cases.iter().any(|c| c.assignor == assignor),
            "no vector for {assignor}"
        );
    }
}
