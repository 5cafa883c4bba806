//! The KRaft controller: broker registrations and fencing, partition registrations,
//! leader election and ISR changes. Its quorum is assumed always up.
//!
//! Sources: `ClusterControlManager` (registration, fencing on missed heartbeats),
//! `ReplicationControlManager` and `PartitionChangeBuilder` (ISR and leader changes).

use crate::collections::Map;

use crate::actor::Ctx;
use crate::event::{ElectionReason, Event, IsrShrinkReason};
use crate::ids::{BrokerId, LeaderEpoch, PartitionId, SimDuration, SimTime};
use crate::kafka_error::KafkaError;
use crate::message::{Message, MetadataUpdate};
use crate::node::Node;
use crate::placement;
use crate::rng::SimRng;
use crate::timer::Timer;
use crate::topic::{PartitionState, TopicId, Tp};

/// A broker as the controller knows it.
#[derive(Clone, Debug)]
struct Registration {
    incarnation: u32,
    fenced: bool,
    last_heartbeat: SimTime,
}

/// The outcome of leader election for one partition (`PartitionChangeBuilder.electLeader`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Election {
    /// A live ISR member, first in assignment order.
    Clean(BrokerId),
    /// No live ISR member, unclean election on: the first live replica.
    Unclean(BrokerId),
    /// Nobody may lead.
    Offline,
}

/// Chooses a leader among `state`'s replicas: the first replica in assignment order that
/// is in the ISR and alive; with `unclean` on, else the first alive replica.
pub fn elect_leader(
    state: &PartitionState,
    alive: impl Fn(BrokerId) -> bool,
    unclean: bool,
) -> Election {
    if let Some(&b) = state
        .replicas
        .iter()
        .find(|&&b| state.isr.contains(&b) && alive(b))
    {
        return Election::Clean(b);
    }
    if unclean && let Some(&b) = state.replicas.iter().find(|&&b| alive(b)) {
        return Election::Unclean(b);
    }
    Election::Offline
}

/// `offsets.topic.num.partitions`: the partitions of `__consumer_offsets` (50).
pub const OFFSETS_TOPIC_PARTITIONS: u32 = 50;

/// The `__consumer_offsets` partition that holds a group
/// (`GroupCoordinatorService.partitionFor`: `Utils.abs(groupId.hashCode()) % 50`, where
/// `abs(Integer.MIN_VALUE)` is 0).
pub fn offsets_partition_for(group: &str) -> u32 {
    let h = crate::assignor::java_string_hash_code(group);
    let abs = if h == i32::MIN { 0 } else { h.unsigned_abs() };
    abs % OFFSETS_TOPIC_PARTITIONS
}

/// The controller.
#[derive(Clone, Debug)]
pub struct Controller {
    brokers: Map<BrokerId, Registration>,
    partitions: Map<Tp, PartitionState>,
    placement_rng: SimRng,
    /// `__consumer_offsets`: replicas and leader of each partition. Its records are not
    /// simulated (group state is kept as if replicated); its leaders coordinate groups.
    offsets_topic: Vec<(Vec<BrokerId>, Option<BrokerId>)>,
    /// When the scheduled preferred-leader check runs, if one is scheduled.
    imbalance_check_at: Option<SimTime>,
}

/// `ReplicationControlManager.MAX_ELECTIONS_PER_IMBALANCE`: preferred-leader elections per
/// check; with more imbalanced partitions the check runs again 10 ms later.
const MAX_ELECTIONS_PER_IMBALANCE: usize = 1_000;

/// A partition whose leader is not its preferred replica (`!hasPreferredLeader()`).
fn is_imbalanced(st: &PartitionState) -> bool {
    st.leader != st.replicas.first().copied()
}

impl Controller {
    /// A controller with no brokers, drawing placements from `seed`.
    pub fn new(seed: u64) -> Controller {
        Controller {
            brokers: Map::new(),
            partitions: Map::new(),
            placement_rng: SimRng::stream(seed, "controller/placement"),
            offsets_topic: Vec::new(),
            imbalance_check_at: None,
        }
    }

