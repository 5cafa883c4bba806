//! Input checked before work (issue 14): a size limit before parsing, repeated keys
//! refused, every echoed value short and escaped, Kafka's naming rules with Kafka's
//! messages, and one validation that `validate`, `run` and the page share.

use kafka_sim::limits;
use kafka_sim::scenario::{self, parse};
use kafka_sim::{
    ClusterConfig, Command, CommandError, ConsumerConfig, Setup, SimOptions, Simulation, TopicSpec,
};

fn errors(doc: &str) -> Vec<String> {
    match parse(doc) {
        Ok(_) => Vec::new(),
        Err(e) => e.iter().map(ToString::to_string).collect(),
    }
}

/// Every error line is short and holds no control character.
fn assert_clean(lines: &[String]) {
    for l in lines {
        assert!(l.chars().count() <= 300, "{} characters: {l}", l.len());
        assert!(
            !l.chars().any(char::is_control),
            "a control character in {l:?}"
        );
    }
}

const MINIMAL: &str = r#"{"version": 1, "cluster": {"brokers": 1}}"#;

#[test]
fn a_document_past_4_mib_is_refused_before_it_is_parsed() {
    // Exactly at the limit (padded with whitespace) it is read.
    let at_limit = format!(
        "{MINIMAL}{}",
        " ".repeat(limits::MAX_DOCUMENT_BYTES - MINIMAL.len())
    );
    assert_eq!(at_limit.len(), limits::MAX_DOCUMENT_BYTES);
    assert!(parse(&at_limit).is_ok());
    // One byte more, and it is refused by its size, naming the document (empty path).
    let over = format!("{at_limit} ");
    let e = parse(&over).expect_err("over the limit");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].path, "");
    assert_eq!(
        e[0].message,
        "the document is 4194305 bytes long; at most 4194304 bytes (4 MiB) are allowed"
    );
    // Before parsing: even text that is not JSON gets the size error.
    let e = parse(&"[".repeat(limits::MAX_DOCUMENT_BYTES + 1)).expect_err("too big");
    assert!(e[0].message.starts_with("the document is"), "{e:?}");
}

