//! A lesson's goals checked against a running simulation: the events since the last look
//! and the state now. A goal once met stays met (the learner made it happen), even when
//! the state moves on or the page seeks back.

use std::sync::Arc;

use super::Lesson;
use super::predicate::Predicate;
use crate::collections::{Map, Set};
use crate::event::Event;
use crate::ids::{BrokerId, PartitionId};
use crate::produced::ProduceStatus;
use crate::sim::Simulation;
use crate::topic::Tp;

/// Which goals of a lesson are met, updated by [`Progress::observe`].
#[derive(Clone, Debug)]
pub struct Progress {
    goals: Vec<Predicate>,
    /// Consumers per group, from the lesson's `join_group` steps.
    groups: Map<String, Vec<String>>,
    stages: Vec<Vec<usize>>,
    met: Vec<bool>,
    /// The next trace entry to read.
    cursor: u64,
    seen: Seen,
}

/// Per (topic, key): how many acknowledged records, and in which partitions.
type KeysSeen = Map<(Arc<str>, Arc<str>), (u64, Set<PartitionId>)>;

/// What the events read so far add up to (started afresh when the simulation rewinds).
#[derive(Clone, Debug, Default)]
struct Seen {
    /// Per goal: a count of matching events.
    counts: Vec<u64>,
    /// Per goal, per (topic, key): acknowledged records and their partitions.
    keys: Vec<KeysSeen>,
    /// Per goal: partitions that got an unkeyed record.
    partitions: Vec<Set<PartitionId>>,
    /// Per goal: the current run of unkeyed records (partition, length).
    runs: Vec<Option<(PartitionId, u64)>>,
    /// Per goal, per partition: since when the leader holds records above its high
    /// watermark.
    held_since: Vec<Map<(Arc<str>, PartitionId), u64>>,
    /// The leader each partition had last.
    leaders: Map<(Arc<str>, PartitionId), BrokerId>,
    /// Partitions whose leader changed at some point.
    moved: Set<(Arc<str>, PartitionId)>,
    /// Partitions to look at again since the last look: an acknowledged record may be
    /// gone from them.
    elected: Set<(Arc<str>, PartitionId)>,
}

impl Progress {
    /// No goal met yet.
    pub fn new(lesson: &Lesson) -> Progress {
        let goals: Vec<Predicate> = lesson.goals().iter().map(|g| g.when.clone()).collect();
        let n = goals.len();
        let index = |id: &String| lesson.goals().iter().position(|g| &g.id == id);
        Progress {
            groups: lesson.consumers_by_group(),
            stages: lesson
                .stages()
                .iter()
                .map(|s| s.goals.iter().filter_map(index).collect())
                .collect(),
            goals,
            met: vec![false; n],
            cursor: 0,
            seen: Seen::fresh(n),
        }
    }

    /// Whether each goal (in the lesson's order) is met.
    pub fn met(&self) -> &[bool] {
        &self.met
    }

    /// The stage the learner is at: the first with a goal not met (the last when all are).
    pub fn stage(&self) -> usize {
        self.stages
            .iter()
            .position(|goals| goals.iter().any(|&g| !self.met[g]))
            .unwrap_or(self.stages.len().saturating_sub(1))
    }

    /// Reads what happened since the last call and the state now; returns the goals
    /// newly met, in order.
    pub fn observe(&mut self, sim: &Simulation) -> Vec<usize> {
        let trace = sim.trace();
        if trace.total() < self.cursor {
            // The simulation was rebuilt or rewound: its events count again from zero.
            self.cursor = 0;
            self.seen = Seen::fresh(self.goals.len());
        }
        for entry in trace.since(self.cursor) {
            self.read(sim, &entry.event);
        }
        self.cursor = trace.total();
        let mut newly = Vec::new();
        for g in 0..self.goals.len() {
            if !self.met[g] && self.holds(sim, g) {
                self.met[g] = true;
                newly.push(g);
            }
        }
        self.seen.elected.clear();
        newly
    }

