//! The group coordinator's state and protocol (Kafka's classic group protocol,
//! `GroupCoordinator`/`GroupMetadata`): joins, the rebalance barrier, sync, heartbeats,
//! session expiry, leaves, committed offsets.
//!
//! A group lives in the `__consumer_offsets` partition `offsets_partition_for(group)`; the
//! leader of that partition coordinates it. The store below stands for that replicated
//! partition: it survives the coordinator's crash, and the next leader takes the groups over.

use crate::collections::Map;
use std::sync::Arc;

use serde::Serialize;

use crate::assignor::{AssignorName, MemberSubscription, TopicPartition};
use crate::event::Event;
use crate::ids::{LeaderEpoch, Offset, SimDuration, SimTime};
use crate::kafka_error::KafkaError;
use crate::message::{Correlation, JoinRequest, JoinResult, Message};
use crate::node::Node;
use crate::timer::Timer;
use crate::topic::{TopicTable, Tp};

/// `group.initial.rebalance.delay.ms`: an empty group waits this long for more members
/// before its first rebalance completes (3000).
pub const INITIAL_REBALANCE_DELAY_MS: u64 = 3_000;

/// A group's state (`GroupState` in Kafka).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupPhase {
    /// No members.
    Empty,
    /// Waiting for members to (re)join.
    PreparingRebalance,
    /// Joined; waiting for the leader's assignment.
    CompletingRebalance,
    /// Every member has its partitions.
    Stable,
}

/// A member as the coordinator knows it.
#[derive(Clone, Debug)]
pub struct Member {
    /// `group.instance.id`, for a static member.
    pub instance_id: Option<Arc<str>>,
    /// Subscribed topics.
    pub topics: Vec<Arc<str>>,
    /// Partitions it said it owns when it last joined.
    pub owned: Vec<Tp>,
    /// The generation of `owned`.
    pub owned_generation: i32,
    /// Its assignor.
    pub assignor: AssignorName,
    /// `session.timeout.ms`.
    pub session_timeout_ms: u64,
    /// `max.poll.interval.ms`.
    pub rebalance_timeout_ms: u64,
    /// Last heartbeat (or join).
    pub last_heartbeat: SimTime,
    /// Its partitions in the current generation.
    pub assignment: Vec<Tp>,
    awaiting_join: Option<(Node, Correlation)>,
    awaiting_sync: Option<(Node, Correlation)>,
    join_order: u64,
}

/// A consumer group.
#[derive(Clone, Debug)]
pub struct Group {
    /// Its name.
    pub name: Arc<str>,
    /// Its state.
    pub phase: GroupPhase,
    /// Bumped by every completed join phase.
    pub generation: i32,
    /// The assignor chosen at the last join.
    pub assignor: Option<AssignorName>,
    /// The member that computes assignments.
    pub leader: Option<Arc<str>>,
    /// Members by member id (the consumer's name).
    pub members: Map<Arc<str>, Member>,
    /// Committed offsets: the next offset to read, per partition.
    pub committed: Map<Tp, Offset>,
    /// The leader epoch committed with each offset, where the commit carried one.
    pub committed_epochs: Map<Tp, LeaderEpoch>,
    join_deadline: Option<SimTime>,
    initial_delay: bool,
    next_join_order: u64,
}

/// What the coordinator does in reaction: messages to send, timers to set, events.
#[derive(Debug, Default)]
pub struct Effects {
    /// Messages to send.
    pub sends: Vec<(Node, Message)>,
    /// Timers to set.
    pub timers: Vec<(SimTime, Timer)>,
    /// Events to record.
    pub events: Vec<Event>,
}

/// Every group of the cluster.
#[derive(Clone, Debug, Default)]
pub struct GroupStore {
    groups: Map<Arc<str>, Group>,
}

impl GroupStore {
    /// The group named `name`, if it has ever had a member.
    pub fn get(&self, name: &str) -> Option<&Group> {
        self.groups.get(name)
    }