#[test]
fn a_long_unknown_key_gets_no_suggestion_and_is_echoed_short() {
    // "linger" + 100 characters: once a likely typo of linger.ms by its prefix rule,
    // now too long to be looked at.
    let key = format!("linger.m{}", "s".repeat(100));
    let doc = format!(
        r#"{{"version": 1, "cluster": {{"brokers": 1}}, "producers": [{{"id": "p", "config": {{"{key}": 1}}}}]}}"#
    );
    let e = errors(&doc);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(!e[0].contains("did you mean"), "{e:?}");
    assert!(
        e[0].starts_with(r#"producers[0].config["linger.mssssssssssssssssssssssssssssssss…"]: unknown field; allowed: acks"#),
        "{e:?}"
    );
    // A short typo still gets its suggestion.
    let e = errors(
        r#"{"version": 1, "cluster": {"brokers": 1}, "producers": [{"id": "p", "config": {"lingr.ms": 1}}]}"#,
    );
    assert_eq!(
        e,
        [r#"producers[0].config["lingr.ms"]: unknown field; did you mean "linger.ms"?"#]
    );
}

#[test]
fn every_echoed_value_is_cut_short_with_control_characters_escaped() {
    let esc = "\\u001b[2J\\nsteps[9]: forged".repeat(1000);
    // What the decoder reads: version, keys, enumerated values, names.
    let e = errors(&format!(
        r#"{{"version": "{esc}", "cluster": {{"brokers": 1, "config": {{"{esc}": 1}}}},
            "topics": [{{"name": "{esc}"}}],
            "producers": [{{"id": "p", "client": "{esc}"}},
                          {{"id": "q", "config": {{"acks": "{esc}", "partitioner": "{esc}"}}}}],
            "steps": [{{"join_group": {{"group": "g", "consumer": "c", "topics": ["t"],
                       "config": {{"partition.assignment.strategy": "{esc}", "group.instance.id": "{esc}"}}}}}}]}}"#
    ));
    assert_clean(&e);
    let shown = r#""\u{1b}[2J\nsteps[9]: forged\u{1b}[2J\nst…""#;
    for want in [
        format!("version: only version 1 is supported, found {shown}"),
        format!("producers[0].client: expected \"java\" or \"dotnet\", found {shown}"),
        format!(
            r#"producers[1].config.acks: expected "0", "1" or "all" (or 0, 1, -1), found {shown}"#
        ),
        format!(
            "topics[0].name: Topic name is invalid: the length of '{}' is longer than the max \
             allowed length 249",
            r"\u{1b}[2J\nsteps[9]: forged\u{1b}[2J\nst…"
        ),
    ] {
        assert!(e.contains(&want), "missing {want:?} in {e:#?}");
    }
    for prefix in [
        r#"cluster.config["\u{1b}[2J\nsteps[9]: forged\u{1b}[2J\nst…"]: unknown field"#,
        "producers[1].config.partitioner: expected one of",
        r#"steps[0].join_group.config["partition.assignment.strategy"]: expected one of"#,
    ] {
        assert!(
            e.iter()
                .any(|l| l.starts_with(prefix)
                    && (l.ends_with(shown) || l.contains("unknown field"))),
            "missing {prefix:?} in {e:#?}"
        );
    }
    // What the whole document's checks echo: names that must exist or be unique.
    let name = "x\n\u{1b}]0;owned\u{7}".repeat(100);
    let json_name = serde_json::to_string(&name).expect("a string");
    let e = errors(&format!(
        r#"{{"version": 1, "cluster": {{"brokers": 1}}, "topics": [{{"name": "t"}}],
            "producers": [{{"id": "p"}}],
            "steps": [{{"produce": {{"producer": {json_name}, "topic": {json_name}, "value": null}}}},
                      {{"join_group": {{"group": "g", "consumer": "c", "topics": [{json_name}]}}}},
                      {{"commit": "a\u0007b"}}]}}"#
    ));
    assert_clean(&e);
    let cut = r"x\n\u{1b}]0;owned\u{7}x\n\u{1b}]0;owned…";
    for want in [
        format!("steps[0].produce.producer: no producer is named '{cut}'"),
        format!("steps[0].produce.topic: no topic is named '{cut}' at this step"),
        format!("steps[1].join_group.topics[0]: no topic is named '{cut}' at this step"),
        r"steps[2].commit: no consumer named 'a\u{7}b' has joined at this step".to_string(),
    ] {
        assert!(e.contains(&want), "missing {want:?} in {e:#?}");
    }
    // The engine's own refusals of commands echo names the same way.
    let mut sim = Simulation::new(&setup(10), SimOptions::default()).expect("valid");
    let refused = sim
        .apply(Command::Produce {
            producer: name.clone(),
            topic: "t".into(),
            key: None,
            value: None,
        })
        .expect_err("no such producer")
        .to_string();
    assert_eq!(refused, format!("no producer is named '{cut}'"));
}

#[test]
fn repeated_keys_are_refused_with_their_path() {
    // Valid but for the repeated key: serde_json alone would keep "b" silently.
    let e = errors(
        r#"{"version": 1, "cluster": {"brokers": 1}, "topics": [{"name": "a", "partitions": 2, "name": "b"}]}"#,
    );
    assert_eq!(
        e,
        ["topics[0].name: this key appears twice in its object (JSON would keep only the last)"]
    );
    let e = errors(
        r#"{"version": 1, "seed": 1, "cluster": {"brokers": 1, "brokers": 2},
            "steps": [{"advance_ms": 1}, {"advance_ms": 1, "advance_ms": 2, "advance_ms": 3}], "seed": 2}"#,
    );
    for want in [
        "cluster.brokers: this key appears twice in its object (JSON would keep only the last)",
        "steps[1].advance_ms: this key appears 3 times in its object (JSON would keep only the last)",
        "seed: this key appears twice in its object (JSON would keep only the last)",
    ] {
        assert!(e.iter().any(|l| l == want), "missing {want:?} in {e:#?}");
    }
    // The same key in two objects is no repetition.
    assert!(
        errors(
            r#"{"version": 1, "cluster": {"brokers": 1}, "topics": [{"name": "a"}, {"name": "b"}]}"#
        )
        .is_empty()
    );
}

