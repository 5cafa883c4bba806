//! Which Kafka the playground models, and where it knowingly does otherwise: the data the
//! page shows in its About and beside the cluster settings, and `kafka-sim --version`
//! prints.
//!
//! Defaults and rules are those of these versions: the Java client's defaults were read
//! from `ProducerConfig`/`ConsumerConfig` of kafka-clients 4.4.0, the broker's from
//! `ReplicationConfigs`, `KRaftConfigs`, `ServerLogConfigs` and `GroupCoordinatorConfig`
//! of the 4.4.0 jars, and the rules from Kafka's source (trunk at 1eb7644, checked against
//! the 4.4.0 classes where they changed) and librdkafka's (master at 4c3b017, 2.15+).

/// The Apache Kafka broker and controller modelled (KRaft mode; ZooKeeper is gone in 4.x).
pub const KAFKA_VERSION: &str = "4.4.0";

/// The Apache Kafka Java client modelled (the `java` client).
pub const JAVA_CLIENT_VERSION: &str = "4.4.0";

/// The librdkafka modelled (the `dotnet` client: Confluent.Kafka is built on it).
pub const LIBRDKAFKA_VERSION: &str = "2.16.x";

/// The versions in one line, as the page and `kafka-sim --version` say them.
pub const MODELLED: &str = "Apache Kafka 4.4.0 (KRaft), Java client 4.4.0, librdkafka 2.16.x";

/// Where the playground knowingly differs from the versions it models.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Simplification {
    /// A stable name for it.
    pub id: &'static str,
    /// Where the page shows it: `"cluster"` (beside the cluster settings) or `"producer"`.
    pub shows_in: &'static str,
    /// What the playground does instead, and what Kafka does, in plain words.
    pub sentence: &'static str,
}

/// The simplifications a learner could notice, each one sentence.
pub const SIMPLIFICATIONS: &[Simplification] = &[
    Simplification {
        id: "eligible-leader-replicas",
        shows_in: "cluster",
        sentence: "Leader elections work as in a Kafka 4.4 cluster with eligible leader replicas \
                   turned off (eligible.leader.replicas.version=0): when a partition's last \
                   in-sync replica fails it stays offline until that replica returns, while a \
                   new 4.4 cluster (KIP-966, on by default since 4.1) may instead elect a \
                   replica that left the in-sync set while it was below min.insync.replicas.",
    },
    Simplification {
        id: "one-request-in-flight",
        shows_in: "producer",
        sentence: "Each producer sends one request per partition at a time \
                   (as max.in.flight.requests.per.connection=1), so a retry never overtakes a \
                   later batch; the Java client sends up to 5 and librdkafka up to 1,000,000 \
                   (5 with idempotence), and without idempotence (the .NET client's default) a \
                   retried batch can land after the ones sent after it.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_one_line_names_every_version() {
        for v in [KAFKA_VERSION, JAVA_CLIENT_VERSION, LIBRDKAFKA_VERSION] {
            assert!(MODELLED.contains(v), "{MODELLED} lacks {v}");
        }
    }

    #[test]
    fn each_simplification_is_one_sentence_with_a_place() {
        let mut ids: Vec<&str> = SIMPLIFICATIONS.iter().map(|s| s.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), SIMPLIFICATIONS.len(), "ids are unique");
        for s in SIMPLIFICATIONS {
            assert!(matches!(s.shows_in, "cluster" | "producer"), "{}", s.id);
            assert!(s.sentence.ends_with('.'), "{}", s.id);
            assert_eq!(
                s.sentence.matches(". ").count(),
                0,
                "{}: one sentence",
                s.id
            );
            assert!(!s.sentence.contains("  "), "{}: no double spaces", s.id);
        }
    }
}