    /// The group, created empty if new.
    pub fn get_or_create(&mut self, name: &Arc<str>) -> &mut Group {
        self.groups.entry(name.clone()).or_insert_with(|| Group {
            name: name.clone(),
            phase: GroupPhase::Empty,
            generation: 0,
            assignor: None,
            leader: None,
            members: Map::new(),
            committed: Map::new(),
            committed_epochs: Map::new(),
            join_deadline: None,
            initial_delay: false,
            next_join_order: 0,
        })
    }

    /// The group, to change.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Group> {
        self.groups.get_mut(name)
    }

    /// All groups, by name.
    pub fn iter(&self) -> impl Iterator<Item = &Group> {
        self.groups.values()
    }

    /// Groups whose names satisfy `pred` (those of one `__consumer_offsets` partition).
    pub fn names_where(&self, pred: impl Fn(&str) -> bool) -> Vec<Arc<str>> {
        self.groups.keys().filter(|g| pred(g)).cloned().collect()
    }
}

fn tp_name(topics: &TopicTable, tp: Tp) -> TopicPartition {
    TopicPartition::new(topics.name(tp.topic).to_string(), tp.partition.0)
}

impl Group {
    fn session_check(&self, fx: &mut Effects, member: &Arc<str>, at: SimTime) {
        fx.timers.push((
            at,
            Timer::GroupMemberSession {
                group: self.name.clone(),
                member: member.clone(),
            },
        ));
    }

    fn touch(&mut self, fx: &mut Effects, member: &Arc<str>, now: SimTime) {
        let Some(m) = self.members.get_mut(member) else {
            return;
        };
        m.last_heartbeat = now;
        let at = now.after(SimDuration(m.session_timeout_ms));
        self.session_check(fx, member, at);
    }

    /// `JoinGroup`.
    pub fn join(
        &mut self,
        now: SimTime,
        from: Node,
        correlation: Correlation,
        req: &JoinRequest,
        topics: &TopicTable,
        fx: &mut Effects,
    ) {
        // KIP-345: a static member that comes back under a new member id replaces the old
        // one and keeps its partitions, without a rebalance while the group is stable.
        if let Some(instance) = &req.instance_id {
            let old = self
                .members
                .iter()
                .find(|(id, m)| m.instance_id.as_ref() == Some(instance) && **id != req.member)
                .map(|(id, _)| id.clone());
            if let Some(old) = old
                && let Some(mut m) = self.members.remove(&old)
            {
                m.awaiting_join = None;
                m.awaiting_sync = None;
                self.members.insert(req.member.clone(), m);
                if self.leader.as_ref() == Some(&old) {
                    self.leader = Some(req.member.clone());
                }
                fx.events.push(Event::StaticMemberReplaced {
                    group: self.name.clone(),
                    old_member: old,
                    member: req.member.clone(),
                });
                if self.phase == GroupPhase::Stable {
                    self.touch(fx, &req.member, now);
                    fx.sends.push((
                        from,
                        Message::JoinGroupResponse {
                            correlation,
                            result: Ok(Box::new(JoinResult {
                                generation: self.generation,
                                assignor: self.assignor.unwrap_or(req.assignor),
                                leader: self.leader.clone().unwrap_or_else(|| req.member.clone()),
                                members: Vec::new(),
                            })),
                        },
                    ));
                    return;
                }
            }
        }
        let join_order = self.next_join_order;
        self.next_join_order += 1;
        let is_new = !self.members.contains_key(&req.member);
        let member = self.members.entry(req.member.clone()).or_insert(Member {
            instance_id: req.instance_id.clone(),
            topics: Vec::new(),
            owned: Vec::new(),
            owned_generation: -1,
            assignor: req.assignor,
            session_timeout_ms: req.session_timeout_ms,
            rebalance_timeout_ms: req.rebalance_timeout_ms,
            last_heartbeat: now,
            assignment: Vec::new(),
            awaiting_join: None,
            awaiting_sync: None,
            join_order,
        });
        member.topics = req.topics.clone();
        member.owned = req.owned.clone();
        member.owned_generation = req.generation;
        member.assignor = req.assignor;
        member.session_timeout_ms = req.session_timeout_ms;
        member.rebalance_timeout_ms = req.rebalance_timeout_ms;
        member.last_heartbeat = now;
        member.awaiting_join = Some((from, correlation));
        if is_new {
            fx.events.push(Event::MemberJoined {
                group: self.name.clone(),
                member: req.member.clone(),
            });
        }
        match self.phase {
            GroupPhase::PreparingRebalance => {
                if self.initial_delay && is_new {
                    // InitialDelayedJoin: each new member buys another delay, up to the
                    // rebalance timeout.
                    let until = now.after(SimDuration(INITIAL_REBALANCE_DELAY_MS));
                    self.set_deadline(fx, until);
                }
                self.try_complete_join(now, topics, fx);
            }
            _ => {
                let reason = if is_new {
                    "a member joined"
                } else {
                    "a member rejoined"
                };
                self.prepare_rebalance(now, reason, topics, fx);
            }
        }
    }

