//! The scenario document (`scenario-format.md`, version 1): its types, strict decoding
//! with errors that name their path, and running it.

mod decode;
mod output;
mod run;
mod timeline;

use std::fmt;

use serde::Serialize;

pub use decode::parse;
pub use output::{RunOutput, run_output};
pub use run::{Moment, Run, consumer_config, producer_config, run, run_observed};
pub use timeline::Timeline;

/// One problem with a scenario document: where, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScenarioError {
    /// Where, as `topics[0].replication_factor` (empty for the document itself).
    pub path: String,
    /// Why.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// A scenario, as written. Optional fields stay `None` so that exporting gives back what
/// the author wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scenario {
    /// Always 1.
    pub version: u32,
    /// Seeds every random choice.
    pub seed: u64,
    /// Network settings.
    #[serde(skip_serializing_if = "NetworkDoc::is_empty")]
    pub network: NetworkDoc,
    /// The cluster.
    pub cluster: ClusterDoc,
    /// Topics at start.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<TopicDoc>,
    /// Producers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub producers: Vec<ProducerDoc>,
    /// What happens, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
}

/// `network`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NetworkDoc {
    /// One-way delay of every message (10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
}

impl NetworkDoc {
    fn is_empty(&self) -> bool {
        self.latency_ms.is_none()
    }
}

/// `cluster`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ClusterDoc {
    /// Brokers at start.
    pub brokers: u32,
    /// Broker settings that differ from Kafka's defaults.
    #[serde(skip_serializing_if = "ClusterConfigDoc::is_empty")]
    pub config: ClusterConfigDoc,
}

macro_rules! config_doc {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty = $key:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(rename = $key, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
        }

        impl $name {
            /// Kafka's names of the settings this block accepts.
            pub const KEYS: &'static [&'static str] = &[$($key),*];

            fn is_empty(&self) -> bool {
                true $(&& self.$field.is_none())*
            }
        }
    };
}

config_doc! {
    /// `cluster.config`: broker settings by Kafka's names.
    ClusterConfigDoc {
        /// `broker.session.timeout.ms`
        broker_session_timeout_ms: u64 = "broker.session.timeout.ms",
        /// `broker.heartbeat.interval.ms`
        broker_heartbeat_interval_ms: u64 = "broker.heartbeat.interval.ms",
        /// `replica.lag.time.max.ms`
        replica_lag_time_max_ms: u64 = "replica.lag.time.max.ms",
        /// `replica.fetch.wait.max.ms`
        replica_fetch_wait_max_ms: u64 = "replica.fetch.wait.max.ms",
        /// `replica.fetch.max.bytes`
        replica_fetch_max_bytes: u64 = "replica.fetch.max.bytes",
        /// `replica.fetch.backoff.ms`
        replica_fetch_backoff_ms: u64 = "replica.fetch.backoff.ms",
        /// `unclean.leader.election.enable`
        unclean_leader_election_enable: bool = "unclean.leader.election.enable",
        /// `min.insync.replicas` (the default for topics)
        min_insync_replicas: u32 = "min.insync.replicas",
        /// `auto.leader.rebalance.enable`
        auto_leader_rebalance_enable: bool = "auto.leader.rebalance.enable",
        /// `leader.imbalance.check.interval.seconds`
        leader_imbalance_check_interval_seconds: u64 = "leader.imbalance.check.interval.seconds",
        /// `leader.imbalance.per.broker.percentage`
        leader_imbalance_per_broker_percentage: u32 = "leader.imbalance.per.broker.percentage",
    }
}

config_doc! {
    /// `topics[].config`: topic settings by Kafka's names.
    TopicConfigDoc {
        /// `min.insync.replicas`
        min_insync_replicas: u32 = "min.insync.replicas",
        /// `unclean.leader.election.enable`
        unclean_leader_election_enable: bool = "unclean.leader.election.enable",
    }
}

config_doc! {
    /// `producers[].config`: producer settings by Kafka's names.
    ProducerConfigDoc {
        /// `acks`: "0", "1" or "all"
        acks: crate::config::Acks = "acks",
        /// `partitioner`
        partitioner: crate::partitioner::Partitioner = "partitioner",
        /// `enable.idempotence`
        enable_idempotence: bool = "enable.idempotence",
        /// `delivery.timeout.ms`
        delivery_timeout_ms: u64 = "delivery.timeout.ms",
        /// `request.timeout.ms`
        request_timeout_ms: u64 = "request.timeout.ms",
        /// `retries`
        retries: u32 = "retries",
        /// `retry.backoff.ms`
        retry_backoff_ms: u64 = "retry.backoff.ms",
        /// `retry.backoff.max.ms`
        retry_backoff_max_ms: u64 = "retry.backoff.max.ms",
        /// `linger.ms`
        linger_ms: u64 = "linger.ms",
        /// `batch.size`
        batch_size: u32 = "batch.size",
        /// `sticky.partitioning.linger.ms` (librdkafka)
        sticky_partitioning_linger_ms: u64 = "sticky.partitioning.linger.ms",
    }
}

