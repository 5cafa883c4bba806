//! Snapshots: the view model. Everything the page and the CLI show, read from the
//! simulation as data: typed ids ([`TopicPartition`], [`NodeId`]), no live actor.

use std::sync::Arc;

use serde::Serialize;

pub use crate::broker::LostRecord;
pub use crate::consumed::{ConsumedRecord, ConsumedTable};
pub use crate::consumer::{ConsumerStatus, MemberPhase};
pub use crate::group::GroupPhase;
pub use crate::log::RecordId;
pub use crate::message::{MessageFamily, MessageKind};
pub use crate::node::NodeId;
pub use crate::produced::{ProduceStatus, ProducedRecord, ProducedTable};

use crate::assignor::AssignorName;
use crate::client::Client;
use crate::config::Acks;
use crate::ids::{BrokerId, LeaderEpoch, Offset, PartitionId, TopicPartition};
use crate::node::Node;
use crate::partitioner::Partitioner;
use crate::sim::{Item, Simulation};
use crate::topic::Tp;

/// Whether a broker process runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BrokerStatus {
    /// It runs.
    Running,
    /// It crashed and has not started again.
    Stopped,
}

/// A broker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BrokerSnapshot {
    /// Its id.
    pub id: BrokerId,
    /// Running or stopped.
    pub status: BrokerStatus,
    /// Whether the controller has fenced it.
    pub fenced: bool,
}

/// A record in a replica's log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordSnapshot {
    /// Its offset.
    pub offset: Offset,
    /// Its key.
    pub key: Option<Arc<str>>,
    /// Its value.
    pub value: Option<Arc<str>>,
    /// The leader epoch it was written in.
    pub leader_epoch: LeaderEpoch,
    /// The produced record it is a copy of.
    pub record: RecordId,
}

/// A replica's role as the broker itself sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplicaRole {
    /// It leads the partition.
    Leader,
    /// It follows a leader (or waits for one).
    Follower,
    /// It has no metadata (its broker is stopped or starting).
    Unknown,
}

/// One broker's copy of a partition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LogSnapshot {
    /// The broker.
    pub broker: BrokerId,
    /// Its role.
    pub role: ReplicaRole,
    /// Its log end offset.
    pub log_end_offset: Offset,
    /// Its own high watermark.
    pub high_watermark: Offset,
    /// The latest records whose contents are shown, in offset order.
    pub records: Vec<RecordSnapshot>,
    /// Records before `records` that are not shown.
    pub records_not_shown: u64,
    /// Records this replica lost to truncation, most recent last.
    pub lost: Vec<LostRecord>,
}

/// A partition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartitionSnapshot {
    /// Its number.
    pub partition: PartitionId,
    /// The leader, `None` while offline.
    pub leader: Option<BrokerId>,
    /// The leader epoch.
    pub leader_epoch: LeaderEpoch,
    /// The assigned replicas (first = preferred leader).
    pub replicas: Vec<BrokerId>,
    /// The in-sync replicas.
    pub isr: Vec<BrokerId>,
    /// The partition's high watermark: records below it are committed.
    pub high_watermark: Offset,
    /// Whether the ISR is smaller than `min.insync.replicas` (acks=all is refused).
    pub under_min_isr: bool,
    /// Each replica's log, in `replicas` order.
    pub logs: Vec<LogSnapshot>,
}

/// A topic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TopicSnapshot {
    /// Its name.
    pub name: Arc<str>,
    /// Its replication factor.
    pub replication_factor: u32,
    /// `min.insync.replicas`.
    pub min_insync_replicas: u32,
    /// Its partitions.
    pub partitions: Vec<PartitionSnapshot>,
}

/// A producer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProducerSnapshot {
    /// Its name.
    pub id: Arc<str>,
    /// Its client library.
    pub client: Client,
    /// Its `acks`.
    pub acks: Acks,
    /// Its partitioner.
    pub partitioner: Partitioner,
    /// Whether it is idempotent.
    pub idempotent: bool,
    /// Records accepted and not yet answered.
    pub records_waiting: u64,
    /// Requests awaiting a response.
    pub requests_in_flight: usize,
    /// What it produces on its own, if an auto-produce schedule runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_produce: Option<AutoProduceSnapshot>,
}

/// A producer's auto-produce schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AutoProduceSnapshot {
    /// The topic.
    pub topic: Arc<str>,
    /// Records per simulated second.
    pub rate_per_sec: u32,
    /// Distinct keys `key-0 ...` (0: records without key).
    pub keys: u32,
}

/// A number per partition (an offset, a lag), in partition order; serialized as a JSON
/// object keyed `"orders-0"`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartitionValues(pub Vec<(TopicPartition, u64)>);

