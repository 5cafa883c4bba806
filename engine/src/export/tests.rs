//! What the exports hold; that real tools accept them is checked against Kafka itself
//! (oracle/python/exports.py, run by scripts/test).

use super::*;
use crate::scenario::parse;

fn doc(text: &str) -> Scenario {
    parse(text).expect("valid")
}

const TWO: &str = r#"{"version": 1, "cluster": {"brokers": 3, "config": {"unclean.leader.election.enable": true}},
  "topics": [{"name": "orders", "partitions": 2, "replication_factor": 3, "config": {"min.insync.replicas": 2},
              "replica_assignment": [[1, 2, 3], [2, 3, 1]]},
             {"name": "audit", "partitions": 4, "replication_factor": 2}],
  "producers": [{"id": "web-api", "client": "dotnet", "config": {"acks": "all", "delivery.timeout.ms": 6000}},
                {"id": "java-app", "client": "java", "config": {"acks": "1"}}],
  "steps": [{"produce": {"producer": "web-api", "topic": "orders", "key": "user-42", "value": "paid"}},
            {"join_group": {"group": "g", "consumer": "c1", "topics": ["orders"],
                            "config": {"partition.assignment.strategy": "sticky", "auto.offset.reset": "earliest"}}}]}"#;

fn one(doc: &Scenario, f: Format) -> String {
    let files = render(doc, f).expect("exports");
    assert_eq!(files.len(), 1);
    files[0].contents.clone()
}

#[test]
fn a_scenario_without_topics_is_refused_with_a_reason() {
    let d = doc(r#"{"version": 1, "cluster": {"brokers": 1}}"#);
    for (_, f) in Format::ALL {
        let e = render(&d, f).expect_err("nothing to export");
        assert!(e.to_string().contains("no topic"), "{e}");
    }
}

#[test]
fn topics_give_the_assignment_or_the_counts_and_every_setting() {
    let s = one(&doc(TWO), Format::Topics);
    assert!(s.contains("--topic orders --replica-assignment 1:2:3,2:3:1 --config min.insync.replicas=2 --config unclean.leader.election.enable=true"), "{s}");
    assert!(s.contains("--topic audit --partitions 4 --replication-factor 2 --config unclean.leader.election.enable=true"), "{s}");
}

#[test]
fn compose_names_settings_as_the_image_reads_them() {
    assert_eq!(
        cluster::env_name_for_tests("unclean.leader.election.enable"),
        "KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE"
    );
    assert_eq!(cluster::env_name_for_tests("a_b-c"), "KAFKA_A__B___C");
    let s = one(&doc(TWO), Format::Compose);
    assert_eq!(s.matches("image: apache/kafka:4.4.0").count(), 4, "{s}");
    assert!(s.contains("KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE: \"true\""));
    assert!(s.contains("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: \"3\""));
}

#[test]
fn librdkafka_uses_each_clients_partitioner_and_javas_idempotence_default() {
    let v: serde_json::Value =
        serde_json::from_str(&one(&doc(TWO), Format::Librdkafka)).expect("JSON");
    assert_eq!(
        v["producers"]["web-api"]["partitioner"],
        "consistent_random"
    );
    assert_eq!(v["producers"]["web-api"]["message.timeout.ms"], "6000");
    assert_eq!(v["producers"]["java-app"]["partitioner"], "murmur2_random");
    // Java's idempotence is on only with acks=all (ProducerConfig.postProcessAndValidateIdempotenceConfigs).
    assert_eq!(v["producers"]["java-app"]["enable.idempotence"], "false");
    assert!(
        v["consumers"]["c1"]
            .get("partition.assignment.strategy")
            .is_none()
    );
    assert_eq!(v["notes"].as_array().map(Vec::len), Some(1));
}

#[test]
fn java_and_dotnet_carry_the_settings_and_records() {
    let d = doc(TWO);
    let j = one(&d, Format::Java);
    assert!(j.contains("p.put(\"delivery.timeout.ms\", \"6000\");"));
    assert!(j.contains("Crc32Partitioner.class.getName()"));
    assert!(j.contains("org.apache.kafka.clients.consumer.StickyAssignor"));
    assert!(j.contains("send(producerWebApi, \"web-api\", \"orders\", \"user-42\", \"paid\", 0);"));
    let files = render(&d, Format::Dotnet).expect("exports");
    let program = &files
        .iter()
        .find(|f| f.path == "Producer/Program.cs")
        .expect("producer")
        .contents;
    assert!(
        program.contains("Partitioner = Partitioner.ConsistentRandom,"),
        "{program}"
    );
    assert!(program.contains("MessageTimeoutMs = 6000,"));
    assert!(files.iter().any(|f| f.path == "NOTES.md"));
}
