//! Replica placement against `tests/vectors/replica_assignment.json`: the single-rack cases
//! of Kafka's `StripedReplicaPlacerTest` (with its `MockRandom`, seed 17) and layouts
//! computed by running Kafka 4.4.0's `StripedReplicaPlacer` with the same generator from
//! other seeds. The placer draws through `PlacementRandom`; here that is `java.util.Random`'s
//! `nextInt(bound)` over `MockRandom`'s `next(bits)`, so the draws are Kafka's, bit for bit.

use std::collections::BTreeMap;
use std::path::PathBuf;

use kafka_sim::placement::{PlacementRandom, UsableBroker, place_replicas};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Case {
    name: String,
    algorithm: String,
    input: Input,
    expected: Option<Vec<Vec<u32>>>,
    expected_counts: Option<BTreeMap<String, u32>>,
    expected_error: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Input {
    seed: Option<u64>,
    usable_brokers: Vec<Broker>,
    partitions: u32,
    replication_factor: u32,
}

#[derive(Debug, Deserialize)]
struct Broker {
    id: u32,
    rack: Option<String>,
    fenced: bool,
}

/// `org.apache.kafka.server.util.MockRandom` (server-common tests): a 64-bit LCG behind
/// `java.util.Random`'s `nextInt(bound)`.
struct MockRandom {
    state: u64,
}

impl MockRandom {
    /// `MockRandom.next(bits)`.
    fn next(&mut self, bits: u32) -> i32 {
        self.state = self
            .state
            .wrapping_mul(2862933555777941757)
            .wrapping_add(3037000493);
        (self.state >> (64 - bits)) as i32
    }
}

impl PlacementRandom for MockRandom {
    /// `java.util.Random.nextInt(int bound)`.
    fn next_int(&mut self, bound: u32) -> u32 {
        let bound = bound as i32;
        let mut r = self.next(31);
        let m = bound - 1;
        if bound & m == 0 {
            r = ((i64::from(bound) * i64::from(r)) >> 31) as i32;
        } else {
            let mut u = r;
            loop {
                r = u % bound;
                if u.wrapping_sub(r).wrapping_add(m) >= 0 {
                    break;
                }
                u = self.next(31);
            }
        }
        r as u32
    }
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

#[test]
fn striped_replica_placement_matches_kafkas() {
    let cases = read_cases();
    assert!(
        cases.len() >= 10,
        "expected the vectors, found {}",
        cases.len()
    );
    for case in cases {
        assert!(
            case.algorithm
                .starts_with("KRaft StripedReplicaPlacer (MockRandom("),
            "{}: an algorithm this crate does not implement: {}",
            case.name,
            case.algorithm
        );
        let racks: Vec<&Option<String>> =
            case.input.usable_brokers.iter().map(|b| &b.rack).collect();
        assert!(
            racks.windows(2).all(|w| w[0] == w[1]),
            "{}: the engine places without racks; a case with several racks does not apply",
            case.name
        );
        let brokers: Vec<UsableBroker> = case
            .input
            .usable_brokers
            .iter()
            .map(|b| UsableBroker {
                id: b.id,
                fenced: b.fenced,
            })
            .collect();
        let mut random = MockRandom {
            state: case.input.seed.unwrap_or(17),
        };
        let got = place_replicas(
            &mut random,
            &brokers,
            case.input.partitions,
            case.input.replication_factor,
        );
        match (&case.expected, &case.expected_counts, &case.expected_error) {
            (Some(expected), None, None) => {
                assert_eq!(got.as_ref(), Ok(expected), "{}", case.name);
            }
            (None, Some(counts), None) => {
                let mut got_counts: BTreeMap<String, u32> = BTreeMap::new();
                for replicas in got.unwrap_or_else(|e| panic!("{}: {e}", case.name)) {
                    let key = replicas
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(",");
                    *got_counts.entry(key).or_default() += 1;
                }
                assert_eq!(&got_counts, counts, "{}", case.name);
            }
            (None, None, Some(message)) => {
                let err = got.expect_err(&case.name);
                assert_eq!(&err.to_string(), message, "{}", case.name);
            }
            _ => panic!("{}: needs exactly one expectation", case.name),
        }
    }
}
