//! Shared by the native and the wasm determinism tests: the documents, how each is run
//! to one string, and the digests both targets must reproduce.

use kafka_sim::Acks;
use kafka_sim::BrokerId;
use kafka_sim::{
    Client, ClusterConfig, Command, ProducerConfig, ProducerSpec, Setup, SimOptions, Simulation,
    TopicSpec,
};

/// Every scenario file, by its path under `scenarios/`.
pub const SCENARIOS: &[(&str, &str)] = &[
    (
        "brokers/preferred-leader-returns-after-the-imbalance-check.json",
        include_str!(
            "../../../scenarios/brokers/preferred-leader-returns-after-the-imbalance-check.json"
        ),
    ),
    (
        "brokers/quick-restart-waits-out-the-session.json",
        include_str!("../../../scenarios/brokers/quick-restart-waits-out-the-session.json"),
    ),
    (
        "examples/format-example.json",
        include_str!("../../../scenarios/examples/format-example.json"),
    ),
    (
        "failures/1-acks1-leader-dies-before-replicating.json",
        include_str!("../../../scenarios/failures/1-acks1-leader-dies-before-replicating.json"),
    ),
    (
        "failures/2-acks-all-min-isr-2.json",
        include_str!("../../../scenarios/failures/2-acks-all-min-isr-2.json"),
    ),
    (
        "failures/3a-unclean-disabled-partition-goes-offline.json",
        include_str!("../../../scenarios/failures/3a-unclean-disabled-partition-goes-offline.json"),
    ),
    (
        "failures/3b-unclean-enabled-loses-acked-records.json",
        include_str!("../../../scenarios/failures/3b-unclean-enabled-loses-acked-records.json"),
    ),
    (
        "failures/3c-unclean-election-meets-an-idempotent-producer.json",
        include_str!(
            "../../../scenarios/failures/3c-unclean-election-meets-an-idempotent-producer.json"
        ),
    ),
    (
        "failures/4-slow-follower-holds-back-the-high-watermark.json",
        include_str!(
            "../../../scenarios/failures/4-slow-follower-holds-back-the-high-watermark.json"
        ),
    ),
    (
        "failures/6-returning-follower-catches-up-under-the-display-cap.json",
        include_str!(
            "../../../scenarios/failures/6-returning-follower-catches-up-under-the-display-cap.json"
        ),
    ),
    (
        "failures/5-last-isr-member-fails-and-returns.json",
        include_str!("../../../scenarios/failures/5-last-isr-member-fails-and-returns.json"),
    ),
    (
        "groups/eager-versus-cooperative-rebalance.json",
        include_str!("../../../scenarios/groups/eager-versus-cooperative-rebalance.json"),
    ),
    (
        "groups/lag-grows-while-nobody-reads.json",
        include_str!("../../../scenarios/groups/lag-grows-while-nobody-reads.json"),
    ),
    (
        "groups/leave-group-rebalances-at-once.json",
        include_str!("../../../scenarios/groups/leave-group-rebalances-at-once.json"),
    ),
    (
        "groups/committed-offset-is-validated-after-unclean-truncation.json",
        include_str!(
            "../../../scenarios/groups/committed-offset-is-validated-after-unclean-truncation.json"
        ),
    ),
    (
        "groups/consumer-validates-its-position-after-unclean-truncation.json",
        include_str!(
            "../../../scenarios/groups/consumer-validates-its-position-after-unclean-truncation.json"
        ),
    ),
    (
        "groups/redelivery-after-a-crash-without-commit.json",
        include_str!("../../../scenarios/groups/redelivery-after-a-crash-without-commit.json"),
    ),
    (
        "groups/static-member-returns-without-rebalance.json",
        include_str!("../../../scenarios/groups/static-member-returns-without-rebalance.json"),
    ),
    (
        "groups/two-consumers-share-a-topic.json",
        include_str!("../../../scenarios/groups/two-consumers-share-a-topic.json"),
    ),
    (
        "presets/playground.json",
        include_str!("../../../scenarios/presets/playground.json"),
    ),
    (
        "producers/idempotence-prevents-the-duplicate.json",
        include_str!("../../../scenarios/producers/idempotence-prevents-the-duplicate.json"),
    ),
    (
        "producers/librdkafka-idempotent-producer-fails-fatally-after-unclean-election.json",
        include_str!(
            "../../../scenarios/producers/librdkafka-idempotent-producer-fails-fatally-after-unclean-election.json"
        ),
    ),
    (
        "producers/retry-duplicates-without-idempotence.json",
        include_str!("../../../scenarios/producers/retry-duplicates-without-idempotence.json"),
    ),
    (
        "groups/slow-heartbeat-answers-do-not-spin.json",
        include_str!("../../../scenarios/groups/slow-heartbeat-answers-do-not-spin.json"),
    ),
];