    fn set_deadline(&mut self, fx: &mut Effects, at: SimTime) {
        self.join_deadline = Some(at);
        fx.timers.push((
            at,
            Timer::GroupJoinDeadline {
                group: self.name.clone(),
            },
        ));
    }

    /// Starts a rebalance: members must rejoin (they learn it from their heartbeats).
    fn prepare_rebalance(
        &mut self,
        now: SimTime,
        reason: &str,
        topics: &TopicTable,
        fx: &mut Effects,
    ) {
        // Members waiting for a sync of the abandoned generation must rejoin.
        for m in self.members.iter_mut().map(|(_, v)| v) {
            if let Some((node, correlation)) = m.awaiting_sync.take() {
                fx.sends.push((
                    node,
                    Message::SyncGroupResponse {
                        correlation,
                        result: Err(KafkaError::RebalanceInProgress),
                    },
                ));
            }
        }
        let was_empty = self.phase == GroupPhase::Empty;
        self.phase = GroupPhase::PreparingRebalance;
        self.initial_delay = was_empty;
        let timeout = self
            .members
            .values()
            .map(|m| m.rebalance_timeout_ms)
            .max()
            .unwrap_or(0);
        let wait = if was_empty {
            INITIAL_REBALANCE_DELAY_MS.min(timeout)
        } else {
            timeout
        };
        self.set_deadline(fx, now.after(SimDuration(wait)));
        fx.events.push(Event::RebalanceStarted {
            group: self.name.clone(),
            generation: self.generation,
            reason: reason.into(),
        });
        self.try_complete_join(now, topics, fx);
    }

    fn try_complete_join(&mut self, now: SimTime, topics: &TopicTable, fx: &mut Effects) {
        if self.phase != GroupPhase::PreparingRebalance || self.initial_delay {
            return;
        }
        if self.members.values().all(|m| m.awaiting_join.is_some()) {
            self.complete_join(now, topics, fx);
        }
    }

    /// The join deadline passed: members that did not rejoin are dropped, and the
    /// generation completes with the others.
    pub fn on_join_deadline(&mut self, now: SimTime, topics: &TopicTable, fx: &mut Effects) {
        if self.phase != GroupPhase::PreparingRebalance || self.join_deadline != Some(now) {
            return;
        }
        let gone: Vec<Arc<str>> = self
            .members
            .iter()
            .filter(|(_, m)| m.awaiting_join.is_none())
            .map(|(id, _)| id.clone())
            .collect();
        for id in gone {
            self.members.remove(&id);
            fx.events.push(Event::MemberRemoved {
                group: self.name.clone(),
                member: id,
                reason: "it did not rejoin before the rebalance timeout".into(),
            });
        }
        self.complete_join(now, topics, fx);
    }

