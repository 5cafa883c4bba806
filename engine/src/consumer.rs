//! A consumer client in a group (Java's `KafkaConsumer` with the classic group protocol,
//! and librdkafka's consumer, which follows the same protocol): finds its coordinator,
//! joins, runs the assignor when it leads, fetches from partition leaders up to the high
//! watermark, heartbeats, commits, and rejoins on rebalances — eagerly (revoke everything
//! first) or cooperatively (KIP-429: keep what stays, revoke only what moves).

mod validation;

use crate::collections::{Map, Set};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::actor::Ctx;
use crate::assignor::{AssignmentInput, AssignorName, TopicPartition};
use crate::client::Client;
use crate::event::Event;
use crate::ids::{BrokerId, LeaderEpoch, Offset, PartitionId, SimDuration, SimTime};
use crate::kafka_error::KafkaError;
use crate::message::{
    ConsumerFetched, Correlation, JoinRequest, JoinResult, Message, PartitionLeader,
};
use crate::node::Node;
use crate::rng::SimRng;
use crate::timer::Timer;
use crate::topic::{TopicId, Tp};

/// Where a consumer starts without a committed offset (`auto.offset.reset`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OffsetReset {
    /// The log start.
    Earliest,
    /// The high watermark: only records produced from now on.
    Latest,
}

impl OffsetReset {
    /// Both, as pickers list them.
    pub const ALL: [OffsetReset; 2] = [OffsetReset::Earliest, OffsetReset::Latest];

    /// Kafka's name (`"earliest"`, `"latest"`); the same as serde's.
    pub fn name(self) -> &'static str {
        match self {
            OffsetReset::Earliest => "earliest",
            OffsetReset::Latest => "latest",
        }
    }
}

/// A consumer's settings, resolved with its client's defaults.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerConfig {
    /// The client library.
    pub client: Client,
    /// `partition.assignment.strategy` (Java `[range, cooperative-sticky]` and librdkafka
    /// `range,roundrobin` both settle on range).
    pub assignor: AssignorName,
    /// `auto.offset.reset` (latest).
    pub auto_offset_reset: OffsetReset,
    /// `enable.auto.commit` (true).
    pub enable_auto_commit: bool,
    /// `auto.commit.interval.ms` (5000).
    pub auto_commit_interval_ms: u64,
    /// `session.timeout.ms` (45000).
    pub session_timeout_ms: u64,
    /// `heartbeat.interval.ms` (3000).
    pub heartbeat_interval_ms: u64,
    /// `max.poll.interval.ms` (300000): also the rebalance timeout.
    pub max_poll_interval_ms: u64,
    /// `group.instance.id`: a static member.
    pub group_instance_id: Option<Arc<str>>,
    /// `isolation.level`: librdkafka defaults to read_committed, Java to
    /// read_uncommitted. Without transactions both read up to the high watermark.
    pub isolation_level: IsolationLevel,
    /// `fetch.max.wait.ms` (500).
    pub fetch_max_wait_ms: u64,
    /// `retry.backoff.ms` (100).
    pub retry_backoff_ms: u64,
    /// `request.timeout.ms` (30000).
    pub request_timeout_ms: u64,
}

impl ConsumerConfig {
    /// The defaults of `client`.
    pub fn defaults(client: Client) -> ConsumerConfig {
        ConsumerConfig {
            client,
            assignor: AssignorName::Range,
            auto_offset_reset: OffsetReset::Latest,
            enable_auto_commit: true,
            auto_commit_interval_ms: 5_000,
            session_timeout_ms: 45_000,
            heartbeat_interval_ms: 3_000,
            max_poll_interval_ms: 300_000,
            group_instance_id: None,
            isolation_level: match client {
                Client::Java => IsolationLevel::ReadUncommitted,
                Client::Dotnet => IsolationLevel::ReadCommitted,
            },
            fetch_max_wait_ms: 500,
            retry_backoff_ms: 100,
            request_timeout_ms: 30_000,
        }
    }
}

/// `isolation.level`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IsolationLevel {
    /// Read up to the last stable offset (librdkafka's default).
    ReadCommitted,
    /// Read up to the high watermark (Java's default).
    ReadUncommitted,
}

impl IsolationLevel {
    /// Both, in Kafka's order.
    pub const ALL: [IsolationLevel; 2] = [
        IsolationLevel::ReadCommitted,
        IsolationLevel::ReadUncommitted,
    ];

    /// Kafka's name (`"read_committed"`, `"read_uncommitted"`); the same as serde's.
    pub fn name(self) -> &'static str {
        match self {
            IsolationLevel::ReadCommitted => "read_committed",
            IsolationLevel::ReadUncommitted => "read_uncommitted",
        }
    }
}

/// Whether a consumer process runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsumerStatus {
    /// It runs.
    Running,
    /// It died (the group notices after `session.timeout.ms`).
    Stopped,
    /// It closed and left its group.
    Left,
}

