//! Each predicate of the goals' vocabulary, with a run that meets it and one that narrowly
//! does not.

use kafka_sim::lesson::{self, Lesson};
use serde_json::{Value, json};

/// Whether the goal `when` is met after `solution` on `scenario`.
fn met(scenario: &Value, when: Value, solution: Value) -> bool {
    let mut doc = scenario.clone();
    doc["lesson"] = json!({
        "title": "t", "chapter": "events",
        "stages": [{ "text": "t", "goals": ["g"] }],
        "goals": [{ "id": "g", "text": "t", "when": when }],
        "solution": solution
    });
    let l = Lesson::parse(&doc.to_string(), "t").unwrap_or_else(|e| panic!("{e:?}"));
    lesson::solve(&l).expect("runs").goals[0].met
}

fn cluster(brokers: u32, partitions: u32, rf: u32, min_isr: u32) -> Value {
    json!({
        "version": 1, "seed": 1,
        "cluster": { "brokers": brokers },
        "topics": [{ "name": "orders", "partitions": partitions, "replication_factor": rf,
                     "config": { "min.insync.replicas": min_isr },
                     "replica_assignment": (0..partitions).map(|p| (0..rf).map(|r| (p + r) % brokers + 1).collect::<Vec<_>>()).collect::<Vec<_>>() }],
        "producers": [
            { "id": "dotnet", "client": "dotnet" },
            { "id": "java", "client": "java" },
            { "id": "rr", "client": "java", "config": { "partitioner": "round_robin" } },
            { "id": "one", "client": "java", "config": { "acks": "1" } },
            { "id": "no-retries", "client": "java",
              "config": { "retries": 0, "enable.idempotence": false } }
        ]
    })
}

fn produce(producer: &str, key: Option<&str>) -> Value {
    json!({ "produce": { "producer": producer, "topic": "orders", "key": key, "value": "v" } })
}

fn steps(list: &[Value]) -> Value {
    Value::Array(list.to_vec())
}

fn adv(ms: u64) -> Value {
    json!({ "advance_ms": ms })
}

#[test]
fn records_acked_counts_acknowledgements_of_the_producer_named() {
    let s = cluster(1, 1, 1, 1);
    let two = steps(&[
        produce("dotnet", Some("k")),
        produce("java", Some("k")),
        adv(200),
    ]);
    assert!(met(
        &s,
        json!({ "records_acked": { "at_least": 2 } }),
        two.clone()
    ));
    assert!(!met(
        &s,
        json!({ "records_acked": { "at_least": 3 } }),
        two.clone()
    ));
    assert!(!met(
        &s,
        json!({ "records_acked": { "producer": "dotnet", "at_least": 2 } }),
        two
    ));
    // Sent but not yet acknowledged: 10 ms each way, so no answer after 5 ms.
    let early = steps(&[produce("dotnet", Some("k")), adv(5)]);
    assert!(!met(
        &s,
        json!({ "records_acked": { "at_least": 1 } }),
        early
    ));
}

#[test]
fn same_key_one_partition_needs_one_key_twice() {
    // crc32 % 6 for the .NET client (librdkafka's consistent_random):
    // rd_kafka_msg_partitioner_consistent_random in rdkafka_msg.c.
    let s = cluster(1, 6, 1, 1);
    let when = json!({ "same_key_one_partition": { "at_least": 2 } });
    let same = steps(&[
        produce("dotnet", Some("alice")),
        produce("dotnet", Some("alice")),
        adv(200),
    ]);
    assert!(met(&s, when.clone(), same));
    let two_keys = steps(&[
        produce("dotnet", Some("alice")),
        produce("dotnet", Some("bob")),
        adv(200),
    ]);
    assert!(!met(&s, when, two_keys));
}

#[test]
fn unkeyed_in_every_partition_needs_each_partition_hit() {
    // RoundRobinPartitioner.java: partitions in turn.
    let s = cluster(1, 3, 1, 1);
    let when = json!({ "unkeyed_in_every_partition": { "topic": "orders", "producer": "rr" } });
    let three: Vec<Value> = (0..3)
        .flat_map(|_| [produce("rr", None), adv(50)])
        .collect();
    assert!(met(&s, when.clone(), steps(&three)));
    assert!(!met(&s, when, steps(&three[..4])));
}

#[test]
fn unkeyed_run_in_one_partition_tells_sticky_from_round_robin() {
    // BuiltInPartitioner.java (KIP-794): the sticky partition changes after batch.size
    // bytes, so three small records stay in one partition; RoundRobinPartitioner moves on.
    let s = cluster(1, 3, 1, 1);
    let run = |p: &str| -> Value {
        steps(
            &(0..3)
                .flat_map(|_| [produce(p, None), adv(50)])
                .collect::<Vec<_>>(),
        )
    };
    let when = |p: &str| json!({ "unkeyed_run_in_one_partition": { "topic": "orders", "producer": p, "at_least": 3 } });
    assert!(met(&s, when("java"), run("java")));
    assert!(!met(&s, when("rr"), run("rr")));
}

