//! Strict validation: every problem of a document is reported at once, each naming its
//! path and reason, and limits are enforced with clear messages.

use kafka_sim::scenario::parse;

fn errors(doc: &str) -> Vec<String> {
    match parse(doc) {
        Ok(_) => Vec::new(),
        Err(e) => e.iter().map(ToString::to_string).collect(),
    }
}

fn has(errors: &[String], line: &str) -> bool {
    errors.iter().any(|e| e == line)
}

#[test]
fn every_problem_is_reported_with_its_path() {
    let e = errors(
        r#"{"version": 2, "seed": -1, "colour": "red",
            "network": {"latency_ms": 1.5},
            "cluster": {"brokers": 3, "config": {"broker.session.timeout.ms": "9000", "replica.lag.time.max.ms": 30000}},
            "topics": [{"name": "bad name", "partitions": 0, "replication_factor": 4},
                       {"name": "ok", "config": {"min.insync.replicas": 0, "retention.ms": 5}}],
            "producers": [{"id": "p", "client": "java", "config": {"acks": "2", "linger": 5}}],
            "steps": [{"advance_ms": 5, "stop_broker": 1}, {"teleport": 1}]}"#,
    );
    for want in [
        "version: only version 1 is supported, found 2",
        "seed: expected a whole number, found a negative or fractional number",
        "colour: unknown field; allowed: version, seed, network, cluster, topics, producers, steps",
        "network.latency_ms: expected a whole number, found a negative or fractional number",
        r#"cluster.config["broker.session.timeout.ms"]: expected a whole number, found a string"#,
        // Kafka's own message (Topic.validate).
        "topics[0].name: Topic name is invalid: 'bad name' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'",
        "topics[0].partitions: 0 is not between 1 and 256",
        r#"topics[1].config["min.insync.replicas"]: 0 is not between 1 and 64"#,
        r#"producers[0].config.acks: expected "0", "1" or "all" (or 0, 1, -1), found "2""#,
        "steps[0]: a step is an object with exactly one of: produce, advance_ms, stop_broker, start_broker, add_broker, auto_produce, create_topic, join_group, leave_group, stop_consumer, commit",
    ] {
        assert!(has(&e, want), "missing {want:?} in {e:#?}");
    }
    assert!(
        e.iter()
            .any(|l| l.starts_with(r#"topics[1].config["retention.ms"]: unknown field"#)),
        "{e:#?}"
    );
    assert!(
        e.iter().any(|l| l.starts_with(
            r#"producers[0].config.linger: unknown field; did you mean "linger.ms"?"#
        )),
        "{e:#?}"
    );
    assert!(
        e.iter()
            .any(|l| l.starts_with("steps[1].teleport: unknown field")),
        "{e:#?}"
    );
}

#[test]
fn references_across_steps_are_checked_in_order() {
    let e = errors(
        r#"{"version": 1, "cluster": {"brokers": 2},
            "topics": [{"name": "t", "replication_factor": 2}, {"name": "t"}],
            "producers": [{"id": "p"}, {"id": "p"}],
            "steps": [
              {"produce": {"producer": "q", "topic": "u", "value": "x"}},
              {"stop_broker": 3},
              {"start_broker": 1},
              {"stop_broker": 2},
              {"stop_broker": 2},
              {"add_broker": {}},
              {"stop_broker": 3},
              {"create_topic": {"name": "u", "replication_factor": 4}},
              {"produce": {"producer": "p", "topic": "u", "key": null, "value": null}},
              {"leave_group": "nobody"},
              {"join_group": {"group": "g", "consumer": "c", "topics": ["nope"]}},
              {"join_group": {"group": "g", "consumer": "c", "topics": ["t"]}},
              {"stop_consumer": "c"},
              {"commit": "c"}
            ]}"#,
    );
    for want in [
        "topics[1].name: a topic named 't' already exists",
        "producers[1].id: a producer named 'p' already exists",
        "steps[0].produce.producer: no producer is named 'q'",
        "steps[0].produce.topic: no topic is named 'u' at this step",
        "steps[1].stop_broker: broker 3 does not exist at this step (brokers are 1 to 2)",
        "steps[2].start_broker: broker 1 is already running",
        "steps[4].stop_broker: broker 2 is already stopped",
        "steps[7].create_topic.replication_factor: 4 is more than the 3 brokers",
        "steps[9].leave_group: no consumer named 'nobody' has joined at this step",
        "steps[10].join_group.topics[0]: no topic is named 'nope' at this step",
        "steps[11].join_group.consumer: a consumer named 'c' already joined",
        "steps[13].commit: consumer 'c' no longer runs at this step",
    ] {
        assert!(has(&e, want), "missing {want:?} in {e:#?}");
    }
    assert!(
        !e.iter().any(|l| l.starts_with("steps[6]")),
        "broker 3 exists after add_broker: {e:#?}"
    );
    assert!(
        !e.iter().any(|l| l.starts_with("steps[8]")),
        "topic u exists after create_topic: {e:#?}"
    );
}