/// Where the member is in the group protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberPhase {
    /// Not in the group (yet, or again).
    Unjoined,
    /// JoinGroup sent.
    Joining,
    /// SyncGroup sent.
    Syncing,
    /// Has its partitions.
    Stable,
}

#[derive(Clone, Debug)]
enum Pending {
    Metadata,
    FindCoordinator,
    Join,
    Sync,
    Heartbeat,
    Commit,
    OffsetFetch(Vec<Tp>),
    ListOffsets(Vec<Tp>),
    Fetch(Vec<(Tp, Offset)>),
    /// OffsetsForLeaderEpoch for these positions (KIP-320).
    Validate(Vec<(Tp, Offset)>),
}

#[derive(Clone, Debug)]
struct InFlight {
    broker: BrokerId,
    what: Pending,
    deadline: SimTime,
}

/// A consumer client.
#[derive(Clone, Debug)]
pub struct Consumer {
    name: Arc<str>,
    group: Arc<str>,
    topics: Vec<Arc<str>>,
    topic_ids: Vec<TopicId>,
    config: ConsumerConfig,
    status: ConsumerStatus,
    rng: SimRng,
    bootstrap: Vec<BrokerId>,
    metadata: Map<TopicId, Vec<PartitionLeader>>,
    brokers: Vec<BrokerId>,
    needs_metadata: bool,
    coordinator: Option<BrokerId>,
    retry_at: SimTime,
    phase: MemberPhase,
    generation: i32,
    rejoin: bool,
    owned: Set<Tp>,
    /// The eager StickyAssignor's user data: what the member held before it revoked
    /// everything for the rebalance.
    previously_owned: Vec<Tp>,
    positions: Map<Tp, Offset>,
    /// Per position, the leader epoch of the record before it, where known
    /// (`FetchPosition.offsetEpoch`).
    offset_epochs: Map<Tp, LeaderEpoch>,
    /// Per position, the leader epoch it holds for (`FetchPosition.currentLeader`): when
    /// the metadata shows another, the position is validated.
    position_leader_epochs: Map<Tp, LeaderEpoch>,
    /// Positions waiting for validation (`FetchStates.AWAIT_VALIDATION`): not fetched.
    awaiting_validation: Set<Tp>,
    awaiting_position: Set<Tp>,
    committed: Map<Tp, Offset>,
    high_watermarks: Map<Tp, Offset>,
    next_heartbeat: SimTime,
    next_auto_commit: SimTime,
    leaving: bool,
    in_flight: Map<Correlation, InFlight>,
    next_correlation: Correlation,
    wakeup_at: Option<SimTime>,
}