    fn complete_join(&mut self, now: SimTime, topics: &TopicTable, fx: &mut Effects) {
        self.join_deadline = None;
        self.initial_delay = false;
        self.generation += 1;
        if self.members.is_empty() {
            self.phase = GroupPhase::Empty;
            self.leader = None;
            self.assignor = None;
            fx.events.push(Event::GroupEmptied {
                group: self.name.clone(),
                generation: self.generation,
            });
            return;
        }
        let mut order: Vec<(u64, Arc<str>)> = self
            .members
            .iter()
            .map(|(id, m)| (m.join_order, id.clone()))
            .collect();
        crate::collections::sort(&mut order);
        if !self
            .leader
            .as_ref()
            .is_some_and(|l| self.members.contains_key(l))
        {
            self.leader = order.first().map(|(_, id)| id.clone());
        }
        let leader = self.leader.clone().unwrap_or_else(|| order[0].1.clone());
        let assignor = self.members[&leader].assignor;
        self.assignor = Some(assignor);
        self.phase = GroupPhase::CompletingRebalance;
        let subscriptions: Vec<MemberSubscription> = order
            .iter()
            .map(|(_, id)| {
                let m = &self.members[id];
                MemberSubscription {
                    member_id: id.to_string(),
                    topics: m.topics.iter().map(|t| t.to_string()).collect(),
                    group_instance_id: m.instance_id.as_ref().map(|i| i.to_string()),
                    owned_partitions: m.owned.iter().map(|tp| tp_name(topics, *tp)).collect(),
                    generation: Some(m.owned_generation),
                }
            })
            .collect();
        fx.events.push(Event::GroupJoinCompleted {
            group: self.name.clone(),
            generation: self.generation,
            leader: leader.clone(),
            members: order.iter().map(|(_, id)| id.clone()).collect(),
        });
        let ids: Vec<Arc<str>> = order.into_iter().map(|(_, id)| id).collect();
        for id in ids {
            let is_leader = id == leader;
            if let Some(m) = self.members.get_mut(&id)
                && let Some((node, correlation)) = m.awaiting_join.take()
            {
                fx.sends.push((
                    node,
                    Message::JoinGroupResponse {
                        correlation,
                        result: Ok(Box::new(JoinResult {
                            generation: self.generation,
                            assignor,
                            leader: leader.clone(),
                            members: if is_leader {
                                subscriptions.clone()
                            } else {
                                Vec::new()
                            },
                        })),
                    },
                ));
            }
            self.touch(fx, &id, now);
        }
    }

    fn check_member(&self, member: &str, generation: i32) -> Result<(), KafkaError> {
        if !self.members.contains_key(member) {
            return Err(KafkaError::UnknownMemberId);
        }
        if generation != self.generation {
            return Err(KafkaError::IllegalGeneration);
        }
        Ok(())
    }

    /// `SyncGroup`.
    #[allow(clippy::too_many_arguments)]
    pub fn sync(
        &mut self,
        now: SimTime,
        from: Node,
        correlation: Correlation,
        member: &Arc<str>,
        generation: i32,
        assignments: Vec<(Arc<str>, Vec<Tp>)>,
        fx: &mut Effects,
    ) {
        let error = match self.check_member(member, generation) {
            Err(e) => Some(e),
            Ok(()) if self.phase == GroupPhase::PreparingRebalance => {
                Some(KafkaError::RebalanceInProgress)
            }
            Ok(()) => None,
        };
        if let Some(e) = error {
            fx.sends.push((
                from,
                Message::SyncGroupResponse {
                    correlation,
                    result: Err(e),
                },
            ));
            return;
        }
        self.touch(fx, member, now);
        if self.phase == GroupPhase::Stable {
            let assignment = self.members[member].assignment.clone();
            fx.sends.push((
                from,
                Message::SyncGroupResponse {
                    correlation,
                    result: Ok(assignment),
                },
            ));
            return;
        }
        if let Some(m) = self.members.get_mut(member) {
            m.awaiting_sync = Some((from, correlation));
        }
        if self.leader.as_ref() != Some(member) {
            return;
        }
        for m in self.members.iter_mut().map(|(_, v)| v) {
            m.assignment.clear();
        }
        for (id, tps) in assignments {
            if let Some(m) = self.members.get_mut(&id) {
                m.assignment = tps;
            }
        }
        self.phase = GroupPhase::Stable;
        fx.events.push(Event::GroupStabilized {
            group: self.name.clone(),
            generation: self.generation,
        });
        for m in self.members.iter_mut().map(|(_, v)| v) {
            if let Some((node, correlation)) = m.awaiting_sync.take() {
                fx.sends.push((
                    node,
                    Message::SyncGroupResponse {
                        correlation,
                        result: Ok(m.assignment.clone()),
                    },
                ));
            }
        }
    }

