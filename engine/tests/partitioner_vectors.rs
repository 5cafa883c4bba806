//! The partitioner against the shared test vectors (`tests/vectors/murmur2.json`, `crc32.json`),
//! whose expectations come from Kafka's `UtilsTest`, librdkafka's `rdmurmur2.c` and
//! `tests/0048-partitioner.c`, plus generated keys checked by an independent port.

use std::path::PathBuf;

use kafka_sim::Client;
use kafka_sim::partitioner::{
    PartitionChoice, Partitioner, PartitionerState, StickySettings, TopicView, crc32, murmur2,
    to_positive,
};
use kafka_sim::rng::SimRng;
use serde::Deserialize;

/// One entry of `murmur2.json`.
#[derive(Debug, Deserialize)]
struct Murmur2Vector {
    key: String,
    key_utf8_hex: String,
    partitions: u32,
    partition: u32,
    hash: i32,
    positive: u32,
    source: String,
}

/// One entry of `crc32.json`; `partition` is null for "random" under `consistent_random`.
#[derive(Debug, Deserialize)]
struct Crc32Vector {
    key: String,
    key_utf8_hex: String,
    partitions: u32,
    partition: Option<u32>,
    hash: u32,
    partitioner: String,
}

fn read_vectors<T: for<'de> Deserialize<'de>>(name: &str) -> Vec<T> {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "vectors", name]
        .iter()
        .collect();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("cannot parse {}: {e}", path.display()))
}

fn decode_hex(hex: &str) -> Vec<u8> {
    assert!(hex.len().is_multiple_of(2), "odd hex length: {hex}");
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex digit"))
        .collect()
}

/// Key bytes from the hex field, cross-checked against the UTF-8 of `key`.
fn key_bytes(key: &str, hex: &str) -> Vec<u8> {
    let bytes = decode_hex(hex);
    assert_eq!(
        bytes,
        key.as_bytes(),
        "key_utf8_hex disagrees with key {key:?}"
    );
    bytes
}

fn all(n: u32) -> Vec<u32> {
    (0..n).collect()
}

/// One choice by a fresh producer state, at time 0.
fn choose_once(
    partitioner: Partitioner,
    key: Option<&[u8]>,
    partitions: u32,
    settings: &StickySettings,
) -> PartitionChoice {
    let avail = all(partitions);
    let view = TopicView::new(partitions, &avail);
    let mut rng = SimRng::stream(2024, "producer:vectors");
    PartitionerState::default().choose(
        partitioner,
        "vectors",
        key,
        record_size(key),
        &view,
        settings,
        0,
        &mut rng,
    )
}

fn record_size(key: Option<&[u8]>) -> u32 {
    kafka_sim::partitioner::record_size_in_bytes(key, Some(b"value"))
}

#[test]
fn every_murmur2_vector_matches_hash_positive_and_partition() {
    let vectors: Vec<Murmur2Vector> = read_vectors("murmur2.json");
    assert_eq!(vectors.len(), 76, "murmur2.json should hold 76 entries");
    for v in &vectors {
        let bytes = key_bytes(&v.key, &v.key_utf8_hex);
        let ctx = format!(
            "key {:?} / {} partitions ({})",
            v.key, v.partitions, v.source
        );
        assert_eq!(murmur2(&bytes), v.hash, "hash of {ctx}");
        assert_eq!(to_positive(v.hash), v.positive, "positive of {ctx}");
        let expected = PartitionChoice::Murmur2 {
            hash: v.hash,
            positive: v.positive,
            partitions: v.partitions,
            partition: v.partition,
        };
        // Java's default and both librdkafka murmur2 partitioners hash a present key alike,
        // the empty key included.
        for p in [
            Partitioner::JavaBuiltIn,
            Partitioner::Murmur2Random,
            Partitioner::Murmur2,
        ] {
            for settings in [
                StickySettings::java_default(),
                StickySettings::dotnet_default(),
            ] {
                let got = choose_once(p, Some(&bytes), v.partitions, &settings);
                assert_eq!(got, expected, "{p} for {ctx}");
            }
        }
    }
}