    /// Places `__consumer_offsets` over the brokers present, with replication factor
    /// `min(3, brokers)` (`offsets.topic.replication.factor`, lowered as single-broker
    /// development clusters configure it), from its own random stream.
    pub(crate) fn place_offsets_topic(&mut self, seed: u64) {
        let brokers = self.usable_brokers();
        let rf = (brokers.len() as u32).min(3);
        let mut rng = SimRng::stream(seed, "controller/consumer_offsets");
        let placed = placement::place_replicas(&mut rng, &brokers, OFFSETS_TOPIC_PARTITIONS, rf)
            .unwrap_or_default();
        self.offsets_topic = placed
            .into_iter()
            .map(|r| (r.into_iter().map(BrokerId).collect(), None))
            .collect();
        self.elect_coordinators();
    }

    /// Leaders of `__consumer_offsets`: the first unfenced replica. Returns what changed.
    fn elect_coordinators(&mut self) -> Vec<(u32, Option<BrokerId>)> {
        let fenced: Vec<BrokerId> = self
            .brokers
            .iter()
            .filter(|(_, r)| r.fenced)
            .map(|(b, _)| *b)
            .collect();
        let mut changed = Vec::new();
        for (i, (replicas, leader)) in self.offsets_topic.iter_mut().enumerate() {
            let keep = leader.is_some_and(|l| !fenced.contains(&l));
            if keep {
                continue;
            }
            let new = replicas.iter().copied().find(|b| !fenced.contains(b));
            if new != *leader {
                *leader = new;
                changed.push((i as u32, new));
            }
        }
        changed
    }

    /// The broker coordinating `group`, if the leader of its `__consumer_offsets`
    /// partition is up.
    pub fn coordinator_for(&self, group: &str) -> Option<BrokerId> {
        self.offsets_topic
            .get(offsets_partition_for(group) as usize)
            .and_then(|(_, l)| *l)
    }

    /// A broker present from the start: registered, unfenced, heartbeating.
    pub(crate) fn register_initial(&mut self, ctx: &mut Ctx<'_>, broker: BrokerId) {
        self.brokers.insert(
            broker,
            Registration {
                incarnation: 0,
                fenced: false,
                last_heartbeat: ctx.now,
            },
        );
        self.schedule_session_check(ctx, broker);
    }

    /// Whether `broker` is fenced (or unknown).
    pub fn is_fenced(&self, broker: BrokerId) -> bool {
        self.brokers.get(&broker).is_none_or(|r| r.fenced)
    }

    /// The registration of a partition.
    pub fn partition(&self, tp: Tp) -> Option<&PartitionState> {
        self.partitions.get(&tp)
    }

    /// Every partition registration.
    pub fn partitions(&self) -> impl Iterator<Item = (&Tp, &PartitionState)> {
        self.partitions.iter()
    }

    /// Registered brokers that are not fenced, ascending.
    pub fn unfenced_brokers(&self) -> Vec<BrokerId> {
        self.brokers
            .iter()
            .filter(|(_, r)| !r.fenced)
            .map(|(b, _)| *b)
            .collect()
    }

    /// `ClusterControlManager.usableBrokers`: every registered broker, fenced or not.
    fn usable_brokers(&self) -> Vec<placement::UsableBroker> {
        self.brokers
            .iter()
            .map(|(b, r)| placement::UsableBroker {
                id: b.0,
                fenced: r.fenced,
            })
            .collect()
    }

    /// Registered brokers, fenced ones included (they may hold replicas, not lead).
    pub fn registered_brokers(&self) -> usize {
        self.brokers.len()
    }

    fn broker_list(&self) -> Vec<(BrokerId, bool)> {
        self.brokers.iter().map(|(b, r)| (*b, r.fenced)).collect()
    }

