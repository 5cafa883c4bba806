//! A consumer's position lives in its process: the snapshot shows positions for running
//! consumers only, so that a crashed consumer is not drawn still reading a partition.
#![cfg(not(target_arch = "wasm32"))]

use kafka_sim::SimOptions;
use kafka_sim::scenario::{Timeline, parse};
use kafka_sim::snapshot::ConsumerStatus;
use kafka_sim::snapshot::Snapshot;

const GROUP: &str = r#"{
  "version": 1, "seed": 11, "cluster": { "brokers": 3 },
  "topics": [{ "name": "orders", "partitions": 2, "replication_factor": 3 }],
  "producers": [{ "id": "p", "client": "java", "config": { "acks": "all" } }],
  "steps": [
    { "join_group": { "group": "billing", "consumer": "c1", "topics": ["orders"],
                      "config": { "auto.offset.reset": "earliest" } } },
    { "join_group": { "group": "billing", "consumer": "c2", "topics": ["orders"],
                      "config": { "auto.offset.reset": "earliest" } } },
    { "produce": { "producer": "p", "topic": "orders", "key": "a", "value": "1" } },
    { "produce": { "producer": "p", "topic": "orders", "key": "b", "value": "2" } },
    { "advance_ms": 8000 }
  ]
}"#;

/// `(status, partitions with a position)` of a group member.
fn member(snap: &Snapshot, name: &str) -> (ConsumerStatus, usize) {
    let m = snap.groups[0]
        .members
        .iter()
        .find(|m| &*m.consumer == name)
        .expect("the member");
    (m.status, m.positions.0.len())
}

#[test]
fn a_stopped_consumer_shows_no_position() {
    let mut t = Timeline::new(parse(GROUP).expect("valid"), SimOptions::default()).expect("runs");
    t.play_to_end().expect("plays");
    let before = t.sim().snapshot();
    let (s1, p1) = member(&before, "c1");
    let (s2, p2) = member(&before, "c2");
    assert_eq!((s1, s2), (ConsumerStatus::Running, ConsumerStatus::Running));
    assert_eq!(p1 + p2, 2, "the two partitions are being read");
    let reader = if p1 > 0 { "c1" } else { "c2" };

    t.apply(kafka_sim::Command::StopConsumer(reader.into()))
        .expect("it stops");
    let after = t.sim().snapshot();
    assert_eq!(member(&after, reader), (ConsumerStatus::Stopped, 0));
}