    fn consumer_matches(
        &self,
        consumer: &str,
        only: &Option<String>,
        group: &Option<String>,
    ) -> bool {
        only.as_ref().is_none_or(|c| c == consumer)
            && group.as_ref().is_none_or(|g| {
                self.groups
                    .get(g.as_str())
                    .is_some_and(|members| members.iter().any(|m| m == consumer))
            })
    }

    /// Counts an event for every goal it concerns.
    fn read(&mut self, sim: &Simulation, event: &Event) {
        for g in 0..self.goals.len() {
            if !self.met[g] && self.matches(sim, g, event) {
                self.seen.counts[g] += 1;
            }
        }
        if let Event::LeaderElected {
            topic,
            partition,
            leader,
            previous,
            ..
        } = event
        {
            let key = (topic.clone(), *partition);
            let before = previous.or_else(|| self.seen.leaders.get(&key).copied());
            if before.is_some_and(|b| b != *leader) {
                self.seen.moved.insert(key.clone());
                self.seen.elected.insert(key.clone());
            }
            self.seen.leaders.insert(key, *leader);
        }
        // The leader it had before going offline: the next election may move it.
        if let Event::PartitionWentOffline {
            topic,
            partition,
            previous: Some(previous),
            ..
        } = event
        {
            self.seen
                .leaders
                .insert((topic.clone(), *partition), *previous);
        }
    }

    /// Whether `event` counts towards goal `g` (and notes what it adds).
    fn matches(&mut self, sim: &Simulation, g: usize, event: &Event) -> bool {
        let t = |want: &Option<String>, topic: &str| want.as_deref().is_none_or(|w| w == topic);
        match (&self.goals[g], event) {
            (
                Predicate::RecordsAcked {
                    topic, producer, ..
                },
                Event::ProduceAcked {
                    producer: p,
                    topic: tp,
                    ..
                },
            ) => t(topic, tp) && producer.as_deref().is_none_or(|w| w == &**p),
            (
                Predicate::SameKeyOnePartition { topic, .. },
                Event::ProduceAcked {
                    record,
                    topic: tp,
                    partition,
                    ..
                },
            ) if t(topic, tp) => {
                if let Some(key) = sim.produced().get(*record).and_then(|r| r.key.clone()) {
                    let entry = self.seen.keys[g]
                        .entry((tp.clone(), key))
                        .or_insert_with(|| (0, Set::new()));
                    entry.0 += 1;
                    entry.1.insert(*partition);
                }
                false
            }
            (
                Predicate::UnkeyedInEveryPartition { topic, producer }
                | Predicate::UnkeyedRunInOnePartition {
                    topic, producer, ..
                },
                Event::ProduceAcked {
                    producer: p,
                    record,
                    topic: tp,
                    partition,
                    ..
                },
            ) if topic == &**tp && producer.as_deref().is_none_or(|w| w == &**p) => {
                let unkeyed = sim.produced().get(*record).is_some_and(|r| r.key.is_none());
                if unkeyed {
                    self.seen.partitions[g].insert(*partition);
                    let run = match self.seen.runs[g] {
                        Some((at, n)) if at == *partition => n + 1,
                        _ => 1,
                    };
                    self.seen.runs[g] = Some((*partition, run));
                }
                false
            }
            (
                Predicate::LeaderMoved { topic },
                Event::LeaderElected {
                    topic: tp,
                    partition,
                    leader,
                    previous,
                    ..
                },
            ) => {
                let before =
                    previous.or_else(|| self.seen.leaders.get(&(tp.clone(), *partition)).copied());
                t(topic, tp) && before.is_some_and(|b| b != *leader)
            }
            (
                Predicate::UncleanElection { topic },
                Event::LeaderElected {
                    topic: tp, unclean, ..
                },
            ) => *unclean && t(topic, tp),
            (
                Predicate::PartitionOffline { topic },
                Event::PartitionWentOffline { topic: tp, .. },
            ) => t(topic, tp),
            (
                Predicate::ReplicaLeftIsr { topic, broker },
                Event::ReplicaLeftIsr {
                    topic: tp,
                    broker: b,
                    ..
                },
            ) => t(topic, tp) && broker.is_none_or(|w| w == b.0),
            (Predicate::IsrBelowMin { topic }, Event::ReplicaLeftIsr { topic: tp, isr, .. })
                if t(topic, tp) =>
            {
                sim.topics()
                    .find(tp)
                    .and_then(|id| sim.topics().get(id))
                    .is_some_and(|info| (isr.len() as u32) < info.config.min_insync_replicas)
            }
            (
                Predicate::ProduceRejected { topic, error },
                Event::ProduceRejected {
                    topic: tp,
                    error: e,
                    ..
                },
            ) => t(topic, tp) && e == error,
            (
                Predicate::ProduceFailed { topic, error },
                Event::ProduceFailed {
                    topic: tp,
                    error: e,
                    ..
                },
            ) => t(topic, tp) && error.is_none_or(|w| w == *e),
            (
                Predicate::RecordsConsumed {
                    consumer, group, ..
                },
                Event::RecordConsumed { consumer: c, .. },
            ) => self.consumer_matches(c, consumer, group),
            (
                Predicate::RecordRedelivered { consumer, group },
                Event::RecordConsumed {
                    consumer: c,
                    redelivered,
                    ..
                },
            ) => *redelivered && self.consumer_matches(c, consumer, group),
            (
                Predicate::Rebalanced {
                    group,
                    generation_at_least,
                },
                Event::GroupJoinCompleted {
                    group: gr,
                    generation,
                    ..
                },
            ) => group == &**gr && generation >= generation_at_least,
            (Predicate::OffsetsCommitted { group }, Event::OffsetsCommitted { group: gr, .. }) => {
                group == &**gr
            }
            (
                Predicate::AckedRecordLost { .. },
                Event::ProduceAcked {
                    topic, partition, ..
                },
            ) => {
                // An acknowledgement that reaches the producer after a leadership change:
                // look at that partition again.
                if self.seen.moved.contains(&(topic.clone(), *partition)) {
                    self.seen.elected.insert((topic.clone(), *partition));
                }
                false
            }
            (
                Predicate::AckedRecordLost { .. },
                Event::RecordTruncated {
                    topic, partition, ..
                },
            ) => {
                self.seen.elected.insert((topic.clone(), *partition));
                false
            }
            _ => false,
        }
    }