#[test]
fn leader_moved_after_the_controller_fences_the_leader() {
    // broker.session.timeout.ms 9000: the controller fences a silent broker and elects a
    // new leader from the ISR (ReplicationControlManager.handleBrokerFenced).
    let s = cluster(3, 1, 3, 1);
    let when = json!({ "leader_moved": { "topic": "orders" } });
    assert!(met(
        &s,
        when.clone(),
        steps(&[json!({ "stop_broker": 1 }), adv(10_000)])
    ));
    assert!(!met(
        &s,
        when.clone(),
        steps(&[json!({ "stop_broker": 1 }), adv(5_000)])
    ));
    assert!(!met(
        &s,
        when,
        steps(&[json!({ "stop_broker": 2 }), adv(10_000)])
    ));
}

#[test]
fn leads_and_follows_needs_a_broker_that_does_both() {
    let when = json!({ "leads_and_follows": {} });
    let spread = json!({ "version": 1, "cluster": { "brokers": 3 } });
    let create = |partitions: u32| {
        steps(&[
            json!({ "create_topic": { "name": "t", "partitions": partitions, "replication_factor": 3,
                                      "replica_assignment": (0..partitions).map(|p| (0..3).map(|r| (p + r) % 3 + 1).collect::<Vec<_>>()).collect::<Vec<_>>() } }),
            adv(1000),
        ])
    };
    assert!(met(&spread, when.clone(), create(3)));
    // One partition: broker 1 only leads, brokers 2 and 3 only follow.
    assert!(!met(&spread, when, create(1)));
}

#[test]
fn replica_left_isr_when_its_broker_is_fenced() {
    let s = cluster(3, 1, 3, 1);
    let when = json!({ "replica_left_isr": { "broker": 3 } });
    assert!(met(
        &s,
        when.clone(),
        steps(&[json!({ "stop_broker": 3 }), adv(10_000)])
    ));
    assert!(!met(
        &s,
        when,
        steps(&[json!({ "stop_broker": 3 }), adv(5_000)])
    ));
}

#[test]
fn isr_below_min_needs_fewer_in_sync_replicas_than_the_minimum() {
    let s = cluster(3, 1, 3, 2);
    let when = json!({ "isr_below_min": { "topic": "orders" } });
    let stop = |b: &[u32]| {
        let mut v: Vec<Value> = b.iter().map(|b| json!({ "stop_broker": b })).collect();
        v.push(adv(10_000));
        steps(&v)
    };
    assert!(met(&s, when.clone(), stop(&[2, 3])));
    assert!(!met(&s, when, stop(&[3])));
}

#[test]
fn high_watermark_held_back_while_a_stopped_follower_stays_in_the_isr() {
    // Partition.maybeShrinkIsr: a follower out of sync for replica.lag.time.max.ms (30 s)
    // leaves the ISR; until then the high watermark waits for it.
    let mut s = cluster(3, 1, 3, 1);
    s["cluster"]["config"] =
        json!({ "broker.session.timeout.ms": 120000, "broker.heartbeat.interval.ms": 2000 });
    let sol = steps(&[
        json!({ "stop_broker": 3 }),
        adv(100),
        produce("java", Some("k")),
        adv(40_000),
    ]);
    let when = |ms: u64| json!({ "high_watermark_held_back": { "for_ms": ms } });
    assert!(met(&s, when(20_000), sol.clone()));
    assert!(!met(&s, when(40_000), sol));
}

#[test]
fn produce_rejected_with_not_enough_replicas_below_min_insync() {
    // Partition.appendRecordsToLeader: acks=all and an ISR smaller than
    // min.insync.replicas answer NOT_ENOUGH_REPLICAS.
    let sol = steps(&[
        json!({ "stop_broker": 2 }),
        json!({ "stop_broker": 3 }),
        adv(10_000),
        produce("java", Some("k")),
        adv(500),
    ]);
    let when = json!({ "produce_rejected": { "error": "NOT_ENOUGH_REPLICAS" } });
    assert!(met(&cluster(3, 1, 3, 2), when.clone(), sol.clone()));
    assert!(!met(&cluster(3, 1, 3, 1), when, sol));
}

#[test]
fn produce_failed_when_the_producer_gives_up() {
    let sol = steps(&[
        json!({ "stop_broker": 2 }),
        json!({ "stop_broker": 3 }),
        adv(10_000),
        produce("no-retries", Some("k")),
        adv(500),
    ]);
    let when = |e: &str| json!({ "produce_failed": { "error": e } });
    assert!(met(
        &cluster(3, 1, 3, 2),
        when("NOT_ENOUGH_REPLICAS"),
        sol.clone()
    ));
    assert!(!met(
        &cluster(3, 1, 3, 2),
        when("REQUEST_TIMED_OUT"),
        sol.clone()
    ));
    assert!(!met(
        &cluster(3, 1, 3, 1),
        json!({ "produce_failed": {} }),
        sol
    ));
}