    /// The whole metadata image, as a registering broker receives it.
    pub fn image(&self) -> MetadataUpdate {
        let mut topics: Vec<TopicId> = self.partitions.keys().map(|tp| tp.topic).collect();
        topics.dedup();
        MetadataUpdate {
            partitions: self
                .partitions
                .iter()
                .map(|(tp, st)| (*tp, st.clone()))
                .collect(),
            brokers: self.broker_list(),
            coordinators: self
                .offsets_topic
                .iter()
                .enumerate()
                .map(|(i, (_, l))| (i as u32, *l))
                .collect(),
        }
    }

    /// Creates a topic's partitions: the explicit assignment, or KRaft's striped placement
    /// over the registered brokers (`StripedReplicaPlacer`). The initial ISR is the
    /// assigned replicas that are unfenced; the first of them leads, in epoch 0
    /// (`ReplicationControlManager.buildPartitionRegistration`).
    pub(crate) fn create_topic(
        &mut self,
        ctx: &mut Ctx<'_>,
        topic: TopicId,
        partitions: u32,
        replication_factor: u32,
        explicit: Option<&[Vec<BrokerId>]>,
    ) -> Result<MetadataUpdate, KafkaError> {
        let assignment: Vec<Vec<BrokerId>> = match explicit {
            Some(a) => {
                if a.iter().flatten().any(|b| !self.brokers.contains_key(b)) {
                    return Err(KafkaError::InvalidReplicationFactor);
                }
                a.to_vec()
            }
            None => {
                let usable = self.usable_brokers();
                placement::place_replicas(
                    &mut self.placement_rng,
                    &usable,
                    partitions,
                    replication_factor,
                )
                .map_err(|_| KafkaError::InvalidReplicationFactor)?
                .into_iter()
                .map(|r| r.into_iter().map(BrokerId).collect())
                .collect()
            }
        };
        let mut states = Vec::with_capacity(assignment.len());
        for replicas in &assignment {
            let isr: Vec<BrokerId> = replicas
                .iter()
                .copied()
                .filter(|b| !self.is_fenced(*b))
                .collect();
            let Some(&leader) = isr.first() else {
                return Err(KafkaError::InvalidReplicationFactor);
            };
            states.push(PartitionState {
                replicas: replicas.clone(),
                isr,
                leader: Some(leader),
                leader_epoch: LeaderEpoch(0),
                partition_epoch: 0,
            });
        }
        let name = ctx.world.topics.name(topic);
        ctx.emit(|| Event::TopicCreated {
            topic: name,
            assignment: assignment.clone(),
        });
        let mut update = MetadataUpdate {
            partitions: Vec::new(),
            brokers: self.broker_list(),
            coordinators: Vec::new(),
        };
        for (i, st) in states.into_iter().enumerate() {
            let tp = Tp {
                topic,
                partition: PartitionId(i as u32),
            };
            self.partitions.insert(tp, st.clone());
            update.partitions.push((tp, st));
        }
        Ok(update)
    }

    /// Sends `update` to every registered broker (KRaft brokers replicate the metadata log;
    /// a stopped broker misses it and gets the whole image when it registers again).
    /// Every change goes through here, so this is also where the controller schedules the
    /// next preferred-leader check, as `QuorumController` does after every write.
    pub(crate) fn publish(&mut self, ctx: &mut Ctx<'_>, update: &MetadataUpdate) {
        for b in self.brokers.keys() {
            ctx.send(
                Node::Broker(*b),
                Message::UpdateMetadata {
                    update: update.clone(),
                },
            );
        }
        self.maybe_schedule_leader_balance(ctx);
    }

    /// Schedules the first preferred-leader check if a partition starts without its
    /// preferred leader.
    pub(crate) fn start(&mut self, ctx: &mut Ctx<'_>) {
        self.maybe_schedule_leader_balance(ctx);
    }