    /// Whether goal `g` holds, from what was read and the state now.
    fn holds(&mut self, sim: &Simulation, g: usize) -> bool {
        let count = self.seen.counts[g];
        match &self.goals[g] {
            Predicate::RecordsAcked { at_least, .. }
            | Predicate::RecordsConsumed { at_least, .. } => count >= *at_least,
            Predicate::SameKeyOnePartition { at_least, .. } => self.seen.keys[g]
                .values()
                .any(|(n, parts)| n >= at_least && parts.len() == 1),
            Predicate::UnkeyedInEveryPartition { topic, .. } => {
                let partitions = sim
                    .topics()
                    .find(topic)
                    .and_then(|id| sim.topics().get(id))
                    .map_or(0, |info| info.partitions as usize);
                partitions > 0 && self.seen.partitions[g].len() >= partitions
            }
            Predicate::UnkeyedRunInOnePartition { at_least, .. } => {
                self.seen.runs[g].is_some_and(|(_, n)| n >= *at_least)
            }
            Predicate::LeadsAndFollows { broker } => leads_and_follows(sim, *broker),
            Predicate::BrokersRunning { at_least } => {
                sim.brokers().iter().filter(|b| b.is_running()).count() >= *at_least as usize
            }
            Predicate::HighWatermarkHeldBack { topic, for_ms } => {
                let (topic, for_ms) = (topic.clone(), *for_ms);
                self.held_back(sim, g, topic.as_deref(), for_ms)
            }
            Predicate::AckedRecordLost { topic } => {
                let topic = topic.clone();
                self.acked_lost(sim, topic.as_deref())
            }
            _ => count > 0,
        }
    }