    /// `Heartbeat`: the answer tells the member whether to rejoin.
    pub fn heartbeat(
        &mut self,
        now: SimTime,
        member: &Arc<str>,
        generation: i32,
        fx: &mut Effects,
    ) -> Option<KafkaError> {
        if let Err(e) = self.check_member(member, generation) {
            return Some(e);
        }
        self.touch(fx, member, now);
        match self.phase {
            GroupPhase::PreparingRebalance => Some(KafkaError::RebalanceInProgress),
            _ => None,
        }
    }

    /// `LeaveGroup`: the member goes at once and the others rebalance.
    pub fn leave(
        &mut self,
        now: SimTime,
        member: &Arc<str>,
        topics: &TopicTable,
        fx: &mut Effects,
    ) {
        if self.members.remove(member).is_none() {
            return;
        }
        fx.events.push(Event::MemberRemoved {
            group: self.name.clone(),
            member: member.clone(),
            reason: "it left the group".into(),
        });
        self.after_removal(now, topics, fx);
    }

    fn after_removal(&mut self, now: SimTime, topics: &TopicTable, fx: &mut Effects) {
        match self.phase {
            GroupPhase::PreparingRebalance => self.try_complete_join(now, topics, fx),
            GroupPhase::Empty => {}
            _ if self.members.is_empty() => {
                self.generation += 1;
                self.phase = GroupPhase::Empty;
                self.leader = None;
                fx.events.push(Event::GroupEmptied {
                    group: self.name.clone(),
                    generation: self.generation,
                });
            }
            _ => self.prepare_rebalance(now, "a member was removed", topics, fx),
        }
    }

    /// The session check of `member`: gone if no heartbeat for `session.timeout.ms` and
    /// not waiting for a join or sync answer (`MemberMetadata.shouldKeepAlive`).
    pub fn on_session_check(
        &mut self,
        now: SimTime,
        member: &Arc<str>,
        topics: &TopicTable,
        fx: &mut Effects,
    ) {
        let expired = self.members.get(member).is_some_and(|m| {
            m.awaiting_join.is_none()
                && m.awaiting_sync.is_none()
                && now >= m.last_heartbeat.after(SimDuration(m.session_timeout_ms))
        });
        if !expired {
            return;
        }
        self.members.remove(member);
        fx.events.push(Event::MemberRemoved {
            group: self.name.clone(),
            member: member.clone(),
            reason: "no heartbeat within session.timeout.ms".into(),
        });
        self.after_removal(now, topics, fx);
    }

    /// `OffsetCommit`: stored if the member belongs to the current generation (commits
    /// are refused while the assignment is being handed out).
    pub fn commit(
        &mut self,
        member: &str,
        generation: i32,
        offsets: &[(Tp, Offset)],
        leader_epochs: &[(Tp, LeaderEpoch)],
    ) -> Result<(), KafkaError> {
        self.check_member(member, generation)?;
        if self.phase == GroupPhase::CompletingRebalance {
            return Err(KafkaError::RebalanceInProgress);
        }
        for (tp, o) in offsets {
            self.committed.insert(*tp, *o);
            match leader_epochs.iter().find(|(t, _)| t == tp) {
                Some((_, e)) => self.committed_epochs.insert(*tp, *e),
                None => self.committed_epochs.remove(tp),
            };
        }
        Ok(())
    }

    /// Consumers waiting for this group's join or sync answer.
    pub(crate) fn awaiting_nodes(&self) -> Vec<Node> {
        self.members
            .values()
            .flat_map(|m| [m.awaiting_join, m.awaiting_sync])
            .flatten()
            .map(|(n, _)| n)
            .collect()
    }