#[test]
fn topic_names_follow_kafkas_topic_validate() {
    // clients/src/main/java/org/apache/kafka/common/internals/Topic.java: detectInvalidTopic
    // and validate ("Topic name is invalid: " + the reason).
    let name_error = |name: &str| {
        let doc = serde_json::json!({"version": 1, "cluster": {"brokers": 1}, "topics": [{"name": name}]});
        errors(&doc.to_string())
    };
    assert_eq!(
        name_error(""),
        ["topics[0].name: Topic name is invalid: the empty string is not allowed"]
    );
    assert_eq!(
        name_error("."),
        ["topics[0].name: Topic name is invalid: '.' is not allowed"]
    );
    assert_eq!(
        name_error(".."),
        ["topics[0].name: Topic name is invalid: '..' is not allowed"]
    );
    assert!(name_error(&"a".repeat(249)).is_empty());
    assert_eq!(
        name_error(&"a".repeat(250)),
        [format!(
            "topics[0].name: Topic name is invalid: the length of '{}…' is longer than the max \
             allowed length 249",
            "a".repeat(40)
        )]
    );
    // Not trimmed: a name with a space is refused as Kafka refuses it.
    assert_eq!(
        name_error(" orders "),
        [
            "topics[0].name: Topic name is invalid: ' orders ' contains one or more characters \
          other than ASCII alphanumerics, '.', '_' and '-'"
        ]
    );
    // Java counts UTF-16 code units: 125 characters outside the BMP are 250 of them.
    assert!(name_error(&"𝄞".repeat(125))[0].contains("is longer than the max allowed length 249"));
    assert!(name_error(&"é".repeat(200))[0].contains("contains one or more characters other"));
    for ok in ["orders", "a.b-c_D9", "__x"] {
        assert!(name_error(ok).is_empty(), "{ok}");
    }
}

#[test]
fn topics_that_differ_only_by_dot_and_underscore_collide() {
    // Topic.hasCollision; the message is ReplicationControlManager.validateNewTopicNames'
    // (metadata/src/main/java/org/apache/kafka/controller/ReplicationControlManager.java).
    let e = errors(
        r#"{"version": 1, "cluster": {"brokers": 1}, "topics": [{"name": "a.b"}, {"name": "a_b"}, {"name": "a-b"}],
            "steps": [{"create_topic": {"name": "a_b.c"}}, {"create_topic": {"name": "a.b_c"}}]}"#,
    );
    assert_eq!(
        e,
        [
            "topics[1].name: Topic 'a_b' collides with existing topic: a.b",
            "steps[1].create_topic.name: Topic 'a.b_c' collides with existing topic: a_b.c",
        ]
    );
    // A command refuses it too (the page's topic form), with the same message.
    let mut sim = Simulation::new(&setup(10), SimOptions::default()).expect("valid");
    let spec = |name: &str| TopicSpec {
        name: name.into(),
        partitions: 1,
        replication_factor: 1,
        min_insync_replicas: None,
        unclean_leader_election_enable: None,
        replica_assignment: None,
    };
    sim.apply(Command::CreateTopic(spec("x.y")))
        .expect("created");
    assert_eq!(
        sim.apply(Command::CreateTopic(spec("x_y"))),
        Err(CommandError::Invalid {
            field: "name",
            reason: "Topic 'x_y' collides with existing topic: x.y".into(),
        })
    );
    assert_eq!(
        sim.apply(Command::CreateTopic(spec("x.y"))),
        Err(CommandError::DuplicateTopic("x.y".into()))
    );
    assert!(kafka_sim::topics_collide("a.b_c", "a_b.c"));
    assert!(!kafka_sim::topics_collide("a.b", "a-b"));
}