impl Consumer {
    /// A consumer `name` of `group` subscribing to `topics`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        name: Arc<str>,
        group: Arc<str>,
        topics: Vec<(Arc<str>, TopicId)>,
        config: ConsumerConfig,
        seed: u64,
        bootstrap: Vec<BrokerId>,
        now: SimTime,
    ) -> Consumer {
        Consumer {
            rng: SimRng::stream(seed, &format!("consumer/{name}/network")),
            topics: topics.iter().map(|(n, _)| n.clone()).collect(),
            topic_ids: topics.iter().map(|(_, t)| *t).collect(),
            name,
            group,
            config,
            status: ConsumerStatus::Running,
            bootstrap,
            metadata: Map::new(),
            brokers: Vec::new(),
            needs_metadata: true,
            coordinator: None,
            retry_at: now,
            phase: MemberPhase::Unjoined,
            generation: -1,
            rejoin: false,
            owned: Set::new(),
            previously_owned: Vec::new(),
            positions: Map::new(),
            offset_epochs: Map::new(),
            position_leader_epochs: Map::new(),
            awaiting_validation: Set::new(),
            awaiting_position: Set::new(),
            committed: Map::new(),
            high_watermarks: Map::new(),
            next_heartbeat: now,
            next_auto_commit: now,
            leaving: false,
            in_flight: Map::new(),
            next_correlation: 0,
            wakeup_at: None,
        }
    }

    /// Its name (also its member id).
    pub fn name(&self) -> &Arc<str> {
        &self.name
    }

    /// Its group.
    pub fn group(&self) -> &Arc<str> {
        &self.group
    }

    /// Its subscribed topics.
    pub fn topics(&self) -> &[Arc<str>] {
        &self.topics
    }

    /// Its settings.
    pub fn config(&self) -> &ConsumerConfig {
        &self.config
    }

    /// Running, stopped or left.
    pub fn status(&self) -> ConsumerStatus {
        self.status
    }

    /// Where it is in the group protocol.
    pub fn phase(&self) -> MemberPhase {
        self.phase
    }

    /// The partitions it owns now.
    pub fn owned(&self) -> impl Iterator<Item = Tp> + '_ {
        self.owned.iter().copied()
    }

    /// Its position (next offset to read) per owned partition, where known.
    pub fn positions(&self) -> &Map<Tp, Offset> {
        &self.positions
    }

    fn corr(&mut self) -> Correlation {
        self.next_correlation += 1;
        self.next_correlation
    }

    fn schedule(&mut self, ctx: &mut Ctx<'_>, at: SimTime) {
        // Whatever is due now was done by the poll that asks; a wake-up at the current
        // instant could only spin (a heartbeat that is due but still in flight, say).
        let at = at.max(ctx.now.after(SimDuration(1)));
        if self.wakeup_at.is_none_or(|w| at < w || w < ctx.now) {
            self.wakeup_at = Some(at);
            ctx.timer(at, Timer::ConsumerWakeup);
        }
    }

    fn request(
        &mut self,
        ctx: &mut Ctx<'_>,
        broker: BrokerId,
        what: Pending,
        msg: impl FnOnce(Correlation) -> Message,
    ) {
        let c = self.corr();
        let deadline = ctx.now.after(SimDuration(self.config.request_timeout_ms));
        self.in_flight.insert(
            c,
            InFlight {
                broker,
                what,
                deadline,
            },
        );
        ctx.send(Node::Broker(broker), msg(c));
    }

    fn waiting_for(&self, pred: impl Fn(&Pending) -> bool) -> bool {
        self.in_flight.values().any(|f| pred(&f.what))
    }

    fn any_broker(&mut self) -> Option<BrokerId> {
        let nodes = if self.brokers.is_empty() {
            &self.bootstrap
        } else {
            &self.brokers
        };
        if nodes.is_empty() {
            return None;
        }
        let i = self.rng.below(nodes.len() as u32) as usize;
        Some(nodes[i])
    }

    fn tp_name(ctx: &Ctx<'_>, tp: Tp) -> String {
        ctx.world.topics.display(tp).to_string()
    }

    fn names(ctx: &Ctx<'_>, tps: impl IntoIterator<Item = Tp>) -> Vec<String> {
        tps.into_iter().map(|tp| Self::tp_name(ctx, tp)).collect()
    }

    /// The process dies: nothing more is sent; the group notices after its session.
    pub(crate) fn stop(&mut self, ctx: &mut Ctx<'_>) {
        self.status = ConsumerStatus::Stopped;
        self.in_flight.clear();
        ctx.handovers.gone(&self.name);
        let consumer = self.name.clone();
        ctx.emit(|| Event::ConsumerStopped { consumer });
    }

    /// `close()`: commit (with auto-commit), then leave the group. A static member does
    /// not send LeaveGroup (KIP-345): its session must expire.
    pub(crate) fn leave(&mut self, ctx: &mut Ctx<'_>) {
        self.leaving = true;
        if self.config.enable_auto_commit {
            self.commit_positions(ctx, None);
        }
        self.finish_leaving(ctx);
    }

    fn finish_leaving(&mut self, ctx: &mut Ctx<'_>) {
        if self.config.group_instance_id.is_none()
            && self.phase != MemberPhase::Unjoined
            && let Some(c) = self.coordinator
        {
            ctx.send(
                Node::Broker(c),
                Message::LeaveGroupRequest {
                    group: self.group.clone(),
                    member: self.name.clone(),
                },
            );
        }
        let revoked: Vec<Tp> = self.owned.iter().copied().collect();
        if !revoked.is_empty() {
            let (consumer, partitions) = (self.name.clone(), Self::names(ctx, revoked));
            ctx.emit(|| Event::PartitionsRevoked {
                consumer,
                partitions,
            });
        }
        self.owned.clear();
        self.clear_positions();
        self.status = ConsumerStatus::Left;
        ctx.handovers.gone(&self.name);
        let consumer = self.name.clone();
        ctx.emit(|| Event::ConsumerLeft { consumer });
    }

    /// `commitSync()` of the positions consumed so far (all owned partitions, or `only`).
    pub(crate) fn commit_positions(&mut self, ctx: &mut Ctx<'_>, only: Option<&[Tp]>) {
        let Some(c) = self.coordinator else {
            return;
        };
        let offsets: Vec<(Tp, Offset)> = self
            .positions
            .iter()
            .filter(|(tp, o)| {
                only.is_none_or(|o| o.contains(tp)) && self.committed.get(tp) != Some(o)
            })
            .map(|(tp, o)| (*tp, *o))
            .collect();
        if offsets.is_empty() || self.generation < 0 {
            return;
        }
        let leader_epochs = offsets
            .iter()
            .filter_map(|(tp, _)| self.offset_epochs.get(tp).map(|e| (*tp, *e)))
            .collect();
        let (group, member, generation) = (self.group.clone(), self.name.clone(), self.generation);
        self.request(ctx, c, Pending::Commit, |correlation| {
            Message::OffsetCommitRequest {
                correlation,
                group,
                member,
                generation,
                offsets,
                leader_epochs,
            }
        });
    }

    /// Reacts to its wake-up timer.
    pub(crate) fn on_timer(&mut self, ctx: &mut Ctx<'_>) {
        if self.wakeup_at == Some(ctx.now) {
            self.wakeup_at = None;
        }
        self.poll(ctx);
    }

    /// Reacts to a message.
    pub(crate) fn on_message(&mut self, ctx: &mut Ctx<'_>, from: Node, msg: Message) {
        if self.status != ConsumerStatus::Running {
            return;
        }
        if let Message::ConnectionClosed { broker } = msg {
            self.connection_closed(ctx, broker);
            self.poll(ctx);
            return;
        }
        let correlation = match &msg {
            Message::MetadataResponse { correlation, .. }
            | Message::FindCoordinatorResponse { correlation, .. }
            | Message::JoinGroupResponse { correlation, .. }
            | Message::SyncGroupResponse { correlation, .. }
            | Message::HeartbeatResponse { correlation, .. }
            | Message::OffsetCommitResponse { correlation, .. }
            | Message::OffsetFetchResponse { correlation, .. }
            | Message::ListOffsetsResponse { correlation, .. }
            | Message::OffsetsForLeaderEpochResponse { correlation, .. }
            | Message::ConsumerFetchResponse { correlation, .. } => *correlation,
            _ => return,
        };
        let Some(f) = self.in_flight.remove(&correlation) else {
            return;
        };
        let _ = from;
        match msg {
            Message::MetadataResponse {
                brokers, topics, ..
            } => {
                if !brokers.is_empty() {
                    self.brokers = brokers;
                }
                for (t, parts) in topics {
                    self.metadata.insert(t, parts);
                }
                self.needs_metadata = self.topic_ids.iter().any(|t| {
                    self.metadata
                        .get(t)
                        .is_none_or(|p| p.iter().any(|(l, _)| l.is_none()))
                });
                if self.needs_metadata {
                    self.retry_at = ctx.now.after(SimDuration(self.config.retry_backoff_ms * 5));
                }
            }
            Message::FindCoordinatorResponse { result, .. } => match result {
                Ok(b) => self.coordinator = Some(b),
                Err(_) => self.retry_at = ctx.now.after(SimDuration(self.config.retry_backoff_ms)),
            },
            Message::JoinGroupResponse { result, .. } => self.on_join(ctx, result),
            Message::SyncGroupResponse { result, .. } => self.on_sync(ctx, result),
            Message::HeartbeatResponse { error: Some(e), .. } => self.on_group_error(ctx, e),
            Message::OffsetCommitResponse {
                result: Ok(offsets),
                ..
            } => {
                for (tp, o) in &offsets {
                    self.committed.insert(*tp, *o);
                }
                let (consumer, group) = (self.name.clone(), self.group.clone());
                let offsets = offsets
                    .iter()
                    .map(|(tp, o)| (Self::tp_name(ctx, *tp), *o))
                    .collect();
                ctx.emit(|| Event::OffsetsCommitted {
                    consumer,
                    group,
                    offsets,
                });
            }
            Message::OffsetFetchResponse {
                result,
                leader_epochs,
                ..
            } => {
                let Pending::OffsetFetch(asked) = f.what else {
                    return;
                };
                match result {
                    Ok(found) => {
                        let mut reset = Vec::new();
                        for (tp, committed) in found {
                            if !self.owned.contains(&tp) || !self.awaiting_position.contains(&tp) {
                                continue;
                            }
                            match committed {
                                Some(o) => {
                                    // seekUnvalidated: with its committed leader epoch the
                                    // position is validated before the first fetch.
                                    let epoch = leader_epochs
                                        .iter()
                                        .find(|(t, _)| *t == tp)
                                        .map(|(_, e)| *e);
                                    self.seek(tp, o, epoch);
                                    self.committed.insert(tp, o);
                                    self.awaiting_position.remove(&tp);
                                }
                                None => reset.push(tp),
                            }
                        }
                        self.reset_offsets(ctx, reset, "no committed offset");
                    }
                    Err(e) => {
                        for tp in asked {
                            self.awaiting_position.remove(&tp);
                        }
                        self.on_group_error(ctx, e);
                    }
                }
            }
            Message::ListOffsetsResponse { partitions, .. } => {
                for (tp, r) in partitions {
                    self.awaiting_position.remove(&tp);
                    match r {
                        Ok((o, epoch)) if self.owned.contains(&tp) => {
                            self.seek(tp, o, Some(epoch));
                            if self.config.client == Client::Dotnet {
                                // librdkafka starts fetching at a reset offset at once
                                // (rd_kafka_offset_reset); Java's consumer validates it
                                // first (SubscriptionState.maybeSeekUnvalidated).
                                self.position_leader_epochs.insert(tp, epoch);
                            }
                            let (consumer, partition) = (self.name.clone(), Self::tp_name(ctx, tp));
                            ctx.emit(|| Event::OffsetReset {
                                consumer,
                                partition,
                                offset: o,
                                reason: "auto.offset.reset=latest".into(),
                            });
                        }
                        Ok(_) => {}
                        Err(_) => self.needs_metadata = true,
                    }
                }
            }
            Message::ConsumerFetchResponse { partitions, .. } => {
                let Pending::Fetch(asked) = f.what else {
                    return;
                };
                self.on_fetch(ctx, &asked, partitions);
            }
            Message::OffsetsForLeaderEpochResponse { partitions, .. } => {
                let Pending::Validate(asked) = f.what else {
                    return;
                };
                self.on_validation(ctx, &asked, partitions);
            }
            _ => {}
        }
        self.poll(ctx);
    }

    fn connection_closed(&mut self, ctx: &mut Ctx<'_>, broker: BrokerId) {
        let lost: Vec<Correlation> = self
            .in_flight
            .iter()
            .filter(|(_, f)| f.broker == broker)
            .map(|(c, _)| *c)
            .collect();
        for c in lost {
            if let Some(f) = self.in_flight.remove(&c) {
                self.request_failed(ctx, f);
            }
        }
    }

    fn request_failed(&mut self, ctx: &mut Ctx<'_>, f: InFlight) {
        self.retry_at = ctx.now.after(SimDuration(self.config.retry_backoff_ms));
        match f.what {
            Pending::Metadata => self.needs_metadata = true,
            Pending::FindCoordinator => {}
            Pending::Join | Pending::Sync | Pending::Heartbeat | Pending::Commit => {
                // The coordinator is gone: find the new one and rejoin.
                self.coordinator = None;
                if matches!(f.what, Pending::Join | Pending::Sync) {
                    self.phase = MemberPhase::Unjoined;
                }
            }
            Pending::OffsetFetch(tps) | Pending::ListOffsets(tps) => {
                for tp in tps {
                    self.awaiting_position.remove(&tp);
                }
                self.needs_metadata = true;
            }
            Pending::Fetch(_) | Pending::Validate(_) => self.needs_metadata = true,
        }
    }

    fn on_group_error(&mut self, ctx: &mut Ctx<'_>, e: KafkaError) {
        match e {
            KafkaError::NotCoordinator | KafkaError::CoordinatorNotAvailable => {
                self.coordinator = None;
                self.retry_at = ctx.now.after(SimDuration(self.config.retry_backoff_ms));
                if matches!(self.phase, MemberPhase::Joining | MemberPhase::Syncing) {
                    self.phase = MemberPhase::Unjoined;
                }
            }
            KafkaError::RebalanceInProgress => self.rejoin = true,
            KafkaError::IllegalGeneration | KafkaError::UnknownMemberId => {
                // The membership was fenced: its partitions are lost, not revoked (no
                // commit is possible any more).
                let lost: Vec<Tp> = self.owned.iter().copied().collect();
                ctx.handovers.given_up(&self.name, &lost);
                if !lost.is_empty() {
                    let (consumer, partitions) = (self.name.clone(), Self::names(ctx, lost));
                    ctx.emit(|| Event::PartitionsLost {
                        consumer,
                        partitions,
                    });
                }
                self.owned.clear();
                self.clear_positions();
                self.awaiting_position.clear();
                self.generation = -1;
                self.phase = MemberPhase::Unjoined;
            }
            _ => self.rejoin = true,
        }
    }

    fn on_join(&mut self, ctx: &mut Ctx<'_>, result: Result<Box<JoinResult>, KafkaError>) {
        let r = match result {
            Ok(r) => r,
            Err(e) => {
                self.phase = MemberPhase::Unjoined;
                self.on_group_error(ctx, e);
                return;
            }
        };
        self.generation = r.generation;
        self.phase = MemberPhase::Syncing;
        let assignments = if r.leader == self.name && !r.members.is_empty() {
            self.compute_assignment(ctx, &r)
        } else {
            Vec::new()
        };
        let Some(c) = self.coordinator else {
            self.phase = MemberPhase::Unjoined;
            return;
        };
        let (group, member, generation) = (self.group.clone(), self.name.clone(), self.generation);
        self.request(ctx, c, Pending::Sync, |correlation| {
            Message::SyncGroupRequest {
                correlation,
                group,
                member,
                generation,
                assignments,
            }
        });
    }

    /// The leader runs the group's assignor over its metadata.
    fn compute_assignment(&self, ctx: &Ctx<'_>, r: &JoinResult) -> Vec<(Arc<str>, Vec<Tp>)> {
        let mut partitions_per_topic = std::collections::BTreeMap::new();
        for m in &r.members {
            for t in &m.topics {
                if let Some(id) = ctx.world.topics.find(t)
                    && let Some(parts) = self.metadata.get(&id)
                {
                    partitions_per_topic.insert(t.clone(), parts.len() as u32);
                }
            }
        }
        let input = AssignmentInput {
            partitions_per_topic,
            members: r.members.clone(),
        };
        let out = (ctx.world.assign)(r.assignor, &input).unwrap_or_default();
        let to_tp = |tp: &TopicPartition| {
            ctx.world.topics.find(&tp.topic).map(|t| Tp {
                topic: t,
                partition: PartitionId(tp.partition),
            })
        };
        r.members
            .iter()
            .map(|m| {
                let tps = out
                    .assignment
                    .get(&m.member_id)
                    .map(|l| l.iter().filter_map(to_tp).collect())
                    .unwrap_or_default();
                (Arc::from(m.member_id.as_str()), tps)
            })
            .collect()
    }

    fn on_sync(&mut self, ctx: &mut Ctx<'_>, result: Result<Vec<Tp>, KafkaError>) {
        let assignment = match result {
            Ok(a) => a,
            Err(e) => {
                self.phase = MemberPhase::Unjoined;
                self.on_group_error(ctx, e);
                self.rejoin = true;
                return;
            }
        };
        self.phase = MemberPhase::Stable;
        self.rejoin = false;
        self.next_heartbeat = ctx
            .now
            .after(SimDuration(self.config.heartbeat_interval_ms));
        let new: Set<Tp> = assignment.into_iter().collect();
        let revoked: Vec<Tp> = self
            .owned
            .iter()
            .filter(|tp| !new.contains(tp))
            .copied()
            .collect();
        let added: Vec<Tp> = new
            .iter()
            .filter(|tp| !self.owned.contains(tp))
            .copied()
            .collect();
        if !revoked.is_empty() {
            // KIP-429: partitions that move are committed and revoked, then the member
            // rejoins so that the next rebalance can give them to their new owner.
            if self.config.enable_auto_commit {
                self.commit_positions(ctx, Some(&revoked));
            }
            for tp in &revoked {
                self.owned.remove(tp);
                self.clear_position(*tp);
                self.awaiting_position.remove(tp);
            }
            ctx.handovers.given_up(&self.name, &revoked);
            let (consumer, partitions) = (self.name.clone(), Self::names(ctx, revoked));
            ctx.emit(|| Event::PartitionsRevoked {
                consumer,
                partitions,
            });
            self.rejoin = true;
        }
        for tp in &added {
            self.owned.insert(*tp);
        }
        ctx.handovers.assigned(&added);
        if !added.is_empty() {
            let (consumer, partitions) = (self.name.clone(), Self::names(ctx, added));
            ctx.emit(|| Event::PartitionsAssigned {
                consumer,
                partitions,
            });
        }
    }

    /// Positions for partitions without one: the committed offset, else `auto.offset.reset`.
    fn reset_offsets(&mut self, ctx: &mut Ctx<'_>, tps: Vec<Tp>, why: &str) {
        let mut latest: Map<BrokerId, Vec<Tp>> = Map::new();
        for tp in tps {
            match self.config.auto_offset_reset {
                OffsetReset::Earliest => {
                    self.seek(tp, Offset(0), None);
                    self.awaiting_position.remove(&tp);
                    let (consumer, partition) = (self.name.clone(), Self::tp_name(ctx, tp));
                    let reason = format!("{why}; auto.offset.reset=earliest");
                    ctx.emit(|| Event::OffsetReset {
                        consumer,
                        partition,
                        offset: Offset(0),
                        reason,
                    });
                }
                OffsetReset::Latest => match self.leader_of(tp) {
                    Some(l) => {
                        self.awaiting_position.insert(tp);
                        latest.entry(l).or_default().push(tp);
                    }
                    None => {
                        self.awaiting_position.remove(&tp);
                        self.needs_metadata = true;
                    }
                },
            }
        }
        for (broker, tps) in latest {
            let partitions = tps.iter().map(|tp| (*tp, true)).collect();
            self.request(ctx, broker, Pending::ListOffsets(tps), |correlation| {
                Message::ListOffsetsRequest {
                    correlation,
                    partitions,
                }
            });
        }
    }

    /// Forgets every position (the partitions were revoked or lost).
    fn clear_positions(&mut self) {
        self.positions.clear();
        self.offset_epochs.clear();
        self.position_leader_epochs.clear();
        self.awaiting_validation.clear();
    }

    /// Forgets the position of `tp`.
    fn clear_position(&mut self, tp: Tp) {
        self.positions.remove(&tp);
        self.offset_epochs.remove(&tp);
        self.position_leader_epochs.remove(&tp);
        self.awaiting_validation.remove(&tp);
    }

    /// `seekUnvalidated`: a new position, with the epoch of the record before it if known;
    /// it is validated against the current leader before it is fetched from, if it has
    /// an epoch (see `validation.rs`).
    fn seek(&mut self, tp: Tp, offset: Offset, epoch: Option<LeaderEpoch>) {
        self.positions.insert(tp, offset);
        match epoch {
            Some(e) => self.offset_epochs.insert(tp, e),
            None => self.offset_epochs.remove(&tp),
        };
        self.position_leader_epochs.remove(&tp);
        self.awaiting_validation.remove(&tp);
    }

    /// The leader of `tp` and its epoch, as the metadata has them.
    fn leader_and_epoch(&self, tp: Tp) -> Option<(BrokerId, LeaderEpoch)> {
        self.metadata
            .get(&tp.topic)
            .and_then(|p| p.get(tp.partition.0 as usize))
            .and_then(|(l, e)| l.map(|l| (l, *e)))
    }

    fn leader_of(&self, tp: Tp) -> Option<BrokerId> {
        self.metadata
            .get(&tp.topic)
            .and_then(|p| p.get(tp.partition.0 as usize))
            .and_then(|(l, _)| *l)
    }

    fn on_fetch(&mut self, ctx: &mut Ctx<'_>, asked: &[(Tp, Offset)], parts: Vec<ConsumerFetched>) {
        let mut out_of_range = Vec::new();
        for p in parts {
            let tp = p.tp;
            let asked_at = asked.iter().find(|(t, _)| *t == tp).map(|(_, o)| *o);
            if !self.owned.contains(&tp) || self.positions.get(&tp).copied() != asked_at {
                continue;
            }
            if let Some(e) = p.error {
                if e == KafkaError::OffsetOutOfRange {
                    self.clear_position(tp);
                    out_of_range.push(tp);
                } else {
                    self.needs_metadata = true;
                }
                continue;
            }
            self.high_watermarks.insert(tp, p.high_watermark);
            let mut pos = asked_at.unwrap_or_default();
            let mut last_epoch = None;
            let topic = ctx.world.topics.name(tp.topic);
            for b in &p.batches {
                for i in 0..b.count {
                    let offset = b.base_offset.plus(u64::from(i));
                    if offset < pos {
                        continue;
                    }
                    let body = b.records.as_ref().map(|r| &r[i as usize]);
                    let redelivered = ctx.consumed.push(
                        &self.name,
                        &self.group,
                        topic.clone(),
                        tp,
                        offset,
                        body.and_then(|r| r.key.clone()),
                        body.and_then(|r| r.value.clone()),
                        body.map(|r| r.id),
                        ctx.now,
                    );
                    let (consumer, topic) = (self.name.clone(), topic.clone());
                    ctx.emit(|| Event::RecordConsumed {
                        consumer,
                        topic,
                        partition: tp.partition,
                        offset,
                        redelivered,
                    });
                    pos = offset.plus(1);
                    last_epoch = Some(b.leader_epoch);
                }
            }
            self.positions.insert(tp, pos);
            if let Some(e) = last_epoch {
                self.offset_epochs.insert(tp, e);
            }
        }
        if !out_of_range.is_empty() {
            for tp in &out_of_range {
                self.awaiting_position.insert(*tp);
            }
            self.reset_offsets(ctx, out_of_range, "OFFSET_OUT_OF_RANGE");
        }
    }

    /// Does whatever is due; sets the next wake-up.
    pub(crate) fn poll(&mut self, ctx: &mut Ctx<'_>) {
        if self.status != ConsumerStatus::Running {
            return;
        }
        let now = ctx.now;
        let mut next = now.after(SimDuration(1_000));
        // Requests without an answer in request.timeout.ms fail.
        let expired: Vec<Correlation> = self
            .in_flight
            .iter()
            .filter(|(_, f)| f.deadline <= now)
            .map(|(c, _)| *c)
            .collect();
        for c in expired {
            if let Some(f) = self.in_flight.remove(&c) {
                self.request_failed(ctx, f);
            }
        }
        for f in self.in_flight.values() {
            next = next.min(f.deadline);
        }
        let backing_off = self.retry_at > now;
        if backing_off {
            next = next.min(self.retry_at);
        }

        if self.needs_metadata
            && !backing_off
            && !self.waiting_for(|p| matches!(p, Pending::Metadata))
            && let Some(b) = self.any_broker()
        {
            let topics = self.topic_ids.clone();
            self.request(ctx, b, Pending::Metadata, |correlation| {
                Message::MetadataRequest {
                    correlation,
                    topics,
                }
            });
        }
        if self.coordinator.is_none()
            && !backing_off
            && !self.waiting_for(|p| matches!(p, Pending::FindCoordinator))
            && let Some(b) = self.any_broker()
        {
            let group = self.group.clone();
            self.request(ctx, b, Pending::FindCoordinator, |correlation| {
                Message::FindCoordinatorRequest { correlation, group }
            });
        }
        if let Some(c) = self.coordinator {
            self.group_work(ctx, c, &mut next);
        }
        if !backing_off {
            self.validate_positions(ctx);
        }
        self.fetch_work(ctx);
        self.schedule(ctx, next);
    }

    fn group_work(&mut self, ctx: &mut Ctx<'_>, c: BrokerId, next: &mut SimTime) {
        let now = ctx.now;
        let needs_join = self.phase == MemberPhase::Unjoined
            || (self.rejoin && self.phase == MemberPhase::Stable);
        if needs_join && !self.metadata.is_empty() {
            if !self.config.assignor.is_cooperative() && !self.owned.is_empty() {
                // Eager protocol: commit, then revoke everything before rejoining
                // (ConsumerCoordinator.onJoinPrepare).
                if self.config.enable_auto_commit {
                    self.commit_positions(ctx, None);
                }
                let revoked: Vec<Tp> = std::mem::take(&mut self.owned).iter().copied().collect();
                self.previously_owned = revoked.clone();
                self.clear_positions();
                self.awaiting_position.clear();
                ctx.handovers.given_up(&self.name, &revoked);
                let (consumer, partitions) = (self.name.clone(), Self::names(ctx, revoked));
                ctx.emit(|| Event::PartitionsRevoked {
                    consumer,
                    partitions,
                });
            }
            self.rejoin = false;
            self.phase = MemberPhase::Joining;
            let join = Box::new(JoinRequest {
                group: self.group.clone(),
                member: self.name.clone(),
                instance_id: self.config.group_instance_id.clone(),
                assignor: self.config.assignor,
                topics: self.topics.clone(),
                owned: if self.config.assignor.is_cooperative() {
                    self.owned.iter().copied().collect()
                } else {
                    std::mem::take(&mut self.previously_owned)
                },
                generation: self.generation,
                session_timeout_ms: self.config.session_timeout_ms,
                rebalance_timeout_ms: self.config.max_poll_interval_ms,
            });
            self.request(ctx, c, Pending::Join, |correlation| {
                Message::JoinGroupRequest { correlation, join }
            });
            return;
        }
        if self.phase != MemberPhase::Stable {
            return;
        }
        if now >= self.next_heartbeat && !self.waiting_for(|p| matches!(p, Pending::Heartbeat)) {
            self.next_heartbeat = now.after(SimDuration(self.config.heartbeat_interval_ms));
            let (group, member, generation) =
                (self.group.clone(), self.name.clone(), self.generation);
            self.request(ctx, c, Pending::Heartbeat, |correlation| {
                Message::HeartbeatRequest {
                    correlation,
                    group,
                    member,
                    generation,
                }
            });
        }
        *next = (*next).min(self.next_heartbeat);
        if self.config.enable_auto_commit {
            if now >= self.next_auto_commit {
                self.next_auto_commit = now.after(SimDuration(self.config.auto_commit_interval_ms));
                self.commit_positions(ctx, None);
            }
            *next = (*next).min(self.next_auto_commit);
        }
        // Positions for newly owned partitions: ask the coordinator for committed offsets.
        let missing: Vec<Tp> = self
            .owned
            .iter()
            .copied()
            .filter(|tp| !self.positions.contains_key(tp) && !self.awaiting_position.contains(tp))
            .collect();
        if !missing.is_empty() {
            for tp in &missing {
                self.awaiting_position.insert(*tp);
            }
            let group = self.group.clone();
            let partitions = missing.clone();
            self.request(ctx, c, Pending::OffsetFetch(missing), |correlation| {
                Message::OffsetFetchRequest {
                    correlation,
                    group,
                    partitions,
                }
            });
        }
    }

    fn fetch_work(&mut self, ctx: &mut Ctx<'_>) {
        let busy: Set<BrokerId> = self
            .in_flight
            .values()
            .filter(|f| matches!(f.what, Pending::Fetch(_)))
            .map(|f| f.broker)
            .collect();
        let mut plan: Map<BrokerId, Vec<(Tp, Offset, LeaderEpoch)>> = Map::new();
        for (tp, pos) in &self.positions {
            if !self.owned.contains(tp) || self.awaiting_validation.contains(tp) {
                continue;
            }
            match self.leader_and_epoch(*tp) {
                Some((l, e)) if !busy.contains(&l) => {
                    plan.entry(l).or_default().push((*tp, *pos, e))
                }
                Some(_) => {}
                None => self.needs_metadata = true,
            }
        }
        let max_wait_ms = self.config.fetch_max_wait_ms;
        for (broker, partitions) in plan {
            let asked = partitions.iter().map(|(tp, o, _)| (*tp, *o)).collect();
            self.request(ctx, broker, Pending::Fetch(asked), |correlation| {
                Message::ConsumerFetchRequest {
                    correlation,
                    max_wait_ms,
                    partitions,
                }
            });
        }
    }
}
