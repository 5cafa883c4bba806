//! Topics, topic partitions and a partition's registration with the controller.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::config::TopicConfig;
use crate::ids::{BrokerId, LeaderEpoch, PartitionId};

/// A topic's index in the cluster, in creation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct TopicId(pub u32);

/// A topic partition (`orders-2`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tp {
    /// The topic.
    pub topic: TopicId,
    /// The partition within it.
    pub partition: PartitionId,
}

/// A partition as registered with the controller: what leader election decides.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartitionState {
    /// The assigned replicas; the first is the preferred leader.
    pub replicas: Vec<BrokerId>,
    /// The in-sync replicas, in the order they joined.
    pub isr: Vec<BrokerId>,
    /// The leader, or `None` while the partition is offline.
    pub leader: Option<BrokerId>,
    /// Bumped on every leader change.
    pub leader_epoch: LeaderEpoch,
    /// Bumped on every change (KRaft's partition epoch).
    pub partition_epoch: u32,
}

/// What every actor may know of a topic once it exists.
#[derive(Clone, Debug)]
pub struct TopicInfo {
    /// The topic's name.
    pub name: Arc<str>,
    /// How many partitions it has.
    pub partitions: u32,
    /// Its replication factor.
    pub replication_factor: u32,
    /// Its settings.
    pub config: TopicConfig,
}

/// The topics of the cluster, indexed by [`TopicId`].
#[derive(Clone, Debug, Default)]
pub struct TopicTable {
    topics: Vec<TopicInfo>,
}

impl TopicTable {
    /// Adds a topic and returns its id.
    pub fn add(&mut self, info: TopicInfo) -> TopicId {
        self.topics.push(info);
        TopicId(self.topics.len() as u32 - 1)
    }

    /// The topic with this id.
    pub fn get(&self, id: TopicId) -> Option<&TopicInfo> {
        self.topics.get(id.0 as usize)
    }

    /// The id of the topic named `name`.
    pub fn find(&self, name: &str) -> Option<TopicId> {
        self.topics
            .iter()
            .position(|t| &*t.name == name)
            .map(|i| TopicId(i as u32))
    }

    /// All topics with their ids, in creation order.
    pub fn iter(&self) -> impl Iterator<Item = (TopicId, &TopicInfo)> {
        self.topics
            .iter()
            .enumerate()
            .map(|(i, t)| (TopicId(i as u32), t))
    }

    /// Number of topics.
    pub fn len(&self) -> usize {
        self.topics.len()
    }

    /// `orders-2` for a topic partition.
    pub fn display(&self, tp: Tp) -> TpName<'_> {
        TpName { table: self, tp }
    }

    /// The topic's name (empty for an unknown id, which the engine never hands out).
    pub fn name(&self, id: TopicId) -> Arc<str> {
        self.get(id)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| Arc::from(""))
    }
}

/// Displays a topic partition as Kafka does: `topic-partition`.
#[derive(Debug)]
pub struct TpName<'a> {
    table: &'a TopicTable,
    tp: Tp,
}

impl fmt::Display for TpName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.table.get(self.tp.topic) {
            Some(t) => write!(f, "{}-{}", t.name, self.tp.partition),
            None => write!(f, "?-{}", self.tp.partition),
        }
    }
}