#[test]
fn every_crc32_vector_matches_hash_and_partition() {
    let vectors: Vec<Crc32Vector> = read_vectors("crc32.json");
    assert_eq!(vectors.len(), 35, "crc32.json should hold 35 entries");
    let settings = StickySettings::dotnet_default();
    let mut random_entries = 0;
    let mut consistent_entries = 0;
    for v in &vectors {
        let bytes = key_bytes(&v.key, &v.key_utf8_hex);
        let ctx = format!(
            "key {:?} / {} partitions ({})",
            v.key, v.partitions, v.partitioner
        );
        assert_eq!(crc32(&bytes), v.hash, "hash of {ctx}");
        match (v.partitioner.as_str(), v.partition) {
            ("consistent_random", Some(partition)) => {
                let got = choose_once(
                    Partitioner::ConsistentRandom,
                    Some(&bytes),
                    v.partitions,
                    &settings,
                );
                let expected = PartitionChoice::Crc32 {
                    hash: v.hash,
                    partitions: v.partitions,
                    partition,
                };
                assert_eq!(got, expected, "{ctx}");
                // `consistent` agrees for a non-empty key.
                let got = choose_once(
                    Partitioner::Consistent,
                    Some(&bytes),
                    v.partitions,
                    &settings,
                );
                assert_eq!(got, expected, "consistent for {ctx}");
            }
            ("consistent_random", None) => {
                random_entries += 1;
                assert!(bytes.is_empty(), "only the empty key is random: {ctx}");
                for key in [Some(&bytes[..]), None] {
                    let sticky =
                        choose_once(Partitioner::ConsistentRandom, key, v.partitions, &settings);
                    assert!(
                        matches!(sticky, PartitionChoice::Sticky { .. }),
                        "{ctx} with key {key:?}: {sticky:?}"
                    );
                    assert!(sticky.partition() < v.partitions);
                    let no_linger = StickySettings {
                        sticky_linger_ms: 0,
                        ..settings
                    };
                    let random =
                        choose_once(Partitioner::ConsistentRandom, key, v.partitions, &no_linger);
                    assert!(
                        matches!(random, PartitionChoice::Random { .. }),
                        "{ctx} with key {key:?} and no stickiness: {random:?}"
                    );
                    assert!(random.partition() < v.partitions);
                }
            }
            ("consistent", Some(partition)) => {
                consistent_entries += 1;
                assert_eq!(partition, 0, "{ctx}");
                let expected = PartitionChoice::Crc32 {
                    hash: v.hash,
                    partitions: v.partitions,
                    partition,
                };
                // Both the empty key and a missing key hash as crc32("") = 0.
                for key in [Some(&bytes[..]), None] {
                    let got = choose_once(Partitioner::Consistent, key, v.partitions, &settings);
                    assert_eq!(got, expected, "{ctx} with key {key:?}");
                }
            }
            (other, partition) => panic!("unexpected entry {other:?} / {partition:?} for {ctx}"),
        }
    }
    assert_eq!(random_entries, 2, "random (null) crc32 entries");
    assert_eq!(consistent_entries, 2, "consistent crc32 entries");
}

#[test]
fn java_and_dotnet_defaults_disagree_for_the_same_key() {
    // kafka-reference.md §1b: key, partitions, Java partition, .NET default partition.
    let table: [(&str, u32, u32, u32); 3] = [
        ("user-42", 6, 4, 1),
        ("order-1001", 10, 8, 1),
        ("ключ", 5, 4, 3),
    ];
    for (key, partitions, java, dotnet) in table {
        let java_choice = choose_once(
            Partitioner::default_for(Client::Java),
            Some(key.as_bytes()),
            partitions,
            &StickySettings::java_default(),
        );
        let dotnet_choice = choose_once(
            Partitioner::default_for(Client::Dotnet),
            Some(key.as_bytes()),
            partitions,
            &StickySettings::dotnet_default(),
        );
        assert!(matches!(java_choice, PartitionChoice::Murmur2 { .. }));
        assert!(matches!(dotnet_choice, PartitionChoice::Crc32 { .. }));
        assert_eq!(java_choice.partition(), java, "java for {key}");
        assert_eq!(dotnet_choice.partition(), dotnet, "dotnet for {key}");
        // A .NET producer set to murmur2_random matches Java.
        let aligned = choose_once(
            Partitioner::Murmur2Random,
            Some(key.as_bytes()),
            partitions,
            &StickySettings::dotnet_default(),
        );
        assert_eq!(aligned, java_choice, "murmur2_random for {key}");
    }
    // Some keys agree: "key" with 3 partitions is 1 for both.
    let java = choose_once(
        Partitioner::JavaBuiltIn,
        Some(b"key"),
        3,
        &StickySettings::java_default(),
    );
    let dotnet = choose_once(
        Partitioner::ConsistentRandom,
        Some(b"key"),
        3,
        &StickySettings::dotnet_default(),
    );
    assert_eq!((java.partition(), dotnet.partition()), (1, 1));
}