impl PartitionValues {
    /// The value for `tp`, if there is one.
    pub fn get(&self, tp: &TopicPartition) -> Option<u64> {
        self.0.iter().find(|(p, _)| p == tp).map(|(_, v)| *v)
    }
}

impl Serialize for PartitionValues {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(&k.to_string(), v)?;
        }
        m.end()
    }
}

/// A consumer as a group shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MemberSnapshot {
    /// The consumer's name.
    pub consumer: Arc<str>,
    /// Running, stopped or left.
    pub status: ConsumerStatus,
    /// Where it is in the group protocol.
    pub phase: MemberPhase,
    /// Whether the coordinator counts it as a member.
    pub in_group: bool,
    /// Its partitions: what it owns if it runs, else what the coordinator still holds for it.
    pub assignment: Vec<TopicPartition>,
    /// Partitions it gave up in a rebalance that nobody owns yet (an eager rebalance gives
    /// up everything; a cooperative one only what moves).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub awaiting_owner: Vec<TopicPartition>,
    /// Its position (next offset to read) per partition, while it runs.
    pub positions: PartitionValues,
    /// The topics it subscribes to.
    pub topics: Vec<Arc<str>>,
    /// Its client library.
    pub client: Client,
    /// `group.instance.id`, for a static member.
    pub group_instance_id: Option<Arc<str>>,
}

/// A consumer group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GroupSnapshot {
    /// Its name.
    pub group: Arc<str>,
    /// Its state at the coordinator.
    pub phase: GroupPhase,
    /// Its generation.
    pub generation: i32,
    /// The assignor in use.
    pub assignor: AssignorName,
    /// The broker coordinating it.
    pub coordinator: Option<BrokerId>,
    /// The member that computes assignments.
    pub leader: Option<Arc<str>>,
    /// Every consumer that joined it, in join order.
    pub members: Vec<MemberSnapshot>,
    /// Committed offsets (next offset to read).
    pub committed: PartitionValues,
    /// High watermark minus committed, for partitions with a committed offset.
    pub lag: PartitionValues,
}

/// A message on its way.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InFlightMessage {
    /// Kafka's name for it.
    pub kind: MessageKind,
    /// What it is about (the path it travels). Follows from `kind` and who sent it, so the
    /// JSON form leaves it out: a digest of snapshots hashes what happened, not how it is
    /// drawn.
    #[serde(skip)]
    pub family: MessageFamily,
    /// Whether it answers a request (follows from `kind`).
    #[serde(skip)]
    pub response: bool,
    /// Whether it is routine chatter: heartbeats, metadata (follows from `kind`).
    #[serde(skip)]
    pub routine: bool,
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// When it was sent.
    pub sent_at_ms: u64,
    /// When it arrives.
    pub arrives_at_ms: u64,
    /// Partitions it concerns.
    pub partitions: Vec<TopicPartition>,
    /// Records it carries.
    pub records: u64,
}

/// Everything there is to show at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    /// Simulated time.
    pub time_ms: u64,
    /// Brokers.
    pub brokers: Vec<BrokerSnapshot>,
    /// Topics.
    pub topics: Vec<TopicSnapshot>,
    /// Producers.
    pub producers: Vec<ProducerSnapshot>,
    /// The most recent produced records with their outcome.
    pub produced: Vec<ProducedRecord>,
    /// Consumer groups.
    pub groups: Vec<GroupSnapshot>,
    /// The most recent deliveries to consumers.
    pub consumed: Vec<ConsumedRecord>,
    /// Messages in flight, earliest arrival first.
    pub in_flight: Vec<InFlightMessage>,
    /// Events so far (the sequence number the next event will get).
    pub events_total: u64,
}

/// How much a snapshot includes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnapshotOptions {
    /// The latest records shown per log.
    pub records_per_log: usize,
    /// The latest produced records shown.
    pub produced: usize,
}

impl SnapshotOptions {
    /// Everything the simulation kept.
    pub const FULL: SnapshotOptions = SnapshotOptions {
        records_per_log: usize::MAX,
        produced: usize::MAX,
    };
}

impl Simulation {
    /// The node as the view model names it.
    pub fn node_id(&self, node: Node) -> NodeId {
        let unnamed = || Arc::from("?");
        match node {
            Node::Controller => NodeId::Controller,
            Node::Broker(b) => NodeId::Broker(b),
            Node::Producer(p) => NodeId::Producer(
                self.producers
                    .get(p as usize)
                    .map_or_else(unnamed, |pr| pr.name().clone()),
            ),
            Node::Consumer(c) => NodeId::Consumer(
                self.consumers
                    .get(c as usize)
                    .map_or_else(unnamed, |co| co.name().clone()),
            ),
        }
    }