#[test]
fn group_instance_ids_follow_kafkas_join_group_request() {
    // clients/src/main/java/org/apache/kafka/common/requests/JoinGroupRequest.java:
    // validateGroupInstanceId.
    let id_error = |id: &str| {
        let doc = serde_json::json!({"version": 1, "cluster": {"brokers": 1}, "topics": [{"name": "t"}],
            "steps": [{"join_group": {"group": "g", "consumer": "c", "topics": ["t"],
                       "config": {"group.instance.id": id}}}]});
        errors(&doc.to_string())
    };
    let at = r#"steps[0].join_group.config["group.instance.id"]: "#;
    assert_eq!(
        id_error(""),
        [format!("{at}Group instance id must be non-empty string")]
    );
    assert_eq!(
        id_error("."),
        [format!(r#"{at}Group instance id cannot be "." or "..""#)]
    );
    assert_eq!(
        id_error(".."),
        [format!(r#"{at}Group instance id cannot be "." or "..""#)]
    );
    assert!(id_error(&"i".repeat(249)).is_empty());
    assert_eq!(
        id_error(&"i".repeat(3_000_000)),
        [format!(
            "{at}Group instance id can't be longer than 249 characters: {}…",
            "i".repeat(40)
        )]
    );
    assert_eq!(
        id_error("<b>x</b>"),
        [format!(
            r#"{at}Group instance id "<b>x</b>" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'"#
        )]
    );
    // The page's group form goes through scenario::consumer_config, and a command through
    // the simulation: the same rule for both.
    let doc = kafka_sim::scenario::ConsumerConfigDoc {
        group_instance_id: Some("a b".into()),
        ..Default::default()
    };
    let (key, reason) =
        scenario::consumer_config(kafka_sim::Client::Java, &doc).expect_err("refused");
    assert_eq!(key, "group.instance.id");
    assert!(
        reason.starts_with(r#"Group instance id "a b" is illegal"#),
        "{reason}"
    );
    let mut sim = Simulation::new(&setup(10), SimOptions::default()).expect("valid");
    let mut config = ConsumerConfig::defaults(kafka_sim::Client::Java);
    config.group_instance_id = Some("a b".into());
    assert_eq!(
        sim.apply(Command::JoinGroup {
            group: "g".into(),
            consumer: "c".into(),
            topics: vec!["t".into()],
            config,
        }),
        Err(CommandError::Invalid {
            field: "group.instance.id",
            reason
        })
    );
}

#[test]
fn a_long_group_name_is_refused_as_too_long_not_as_empty() {
    // The bug: a 250-character group was refused as "may not be empty" by a command.
    let join = |group: String| Command::JoinGroup {
        group,
        consumer: "c".into(),
        topics: vec!["t".into()],
        config: ConsumerConfig::defaults(kafka_sim::Client::Java),
    };
    let mut sim = Simulation::new(&setup(10), SimOptions::default()).expect("valid");
    let Err(CommandError::Invalid { field, reason }) = sim.apply(join("g".repeat(250))) else {
        panic!("a 250-character group is refused");
    };
    assert_eq!(field, "group");
    assert!(!reason.contains("empty"), "{reason}");
    assert_eq!(
        reason,
        "a group name of 250 characters is too long: the playground allows at most 249 (its \
         own limit; Kafka sets none on a group.id)"
    );
    // The document says the same, and an empty group gets Kafka's message
    // (ClassicKafkaConsumer: InvalidGroupIdException).
    let doc = |group: &str| {
        serde_json::json!({"version": 1, "cluster": {"brokers": 1}, "topics": [{"name": "t"}],
            "steps": [{"join_group": {"group": group, "consumer": "c", "topics": ["t"]}}]})
        .to_string()
    };
    assert_eq!(
        errors(&doc(&"g".repeat(250))),
        [format!("steps[0].join_group.group: {reason}")]
    );
    assert_eq!(
        errors(&doc("")),
        [
            "steps[0].join_group.group: a group name may not be empty (Kafka: \"The configured \
          group.id should not be an empty string or whitespace.\")"
        ]
    );
    // Kafka sets no rule on a group id's characters: a space is fine.
    assert!(errors(&doc(&format!("my group {}", "g".repeat(240)))).is_empty());
    assert!(sim.apply(join("g".repeat(249))).is_ok());
}

#[test]
fn the_playgrounds_own_limits_say_they_are_the_playgrounds() {
    let big = "v".repeat(limits::MAX_KEY_OR_VALUE_BYTES + 1);
    let e = errors(&format!(
        r#"{{"version": 1, "cluster": {{"brokers": 1}}, "topics": [{{"name": "t"}}],
            "producers": [{{"id": "{}"}}, {{"id": "p"}}],
            "steps": [{{"produce": {{"producer": "p", "topic": "t", "key": "{big}", "value": null}}}}]}}"#,
        "p".repeat(65)
    ));
    assert_eq!(
        e,
        [
            "producers[0].id: a producer id needs 1 to 64 characters (the playground's limit, \
             not Kafka's)",
            "steps[0].produce.key: is 4097 bytes long; at most 4096 bytes of UTF-8 are allowed \
             (the playground's limit, not Kafka's)",
        ]
    );
    let mut sim = Simulation::new(&setup(10), SimOptions::default()).expect("valid");
    let refused = sim
        .apply(Command::Produce {
            producer: "p".into(),
            topic: "t".into(),
            key: None,
            value: Some(big.as_str().into()),
        })
        .expect_err("too big")
        .to_string();
    assert!(
        refused.contains("the playground's limit, not Kafka's"),
        "{refused}"
    );
}

#[test]
fn validate_refuses_what_run_would_refuse() {
    // Latency 0 with replica.fetch.wait.max.ms 0 passed `validate` and livelocked `run`;
    // so did latency 0 with Kafka's defaults once a consumer's leader stopped. One check
    // refuses it in both, with a path.
    let doc = |latency: u64, wait: u64| {
        format!(
            r#"{{"version": 1, "network": {{"latency_ms": {latency}}},
                "cluster": {{"brokers": 3, "config": {{"replica.fetch.wait.max.ms": {wait}}}}},
                "topics": [{{"name": "t", "partitions": 2, "replication_factor": 3}}],
                "steps": [{{"join_group": {{"group": "g", "consumer": "c", "topics": ["t"]}}}},
                          {{"advance_ms": 50}}, {{"stop_broker": 1}}, {{"stop_broker": 2}},
                          {{"advance_ms": 20000}}]}}"#
        )
    };
    let why = "network.latency_ms: 0 ms is too little: with no latency, a request answered at \
               once and sent again (a consumer asking a stopped broker, a follower's fetch with \
               replica.fetch.wait.max.ms 0) repeats forever at one simulated instant; the least \
               is 1 ms";
    assert_eq!(errors(&doc(0, 0)), [why]);
    assert_eq!(errors(&doc(0, 500)), [why]);
    // The simulation refuses the same set-up with the same words.
    let e = Simulation::new(&setup(0), SimOptions::default()).expect_err("no latency");
    assert_eq!(format!("{e}"), why);
    // What validate passes, run runs (a millisecond is enough for time to move).
    for (latency, wait) in [(1, 0), (1, 500), (10, 0)] {
        let s = parse(&doc(latency, wait)).expect("valid");
        let run = scenario::run(&s, SimOptions::default());
        assert!(
            run.is_ok(),
            "latency {latency}, wait {wait}: {:?}",
            run.err()
        );
    }
}

fn setup(latency_ms: u64) -> Setup {
    Setup {
        seed: 1,
        latency_ms,
        brokers: 1,
        config: ClusterConfig::default(),
        topics: vec![TopicSpec {
            name: "t".into(),
            partitions: 1,
            replication_factor: 1,
            min_insync_replicas: None,
            unclean_leader_election_enable: None,
            replica_assignment: None,
        }],
        producers: vec![kafka_sim::ProducerSpec {
            id: "p".into(),
            config: kafka_sim::ProducerConfig::defaults(kafka_sim::Client::Java),
        }],
    }
}