#[test]
fn limits_are_enforced_with_clear_messages() {
    let e = errors(r#"{"version": 1, "cluster": {"brokers": 65}}"#);
    assert_eq!(e, ["cluster.brokers: 65 is not between 1 and 64"]);
    let e = errors(
        r#"{"version": 1, "cluster": {"brokers": 1}, "topics": [{"name": "t", "partitions": 257}]}"#,
    );
    assert_eq!(e, ["topics[0].partitions: 257 is not between 1 and 256"]);
    let topics: Vec<String> = (0..65).map(|i| format!(r#"{{"name": "t{i}"}}"#)).collect();
    let e = errors(&format!(
        r#"{{"version": 1, "cluster": {{"brokers": 1}}, "topics": [{}]}}"#,
        topics.join(",")
    ));
    assert_eq!(e, ["topics: has 65 entries; at most 64 are allowed"]);
    let big = "x".repeat(4097);
    let e = errors(&format!(
        r#"{{"version": 1, "cluster": {{"brokers": 1}}, "topics": [{{"name": "t"}}], "producers": [{{"id": "p"}}],
            "steps": [{{"produce": {{"producer": "p", "topic": "t", "value": "{big}"}}}}]}}"#
    ));
    assert_eq!(
        e,
        [
            "steps[0].produce.value: is 4097 bytes long; at most 4096 bytes of UTF-8 are allowed \
             (the playground's limit, not Kafka's)"
        ]
    );
    let e =
        errors(r#"{"version": 1, "cluster": {"brokers": 1}, "steps": [{"advance_ms": 86400001}]}"#);
    assert_eq!(
        e,
        ["steps[0].advance_ms: 86400001 is not between 0 and 86400000"]
    );
}

#[test]
fn the_largest_allowed_cluster_runs() {
    let topics: Vec<String> = (0..64)
        .map(|i| format!(r#"{{"name": "t{i}", "partitions": 256, "replication_factor": 3}}"#))
        .collect();
    let doc = format!(
        r#"{{"version": 1, "cluster": {{"brokers": 64}}, "topics": [{}], "steps": [{{"advance_ms": 1000}}]}}"#,
        topics.join(",")
    );
    let s = parse(&doc).expect("within limits");
    let run = kafka_sim::scenario::run(&s, kafka_sim::SimOptions::default()).expect("runs");
    let snap = run.sim.snapshot();
    assert_eq!(snap.brokers.len(), 64);
    assert_eq!(snap.topics.len(), 64);
    assert!(
        snap.topics
            .iter()
            .all(|t| t.partitions.len() == 256 && t.partitions.iter().all(|p| p.leader.is_some()))
    );
}

#[test]
fn settings_are_checked_as_kafka_checks_them() {
    let e = errors(
        r#"{"version": 1, "cluster": {"brokers": 1, "config": {"broker.heartbeat.interval.ms": 9000}},
            "producers": [{"id": "a", "config": {"acks": "1", "enable.idempotence": true}},
                          {"id": "b", "config": {"request.timeout.ms": 30000, "delivery.timeout.ms": 1000}},
                          {"id": "c", "client": "java", "config": {"sticky.partitioning.linger.ms": 5}}]}"#,
    );
    assert!(
        has(
            &e,
            r#"cluster.config["broker.heartbeat.interval.ms"]: 9000 must be less than broker.session.timeout.ms (9000)"#
        ),
        "{e:#?}"
    );
    assert!(
        e.iter().any(|l| l.starts_with(
            r#"producers[0].config["enable.idempotence"]: the idempotent producer needs acks=all"#
        )),
        "{e:#?}"
    );
    assert!(e.iter().any(|l| l.starts_with(r#"producers[1].config["delivery.timeout.ms"]: 1000 must be at least linger.ms + request.timeout.ms"#)), "{e:#?}");
    assert!(e.iter().any(|l| l.starts_with(r#"producers[2].config["sticky.partitioning.linger.ms"]: is a librdkafka (dotnet) setting"#)), "{e:#?}");
    let e = errors(
        r#"{"version": 1, "cluster": {"brokers": 1}, "topics": [{"name": "t"}],
            "steps": [{"join_group": {"group": "g", "consumer": "c", "topics": ["t"],
              "config": {"session.timeout.ms": 3000, "partition.assignment.strategy": "fair"}}}]}"#,
    );
    assert!(e.iter().any(|l| l.starts_with(r#"steps[0].join_group.config["partition.assignment.strategy"]: expected one of range, roundrobin, sticky, cooperative-sticky, found "fair""#)), "{e:#?}");
    let e = errors(
        r#"{"version": 1, "cluster": {"brokers": 1}, "topics": [{"name": "t"}],
            "steps": [{"join_group": {"group": "g", "consumer": "c", "topics": ["t"], "config": {"session.timeout.ms": 3000}}}]}"#,
    );
    assert!(e.iter().any(|l| l.starts_with(r#"steps[0].join_group.config["session.timeout.ms"]: 3000 is outside the broker's allowed range"#)), "{e:#?}");
}

#[test]
fn invalid_json_names_line_and_column() {
    let e = errors("{\"version\": 1,\n  \"cluster\": }");
    assert_eq!(e.len(), 1);
    assert!(
        e[0].starts_with("not valid JSON: expected value (line 2, column 14)"),
        "{e:?}"
    );
}
