//! The normative output of `kafka-sim run` (`scenario-format.md`, "Output").

use std::sync::Arc;

use serde::Serialize;

use super::{Scenario, Step};
use crate::assignor::AssignorName;
use crate::consumer::ConsumerStatus;
use crate::ids::{BrokerId, LeaderEpoch, Offset, PartitionId};
use crate::kafka_error::KafkaError;
use crate::produced::ProduceStatus;
use crate::scenario::Run;
use crate::snapshot::{BrokerStatus, NamedOffsets};

/// The document `kafka-sim run` prints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunOutput {
    /// Simulated time at the end.
    pub time_ms: u64,
    /// Brokers.
    pub brokers: Vec<BrokerOut>,
    /// Topics.
    pub topics: Vec<TopicOut>,
    /// One entry per `produce` step, in step order.
    pub produced: Vec<ProducedOut>,
    /// Consumer groups.
    pub groups: Vec<GroupOut>,
    /// Every delivery to a consumer, in the order consumers received them.
    pub consumed: Vec<ConsumedOut>,
}

/// `groups[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GroupOut {
    /// The group.
    pub group: Arc<str>,
    /// Its generation.
    pub generation: i32,
    /// The assignor in use.
    pub assignor: AssignorName,
    /// Every consumer that joined it.
    pub members: Vec<MemberOut>,
    /// Committed offsets: the next offset to read.
    pub committed: NamedOffsets,
    /// High watermark minus committed.
    pub lag: NamedOffsets,
}

/// `groups[].members[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MemberOut {
    /// The consumer.
    pub consumer: Arc<str>,
    /// `running`, `stopped` or `left`.
    pub status: ConsumerStatus,
    /// Its partitions (`orders-0`).
    pub assignment: Vec<String>,
}

/// `consumed[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConsumedOut {
    /// The consumer.
    pub consumer: Arc<str>,
    /// The topic.
    pub topic: Arc<str>,
    /// The partition.
    pub partition: PartitionId,
    /// The offset.
    pub offset: Offset,
    /// The key.
    pub key: Option<Arc<str>>,
    /// The value.
    pub value: Option<Arc<str>>,
}

/// `brokers[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BrokerOut {
    /// Its id.
    pub id: BrokerId,
    /// `running` or `stopped`.
    pub status: BrokerStatus,
}

/// `topics[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TopicOut {
    /// Its name.
    pub name: Arc<str>,
    /// Its partitions.
    pub partitions: Vec<PartitionOut>,
}

/// `topics[].partitions[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartitionOut {
    /// Its number.
    pub partition: PartitionId,
    /// The leader, `null` while offline.
    pub leader: Option<BrokerId>,
    /// The leader epoch.
    pub leader_epoch: LeaderEpoch,
    /// The replicas.
    pub replicas: Vec<BrokerId>,
    /// The in-sync replicas.
    pub isr: Vec<BrokerId>,
    /// The high watermark.
    pub high_watermark: Offset,
    /// One log per replica, in `replicas` order.
    pub logs: Vec<LogOut>,
}

/// `logs[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LogOut {
    /// The broker.
    pub broker: BrokerId,
    /// Its log end offset.
    pub log_end_offset: Offset,
    /// Its records, in offset order.
    pub records: Vec<RecordOut>,
}

/// `records[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordOut {
    /// Its offset.
    pub offset: Offset,
    /// Its key.
    pub key: Option<Arc<str>>,
    /// Its value.
    pub value: Option<Arc<str>>,
    /// The leader epoch it was written in.
    pub leader_epoch: LeaderEpoch,
}

/// `produced[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProducedOut {
    /// The step's index.
    pub step: usize,
    /// The producer.
    pub producer: Arc<str>,
    /// The topic.
    pub topic: Arc<str>,
    /// The key.
    pub key: Option<Arc<str>>,
    /// The value.
    pub value: Option<Arc<str>>,
    /// The partition chosen, once chosen.
    pub partition: Option<PartitionId>,
    /// `acked`, `failed` or `pending`.
    pub status: ProduceStatus,
    /// Where it was written, as acknowledged.
    pub offset: Option<Offset>,
    /// Kafka's error name when failed.
    pub error: Option<KafkaError>,
}

/// The output of a finished run.
pub fn run_output(scenario: &Scenario, run: &Run) -> RunOutput {
    let snap = run.sim.snapshot();
    let topics = snap
        .topics
        .iter()
        .map(|t| TopicOut {
            name: t.name.clone(),
            partitions: t
                .partitions
                .iter()
                .map(|p| PartitionOut {
                    partition: p.partition,
                    leader: p.leader,
                    leader_epoch: p.leader_epoch,
                    replicas: p.replicas.clone(),
                    isr: p.isr.clone(),
                    high_watermark: p.high_watermark,
                    logs: p
                        .logs
                        .iter()
                        .map(|l| LogOut {
                            broker: l.broker,
                            log_end_offset: l.log_end_offset,
                            records: l
                                .records
                                .iter()
                                .map(|r| RecordOut {
                                    offset: r.offset,
                                    key: r.key.clone(),
                                    value: r.value.clone(),
                                    leader_epoch: r.leader_epoch,
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let produced = run
        .produced
        .iter()
        .filter_map(|(step, result)| {
            let Some(Step::Produce(doc)) = scenario.steps.get(*step) else {
                return None;
            };
            let rec = result
                .as_ref()
                .ok()
                .and_then(|id| run.sim.produced().get(*id));
            Some(match rec {
                Some(r) => ProducedOut {
                    step: *step,
                    producer: r.producer.clone(),
                    topic: r.topic.clone(),
                    key: r.key.clone(),
                    value: r.value.clone(),
                    partition: r.partition,
                    status: r.status,
                    offset: r.offset,
                    error: r.error,
                },
                None => ProducedOut {
                    step: *step,
                    producer: doc.producer.as_str().into(),
                    topic: doc.topic.as_str().into(),
                    key: doc.key.as_deref().map(Arc::from),
                    value: doc.value.as_deref().map(Arc::from),
                    partition: None,
                    status: ProduceStatus::Failed,
                    offset: None,
                    error: Some(KafkaError::UnknownTopicOrPartition),
                },
            })
        })
        .collect();
    RunOutput {
        time_ms: snap.time_ms,
        brokers: snap
            .brokers
            .iter()
            .map(|b| BrokerOut {
                id: b.id,
                status: b.status,
            })
            .collect(),
        topics,
        produced,
        groups: snap
            .groups
            .iter()
            .map(|g| GroupOut {
                group: g.group.clone(),
                generation: g.generation,
                assignor: g.assignor,
                members: g
                    .members
                    .iter()
                    .map(|m| MemberOut {
                        consumer: m.consumer.clone(),
                        status: m.status,
                        assignment: m.assignment.clone(),
                    })
                    .collect(),
                committed: g.committed.clone(),
                lag: g.lag.clone(),
            })
            .collect(),
        consumed: run
            .sim
            .consumed()
            .iter()
            .map(|c| ConsumedOut {
                consumer: c.consumer.clone(),
                topic: c.topic.clone(),
                partition: c.partition,
                offset: c.offset,
                key: c.key.clone(),
                value: c.value.clone(),
            })
            .collect(),
    }
}
