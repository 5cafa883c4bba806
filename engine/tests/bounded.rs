//! A long auto-produce keeps the simulation's own bookkeeping bounded: the event queue does
//! not fill with stale timers, and a copy of the simulation (what every timeline
//! checkpoint holds) does not grow with the records produced.
#![cfg(not(target_arch = "wasm32"))]

use kafka_sim::scenario::{Timeline, parse};
use kafka_sim::{SimOptions, SnapshotOptions};

const LOAD: &str = r#"{
  "version": 1, "seed": 7, "cluster": { "brokers": 4 },
  "topics": [{ "name": "orders", "partitions": 8, "replication_factor": 3,
               "config": { "min.insync.replicas": 2 } }],
  "producers": [
    { "id": "java", "client": "java", "config": { "acks": "all" } },
    { "id": "dotnet", "client": "dotnet", "config": { "acks": "all" } }
  ],
  "steps": [
    { "auto_produce": { "producer": "java", "topic": "orders", "rate_per_sec": 200, "keys": 8 } },
    { "auto_produce": { "producer": "dotnet", "topic": "orders", "rate_per_sec": 100 } },
    { "join_group": { "group": "billing", "consumer": "c1", "topics": ["orders"] } },
    { "join_group": { "group": "billing", "consumer": "c2", "topics": ["orders"],
                      "client": "dotnet", "config": { "auto.offset.reset": "earliest" } } }
  ]
}"#;

#[test]
fn the_event_queue_does_not_grow_with_time() {
    let doc = parse(LOAD).expect("valid");
    let mut t = Timeline::new(doc, SimOptions::default()).expect("runs");
    t.play_to_end().expect("set-up");
    let mut samples = Vec::new();
    for _ in 0..6 {
        // 40 s at a time, in the playback loop's 100 ms slices.
        for _ in 0..400 {
            t.advance(100).expect("advance");
        }
        samples.push(t.sim().pending_events());
    }
    // Per second: 300 records, ~24 follower fetches, two consumers, heartbeats. A timer per request
    // outliving its answer (30 s socket timeouts, 120 s delivery timeouts) would leave
    // thousands queued; what is pending stays a few per actor and partition.
    let most = *samples.iter().max().expect("samples");
    assert!(most < 600, "pending events per 40 s: {samples:?}");
    assert!(
        samples[5] <= samples[1] + 50,
        "pending events keep growing: {samples:?}"
    );
    let snap = t.sim().snapshot_with(SnapshotOptions {
        records_per_log: 0,
        produced: 0,
    });
    let committed: u64 = snap.topics[0]
        .partitions
        .iter()
        .map(|p| p.high_watermark.0)
        .sum();
    assert!(
        committed > 60_000,
        "the load ran: {committed} records committed"
    );
}