    /// `QuorumController.maybeScheduleNextBalancePartitionLeaders`: with
    /// `auto.leader.rebalance.enable`, when some partition is not led by its preferred
    /// replica and no check is scheduled, one is scheduled
    /// `leader.imbalance.check.interval.seconds` from now.
    fn maybe_schedule_leader_balance(&mut self, ctx: &mut Ctx<'_>) {
        if !ctx.world.config.auto_leader_rebalance_enable
            || self.imbalance_check_at.is_some()
            || !self.partitions.values().any(is_imbalanced)
        {
            return;
        }
        let interval = ctx.world.config.leader_imbalance_check_interval_seconds * 1000;
        let at = ctx.now.after(SimDuration(interval));
        self.imbalance_check_at = Some(at);
        ctx.timer(at, Timer::LeaderImbalanceCheck);
    }

    fn schedule_session_check(&self, ctx: &mut Ctx<'_>, broker: BrokerId) {
        let at = ctx
            .now
            .after(SimDuration(ctx.world.config.broker_session_timeout_ms));
        ctx.timer(at, Timer::SessionExpiry { broker });
    }

    /// Reacts to a message.
    pub(crate) fn on_message(&mut self, ctx: &mut Ctx<'_>, from: Node, msg: Message) {
        match msg {
            Message::BrokerRegistrationRequest {
                broker,
                incarnation,
            } => self.on_registration(ctx, broker, incarnation),
            Message::BrokerHeartbeatRequest {
                broker,
                incarnation,
                caught_up,
            } => self.on_heartbeat(ctx, from, broker, incarnation, caught_up),
            Message::AlterPartitionRequest {
                broker,
                tp,
                leader_epoch,
                partition_epoch,
                new_isr,
            } => self.on_alter_partition(ctx, broker, tp, leader_epoch, partition_epoch, new_isr),
            _ => {}
        }
    }

    /// Reacts to a timer.
    pub(crate) fn on_timer(&mut self, ctx: &mut Ctx<'_>, timer: Timer) {
        match timer {
            Timer::SessionExpiry { broker } => {
                let timeout = SimDuration(ctx.world.config.broker_session_timeout_ms);
                let expired = self
                    .brokers
                    .get(&broker)
                    .is_some_and(|r| !r.fenced && ctx.now.since(r.last_heartbeat) >= timeout);
                if expired {
                    let update = self.fence(ctx, broker);
                    self.publish(ctx, &update);
                }
            }
            Timer::LeaderImbalanceCheck => {
                if self.imbalance_check_at != Some(ctx.now) {
                    return;
                }
                self.imbalance_check_at = None;
                let update = self.balance_partition_leaders(ctx);
                if update.partitions.len() >= MAX_ELECTIONS_PER_IMBALANCE {
                    let at = ctx.now.after(SimDuration(10));
                    self.imbalance_check_at = Some(at);
                    ctx.timer(at, Timer::LeaderImbalanceCheck);
                }
                if update.partitions.is_empty() {
                    self.maybe_schedule_leader_balance(ctx);
                } else {
                    self.publish(ctx, &update);
                }
            }
            _ => {}
        }
    }

    fn on_registration(&mut self, ctx: &mut Ctx<'_>, broker: BrokerId, incarnation: u32) {
        // ClusterControlManager.registerBroker: while the previous incarnation's session is
        // valid (BrokerHeartbeatManager.hasValidSession: unfenced, and heard from within
        // broker.session.timeout.ms), a new incarnation is refused; it retries until the
        // old session expired and the old incarnation was fenced.
        let timeout = SimDuration(ctx.world.config.broker_session_timeout_ms);
        let valid_session = self.brokers.get(&broker).is_some_and(|r| {
            r.incarnation != incarnation && !r.fenced && ctx.now.since(r.last_heartbeat) <= timeout
        });
        if valid_session {
            ctx.send(
                Node::Broker(broker),
                Message::BrokerRegistrationResponse {
                    result: Err(KafkaError::DuplicateBrokerRegistration),
                },
            );
            return;
        }
        // Not reached in practice (the session check fences the old incarnation the moment
        // its session expires), kept so that a new incarnation never inherits leaderships.
        let mut update = MetadataUpdate::default();
        if self.brokers.get(&broker).is_some_and(|r| !r.fenced) {
            update = self.fence(ctx, broker);
        }
        self.brokers.insert(
            broker,
            Registration {
                incarnation,
                fenced: true,
                last_heartbeat: ctx.now,
            },
        );
        update.brokers = self.broker_list();
        self.publish(ctx, &update);
        ctx.send(
            Node::Broker(broker),
            Message::BrokerRegistrationResponse {
                result: Ok(self.image()),
            },
        );
        self.schedule_session_check(ctx, broker);
    }

