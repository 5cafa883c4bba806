//! The scenario document (`scenario-format.md`, version 1): its types, strict decoding
//! with errors that name their path, and running it.

mod cost;
mod decode;
mod output;
pub(crate) mod read;
mod run;
mod settings;
mod timeline;

use std::fmt;

use serde::Serialize;

pub use cost::CostWalker;
pub use decode::parse;
pub use output::{RunOutput, run_output};
pub use read::excerpt;
pub use run::{Moment, Run, cluster_config, consumer_config, producer_config, run, run_observed};
pub use settings::{ClusterConfigDoc, ConsumerConfigDoc, ProducerConfigDoc, TopicConfigDoc};
pub use timeline::{Mark, Timeline};

/// One problem with a scenario document: where, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScenarioError {
    /// Where, as `topics[0].replication_factor` (empty for the document itself).
    pub path: String,
    /// Why.
    pub message: String,
}

impl ScenarioError {
    /// The name the path ends with: the setting or field the problem concerns
    /// (`broker.session.timeout.ms` for `cluster.config["broker.session.timeout.ms"]`,
    /// `replication_factor` for `topics[0].replication_factor`, `steps` for `steps[3]`).
    pub fn field(&self) -> &str {
        read::last_name(&self.path)
    }
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
