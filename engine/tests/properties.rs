//! Property tests: random crash and restart schedules never lose an acknowledged record
//! under safe settings, every replica converges once the cluster heals, invariants hold
//! after every step, and random documents never panic the validator.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use kafka_sim::inspect;
use kafka_sim::invariants;
use kafka_sim::snapshot::ProduceStatus;
use kafka_sim::snapshot::RecordId;
use kafka_sim::snapshot::{BrokerStatus, Snapshot};
use kafka_sim::{Acks, ProducerConfig};
use kafka_sim::{BrokerId, Offset, PartitionId};
use kafka_sim::{
    Client, ClusterConfig, Command, ProducerSpec, Setup, SimOptions, Simulation, TopicSpec,
};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Action {
    Produce { producer: usize, key: Option<u8> },
    Advance(u64),
    Stop(u32),
    Start(u32),
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => (0usize..2, proptest::option::of(0u8..8)).prop_map(|(producer, key)| Action::Produce { producer, key }),
        3 => (1u64..4_000).prop_map(Action::Advance),
        1 => (1u32..=3).prop_map(Action::Stop),
        1 => (1u32..=3).prop_map(Action::Start),
    ]
}

fn safe_setup(seed: u64) -> Setup {
    let producer = |id: &str, client| {
        let mut config = ProducerConfig::defaults(client);
        config.acks = Acks::All;
        ProducerSpec {
            id: id.into(),
            config,
        }
    };
    Setup {
        seed,
        latency_ms: 10,
        brokers: 3,
        config: ClusterConfig::default(),
        topics: vec![TopicSpec {
            name: "t".into(),
            partitions: 3,
            replication_factor: 3,
            min_insync_replicas: Some(2),
            unclean_leader_election_enable: Some(false),
            replica_assignment: None,
        }],
        // An idempotent Java producer and a non-idempotent .NET one (which may duplicate
        // on retry, but must not lose an acknowledged record either).
        producers: vec![
            producer("java", Client::Java),
            producer("dotnet", Client::Dotnet),
        ],
    }
}

fn options() -> SimOptions {
    SimOptions {
        trace_capacity: 0,
        records_kept_per_log: u64::MAX,
        produced_kept: usize::MAX,
        consumed_kept: usize::MAX,
        ..SimOptions::default()
    }
}

fn check_invariants(sim: &Simulation) -> Result<(), TestCaseError> {
    let v = invariants::check(sim);
    prop_assert!(v.is_empty(), "at {} ms: {:?}", sim.now().0, v);
    Ok(())
}

fn advance_checked(sim: &mut Simulation, ms: u64) -> Result<(), TestCaseError> {
    let target = sim.now().0 + ms;
    // A livelock (actors waking each other at one instant forever) would hang the page:
    // no instant needs anywhere near this many deliveries.
    let (mut instant, mut at_instant) = (u64::MAX, 0u32);
    while sim.next_event_time().is_some_and(|t| t.0 <= target) {
        let t = sim.step().map_or(0, |t| t.0);
        if t == instant {
            at_instant += 1;
            prop_assert!(at_instant < 20_000, "livelock at {} ms", t);
        } else {
            (instant, at_instant) = (t, 0);
        }
        check_invariants(sim)?;
    }
    sim.advance(target - sim.now().0)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    Ok(())
}

/// What each replica of a partition holds: (offset, epoch, record) per record.
fn log_of(sim: &Simulation, b: BrokerId, p: u32) -> Vec<(Offset, u32, Option<RecordId>)> {
    inspect::replica_log(sim, b, "t", p)
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.offset, e.leader_epoch.0, e.record))
        .collect()
}

/// Whether broker `b` runs.
fn running(snap: &Snapshot, b: u32) -> bool {
    snap.brokers
        .iter()
        .any(|x| x.id == BrokerId(b) && x.status == BrokerStatus::Running)
}