    /// The view model's name of a partition.
    pub(crate) fn topic_partition(&self, tp: Tp) -> TopicPartition {
        TopicPartition::new(self.world.topics.name(tp.topic), tp.partition.0)
    }

    /// A snapshot of everything.
    pub fn snapshot(&self) -> Snapshot {
        self.snapshot_with(SnapshotOptions::FULL)
    }

    /// A snapshot limited by `opts` (a page draws a bounded number of cells).
    pub fn snapshot_with(&self, opts: SnapshotOptions) -> Snapshot {
        let brokers = self
            .brokers
            .iter()
            .map(|b| BrokerSnapshot {
                id: b.id(),
                status: if b.is_running() {
                    BrokerStatus::Running
                } else {
                    BrokerStatus::Stopped
                },
                fenced: self.controller.is_fenced(b.id()),
            })
            .collect();
        let mut topics = Vec::new();
        for (tid, info) in self.world.topics.iter() {
            let mut partitions = Vec::new();
            for p in 0..info.partitions {
                let tp = Tp {
                    topic: tid,
                    partition: PartitionId(p),
                };
                let Some(st) = self.controller.partition(tp) else {
                    continue;
                };
                let logs: Vec<LogSnapshot> = st
                    .replicas
                    .iter()
                    .filter_map(|b| self.log_snapshot(*b, tp, opts))
                    .collect();
                let high_watermark = match st.leader {
                    Some(l) => logs
                        .iter()
                        .find(|lg| lg.broker == l)
                        .map(|lg| lg.high_watermark),
                    None => logs.iter().map(|lg| lg.high_watermark).max(),
                }
                .unwrap_or_default();
                let min_isr = info.config.min_insync_replicas.min(info.replication_factor);
                partitions.push(PartitionSnapshot {
                    partition: PartitionId(p),
                    leader: st.leader,
                    leader_epoch: st.leader_epoch,
                    replicas: st.replicas.clone(),
                    isr: st.isr.clone(),
                    high_watermark,
                    under_min_isr: (st.isr.len() as u32) < min_isr,
                    logs,
                });
            }
            topics.push(TopicSnapshot {
                name: info.name.clone(),
                replication_factor: info.replication_factor,
                min_insync_replicas: info.config.min_insync_replicas,
                partitions,
            });
        }
        let producers = self
            .producers
            .iter()
            .map(|p| ProducerSnapshot {
                id: p.name().clone(),
                client: p.config().client,
                acks: p.config().acks,
                partitioner: p.config().partitioner,
                idempotent: p.config().enable_idempotence,
                records_waiting: p.records_waiting(),
                requests_in_flight: p.requests_in_flight(),
                auto_produce: p.auto_produce().map(|a| AutoProduceSnapshot {
                    topic: self.world.topics.name(a.topic),
                    rate_per_sec: a.rate_per_sec,
                    keys: a.keys,
                }),
            })
            .collect();
        let kept: Vec<&ProducedRecord> = self.shared.produced.iter().collect();
        let skip = kept.len().saturating_sub(opts.produced);
        let produced = kept[skip..].iter().map(|r| (*r).clone()).collect();
        let groups = self.group_snapshots(&topics);
        let kept: Vec<&ConsumedRecord> = self.shared.consumed.iter().collect();
        let skip = kept.len().saturating_sub(opts.produced);
        let consumed = kept[skip..].iter().map(|r| (*r).clone()).collect();
        Snapshot {
            time_ms: self.now.0,
            brokers,
            topics,
            producers,
            produced,
            groups,
            consumed,
            in_flight: self.in_flight(),
            events_total: self.shared.trace.total(),
        }
    }