    /// A new coordinator took the group over: answers promised by the old one are lost,
    /// sessions start again, and a rebalance in progress waits for members to rejoin.
    pub fn take_over(&mut self, now: SimTime, fx: &mut Effects) {
        let ids: Vec<Arc<str>> = self.members.keys().cloned().collect();
        for m in self.members.iter_mut().map(|(_, v)| v) {
            m.awaiting_join = None;
            m.awaiting_sync = None;
        }
        for id in &ids {
            self.touch(fx, id, now);
        }
        if matches!(
            self.phase,
            GroupPhase::PreparingRebalance | GroupPhase::CompletingRebalance
        ) {
            self.phase = GroupPhase::PreparingRebalance;
            self.initial_delay = false;
            let timeout = self
                .members
                .values()
                .map(|m| m.rebalance_timeout_ms)
                .max()
                .unwrap_or(0);
            self.set_deadline(fx, now.after(SimDuration(timeout)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::PartitionId;
    use crate::topic::{TopicId, TopicInfo};

    fn topics() -> TopicTable {
        let mut t = TopicTable::default();
        t.add(TopicInfo {
            name: "orders".into(),
            partitions: 2,
            replication_factor: 1,
            config: crate::config::TopicConfig {
                min_insync_replicas: 1,
                unclean_leader_election_enable: false,
            },
        });
        t
    }

    fn join_req(member: &str, instance: Option<&str>) -> JoinRequest {
        JoinRequest {
            group: "g".into(),
            member: member.into(),
            instance_id: instance.map(Into::into),
            assignor: AssignorName::Range,
            topics: vec!["orders".into()],
            owned: Vec::new(),
            generation: -1,
            session_timeout_ms: 10_000,
            rebalance_timeout_ms: 60_000,
        }
    }

    fn join_results(fx: &Effects) -> Vec<(Node, i32, usize)> {
        fx.sends
            .iter()
            .filter_map(|(n, m)| match m {
                Message::JoinGroupResponse { result: Ok(r), .. } => {
                    Some((*n, r.generation, r.members.len()))
                }
                _ => None,
            })
            .collect()
    }

    fn stable_group(store: &mut GroupStore, t: &TopicTable) -> Arc<str> {
        let name: Arc<str> = "g".into();
        let g = store.get_or_create(&name);
        let mut fx = Effects::default();
        g.join(
            SimTime(0),
            Node::Consumer(0),
            1,
            &join_req("a", None),
            t,
            &mut fx,
        );
        g.join(
            SimTime(10),
            Node::Consumer(1),
            1,
            &join_req("b", None),
            t,
            &mut fx,
        );
        g.on_join_deadline(SimTime(3_010), t, &mut fx);
        let tp = |p| Tp {
            topic: TopicId(0),
            partition: PartitionId(p),
        };
        let assignments = vec![("a".into(), vec![tp(0)]), ("b".into(), vec![tp(1)])];
        g.sync(
            SimTime(3_020),
            Node::Consumer(0),
            2,
            &"a".into(),
            1,
            assignments,
            &mut fx,
        );
        g.sync(
            SimTime(3_020),
            Node::Consumer(1),
            2,
            &"b".into(),
            1,
            Vec::new(),
            &mut fx,
        );
        name
    }

    #[test]
    fn an_empty_group_waits_the_initial_delay_then_answers_every_member_and_the_leader_gets_subscriptions()
     {
        let t = topics();
        let mut store = GroupStore::default();
        let g = store.get_or_create(&"g".into());
        let mut fx = Effects::default();
        g.join(
            SimTime(0),
            Node::Consumer(0),
            1,
            &join_req("a", None),
            &t,
            &mut fx,
        );
        g.join(
            SimTime(10),
            Node::Consumer(1),
            7,
            &join_req("b", None),
            &t,
            &mut fx,
        );
        assert!(
            join_results(&fx).is_empty(),
            "no answer before the initial delay"
        );
        // The second join extended the delay to 10 + 3000.
        g.on_join_deadline(SimTime(3_000), &t, &mut fx);
        assert!(join_results(&fx).is_empty());
        g.on_join_deadline(SimTime(3_010), &t, &mut fx);
        let results = join_results(&fx);
        assert_eq!(
            results,
            vec![(Node::Consumer(0), 1, 2), (Node::Consumer(1), 1, 0)]
        );
        assert_eq!(g.phase, GroupPhase::CompletingRebalance);
        assert_eq!(g.leader.as_deref(), Some("a"));
    }

    #[test]
    fn the_leaders_sync_completes_the_rebalance_and_a_new_member_triggers_the_next() {
        let t = topics();
        let mut store = GroupStore::default();
        let name = stable_group(&mut store, &t);
        let g = store.get_mut(&name).expect("group");
        assert_eq!(g.phase, GroupPhase::Stable);
        assert_eq!(g.members.get("b").map_or(0, |m| m.assignment.len()), 1);
        let mut fx = Effects::default();
        assert_eq!(g.heartbeat(SimTime(4_000), &"a".into(), 1, &mut fx), None);
        g.join(
            SimTime(5_000),
            Node::Consumer(2),
            1,
            &join_req("c", None),
            &t,
            &mut fx,
        );
        assert_eq!(g.phase, GroupPhase::PreparingRebalance);
        assert_eq!(
            g.heartbeat(SimTime(5_100), &"a".into(), 1, &mut fx),
            Some(KafkaError::RebalanceInProgress)
        );
        assert_eq!(
            g.heartbeat(SimTime(5_100), &"zz".into(), 1, &mut fx),
            Some(KafkaError::UnknownMemberId)
        );
        // a and b rejoin: the barrier falls without waiting for the timeout.
        g.join(
            SimTime(5_200),
            Node::Consumer(0),
            3,
            &join_req("a", None),
            &t,
            &mut fx,
        );
        g.join(
            SimTime(5_300),
            Node::Consumer(1),
            3,
            &join_req("b", None),
            &t,
            &mut fx,
        );
        assert_eq!(g.phase, GroupPhase::CompletingRebalance);
        assert_eq!(g.generation, 2);
    }

    #[test]
    fn a_member_without_heartbeats_is_removed_after_its_session_and_commits_need_the_current_generation()
     {
        let t = topics();
        let mut store = GroupStore::default();
        let name = stable_group(&mut store, &t);
        let g = store.get_mut(&name).expect("group");
        let tp = Tp {
            topic: TopicId(0),
            partition: PartitionId(0),
        };
        assert_eq!(
            g.commit("a", 0, &[(tp, Offset(3))], &[]),
            Err(KafkaError::IllegalGeneration)
        );
        assert_eq!(g.commit("a", 1, &[(tp, Offset(3))], &[]), Ok(()));
        assert_eq!(g.committed[&tp], Offset(3));
        let mut fx = Effects::default();
        g.heartbeat(SimTime(5_000), &"b".into(), 1, &mut fx);
        // a's last sign of life was its sync at 3020; its session is 10 s.
        g.on_session_check(SimTime(13_019), &"a".into(), &t, &mut fx);
        assert!(g.members.contains_key("a"));
        g.on_session_check(SimTime(13_020), &"a".into(), &t, &mut fx);
        assert!(!g.members.contains_key("a"));
        assert_eq!(g.phase, GroupPhase::PreparingRebalance);
    }

    #[test]
    fn a_static_member_replaced_under_a_new_id_keeps_its_assignment_without_a_rebalance() {
        let t = topics();
        let mut store = GroupStore::default();
        let name: Arc<str> = "g".into();
        let g = store.get_or_create(&name);
        let mut fx = Effects::default();
        g.join(
            SimTime(0),
            Node::Consumer(0),
            1,
            &join_req("a", Some("pod-a")),
            &t,
            &mut fx,
        );
        g.on_join_deadline(SimTime(3_000), &t, &mut fx);
        let tp = Tp {
            topic: TopicId(0),
            partition: PartitionId(0),
        };
        g.sync(
            SimTime(3_010),
            Node::Consumer(0),
            2,
            &"a".into(),
            1,
            vec![("a".into(), vec![tp])],
            &mut fx,
        );
        let mut fx = Effects::default();
        g.join(
            SimTime(4_000),
            Node::Consumer(5),
            1,
            &join_req("a2", Some("pod-a")),
            &t,
            &mut fx,
        );
        assert_eq!(g.phase, GroupPhase::Stable);
        assert_eq!(g.generation, 1);
        assert_eq!(
            g.members.get("a2").map(|m| m.assignment.clone()),
            Some(vec![tp])
        );
        assert!(!g.members.contains_key("a"));
        assert_eq!(join_results(&fx), vec![(Node::Consumer(5), 1, 0)]);
    }
}
