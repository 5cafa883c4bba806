//! The `kafka-sim` binary as a user runs it: output shape, exit codes, errors on standard
//! error only, `partition` against the vectors, `assign` against every assignor case.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

fn kafka_sim(args: &[&str], stdin: Option<&str>) -> (String, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kafka-sim"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kafka-sim starts");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write stdin");
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().expect("kafka-sim ends");
    (
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
        out.status.code().unwrap_or(-1),
    )
}

fn repo(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

const EXAMPLE: &str = "scenarios/examples/format-example.json";

#[test]
fn run_prints_the_documented_shape() {
    let (out, err, code) = kafka_sim(&["run", &repo(EXAMPLE)], None);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("JSON on stdout");
    // The top-level fields, in the documented order.
    let at = |k: &str| {
        out.find(&format!("\n  \"{k}\":"))
            .unwrap_or_else(|| panic!("no {k}"))
    };
    let order = [
        "time_ms", "brokers", "topics", "produced", "groups", "consumed",
    ];
    assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{out}");
    assert_eq!(v.as_object().expect("object").len(), order.len());
    assert_eq!(v["time_ms"], 40100);
    assert_eq!(
        v["brokers"][0],
        serde_json::json!({"id": 1, "status": "running"})
    );
    let p = &v["topics"][0]["partitions"][0];
    for k in [
        "partition",
        "leader",
        "leader_epoch",
        "replicas",
        "isr",
        "high_watermark",
        "logs",
    ] {
        assert!(p.get(k).is_some(), "partition lacks {k}: {p}");
    }
    let log = &v["topics"][0]["partitions"][1]["logs"][0];
    assert_eq!(
        log["records"][0],
        serde_json::json!({"offset": 0, "key": "user-42", "value": "paid", "leader_epoch": 0})
    );
    let produced = &v["produced"][0];
    assert_eq!(
        produced,
        &serde_json::json!({"step": 0, "producer": "web-api", "topic": "orders", "key": "user-42",
            "value": "paid", "partition": 1, "status": "acked", "offset": 0, "error": null})
    );
}

#[test]
fn run_prints_groups_and_consumed_as_documented() {
    let (out, err, code) = kafka_sim(
        &[
            "run",
            &repo("scenarios/groups/two-consumers-share-a-topic.json"),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let g = &v["groups"][0];
    assert_eq!(g["group"], "billing");
    assert_eq!(g["assignor"], "range");
    assert!(g["generation"].as_i64().expect("generation") >= 1);
    assert_eq!(
        g["members"][1],
        serde_json::json!({"consumer": "c2", "status": "running",
            "assignment": ["orders-0", "orders-1", "orders-2", "orders-3"]})
    );
    assert_eq!(g["committed"]["orders-3"], 3);
    assert_eq!(g["lag"]["orders-3"], 0);
    let c = &v["consumed"][0];
    let keys: Vec<&str> = c
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut want = ["consumer", "topic", "partition", "offset", "key", "value"];
    want.sort();
    assert_eq!(keys, want);
}

#[test]
fn run_reads_standard_input_and_gives_the_same_output_as_the_file() {
    let text = std::fs::read_to_string(repo(EXAMPLE)).expect("read");
    let (from_stdin, _, code) = kafka_sim(&["run", "-"], Some(&text));
    assert_eq!(code, 0);
    let (from_file, _, _) = kafka_sim(&["run", &repo(EXAMPLE)], None);
    assert_eq!(from_stdin, from_file);
}

#[test]
fn a_hostile_document_cannot_forge_a_line_or_flood_the_terminal() {
    // A name that clears the screen and forges an error line, an unknown key of a
    // megabyte, a bad value of a megabyte: one short, escaped line each (issue 14).
    let forged = "\\u001b[2J\\u001b[H\\nsteps[0]: all good";
    let huge = "k".repeat(1 << 20);
    let doc = format!(
        r#"{{"version": 1, "cluster": {{"brokers": 1}}, "topics": [{{"name": "{forged}"}}],
            "producers": [{{"id": "p", "config": {{"acks": "{huge}"}}}}], "{huge}": 1}}"#
    );
    for cmd in ["run", "validate"] {
        let (out, err, code) = kafka_sim(&[cmd, "-"], Some(&doc));
        assert_eq!((code, out.as_str()), (2, ""), "{cmd}");
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 3, "{err}");
        assert!(!err.contains('\u{1b}'), "{err}");
        assert!(lines.iter().all(|l| l.len() < 300), "{err}");
        assert!(lines.contains(&r#"topics[0].name: Topic name is invalid: '\u{1b}[2J\u{1b}[H\nsteps[0]: all good' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"#), "{err}");
        assert!(lines.iter().any(|l| l.starts_with(r#"["kkkkk"#)), "{err}");
    }
    // A repeated key too: JSON would keep the last silently.
    let (_, err, code) = kafka_sim(
        &["validate", "-"],
        Some(r#"{"version": 1, "cluster": {"brokers": 1, "brokers": 2}}"#),
    );
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "cluster.brokers: this key appears twice in its object (JSON would keep only the last)\n"
    );
}

#[test]
fn a_refused_document_exits_2_with_one_line_per_problem_and_nothing_on_stdout() {
    let doc = r#"{"version": 1, "cluster": {"brokers": 3, "config": {"replica.lag.time.max": 5}},
        "topics": [{"name": "orders", "partitions": 3, "replication_factor": 4}],
        "producers": [{"id": "p", "client": "python"}],
        "steps": [{"produce": {"producer": "nobody", "topic": "orders", "value": "x"}}]}"#;
    for cmd in ["run", "validate"] {
        let (out, err, code) = kafka_sim(&[cmd, "-"], Some(doc));
        assert_eq!(code, 2, "{cmd}");
        assert_eq!(out, "", "{cmd} printed to stdout");
        let lines: Vec<&str> = err.lines().collect();
        assert!(lines.iter().any(|l| l.starts_with(r#"cluster.config["replica.lag.time.max"]: unknown field; did you mean "replica.lag.time.max.ms"?"#)), "{err}");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("producers[0].client: expected \"java\" or \"dotnet\"")),
            "{err}"
        );
    }
    let (_, err, code) = kafka_sim(
        &["validate", "-"],
        Some(
            r#"{"version": 1, "cluster": {"brokers": 3}, "topics": [{"name": "orders", "replication_factor": 4}]}"#,
        ),
    );
    assert_eq!(code, 2);
    assert_eq!(
        err.trim(),
        "topics[0].replication_factor: 4 is more than the 3 brokers"
    );
}

#[test]
fn validate_accepts_every_scenario_of_the_repository() {
    for f in std::fs::read_dir(repo("scenarios/failures")).expect("dir") {
        let p = f.expect("entry").path();
        if p.to_string_lossy().ends_with(".expect.json") {
            continue;
        }
        let (out, err, code) = kafka_sim(&["validate", &p.to_string_lossy()], None);
        assert_eq!(code, 0, "{}: {err}", p.display());
        assert!(out.starts_with("ok:"));
    }
}

#[test]
fn version_names_the_kafka_and_clients_it_models() {
    let (out, err, code) = kafka_sim(&["--version"], None);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "kafka-sim {}: models Apache Kafka 4.4.0 (KRaft), Java client 4.4.0, librdkafka 2.16.x\n",
            env!("CARGO_PKG_VERSION")
        )
    );
    assert!(err.is_empty());
}

#[test]
fn a_missing_file_or_bad_usage_exits_2() {
    let (out, err, code) = kafka_sim(&["run", "/nonexistent.json"], None);
    assert_eq!((out.as_str(), code), ("", 2));
    assert!(err.contains("cannot read"));
    let (_, _, code) = kafka_sim(&["frobnicate"], None);
    assert_eq!(code, 2);
    let (_, err, code) = kafka_sim(
        &["partition", "--client", "go", "--partitions", "0", "k"],
        None,
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("--client") && err.contains("--partitions"),
        "{err}"
    );
}

#[test]
fn trace_prints_one_event_per_line_in_past_tense() {
    let (out, _, code) = kafka_sim(
        &[
            "run",
            "--trace",
            &repo("scenarios/failures/1-acks1-leader-dies-before-replicating.json"),
        ],
        None,
    );
    assert_eq!(code, 0);
    let events: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert!(
        events
            .iter()
            .any(|e| e["type"] == "RecordTruncated" && e["value"] == "R")
    );
    assert!(events.iter().any(|e| e["type"] == "LeaderElected"));
    let seqs: Vec<u64> = events
        .iter()
        .map(|e| e["seq"].as_u64().expect("seq"))
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn partition_matches_the_murmur2_and_crc32_vectors() {
    for (file, client) in [("murmur2.json", "java"), ("crc32.json", "dotnet")] {
        let text =
            std::fs::read_to_string(repo(&format!("engine/tests/vectors/{file}"))).expect("read");
        let cases: Vec<Value> = serde_json::from_str(&text).expect("JSON");
        let mut checked = 0;
        for case in cases {
            if case
                .get("partitioner")
                .is_some_and(|p| p != "consistent_random")
            {
                continue;
            }
            let key = case["key"].as_str().expect("key");
            if key.contains('\0') {
                // A process argument cannot hold NUL; the engine's own vector test covers it.
                continue;
            }
            let n = case["partitions"].to_string();
            let (out, err, code) = kafka_sim(
                &[
                    "partition",
                    "--client",
                    client,
                    "--partitions",
                    &n,
                    "--",
                    key,
                ],
                None,
            );
            assert_eq!(code, 0, "{err}");
            let v: Value = serde_json::from_str(&out).expect("JSON");
            assert_eq!(v[0]["key"], key);
            assert_eq!(
                v[0]["partition"], case["partition"],
                "{client} {key:?} over {n}"
            );
            checked += 1;
        }
        assert!(checked > 30, "{file}: only {checked} cases");
    }
}

#[test]
fn partition_takes_keys_after_double_dash_even_if_they_look_like_options() {
    let (out, _, code) = kafka_sim(
        &[
            "partition",
            "--client",
            "java",
            "--partitions",
            "6",
            "--",
            "--client",
            "-x",
            "user-42",
        ],
        None,
    );
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let keys: Vec<&str> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["key"].as_str().expect("key"))
        .collect();
    assert_eq!(keys, ["--client", "-x", "user-42"]);
    // The reference's table: user-42 over 6 partitions is 4 for Java, 1 for .NET.
    assert_eq!(v[2]["partition"], 4);
    let (out, _, _) = kafka_sim(
        &[
            "partition",
            "--client",
            "dotnet",
            "--partitions",
            "6",
            "user-42",
        ],
        None,
    );
    assert_eq!(
        serde_json::from_str::<Value>(&out).expect("JSON")[0]["partition"],
        1
    );
}

#[test]
fn assign_reproduces_every_assignor_vector() {
    let text = std::fs::read_to_string(repo("engine/tests/vectors/assignors.json")).expect("read");
    let cases: Vec<Value> = serde_json::from_str(&text).expect("JSON");
    assert!(cases.len() >= 29);
    for case in &cases {
        let mut doc = case["input"].clone();
        doc["assignor"] = case["assignor"].clone();
        let (out, err, code) = kafka_sim(&["assign", "-"], Some(&doc.to_string()));
        assert_eq!(code, 0, "{}: {err}", case["name"]);
        let got: Value = serde_json::from_str(&out).expect("JSON");
        let expected = case["expected"].as_object().expect("expected");
        assert_eq!(
            got.as_object().expect("object").len(),
            expected.len(),
            "{}",
            case["name"]
        );
        for (member, want) in expected {
            let mut want: Vec<String> = want
                .as_array()
                .expect("list")
                .iter()
                .map(|s| s.as_str().expect("tp").to_string())
                .collect();
            let mut have: Vec<String> = got[member]
                .as_array()
                .unwrap_or_else(|| panic!("{} lacks {member}", case["name"]))
                .iter()
                .map(|s| s.as_str().expect("tp").to_string())
                .collect();
            if case["order_matters"] != true {
                want.sort();
                have.sort();
            }
            assert_eq!(have, want, "{}: {member}", case["name"]);
        }
    }
}

/// Real topics have thousands of partitions: `partition` accepts up to Kafka's own limit
/// for one topic, 10,000 (`ReplicationControlManager.validateTotalNumberOfPartitions`,
/// `MAX_PARTITIONS_PER_BATCH`), and refuses one more. The expected partitions come from the
/// vectors' hashes (Kafka's `UtilsTest.testMurmur2`, librdkafka's `0048-partitioner.c`),
/// taken modulo the larger counts here.
#[test]
fn partition_accepts_any_count_up_to_kafkas_limit() {
    for (file, client) in [("murmur2.json", "java"), ("crc32.json", "dotnet")] {
        let text =
            std::fs::read_to_string(repo(&format!("engine/tests/vectors/{file}"))).expect("read");
        let cases: Vec<Value> = serde_json::from_str(&text).expect("JSON");
        let case = cases
            .iter()
            .find(|c| {
                c["key"]
                    .as_str()
                    .is_some_and(|k| k.len() > 3 && !k.contains('\0'))
            })
            .expect("a keyed case");
        let key = case["key"].as_str().expect("key");
        // murmur2: Utils.toPositive(hash) % n; crc32: the unsigned CRC % n.
        let hash = case
            .get("positive")
            .and_then(Value::as_u64)
            .or_else(|| case["hash"].as_u64())
            .expect("hash");
        for n in [257u64, 1000, 4099, 10_000] {
            let (out, err, code) = kafka_sim(
                &[
                    "partition",
                    "--client",
                    client,
                    "--partitions",
                    &n.to_string(),
                    "--",
                    key,
                ],
                None,
            );
            assert_eq!(code, 0, "{client} {n}: {err}");
            let v: Value = serde_json::from_str(&out).expect("JSON");
            assert_eq!(v[0]["partition"], hash % n, "{client} {key:?} over {n}");
        }
    }
    let (out, err, code) = kafka_sim(
        &[
            "partition",
            "--client",
            "java",
            "--partitions",
            "10001",
            "k",
        ],
        None,
    );
    assert_eq!((out.as_str(), code), ("", 2));
    assert!(
        err.contains("--partitions") && err.contains("10000") && err.contains("10001"),
        "{err}"
    );
}

#[test]
fn export_writes_each_format_and_refuses_bad_arguments_with_status_2() {
    let (out, err, code) = kafka_sim(&["export", "--to", "topics", &repo(EXAMPLE)], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "--topic orders --replica-assignment 1:2:3,2:3:1,3:1:2 --config min.insync.replicas=2"
        ),
        "{out}"
    );
    let (out, _, code) = kafka_sim(&["export", "--to", "dotnet", &repo(EXAMPLE)], None);
    assert_eq!(code, 0);
    assert!(out.contains("// ==> Producer/Program.cs <=="), "{out}");
    let dir = std::env::temp_dir().join(format!("kafka-sim-export-{}", std::process::id()));
    let (out, err, code) = kafka_sim(
        &[
            "export",
            "--to",
            "dotnet",
            "--out",
            dir.to_str().expect("utf-8"),
            &repo(EXAMPLE),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 4, "{out}");
    assert!(dir.join("Consumer/Program.cs").exists());
    std::fs::remove_dir_all(&dir).expect("clean up");

    for args in [
        vec!["export", &repo(EXAMPLE)][..].to_vec(),
        vec!["export", "--to", "yaml", &repo(EXAMPLE)],
        vec!["export", "--to", "java"],
        vec!["export", "--to"],
    ] {
        let (out, err, code) = kafka_sim(&args, None);
        assert_eq!((out.as_str(), code), ("", 2), "{args:?}");
        assert!(
            err.contains("--to") || err.contains("FILE"),
            "{args:?}: {err}"
        );
    }
    let (out, err, code) = kafka_sim(
        &["export", "--to", "java", "-"],
        Some(r#"{"version": 1, "cluster": {"brokers": 1}}"#),
    );
    assert_eq!((out.as_str(), code), ("", 2));
    assert!(err.contains("nothing to export"), "{err}");
}

/// The exports name the Kafka the oracle runs (oracle/pom.xml's kafka.version): a change of
/// one is a change of both.
#[test]
fn the_exports_name_the_kafka_version_the_oracle_runs() {
    let pom = std::fs::read_to_string(repo("oracle/pom.xml")).expect("oracle/pom.xml");
    let version = pom
        .split("<kafka.version>")
        .nth(1)
        .and_then(|rest| rest.split("</kafka.version>").next())
        .expect("kafka.version in the pom");
    assert_eq!(version, kafka_sim::export::KAFKA_VERSION);
    let (out, _, code) = kafka_sim(&["export", "--to", "compose", &repo(EXAMPLE)], None);
    assert_eq!(code, 0);
    assert!(
        out.contains(&format!("image: apache/kafka:{version}")),
        "{out}"
    );
}

const KEYED_LESSON: &str = "scenarios/lessons/04-keys-pick-the-partition.json";

#[test]
fn lesson_check_and_solve_print_each_goal_and_whether_it_is_met() {
    let (out, err, code) = kafka_sim(&["lesson", "check", &repo(KEYED_LESSON)], None);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        v,
        serde_json::json!({"lesson": "04-keys-pick-the-partition",
                           "goals": [{"id": "same-key", "met": false}]})
    );
    let (out, err, code) = kafka_sim(&["lesson", "solve", &repo(KEYED_LESSON)], None);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["goals"][0]["met"], true);
}

#[test]
fn a_lesson_with_a_goal_naming_a_missing_topic_is_refused_with_its_path() {
    let text = std::fs::read_to_string(repo(KEYED_LESSON)).expect("lesson");
    let bad = text.replace(
        "\"topic\": \"orders\",\n            \"at_least\"",
        "\"topic\": \"order\",\n            \"at_least\"",
    );
    assert_ne!(bad, text, "the goal's topic was replaced");
    let (out, err, code) = kafka_sim(&["lesson", "check", "-"], Some(&bad));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.starts_with(
            "lesson.goals[0].when.same_key_one_partition.topic: no topic is named 'order'"
        ),
        "{err}"
    );
    let (_, err, code) = kafka_sim(&["lesson", "grade", &repo(KEYED_LESSON)], None);
    assert_eq!(code, 2);
    assert!(
        err.contains("expected 'check FILE' or 'solve FILE'"),
        "{err}"
    );
}