    fn on_heartbeat(
        &mut self,
        ctx: &mut Ctx<'_>,
        from: Node,
        broker: BrokerId,
        incarnation: u32,
        caught_up: bool,
    ) {
        let Some(reg) = self.brokers.get_mut(&broker) else {
            return;
        };
        if reg.incarnation != incarnation {
            return;
        }
        reg.last_heartbeat = ctx.now;
        let unfence = reg.fenced && caught_up;
        self.schedule_session_check(ctx, broker);
        if unfence {
            let update = self.unfence(ctx, broker);
            self.publish(ctx, &update);
        }
        ctx.send(from, Message::BrokerHeartbeatResponse);
    }

    /// Fences `broker`: it leaves every ISR where it is not the last member, and every
    /// partition it led gets a new leader (or goes offline).
    pub(crate) fn fence(&mut self, ctx: &mut Ctx<'_>, broker: BrokerId) -> MetadataUpdate {
        if let Some(r) = self.brokers.get_mut(&broker) {
            r.fenced = true;
        }
        ctx.emit(|| Event::BrokerFenced { broker });
        let mut update = MetadataUpdate::default();
        let tps: Vec<Tp> = self
            .partitions
            .iter()
            .filter(|(_, st)| st.replicas.contains(&broker))
            .map(|(tp, _)| *tp)
            .collect();
        for tp in tps {
            let Some(old) = self.partitions.get(&tp).cloned() else {
                continue;
            };
            let mut st = old.clone();
            if st.isr.contains(&broker) && st.isr.len() > 1 {
                st.isr.retain(|b| *b != broker);
                let (topic, isr) = (ctx.world.topics.name(tp.topic), st.isr.clone());
                ctx.emit(|| Event::ReplicaLeftIsr {
                    topic,
                    partition: tp.partition,
                    broker,
                    isr,
                    reason: IsrShrinkReason::BrokerFenced,
                });
            }
            if st.leader == Some(broker) {
                self.elect_into(ctx, tp, &mut st, ElectionReason::LeaderFenced);
            }
            if st != old {
                st.partition_epoch += 1;
                self.partitions.insert(tp, st.clone());
                update.partitions.push((tp, st));
            }
        }
        update.brokers = self.broker_list();
        update.coordinators = self.elect_coordinators();
        update
    }

    fn unfence(&mut self, ctx: &mut Ctx<'_>, broker: BrokerId) -> MetadataUpdate {
        if let Some(r) = self.brokers.get_mut(&broker) {
            r.fenced = false;
        }
        ctx.emit(|| Event::BrokerUnfenced { broker });
        let mut update = MetadataUpdate::default();
        let offline: Vec<Tp> = self
            .partitions
            .iter()
            .filter(|(_, st)| st.leader.is_none() && st.replicas.contains(&broker))
            .map(|(tp, _)| *tp)
            .collect();
        for tp in offline {
            let Some(mut st) = self.partitions.get(&tp).cloned() else {
                continue;
            };
            if self.elect_into(ctx, tp, &mut st, ElectionReason::BrokerUnfenced) {
                st.partition_epoch += 1;
                self.partitions.insert(tp, st.clone());
                update.partitions.push((tp, st));
            }
        }
        update.brokers = self.broker_list();
        update.coordinators = self.elect_coordinators();
        update
    }

