//! The throughput workload shared by the native benchmark and its wasm build: produce
//! keyed records through RF 3 on 3 brokers and 12 partitions with acks=all, in chunks
//! with time passing between them, until every record is acknowledged.

use std::sync::Arc;

use kafka_sim::snapshot::ProduceStatus;
use kafka_sim::{
    Client, ClusterConfig, Command, ProducerConfig, ProducerSpec, Setup, SimOptions, Simulation,
    TopicSpec,
};

/// What a run did, to check that the work really happened.
#[derive(Debug)]
pub struct Outcome {
    /// Records handed to the producer.
    pub produced: u64,
    /// Records committed: the sum of the partitions' high watermarks.
    pub committed: u64,
    /// Simulated time at the end.
    pub sim_ms: u64,
}

/// Runs the workload with `records` records, `chunk` at a time.
pub fn run(records: u64, chunk: u64) -> Outcome {
    let setup = Setup {
        seed: 42,
        latency_ms: 1,
        brokers: 3,
        config: ClusterConfig::default(),
        topics: vec![TopicSpec {
            name: "bench".into(),
            partitions: 12,
            replication_factor: 3,
            min_insync_replicas: Some(2),
            unclean_leader_election_enable: None,
            replica_assignment: None,
        }],
        producers: vec![ProducerSpec {
            id: "p".into(),
            config: ProducerConfig::defaults(Client::Java),
        }],
    };
    // Display caps as the page uses them: a bounded trace, 1000 records per log.
    let mut sim = Simulation::new(&setup, SimOptions::default()).expect("valid setup");
    // 10,000 distinct keys and 1,000 distinct values, made once, as an application
    // reusing its strings would.
    let keys: Vec<Arc<str>> = (0..10_000).map(|i| format!("key-{i}").into()).collect();
    let values: Vec<Arc<str>> = (0..1_000).map(|i| format!("value-{i:06}").into()).collect();
    let (producer, topic) = (String::from("p"), String::from("bench"));
    let mut produced = 0u64;
    while produced < records {
        let n = chunk.min(records - produced);
        for i in produced..produced + n {
            sim.apply(Command::Produce {
                producer: producer.clone(),
                topic: topic.clone(),
                key: Some(keys[(i % 10_000) as usize].clone()),
                value: Some(values[(i % 1_000) as usize].clone()),
            })
            .expect("produce");
        }
        produced += n;
        sim.advance(20).expect("advance");
    }
    let mut waited = 0;
    let quick = kafka_sim::SnapshotOptions {
        records_per_log: 0,
        produced: 0,
    };
    while sim.snapshot_with(quick).producers[0].records_waiting > 0 && waited < 600_000 {
        sim.advance(100).expect("advance");
        waited += 100;
    }
    let snap = sim.snapshot_with(kafka_sim::SnapshotOptions {
        records_per_log: 0,
        produced: 1,
    });
    let committed = snap.topics[0]
        .partitions
        .iter()
        .map(|p| p.high_watermark.0)
        .sum();
    let last_acked = snap
        .produced
        .last()
        .is_some_and(|r| r.status == ProduceStatus::Acked);
    assert!(last_acked, "the last record was not acknowledged");
    Outcome {
        produced,
        committed,
        sim_ms: sim.now().0,
    }
}