/// A schedule under load: auto-produce switched on and off (thousands of small batches,
/// so that logs under the page's display cap merge old batches into runs), crashes and
/// restarts.
#[derive(Clone, Debug)]
enum Load {
    Auto {
        producer: usize,
        rate: u32,
        keys: u32,
    },
    Advance(u64),
    Stop(u32),
    Start(u32),
}

fn load_action() -> impl Strategy<Value = Load> {
    prop_oneof![
        2 => (0usize..2, 0u32..400, prop_oneof![Just(0u32), Just(8u32)])
            .prop_map(|(producer, rate, keys)| Load::Auto { producer, rate, keys }),
        4 => (1u64..4_000).prop_map(Load::Advance),
        1 => (1u32..=3).prop_map(Load::Stop),
        1 => (1u32..=3).prop_map(Load::Start),
    ]
}

/// Runs `actions` with `records_kept_per_log`, then stops producing, heals and settles.
fn run_load(
    seed: u64,
    actions: &[Load],
    records_kept_per_log: u64,
) -> Result<Simulation, TestCaseError> {
    let options = SimOptions {
        records_kept_per_log,
        ..options()
    };
    let mut sim = Simulation::new(&safe_setup(seed), options).expect("valid setup");
    let mut config = kafka_sim::ConsumerConfig::defaults(Client::Java);
    config.auto_offset_reset = kafka_sim::OffsetReset::Earliest;
    sim.apply(Command::JoinGroup {
        group: "g".into(),
        consumer: "c".into(),
        topics: vec!["t".into()],
        config,
    })
    .expect("join");
    let producers = ["java", "dotnet"];
    for a in actions {
        match a {
            Load::Auto {
                producer,
                rate,
                keys,
            } => {
                sim.apply(Command::AutoProduce {
                    producer: producers[*producer].into(),
                    topic: "t".into(),
                    rate_per_sec: *rate,
                    keys: *keys,
                })
                .expect("auto-produce is valid");
            }
            Load::Advance(ms) => sim
                .advance(*ms)
                .map_err(|e| TestCaseError::fail(e.to_string()))?,
            Load::Stop(b) => {
                let _ = sim.apply(Command::StopBroker(BrokerId(*b)));
            }
            Load::Start(b) => {
                let _ = sim.apply(Command::StartBroker(BrokerId(*b)));
            }
        }
        check_invariants(&sim)?;
    }
    for producer in producers {
        sim.apply(Command::AutoProduce {
            producer: producer.into(),
            topic: "t".into(),
            rate_per_sec: 0,
            keys: 0,
        })
        .expect("stop auto-produce");
    }
    for b in 1..=3 {
        let _ = sim.apply(Command::StartBroker(BrokerId(b)));
    }
    sim.advance(400_000)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    check_invariants(&sim)?;
    Ok(sim)
}