#[test]
fn java_keyless_records_switch_after_batch_size_bytes() {
    let avail = all(12);
    let view = TopicView::new(12, &avail);
    let settings = StickySettings::java_default();
    let mut state = PartitionerState::default();
    let mut rng = SimRng::stream(99, "producer:java");
    let value = [b'x'; 1000];
    let size = kafka_sim::partitioner::record_size_in_bytes(None, Some(&value));
    // 1000-byte values: 1009 bytes each; 16 records make 16144 < 16384, the 17th crosses it.
    assert_eq!(size, 1009);
    let partitions: Vec<u32> = (0..17 * 6)
        .map(|_| {
            state
                .choose(
                    Partitioner::JavaBuiltIn,
                    "logs",
                    None,
                    size,
                    &view,
                    &settings,
                    0,
                    &mut rng,
                )
                .partition()
        })
        .collect();
    for run in partitions.chunks(17) {
        assert!(
            run.iter().all(|&p| p == run[0]),
            "one partition per 17 records: {run:?}"
        );
    }
    // Over six runs of a 12-partition topic, the draws do not all repeat the same partition.
    assert!(
        partitions.iter().any(|&p| p != partitions[0]),
        "{partitions:?}"
    );
}

#[test]
fn librdkafka_keyless_records_switch_after_the_linger_time() {
    let avail = all(50);
    let view = TopicView::new(50, &avail);
    let settings = StickySettings::dotnet_default();
    let mut state = PartitionerState::default();
    let mut rng = SimRng::stream(99, "producer:dotnet");
    // A record every millisecond: the sticky partition is drawn at 0, 11, 22, ...
    let partitions: Vec<u32> = (0..110u64)
        .map(|now| {
            state
                .choose(
                    Partitioner::ConsistentRandom,
                    "logs",
                    None,
                    50,
                    &view,
                    &settings,
                    now,
                    &mut rng,
                )
                .partition()
        })
        .collect();
    for run in partitions.chunks(11) {
        assert!(
            run.iter().all(|&p| p == run[0]),
            "one partition per 11 ms: {run:?}"
        );
    }
    assert!(
        partitions.iter().any(|&p| p != partitions[0]),
        "{partitions:?}"
    );
}

#[test]
fn round_robin_cycles_0_1_2_over_available_partitions() {
    let avail = all(3);
    let view = TopicView::new(3, &avail);
    let mut state = PartitionerState::default();
    let mut rng = SimRng::stream(1, "producer:rr");
    let got: Vec<u32> = (0..6)
        .map(|_| {
            state
                .choose(
                    Partitioner::RoundRobin,
                    "t",
                    Some(b"ignored"),
                    10,
                    &view,
                    &StickySettings::java_default(),
                    0,
                    &mut rng,
                )
                .partition()
        })
        .collect();
    assert_eq!(got, vec![0, 1, 2, 0, 1, 2]);
}

#[test]
fn a_fixed_seed_gives_the_same_partitions_every_run() {
    let run = || -> Vec<PartitionChoice> {
        let avail = all(8);
        let view = TopicView::new(8, &avail);
        let mut state = PartitionerState::default();
        let mut rng = SimRng::stream(7, "producer:web-api");
        let keys: [Option<&[u8]>; 4] = [None, Some(b""), Some(b"user-42"), None];
        let mut out = Vec::new();
        for (i, p) in Partitioner::ALL.into_iter().enumerate() {
            for (j, key) in keys.iter().enumerate() {
                for step in 0..25u64 {
                    let now = step * 3 + (i + j) as u64;
                    out.push(state.choose(
                        p,
                        "orders",
                        *key,
                        4000,
                        &view,
                        &StickySettings::java_default(),
                        now,
                        &mut rng,
                    ));
                }
            }
        }
        out
    };
    assert_eq!(run(), run());
}