#[test]
fn acked_record_lost_with_acks_1_but_not_with_acks_all() {
    // acks=1: the leader answers once the record is in its own log
    // (ReplicaManager.appendRecords, requiredAcks 1); the new leader lacks it.
    let s = cluster(3, 1, 3, 1);
    let lose = |p: &str| {
        steps(&[
            adv(480),
            produce(p, Some("k")),
            adv(45),
            json!({ "stop_broker": 1 }),
            adv(15_000),
        ])
    };
    let when = json!({ "acked_record_lost": { "topic": "orders" } });
    assert!(met(&s, when.clone(), lose("one")));
    assert!(!met(&s, when, lose("java")));
}

#[test]
fn unclean_election_and_partition_offline_follow_the_topic_setting() {
    let doc = |unclean: bool| {
        let mut s = cluster(2, 1, 2, 1);
        s["cluster"]["config"] = json!({ "unclean.leader.election.enable": unclean });
        s
    };
    let sol = steps(&[
        json!({ "stop_broker": 2 }),
        adv(10_000),
        json!({ "stop_broker": 1 }),
        adv(10_000),
        json!({ "start_broker": 2 }),
        adv(5_000),
    ]);
    let unclean = json!({ "unclean_election": {} });
    assert!(met(&doc(true), unclean.clone(), sol.clone()));
    assert!(!met(&doc(false), unclean, sol.clone()));
    let offline = json!({ "partition_offline": {} });
    assert!(met(&doc(false), offline.clone(), sol));
    assert!(!met(
        &doc(false),
        offline,
        steps(&[json!({ "stop_broker": 2 }), adv(10_000)])
    ));
}

fn group_doc() -> Value {
    let mut s = cluster(1, 2, 1, 1);
    s["steps"] = json!([
        { "join_group": { "group": "g", "consumer": "c1", "topics": ["orders"],
            "config": { "auto.offset.reset": "earliest", "enable.auto.commit": false, "session.timeout.ms": 10000 } } }
    ]);
    s
}

fn join_c2() -> Value {
    json!({ "join_group": { "group": "g", "consumer": "c2", "topics": ["orders"],
        "config": { "auto.offset.reset": "earliest", "enable.auto.commit": false, "session.timeout.ms": 10000 } } })
}

#[test]
fn records_consumed_counts_the_group_deliveries() {
    let sol = steps(&[
        adv(4000),
        produce("java", Some("k1")),
        produce("java", Some("k3")),
        adv(2000),
    ]);
    assert!(met(
        &group_doc(),
        json!({ "records_consumed": { "group": "g", "at_least": 2 } }),
        sol.clone()
    ));
    assert!(!met(
        &group_doc(),
        json!({ "records_consumed": { "group": "g", "at_least": 3 } }),
        sol
    ));
}

#[test]
fn record_redelivered_after_a_crash_without_commit() {
    // The new owner starts from the last committed offset (ConsumerCoordinator
    // refreshCommittedOffsets), so what c1 read and did not commit is read again.
    let sol = |commit: bool| {
        let mut v = vec![
            join_c2(),
            adv(4000),
            produce("java", Some("k1")),
            produce("java", Some("k3")),
            adv(1000),
        ];
        if commit {
            v.push(json!({ "commit": "c1" }));
        }
        v.extend([
            json!({ "commit": "c2" }),
            adv(1000),
            json!({ "stop_consumer": "c1" }),
            adv(20_000),
        ]);
        steps(&v)
    };
    let when = json!({ "record_redelivered": { "group": "g" } });
    assert!(met(&group_doc(), when.clone(), sol(false)));
    assert!(!met(&group_doc(), when, sol(true)));
}

#[test]
fn rebalanced_and_offsets_committed_name_the_group() {
    // c2 joins once the group is stable: a second generation.
    let joined = steps(&[adv(6000), join_c2(), adv(6000)]);
    let alone = steps(&[adv(6000)]);
    let when = json!({ "rebalanced": { "group": "g", "generation_at_least": 2 } });
    assert!(met(&group_doc(), when.clone(), joined));
    assert!(!met(&group_doc(), when, alone.clone()));
    let commit = steps(&[
        adv(4000),
        produce("java", Some("k1")),
        adv(1000),
        json!({ "commit": "c1" }),
        adv(500),
    ]);
    let committed = json!({ "offsets_committed": { "group": "g" } });
    assert!(met(&group_doc(), committed.clone(), commit));
    assert!(!met(&group_doc(), committed, alone));
}

#[test]
fn brokers_running_counts_the_running_ones() {
    // A goal once met stays met, so the narrow miss stops a broker before adding one.
    let s = cluster(2, 1, 1, 1);
    let when = json!({ "brokers_running": { "at_least": 3 } });
    assert!(met(
        &s,
        when.clone(),
        steps(&[json!({ "add_broker": {} }), adv(1000)])
    ));
    assert!(!met(
        &s,
        when,
        steps(&[
            json!({ "stop_broker": 1 }),
            json!({ "add_broker": {} }),
            adv(1000)
        ])
    ));
}