/// The committed digests: `name digest` per line.
pub const DIGESTS: &str = include_str!("digests.txt");

/// FNV-1a, 64 bits: a digest that is the same on every platform.
pub fn fnv64(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A scenario's `kafka-sim run` output followed by its trace as JSON lines.
pub fn run_scenario(text: &str) -> String {
    let doc = kafka_sim::scenario::parse(text).expect("valid scenario");
    let options = SimOptions {
        trace_capacity: 1_000_000,
        records_kept_per_log: u64::MAX,
        produced_kept: usize::MAX,
        consumed_kept: usize::MAX,
        ..SimOptions::default()
    };
    let run = kafka_sim::scenario::run(&doc, options).expect("runs");
    let mut out =
        serde_json::to_string(&kafka_sim::scenario::run_output(&doc, &run)).expect("json");
    for e in run.sim.trace().entries() {
        out.push('\n');
        out.push_str(&serde_json::to_string(e).expect("json"));
    }
    out
}

/// A long pseudo-random schedule (keyless records of both clients, crashes, restarts,
/// a topic and a broker added), ending with the full snapshot and the trace.
pub fn soak() -> String {
    let producer = |id: &str, client, acks| {
        let mut config = ProducerConfig::defaults(client);
        config.acks = acks;
        config.enable_idempotence = acks == Acks::All && client == Client::Java;
        ProducerSpec {
            id: id.into(),
            config,
        }
    };
    let setup = Setup {
        seed: 99,
        latency_ms: 7,
        brokers: 4,
        config: ClusterConfig {
            broker_session_timeout_ms: 3_000,
            broker_heartbeat_interval_ms: 500,
            replica_lag_time_max_ms: 4_000,
            unclean_leader_election_enable: true,
            ..ClusterConfig::default()
        },
        topics: vec![TopicSpec {
            name: "soak".into(),
            partitions: 6,
            replication_factor: 3,
            min_insync_replicas: Some(2),
            unclean_leader_election_enable: None,
            replica_assignment: None,
        }],
        producers: vec![
            producer("java", Client::Java, Acks::All),
            producer("dotnet", Client::Dotnet, Acks::Leader),
        ],
    };
    let mut sim = Simulation::new(
        &setup,
        SimOptions {
            trace_capacity: 100_000,
            ..SimOptions::default()
        },
    )
    .expect("valid setup");
    let mut x: u64 = 12345;
    let mut next = |n: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % n
    };
    for i in 0..600u64 {
        match next(10) {
            0..=4 => {
                let producer = if next(2) == 0 { "java" } else { "dotnet" };
                let key = (next(3) > 0).then(|| format!("k{}", next(20)).into());
                let _ = sim.apply(Command::Produce {
                    producer: producer.into(),
                    topic: "soak".into(),
                    key,
                    value: Some(format!("v{i}").into()),
                });
            }
            5..=7 => sim.advance(next(2_000)).expect("advance"),
            8 => {
                let _ = sim.apply(Command::StopBroker(BrokerId(next(4) as u32 + 1)));
            }
            _ => {
                let _ = sim.apply(Command::StartBroker(BrokerId(next(4) as u32 + 1)));
            }
        }
        if i == 300 {
            sim.apply(Command::AddBroker).expect("add broker");
        }
    }
    sim.advance(60_000).expect("advance");
    let mut out = serde_json::to_string(&sim.snapshot()).expect("json");
    for e in sim.trace().entries() {
        out.push('\n');
        out.push_str(&serde_json::to_string(e).expect("json"));
    }
    out
}