/// Everything about a run but record contents: per partition its registration and each
/// replica's offsets, epochs, log end and high watermark; every produced record's
/// outcome; every delivery's place.
fn structure(sim: &Simulation) -> Vec<String> {
    let mut out = inspect::log_structure(sim);
    for r in sim.produced().iter() {
        out.push(format!(
            "{:?} {:?} {:?} {:?} {:?}",
            r.record, r.status, r.partition, r.offset, r.error
        ));
    }
    for c in sim.consumed().iter() {
        out.push(format!("{} {} {}", c.consumer, c.partition, c.offset));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, .. ProptestConfig::default() })]

    /// The page keeps 48 record contents per log; the cap may change which contents are
    /// kept and nothing else, and under it every replica still catches up after healing.
    #[test]
    fn under_the_page_display_cap_replicas_converge_and_nothing_else_changes(
        seed in any::<u64>(),
        actions in proptest::collection::vec(load_action(), 10..40),
    ) {
        let capped = run_load(seed, &actions, kafka_sim::limits::PAGE_RECORDS_KEPT_PER_LOG)?;
        let snap = capped.snapshot();
        for (p, st) in snap.topics[0].partitions.iter().enumerate() {
            prop_assert_eq!(st.isr.len(), 3, "partition {} did not heal under the cap: {:?}", p, st);
            let leader = st.leader.expect("a leader after healing");
            let leo = st.logs.iter().find(|l| l.broker == leader).map(|l| l.log_end_offset);
            for l in &st.logs {
                prop_assert_eq!(Some(l.log_end_offset), leo, "broker {} behind on partition {}", l.broker, p);
                prop_assert_eq!(Some(l.high_watermark), leo, "high watermark of broker {} below the log end", l.broker);
            }
        }
        let full = run_load(seed, &actions, u64::MAX)?;
        let (a, b) = (structure(&capped), structure(&full));
        let first = a.iter().zip(&b).position(|(x, y)| x != y);
        prop_assert!(
            first.is_none() && a.len() == b.len(),
            "the cap changed the run: line {:?} is {:?} capped but {:?} uncapped",
            first,
            first.map(|i| &a[i]),
            first.map(|i| &b[i])
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn acks_all_with_min_isr_2_never_loses_an_acknowledged_record(
        seed in any::<u64>(),
        actions in proptest::collection::vec(action(), 10..50),
    ) {
        let mut sim = Simulation::new(&safe_setup(seed), options()).expect("valid setup");
        // Two consumers read along: they must only ever see committed records.
        for (c, client) in [("c1", Client::Java), ("c2", Client::Dotnet)] {
            let mut config = kafka_sim::ConsumerConfig::defaults(client);
            config.auto_offset_reset = kafka_sim::OffsetReset::Earliest;
            config.session_timeout_ms = 6_000;
            config.heartbeat_interval_ms = 1_000;
            sim.apply(Command::JoinGroup {
                group: "g".into(),
                consumer: c.into(),
                topics: vec!["t".into()],
                config,
            })
            .expect("join");
        }
        let producers = ["java", "dotnet"];
        let mut n = 0u32;
        for a in &actions {
            match a {
                Action::Produce { producer, key } => {
                    n += 1;
                    sim.apply(Command::Produce {
                        producer: producers[*producer].into(),
                        topic: "t".into(),
                        key: key.map(|k| format!("k{k}").into()),
                        value: Some(format!("v{n}").into()),
                    }).expect("produce is valid");
                }
                Action::Advance(ms) => advance_checked(&mut sim, *ms)?,
                Action::Stop(b) => {
                    if running(&sim.snapshot(), *b) {
                        sim.apply(Command::StopBroker(BrokerId(*b))).expect("stop a running broker");
                    }
                }
                Action::Start(b) => {
                    if !running(&sim.snapshot(), *b) {
                        sim.apply(Command::StartBroker(BrokerId(*b))).expect("start a stopped broker");
                    }
                }
            }
            check_invariants(&sim)?;
        }
        // Heal: every broker runs again; give retries, fencing, elections and catch-up time.
        for b in 1..=3 {
            if !running(&sim.snapshot(), b) {
                sim.apply(Command::StartBroker(BrokerId(b))).expect("start");
            }
        }
        advance_checked(&mut sim, 400_000)?;

        let acked: Vec<(RecordId, PartitionId, Offset)> = sim
            .produced()
            .iter()
            .filter(|r| r.status == ProduceStatus::Acked)
            .filter_map(|r| Some((r.record, r.partition?, r.offset?)))
            .collect();
        let snap = sim.snapshot();
        let mut logs = BTreeMap::new();
        for (p, st) in snap.topics[0].partitions.iter().enumerate() {
            let p = p as u32;
            prop_assert_eq!(st.isr.len(), 3, "partition {} did not heal: {:?}", p, st);
            let leader = st.leader.expect("a leader after healing");
            let reference = log_of(&sim, leader, p);
            let hw = st.logs.iter().find(|l| l.broker == leader).map(|l| l.high_watermark);
            prop_assert_eq!(hw, Some(Offset(reference.len() as u64)), "high watermark below the log end after healing");
            for b in &st.replicas {
                prop_assert_eq!(&log_of(&sim, *b, p), &reference, "broker {} did not converge on partition {}", b, p);
            }
            logs.insert(p, reference);
        }
        for (id, partition, offset) in acked {
            let log = &logs[&partition.0];
            let found = log.get(offset.0 as usize).and_then(|(_, _, r)| *r);
            prop_assert_eq!(found, Some(id), "acknowledged record {:?} at {}-{} is lost", id, partition, offset);
        }
        // Consumers read only committed records, and committed records are never lost:
        // everything delivered is in the healed log at the offset it was read from.
        for c in sim.consumed().iter() {
            let log = &logs[&c.partition.0];
            let found = log.get(c.offset.0 as usize).and_then(|(_, _, r)| *r);
            prop_assert_eq!(found, c.record, "{} read {:?} at {}-{}, which the log does not hold", c.consumer, c.record, c.partition, c.offset);
        }
        // Nothing is left pending: every record was acknowledged or failed.
        prop_assert!(sim.produced().iter().all(|r| r.status != ProduceStatus::Pending));
    }

    #[test]
    fn random_json_never_panics_the_validator(text in "\\PC{0,200}") {
        let _ = kafka_sim::scenario::parse(&text);
    }

    #[test]
    fn random_structured_documents_never_panic_the_validator(doc in arbitrary_document()) {
        let text = doc.to_string();
        if let Ok(s) = kafka_sim::scenario::parse(&text) {
            // A document the validator accepts must run.
            let short = kafka_sim::scenario::Scenario { steps: s.steps.iter().take(40).cloned().collect(), ..s };
            prop_assert!(kafka_sim::scenario::run(&short, SimOptions::default()).is_ok());
        }
    }
}

/// JSON values shaped like scenario documents, with random types and values in places.
fn arbitrary_document() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    let leaf = prop_oneof![
        Just(json!(null)),
        any::<bool>().prop_map(|b| json!(b)),
        (-3i64..300).prop_map(|n| json!(n)),
        "[a-z.]{0,8}".prop_map(|s| json!(s)),
        Just(json!("all")),
        Just(json!("dotnet")),
    ];
    let step = prop_oneof![
        (0u64..5000).prop_map(|n| json!({"advance_ms": n})),
        (0u64..6).prop_map(|n| json!({"stop_broker": n})),
        (0u64..6).prop_map(|n| json!({"start_broker": n})),
        Just(json!({"add_broker": {}})),
        (proptest::option::of("[a-c]{0,2}"), leaf.clone()).prop_map(|(k, v)| json!({"produce": {"producer": "p", "topic": "t", "key": k, "value": v}})),
        (1u64..4, 0u64..5).prop_map(|(p, rf)| json!({"create_topic": {"name": "u", "partitions": p, "replication_factor": rf}})),
        leaf.clone().prop_map(|v| json!({"mystery": v})),
    ];
    (
        prop_oneof![Just(json!(1)), leaf.clone()],
        0u64..6,
        0u64..5,
        0u64..4,
        prop_oneof![Just(json!("1")), Just(json!("all")), Just(json!(0)), leaf.clone()],
        proptest::collection::vec(step, 0..25),
        leaf,
    )
        .prop_map(|(version, brokers, partitions, rf, acks, steps, extra)| {
            json!({
                "version": version,
                "cluster": { "brokers": brokers, "config": { "broker.session.timeout.ms": 3000 } },
                "topics": [{ "name": "t", "partitions": partitions, "replication_factor": rf }],
                "producers": [{ "id": "p", "client": "java", "config": { "acks": acks, "request.timeout.ms": 1000, "delivery.timeout.ms": 2000 } }],
                "steps": steps,
                "network": { "latency_ms": extra },
            })
        })
}
