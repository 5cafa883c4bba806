//! Commands: validated intent from a user, a scenario step or a test. The one door for
//! change besides the passing of time.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::config::ProducerConfig;
use crate::consumer::ConsumerConfig;
use crate::ids::BrokerId;

/// A topic to create, as in `kafka-topics --create`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicSpec {
    /// The topic name.
    pub name: String,
    /// Number of partitions.
    pub partitions: u32,
    /// Replicas per partition.
    pub replication_factor: u32,
    /// `min.insync.replicas`; the broker default when `None`.
    pub min_insync_replicas: Option<u32>,
    /// `unclean.leader.election.enable` for this topic; the broker default when `None`.
    pub unclean_leader_election_enable: Option<bool>,
    /// Explicit replicas per partition (first = preferred leader).
    pub replica_assignment: Option<Vec<Vec<BrokerId>>>,
}

/// A producer to start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerSpec {
    /// Its name, used by produce commands.
    pub id: String,
    /// Its settings, resolved with its client's defaults.
    pub config: ProducerConfig,
}

/// Something to do to the simulated cluster now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// The producer picks a partition and sends the record to its leader.
    Produce {
        /// The producer's name.
        producer: String,
        /// The topic.
        topic: String,
        /// `None` for a record without key.
        key: Option<Arc<str>>,
        /// `None` for a null value (a tombstone).
        value: Option<Arc<str>>,
    },
    /// The broker crashes: messages to and from it are lost, its log stays.
    StopBroker(BrokerId),
    /// A stopped broker starts again with its log.
    StartBroker(BrokerId),
    /// A new empty broker joins with the next free id.
    AddBroker,
    /// The producer sends `rate_per_sec` records per simulated second to `topic` until
    /// told otherwise (0 stops). Record `n` has the value `auto-n` and, with `keys` > 0,
    /// the key `key-(n mod keys)`; with `keys` = 0 no key.
    AutoProduce {
        /// The producer's name.
        producer: String,
        /// The topic.
        topic: String,
        /// Records per simulated second (0 stops).
        rate_per_sec: u32,
        /// How many distinct keys (0: records without key).
        keys: u32,
    },
    /// Creates a topic.
    CreateTopic(TopicSpec),
    /// Starts a producer.
    AddProducer(ProducerSpec),
    /// A new consumer subscribes to `topics` in `group`.
    JoinGroup {
        /// The group.
        group: String,
        /// The consumer's unique name (also its member id).
        consumer: String,
        /// The topics it subscribes to.
        topics: Vec<String>,
        /// Its settings.
        config: ConsumerConfig,
    },
    /// The consumer closes cleanly: commits (with auto-commit) and leaves.
    LeaveGroup(String),
    /// The consumer process dies: the group notices after `session.timeout.ms`.
    StopConsumer(String),
    /// The consumer commits the positions it has consumed.
    Commit(String),
}