    /// Elects a leader for `st` (whose current leader is gone); returns whether anything
    /// changed. Every leader change, to a broker or to none, bumps the leader epoch.
    fn elect_into(
        &self,
        ctx: &mut Ctx<'_>,
        tp: Tp,
        st: &mut PartitionState,
        reason: ElectionReason,
    ) -> bool {
        let unclean = ctx
            .world
            .topics
            .get(tp.topic)
            .is_some_and(|t| t.config.unclean_leader_election_enable);
        let previous = st.leader;
        let election = elect_leader(st, |b| !self.is_fenced(b), unclean);
        let topic = ctx.world.topics.name(tp.topic);
        match election {
            Election::Clean(b) | Election::Unclean(b) => {
                let is_unclean = matches!(election, Election::Unclean(_));
                if previous == Some(b) {
                    return false;
                }
                st.leader = Some(b);
                st.leader_epoch = LeaderEpoch(st.leader_epoch.0 + 1);
                if is_unclean {
                    st.isr = vec![b];
                }
                let epoch = st.leader_epoch;
                ctx.emit(|| Event::LeaderElected {
                    topic,
                    partition: tp.partition,
                    leader: b,
                    previous,
                    leader_epoch: epoch,
                    unclean: is_unclean,
                    reason,
                });
                true
            }
            Election::Offline => {
                if previous.is_none() {
                    return false;
                }
                st.leader = None;
                st.leader_epoch = LeaderEpoch(st.leader_epoch.0 + 1);
                let (epoch, isr) = (st.leader_epoch, st.isr.clone());
                ctx.emit(|| Event::PartitionWentOffline {
                    topic,
                    partition: tp.partition,
                    previous,
                    leader_epoch: epoch,
                    isr,
                });
                true
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn on_alter_partition(
        &mut self,
        ctx: &mut Ctx<'_>,
        broker: BrokerId,
        tp: Tp,
        leader_epoch: LeaderEpoch,
        partition_epoch: u32,
        new_isr: Vec<BrokerId>,
    ) {
        let result = self.alter_partition(ctx, broker, tp, leader_epoch, partition_epoch, new_isr);
        if let Ok(st) = &result {
            let update = MetadataUpdate {
                partitions: vec![(tp, st.clone())],
                brokers: self.broker_list(),
                coordinators: Vec::new(),
            };
            self.publish(ctx, &update);
        }
        ctx.send(
            Node::Broker(broker),
            Message::AlterPartitionResponse { tp, result },
        );
    }

    fn alter_partition(
        &mut self,
        ctx: &mut Ctx<'_>,
        broker: BrokerId,
        tp: Tp,
        leader_epoch: LeaderEpoch,
        partition_epoch: u32,
        new_isr: Vec<BrokerId>,
    ) -> Result<PartitionState, KafkaError> {
        let fenced: Vec<BrokerId> = new_isr
            .iter()
            .copied()
            .filter(|b| self.is_fenced(*b))
            .collect();
        let st = self
            .partitions
            .get_mut(&tp)
            .ok_or(KafkaError::UnknownTopicOrPartition)?;
        if st.leader != Some(broker) || st.leader_epoch != leader_epoch {
            return Err(KafkaError::FencedLeaderEpoch);
        }
        if st.partition_epoch != partition_epoch {
            return Err(KafkaError::InvalidUpdateVersion);
        }
        if !new_isr.contains(&broker) || new_isr.iter().any(|b| !st.replicas.contains(b)) {
            return Err(KafkaError::InvalidUpdateVersion);
        }
        if new_isr
            .iter()
            .any(|b| !st.isr.contains(b) && fenced.contains(b))
        {
            return Err(KafkaError::IneligibleReplica);
        }
        let topic = ctx.world.topics.name(tp.topic);
        for b in st.isr.iter().filter(|b| !new_isr.contains(b)) {
            let (topic, isr, b) = (topic.clone(), new_isr.clone(), *b);
            ctx.emit(|| Event::ReplicaLeftIsr {
                topic,
                partition: tp.partition,
                broker: b,
                isr,
                reason: IsrShrinkReason::LaggingFollower,
            });
        }
        for b in new_isr.iter().filter(|b| !st.isr.contains(b)) {
            let (topic, isr, b) = (topic.clone(), new_isr.clone(), *b);
            ctx.emit(|| Event::ReplicaJoinedIsr {
                topic,
                partition: tp.partition,
                broker: b,
                isr,
            });
        }
        st.isr = new_isr;
        st.partition_epoch += 1;
        Ok(st.clone())
    }

    /// `ReplicationControlManager.maybeBalancePartitionLeaders`: a preferred-leader
    /// election (`PartitionChangeBuilder.electPreferredLeader`) for every partition not led
    /// by its preferred replica, at most [`MAX_ELECTIONS_PER_IMBALANCE`]; it moves
    /// leadership wherever the preferred replica is unfenced and in the ISR. (The ZooKeeper
    /// controller's `leader.imbalance.per.broker.percentage` threshold does not exist in
    /// KRaft.)
    fn balance_partition_leaders(&mut self, ctx: &mut Ctx<'_>) -> MetadataUpdate {
        let mut update = MetadataUpdate::default();
        let imbalanced: Vec<Tp> = self
            .partitions
            .iter()
            .filter(|(_, st)| is_imbalanced(st))
            .map(|(tp, _)| *tp)
            .collect();
        for tp in imbalanced {
            if update.partitions.len() >= MAX_ELECTIONS_PER_IMBALANCE {
                break;
            }
            let Some(mut st) = self.partitions.get(&tp).cloned() else {
                continue;
            };
            let Some(&preferred) = st.replicas.first() else {
                continue;
            };
            if !st.isr.contains(&preferred) || self.is_fenced(preferred) {
                continue;
            }
            let previous = st.leader;
            st.leader = Some(preferred);
            st.leader_epoch = LeaderEpoch(st.leader_epoch.0 + 1);
            st.partition_epoch += 1;
            let (topic, epoch) = (ctx.world.topics.name(tp.topic), st.leader_epoch);
            ctx.emit(|| Event::LeaderElected {
                topic,
                partition: tp.partition,
                leader: preferred,
                previous,
                leader_epoch: epoch,
                unclean: false,
                reason: ElectionReason::PreferredReplica,
            });
            self.partitions.insert(tp, st.clone());
            update.partitions.push((tp, st));
        }
        update.brokers = self.broker_list();
        update
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(replicas: &[u32], isr: &[u32], leader: Option<u32>) -> PartitionState {
        PartitionState {
            replicas: replicas.iter().map(|&b| BrokerId(b)).collect(),
            isr: isr.iter().map(|&b| BrokerId(b)).collect(),
            leader: leader.map(BrokerId),
            leader_epoch: LeaderEpoch(5),
            partition_epoch: 0,
        }
    }

    #[test]
    fn clean_election_takes_first_live_isr_member_in_assignment_order() {
        let st = state(&[1, 2, 3], &[3, 2], None);
        assert_eq!(
            elect_leader(&st, |b| b != BrokerId(1), false),
            Election::Clean(BrokerId(2))
        );
    }

    #[test]
    fn without_unclean_election_a_partition_with_no_live_isr_member_goes_offline() {
        let st = state(&[1, 2], &[1], None);
        assert_eq!(
            elect_leader(&st, |b| b == BrokerId(2), false),
            Election::Offline
        );
    }

    #[test]
    fn unclean_election_takes_first_live_replica() {
        let st = state(&[1, 2, 3], &[1], None);
        assert_eq!(
            elect_leader(&st, |b| b == BrokerId(3) || b == BrokerId(2), true),
            Election::Unclean(BrokerId(2))
        );
    }
}