    fn group_snapshots(&self, topics: &[TopicSnapshot]) -> Vec<GroupSnapshot> {
        let name = |tp: Tp| self.topic_partition(tp);
        let hw = |tp: Tp| {
            topics
                .get(tp.topic.0 as usize)
                .and_then(|t| t.partitions.get(tp.partition.0 as usize))
                .map(|p| p.high_watermark)
        };
        let mut names: Vec<Arc<str>> = Vec::new();
        for c in &self.consumers {
            if !names.contains(c.group()) {
                names.push(c.group().clone());
            }
        }
        names
            .into_iter()
            .map(|g| {
                let state = self.shared.groups.get(&g);
                let members = self
                    .consumers
                    .iter()
                    .filter(|c| c.group() == &g)
                    .map(|c| {
                        let at_coordinator = state.and_then(|s| s.members.get(c.name()));
                        let mut assignment: Vec<Tp> = match c.status() {
                            ConsumerStatus::Running => c.owned().collect(),
                            _ => at_coordinator
                                .map(|m| m.assignment.clone())
                                .unwrap_or_default(),
                        };
                        crate::collections::sort(&mut assignment);
                        MemberSnapshot {
                            consumer: c.name().clone(),
                            status: c.status(),
                            phase: c.phase(),
                            in_group: at_coordinator.is_some(),
                            assignment: assignment.into_iter().map(name).collect(),
                            awaiting_owner: self.shared.handovers.of(c.name()).map(name).collect(),
                            // A stopped process holds no position (whoever gets its
                            // partitions reads on from the committed offsets).
                            positions: PartitionValues(if c.status() == ConsumerStatus::Running {
                                c.positions()
                                    .iter()
                                    .map(|(tp, o)| (name(*tp), o.0))
                                    .collect()
                            } else {
                                Vec::new()
                            }),
                            topics: c.topics().to_vec(),
                            client: c.config().client,
                            group_instance_id: c.config().group_instance_id.clone(),
                        }
                    })
                    .collect();
                let committed: Vec<(Tp, Offset)> = state
                    .map(|s| s.committed.iter().map(|(tp, o)| (*tp, *o)).collect())
                    .unwrap_or_default();
                let assignor = state
                    .and_then(|s| s.assignor)
                    .or_else(|| {
                        self.consumers
                            .iter()
                            .find(|c| c.group() == &g)
                            .map(|c| c.config().assignor)
                    })
                    .unwrap_or(AssignorName::Range);
                GroupSnapshot {
                    phase: state.map_or(GroupPhase::Empty, |s| s.phase),
                    generation: state.map_or(0, |s| s.generation),
                    assignor,
                    coordinator: self.controller.coordinator_for(&g),
                    leader: state.and_then(|s| s.leader.clone()),
                    members,
                    lag: PartitionValues(
                        committed
                            .iter()
                            .map(|(tp, o)| {
                                (name(*tp), hw(*tp).unwrap_or_default().0.saturating_sub(o.0))
                            })
                            .collect(),
                    ),
                    committed: PartitionValues(
                        committed.iter().map(|(tp, o)| (name(*tp), o.0)).collect(),
                    ),
                    group: g,
                }
            })
            .collect()
    }

    fn log_snapshot(&self, b: BrokerId, tp: Tp, opts: SnapshotOptions) -> Option<LogSnapshot> {
        let broker = self.broker(b)?;
        let Some(replica) = broker.replica(tp) else {
            return Some(LogSnapshot {
                broker: b,
                role: ReplicaRole::Unknown,
                log_end_offset: Offset(0),
                high_watermark: Offset(0),
                records: Vec::new(),
                records_not_shown: 0,
                lost: Vec::new(),
            });
        };
        let log = replica.log();
        let kept: Vec<RecordSnapshot> = log
            .kept_records()
            .map(|(offset, leader_epoch, body)| RecordSnapshot {
                offset,
                key: body.key.clone(),
                value: body.value.clone(),
                leader_epoch,
                record: body.id,
            })
            .collect();
        let skip = kept.len().saturating_sub(opts.records_per_log);
        let records: Vec<RecordSnapshot> = kept.into_iter().skip(skip).collect();
        let role = if !broker.is_running() {
            ReplicaRole::Unknown
        } else if broker.is_leader_of(tp) {
            ReplicaRole::Leader
        } else if broker.known_leader_epoch(tp).is_some() {
            ReplicaRole::Follower
        } else {
            ReplicaRole::Unknown
        };
        Some(LogSnapshot {
            broker: b,
            role,
            log_end_offset: log.log_end_offset(),
            high_watermark: log.high_watermark(),
            records_not_shown: log.log_end_offset().0 - records.len() as u64,
            records,
            lost: replica.lost_records().cloned().collect(),
        })
    }

    /// Messages in flight, earliest arrival first.
    pub fn in_flight(&self) -> Vec<InFlightMessage> {
        let mut items: Vec<_> = self
            .queue
            .iter()
            .filter_map(|s| match &s.item {
                Item::Deliver {
                    from,
                    to,
                    sent_at,
                    msg,
                } => Some((s.at, s.seq, *from, *to, *sent_at, msg)),
                Item::Timer { .. } => None,
            })
            .collect();
        crate::collections::sort_by(&mut items, |a, b| (a.0, a.1) < (b.0, b.1));
        items
            .into_iter()
            .map(|(at, _, from, to, sent_at, msg)| {
                let (tps, records) = msg.payload();
                let kind = msg.kind();
                InFlightMessage {
                    kind,
                    family: msg.family(),
                    response: kind.is_response(),
                    routine: kind.is_routine(),
                    from: self.node_id(from),
                    to: self.node_id(to),
                    sent_at_ms: sent_at.0,
                    arrives_at_ms: at.0,
                    partitions: tps.into_iter().map(|tp| self.topic_partition(tp)).collect(),
                    records,
                }
            })
            .collect()
    }
}