    fn held_back(&mut self, sim: &Simulation, g: usize, topic: Option<&str>, for_ms: u64) -> bool {
        let now = sim.now().0;
        let held = &mut self.seen.held_since[g];
        let mut longest = 0;
        for (tp, state) in sim.controller().partitions() {
            let name = sim.topics().name(tp.topic);
            if topic.is_some_and(|t| t != &*name) {
                continue;
            }
            let key = (name, tp.partition);
            let log = state
                .leader
                .and_then(|l| sim.broker(l))
                .filter(|b| b.is_running())
                .and_then(|b| b.replica(*tp))
                .map(|r| r.log());
            match log {
                Some(log) if log.log_end_offset() > log.high_watermark() => {
                    let since = *held.entry(key).or_insert(now);
                    longest = longest.max(now - since);
                }
                _ => {
                    held.remove(&key);
                }
            }
        }
        longest >= for_ms
    }

    fn acked_lost(&self, sim: &Simulation, topic: Option<&str>) -> bool {
        self.seen.elected.iter().any(|(name, partition)| {
            if topic.is_some_and(|t| t != &**name) {
                return false;
            }
            let Some(id) = sim.topics().find(name) else {
                return false;
            };
            let tp = Tp {
                topic: id,
                partition: *partition,
            };
            let Some(log) = sim
                .controller()
                .partition(tp)
                .and_then(|s| s.leader)
                .and_then(|l| sim.broker(l))
                .and_then(|b| b.replica(tp))
                .map(|r| r.log())
            else {
                return false;
            };
            sim.produced().iter().any(|r| {
                r.status == ProduceStatus::Acked
                    && &r.topic == name
                    && r.partition == Some(*partition)
                    && r.offset.is_some_and(|o| match log.record_at(o) {
                        // Contents dropped by the display cap: not known to be lost.
                        Some(Some(body)) => body.id != r.record,
                        Some(None) => false,
                        None => true,
                    })
            })
        })
    }
}

fn leads_and_follows(sim: &Simulation, only: Option<u32>) -> bool {
    sim.brokers()
        .iter()
        .filter(|b| b.is_running() && only.is_none_or(|o| o == b.id().0))
        .any(|b| {
            let (mut leads, mut follows) = (false, false);
            for (_, state) in sim.controller().partitions() {
                if state.leader == Some(b.id()) {
                    leads = true;
                } else if state.leader.is_some() && state.replicas.contains(&b.id()) {
                    follows = true;
                }
                if leads && follows {
                    return true;
                }
            }
            false
        })
}

impl Seen {
    fn fresh(n: usize) -> Seen {
        Seen {
            counts: vec![0; n],
            keys: vec![Map::new(); n],
            partitions: vec![Set::new(); n],
            runs: vec![None; n],
            held_since: vec![Map::new(); n],
            leaders: Map::new(),
            moved: Set::new(),
            elected: Set::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SimOptions;
    use crate::scenario::run;

    const KEYED: &str = include_str!("../../../scenarios/lessons/04-keys-pick-the-partition.json");
    const STAGED: &str = include_str!("../../../scenarios/lessons/02-topics-are-ordered-logs.json");

    #[test]
    fn a_goal_met_stays_met_when_the_simulation_is_rebuilt() {
        let l = Lesson::parse(KEYED, "keys").expect("valid");
        let mut p = Progress::new(&l);
        let solved = run(&l.with_solution(), SimOptions::default()).expect("runs");
        assert_eq!(p.observe(&solved.sim), vec![0]);
        // A seek back replaces the simulation: its trace counts from zero again.
        let fresh = run(&l.scenario(), SimOptions::default()).expect("runs");
        assert!(fresh.sim.trace().total() < solved.sim.trace().total());
        assert!(p.observe(&fresh.sim).is_empty());
        assert_eq!(p.met(), &[true]);
    }

    #[test]
    fn the_stage_is_the_first_with_a_goal_not_met() {
        let l = Lesson::parse(STAGED, "staged").expect("valid");
        let mut p = Progress::new(&l);
        assert_eq!(p.stage(), 0);
        let mut first = l.with_solution();
        // Up to the three records acknowledged, before the consumer joins.
        first.steps.truncate(4);
        let r = run(&first, SimOptions::default()).expect("runs");
        assert_eq!(p.observe(&r.sim), vec![0]);
        assert_eq!(p.stage(), 1);
        let all = run(&l.with_solution(), SimOptions::default()).expect("runs");
        assert_eq!(p.observe(&all.sim), vec![1]);
        assert_eq!(p.stage(), 1, "the last stage once every goal is met");
    }
}