config_doc! {
    /// `join_group.config`: consumer settings by Kafka's names.
    ConsumerConfigDoc {
        /// `partition.assignment.strategy`
        partition_assignment_strategy: crate::assignor::AssignorName = "partition.assignment.strategy",
        /// `auto.offset.reset`
        auto_offset_reset: crate::consumer::OffsetReset = "auto.offset.reset",
        /// `enable.auto.commit`
        enable_auto_commit: bool = "enable.auto.commit",
        /// `auto.commit.interval.ms`
        auto_commit_interval_ms: u64 = "auto.commit.interval.ms",
        /// `session.timeout.ms`
        session_timeout_ms: u64 = "session.timeout.ms",
        /// `heartbeat.interval.ms`
        heartbeat_interval_ms: u64 = "heartbeat.interval.ms",
        /// `max.poll.interval.ms`
        max_poll_interval_ms: u64 = "max.poll.interval.ms",
        /// `group.instance.id`
        group_instance_id: String = "group.instance.id",
        /// `isolation.level`
        isolation_level: crate::consumer::IsolationLevel = "isolation.level",
        /// `fetch.max.wait.ms`
        fetch_max_wait_ms: u64 = "fetch.max.wait.ms",
    }
}

/// The body of a `join_group` step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JoinGroupDoc {
    /// The group.
    pub group: String,
    /// The consumer's unique name.
    pub consumer: String,
    /// The topics it subscribes to.
    pub topics: Vec<String>,
    /// `"java"` or `"dotnet"` (default java): the consumer client's defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<crate::client::Client>,
    /// Its settings.
    #[serde(skip_serializing_if = "ConsumerConfigDoc::is_empty")]
    pub config: ConsumerConfigDoc,
}

/// `topics[]`, and the body of a `create_topic` step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TopicDoc {
    /// The topic's name.
    pub name: String,
    /// Number of partitions (1).
    pub partitions: u32,
    /// Replication factor (1).
    pub replication_factor: u32,
    /// Topic settings.
    #[serde(skip_serializing_if = "TopicConfigDoc::is_empty")]
    pub config: TopicConfigDoc,
    /// Explicit replicas per partition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replica_assignment: Option<Vec<Vec<u32>>>,
}

/// `producers[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProducerDoc {
    /// Its name.
    pub id: String,
    /// `"java"` or `"dotnet"`.
    pub client: crate::client::Client,
    /// Settings.
    #[serde(skip_serializing_if = "ProducerConfigDoc::is_empty")]
    pub config: ProducerConfigDoc,
}

/// The body of a `produce` step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProduceDoc {
    /// The producer's id.
    pub producer: String,
    /// The topic.
    pub topic: String,
    /// The key; `None` for none.
    pub key: Option<String>,
    /// The value; `None` for a null value.
    pub value: Option<String>,
}

/// The body of an `auto_produce` step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AutoProduceDoc {
    /// The producer's id.
    pub producer: String,
    /// The topic.
    pub topic: String,
    /// Records per simulated second (0 stops).
    pub rate_per_sec: u32,
    /// Distinct keys `key-0 ...` (0: records without key).
    pub keys: u32,
}

/// An empty object, as in `{"add_broker": {}}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Empty {}

/// One step of the script.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// A producer sends a record.
    Produce(ProduceDoc),
    /// Simulated time passes.
    AdvanceMs(u64),
    /// A broker crashes.
    StopBroker(u32),
    /// A stopped broker starts again.
    StartBroker(u32),
    /// A new broker joins.
    AddBroker(Empty),
    /// A producer starts (or stops) producing at a steady rate.
    AutoProduce(AutoProduceDoc),
    /// A topic is created.
    CreateTopic(TopicDoc),
    /// A new consumer joins a group.
    JoinGroup(JoinGroupDoc),
    /// A consumer closes cleanly.
    LeaveGroup(String),
    /// A consumer process dies.
    StopConsumer(String),
    /// A consumer commits what it consumed.
    Commit(String),
}

impl Scenario {
    /// The document as JSON (the format it was read from).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