/// A long schedule under load, run with `records_kept_per_log`: auto-produce from both
/// clients at a few hundred records a second (so that, under the page's display cap, logs
/// merge old batches into runs), a consumer group reading along, crashes and restarts;
/// then every broker runs again and the cluster settles.
pub fn load_soak(records_kept_per_log: u64) -> Simulation {
    let producer = |id: &str, client, acks| {
        let mut config = ProducerConfig::defaults(client);
        config.acks = acks;
        config.enable_idempotence = client == Client::Java;
        ProducerSpec {
            id: id.into(),
            config,
        }
    };
    let setup = Setup {
        seed: 2024,
        latency_ms: 5,
        brokers: 3,
        config: ClusterConfig::default(),
        topics: vec![TopicSpec {
            name: "load".into(),
            partitions: 4,
            replication_factor: 3,
            min_insync_replicas: Some(2),
            unclean_leader_election_enable: None,
            replica_assignment: None,
        }],
        producers: vec![
            producer("java", Client::Java, Acks::All),
            producer("dotnet", Client::Dotnet, Acks::Leader),
        ],
    };
    let options = SimOptions {
        trace_capacity: 0,
        records_kept_per_log,
        ..SimOptions::default()
    };
    let mut sim = Simulation::new(&setup, options).expect("valid setup");
    for c in ["c1", "c2"] {
        let mut config = kafka_sim::ConsumerConfig::defaults(Client::Dotnet);
        config.auto_offset_reset = kafka_sim::OffsetReset::Earliest;
        sim.apply(Command::JoinGroup {
            group: "g".into(),
            consumer: c.into(),
            topics: vec!["load".into()],
            config,
        })
        .expect("join");
    }
    let mut x: u64 = 777;
    let mut next = |n: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % n
    };
    for _ in 0..300u64 {
        match next(10) {
            0..=1 => {
                let producer = if next(2) == 0 { "java" } else { "dotnet" };
                sim.apply(Command::AutoProduce {
                    producer: producer.into(),
                    topic: "load".into(),
                    rate_per_sec: next(400) as u32,
                    keys: [0, 16][next(2) as usize],
                })
                .expect("auto-produce");
            }
            2..=7 => sim.advance(next(3_000)).expect("advance"),
            8 => {
                let _ = sim.apply(Command::StopBroker(BrokerId(next(3) as u32 + 1)));
            }
            _ => {
                let _ = sim.apply(Command::StartBroker(BrokerId(next(3) as u32 + 1)));
            }
        }
    }
    for producer in ["java", "dotnet"] {
        sim.apply(Command::AutoProduce {
            producer: producer.into(),
            topic: "load".into(),
            rate_per_sec: 0,
            keys: 0,
        })
        .expect("stop auto-produce");
    }
    for b in 1..=3 {
        let _ = sim.apply(Command::StartBroker(BrokerId(b)));
    }
    sim.advance(120_000).expect("advance");
    sim
}

/// The load soak with the page's display cap, as its final snapshot.
pub fn soak_page_cap() -> String {
    let sim = load_soak(kafka_sim::limits::PAGE_RECORDS_KEPT_PER_LOG);
    serde_json::to_string(&sim.snapshot()).expect("json")
}

/// Every case's name and output.
pub fn all_outputs() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = SCENARIOS
        .iter()
        .map(|(name, text)| (name.to_string(), run_scenario(text)))
        .collect();
    v.push(("soak".into(), soak()));
    v.push(("soak-page-cap".into(), soak_page_cap()));
    v
}

/// The committed digest of `name`.
pub fn expected_digest(name: &str) -> Option<&'static str> {
    DIGESTS
        .lines()
        .filter_map(|l| l.split_once(' '))
        .find(|(n, _)| *n == name)
        .map(|(_, d)| d.trim())
}
