//! `AbstractStickyAssignor.GeneralAssignmentBuilder`: the sticky assignment when subscriptions
//! differ, without racks.
//!
//! 1. Keep every valid owned partition (`assignOwnedPartitions`); remember, for each partition,
//!    the member of the next-highest generation that claimed it (`prepopulateCurrentAssignments`).
//! 2. Hand each remaining partition, topics with fewer potential members first, to the member
//!    with the fewest partitions that can take it (`maybeAssign`, ordered by
//!    `SubscriptionComparator`: size, then member id).
//! 3. While the assignment is not balanced (`isBalanced`), move partitions from members that have
//!    more than one partition above another potential owner (`performReassignments`), preferring
//!    the previous owner, and undoing moves that would swap partitions of one topic between the
//!    same pair (`PartitionMovements`). If that did not lower the balance score, revert it.
//!
//! Kafka answers "which member with the fewest partitions subscribes to this topic" and
//! `isBalanced` by scanning every member and partition each time. The port keeps, per topic, its
//! subscribers and owners ordered like `sortedCurrentSubscriptions`, and which topics have a
//! member that could take a partition from one with two more, updated on every move. The answers
//! are the same, without the quadratic scans.

use std::collections::{BTreeMap, BTreeSet};

use super::movements::PartitionMovements;
use super::{DEFAULT_GENERATION, OwnedClaims, remove_first};
use crate::assignor::error::KafkaThrows;
use crate::assignor::group::Group;
use crate::collections::{sort, sort_by};

/// Runs the builder; the result is indexed by member.
pub(crate) fn build(
    group: &Group<'_>,
    claims: OwnedClaims,
) -> Result<Vec<Vec<usize>>, KafkaThrows> {
    let mut builder = Builder::new(group, claims);
    let previous = builder.prepopulate_current_assignments();
    let unassigned = builder.assign_owned_partitions();
    // sortedCurrentSubscriptions.addAll(currentAssignment.keySet())
    for m in 0..group.members.len() {
        for i in 0..builder.current[m].len() {
            let topic = group.partition_topic[builder.current[m][i]];
            *builder.owned_count[m].entry(topic).or_insert(0) += 1;
        }
        builder.index(m);
    }
    builder.balance(&previous, unassigned)?;
    Ok(builder.current)
}

/// `ConsumerGenerationPair`: the previous owner of a partition and its generation.
#[derive(Clone, Copy, Debug)]
struct Previous {
    consumer: usize,
    generation: i32,
}

/// The builder's state, named after its Java fields.
struct Builder<'g, 'a> {
    group: &'g Group<'a>,
    claims: OwnedClaims,
    /// `topic2AllPotentialConsumers`, by topic index (members in subscription order).
    topic_consumers: Vec<Vec<usize>>,
    /// `currentAssignment`, by member. A member with a fixed assignment is taken out of the map
    /// during balancing (`participating[m] == false`) and put back at the end.
    current: Vec<Vec<usize>>,
    participating: Vec<bool>,
    /// `currentPartitionConsumer`, by partition index.
    owner: Vec<Option<usize>>,
    /// `sortedAllPartitions`.
    sorted_partitions: Vec<usize>,
    /// `sortedCurrentSubscriptions`: (partition count, id rank) of each member in the `TreeSet`.
    sorted: BTreeSet<(usize, usize)>,
    revocation_required: bool,
    movements: PartitionMovements,
    /// `getMaxAssignmentSize` of each member.
    max_assignment_size: Vec<usize>,
    /// Per topic: its subscribers in `sortedCurrentSubscriptions`, in that set's order.
    subscribers: Vec<BTreeSet<(usize, usize)>>,
    /// Per topic: those of its subscribers that do not hold exactly as many partitions as their
    /// topics have (`isBalanced` checks only these).
    can_take_more: Vec<BTreeSet<(usize, usize)>>,
    /// Per member: how many partitions of each topic it owns. Usually only subscribed topics,
    /// but Kafka hands a partition back to its previous owner without checking that it still
    /// subscribes to the topic.
    owned_count: Vec<BTreeMap<usize, usize>>,
    /// Per topic: the members in `sortedCurrentSubscriptions` that own some of its partitions.
    owners: Vec<BTreeSet<(usize, usize)>>,
    /// Per topic: whether one of its subscribers could take one of its partitions from a member
    /// with at least two more partitions (what makes `isBalanced` false).
    unbalanced: Vec<bool>,
    unbalanced_topics: usize,
}

impl<'g, 'a> Builder<'g, 'a> {
    /// The `GeneralAssignmentBuilder` constructor.
    fn new(group: &'g Group<'a>, claims: OwnedClaims) -> Builder<'g, 'a> {
        let mut topic_consumers = vec![Vec::new(); group.topics.len()];
        for &m in &group.subscription_order {
            for &t in &group.members[m].topics {
                topic_consumers[t].push(m);
            }
        }
        let current = claims.owned.clone();
        let mut owner = vec![None; group.total_partitions()];
        for &m in &claims.map_order {
            for &tp in &current[m] {
                owner[tp] = Some(m);
            }
        }
        // TopicComparator: fewer potential consumers first, then the name (topic indices
        // already follow String.compareTo); partitions ascending within a topic.
        let mut topics: Vec<usize> = (0..group.topics.len()).collect();
        let key = |t: usize| (topic_consumers[t].len(), t);
        sort_by(&mut topics, |&a, &b| key(a) < key(b));
        let sorted_partitions = topics
            .iter()
            .flat_map(|&t| {
                let first = group.topics[t].first;
                first..first + group.topics[t].partitions
            })
            .collect();
        let max_assignment_size = (0..group.members.len())
            .map(|m| {
                let topics = &group.members[m].topics;
                if topics.len() == group.topics.len() {
                    group.total_partitions()
                } else {
                    topics.iter().map(|&t| group.topics[t].partitions).sum()
                }
            })
            .collect();
        let topics = group.topics.len();
        Builder {
            group,
            participating: vec![true; group.members.len()],
            claims,
            topic_consumers,
            current,
            owner,
            sorted_partitions,
            sorted: BTreeSet::new(),
            revocation_required: false,
            movements: PartitionMovements::default(),
            max_assignment_size,
            subscribers: vec![BTreeSet::new(); topics],
            can_take_more: vec![BTreeSet::new(); topics],
            owned_count: vec![BTreeMap::new(); group.members.len()],
            owners: vec![BTreeSet::new(); topics],
            unbalanced: vec![false; topics],
            unbalanced_topics: 0,
        }
    }

    /// A member's position in `sortedCurrentSubscriptions` (`SubscriptionComparator`).
    fn key(&self, m: usize) -> (usize, usize) {
        (self.current[m].len(), self.group.id_rank[m])
    }

    /// `currentAssignment.get(m).size()`, which throws for a member taken out of the map.
    fn size(&self, m: usize) -> Result<usize, KafkaThrows> {
        if self.participating[m] {
            Ok(self.current[m].len())
        } else {
            Err(KafkaThrows::null_pointer(format!(
                "GeneralAssignmentBuilder.performReassignments looks up member {:?}, whose \
                 assignment is fixed and was taken out of currentAssignment",
                self.group.members[m].id
            )))
        }
    }

    /// `prepopulateCurrentAssignments`: for each partition, the claim of the highest generation
    /// below `maxGeneration` (the first such member in subscription order on ties).
    fn prepopulate_current_assignments(&self) -> Vec<Option<Previous>> {
        let mut previous: Vec<Option<Previous>> = vec![None; self.group.total_partitions()];
        let max_generation = self.claims.max_generation;
        for &m in &self.group.subscription_order {
            let member = &self.group.members[m];
            let generation = match member.generation {
                Some(g) if g < max_generation => g,
                None if max_generation > DEFAULT_GENERATION => DEFAULT_GENERATION,
                _ => continue,
            };
            // updatePrevAssignment; claims on unknown topics are never looked up.
            for &tp in &member.owned {
                let replace = previous[tp].is_none_or(|p| generation > p.generation);
                if replace {
                    previous[tp] = Some(Previous {
                        consumer: m,
                        generation,
                    });
                }
            }
        }
        previous
    }

    /// `assignOwnedPartitions`: drops claims on topics the member no longer subscribes to
    /// (which requires a revocation) and returns the unassigned partitions in
    /// `sortedAllPartitions` order (`getUnassignedPartitions`).
    fn assign_owned_partitions(&mut self) -> Vec<usize> {
        let mut assigned = vec![false; self.group.total_partitions()];
        for &m in &self.claims.map_order {
            let member = &self.group.members[m];
            let group = self.group;
            let mut revoked = false;
            self.current[m].retain(|&tp| {
                if member.subscribes(group.partition_topic[tp]) {
                    assigned[tp] = true;
                    true
                } else {
                    // Kafka leaves currentPartitionConsumer stale here; maybeAssign
                    // overwrites it, since every topic has a subscriber.
                    revoked = true;
                    false
                }
            });
            self.revocation_required |= revoked;
        }
        self.sorted_partitions
            .iter()
            .copied()
            .filter(|&tp| !assigned[tp])
            .collect()
    }

    /// Puts member `m` into `sortedCurrentSubscriptions` and the per-topic indexes, keyed by its
    /// current partition count.
    fn index(&mut self, m: usize) {
        let key = self.key(m);
        self.sorted.insert(key);
        // isBalanced skips only members holding exactly their maximum; one holding more (after
        // Kafka returned a partition to a previous owner that no longer subscribes) still counts.
        let can_take_more = self.current[m].len() != self.max_assignment_size[m];
        for &t in &self.group.members[m].topics {
            self.subscribers[t].insert(key);
            if can_take_more {
                self.can_take_more[t].insert(key);
            }
        }
        for (&t, &n) in &self.owned_count[m] {
            if n > 0 {
                self.owners[t].insert(key);
            }
        }
    }

    /// Takes member `m` out of `sortedCurrentSubscriptions` and the per-topic indexes, before its
    /// partition count changes (Kafka's `TreeSet.remove` before each change).
    fn unindex(&mut self, m: usize) {
        let key = self.key(m);
        self.sorted.remove(&key);
        for &t in &self.group.members[m].topics {
            self.subscribers[t].remove(&key);
            self.can_take_more[t].remove(&key);
        }
        for &t in self.owned_count[m].keys() {
            self.owners[t].remove(&key);
        }
    }

    /// Whether some subscriber of `topic` that could take more partitions has at least two fewer
    /// than a member owning one of the topic's partitions (the inner test of `isBalanced`).
    fn topic_is_unbalanced(&self, topic: usize) -> bool {
        let takers = &self.can_take_more[topic];
        let owners = &self.owners[topic];
        let (Some(&(fewest, taker)), Some(&(most, owner))) = (takers.first(), owners.last()) else {
            return false;
        };
        if taker != owner {
            return fewest + 1 < most;
        }
        // The same member: pair it with the runner-up on either side.
        takers
            .iter()
            .nth(1)
            .is_some_and(|&(next, _)| next + 1 < most)
            || owners
                .iter()
                .rev()
                .nth(1)
                .is_some_and(|&(next, _)| fewest + 1 < next)
    }

    /// Re-evaluates [`Self::topic_is_unbalanced`] for the topics member `m` subscribes to or
    /// owns partitions of.
    fn refresh_balance(&mut self, m: usize) {
        let owned: Vec<usize> = self.owned_count[m].keys().copied().collect();
        for t in self.group.members[m].topics.iter().copied().chain(owned) {
            self.refresh_topic(t);
        }
    }

    fn refresh_topic(&mut self, t: usize) {
        let now = self.topic_is_unbalanced(t);
        if now != self.unbalanced[t] {
            self.unbalanced[t] = now;
            if now {
                self.unbalanced_topics += 1;
            } else {
                self.unbalanced_topics -= 1;
            }
        }
    }

    /// The first member in `sortedCurrentSubscriptions` subscribed to `topic`.
    fn first_subscriber(&self, topic: usize) -> Option<usize> {
        self.subscribers[topic]
            .first()
            .map(|&(_, rank)| self.group.by_id_rank[rank])
    }

    /// `maybeAssignPartition` without racks: to the first member in `sortedCurrentSubscriptions`
    /// subscribed to the partition's topic.
    fn maybe_assign_partition(&mut self, tp: usize) {
        let topic = self.group.partition_topic[tp];
        if let Some(m) = self.first_subscriber(topic) {
            self.unindex(m);
            self.current[m].push(tp);
            self.owner[tp] = Some(m);
            *self.owned_count[m].entry(topic).or_insert(0) += 1;
            self.index(m);
        }
    }

    fn can_topic_participate_in_reassignment(&self, topic: usize) -> bool {
        self.topic_consumers[topic].len() >= 2
    }

    /// `canConsumerParticipateInReassignment`.
    fn can_consumer_participate_in_reassignment(&self, m: usize) -> bool {
        let size = self.current[m].len();
        if size < self.max_assignment_size[m] {
            return true;
        }
        self.current[m]
            .iter()
            .any(|&tp| self.can_topic_participate_in_reassignment(self.group.partition_topic[tp]))
    }

    /// `balance`.
    fn balance(
        &mut self,
        previous: &[Option<Previous>],
        mut unassigned: Vec<usize>,
    ) -> Result<(), KafkaThrows> {
        let initializing = self.sorted.last().is_none_or(|&(size, _)| size == 0);

        for &tp in &unassigned {
            if self.topic_consumers[self.group.partition_topic[tp]].is_empty() {
                continue;
            }
            self.maybe_assign_partition(tp);
        }

        // Narrow the scope to partitions and members that can move.
        let fixed_topic: Vec<bool> = (0..self.group.topics.len())
            .map(|t| !self.can_topic_participate_in_reassignment(t))
            .collect();
        let partition_topic = &self.group.partition_topic;
        self.sorted_partitions
            .retain(|&tp| !fixed_topic[partition_topic[tp]]);
        unassigned.retain(|&tp| !fixed_topic[partition_topic[tp]]);
        for m in 0..self.group.members.len() {
            if !self.can_consumer_participate_in_reassignment(m) {
                self.unindex(m);
                self.participating[m] = false;
            }
        }
        for m in 0..self.group.members.len() {
            self.refresh_balance(m);
        }

        let pre_balance_assignment: Vec<Option<Vec<usize>>> = (0..self.group.members.len())
            .map(|m| self.participating[m].then(|| self.current[m].clone()))
            .collect();
        let pre_balance_owner = self.owner.clone();

        if !self.revocation_required {
            self.perform_reassignments(&unassigned, previous)?;
        }
        let sorted_partitions = std::mem::take(&mut self.sorted_partitions);
        let reassignment_performed = self.perform_reassignments(&sorted_partitions, previous)?;
        self.sorted_partitions = sorted_partitions;

        if !initializing
            && reassignment_performed
            && self.balance_score_of_current() >= balance_score(&pre_balance_assignment)
        {
            for (m, list) in pre_balance_assignment.into_iter().enumerate() {
                if let Some(list) = list {
                    self.current[m] = list;
                }
            }
            self.owner = pre_balance_owner;
        }
        // The fixed assignments go back into the map; nothing reads the TreeSet afterwards.
        self.participating.iter_mut().for_each(|p| *p = true);
        Ok(())
    }

    fn balance_score_of_current(&self) -> i32 {
        let sizes: Vec<usize> = (0..self.group.members.len())
            .filter(|&m| self.participating[m])
            .map(|m| self.current[m].len())
            .collect();
        balance_score_of_sizes(sizes)
    }

    /// `performReassignments`: returns whether anything moved.
    fn perform_reassignments(
        &mut self,
        partitions: &[usize],
        previous: &[Option<Previous>],
    ) -> Result<bool, KafkaThrows> {
        let mut performed = false;
        loop {
            let mut modified = false;
            for &tp in partitions {
                if self.is_balanced() {
                    break;
                }
                let Some(consumer) = self.owner[tp] else {
                    return Err(KafkaThrows::null_pointer(format!(
                        "partition {} has no consumer in performReassignments",
                        self.group.topic_partition(tp)
                    )));
                };
                let consumer_size = self.size(consumer)?;
                if let Some(prev) = previous[tp]
                    && consumer_size > self.size(prev.consumer)? + 1
                {
                    self.reassign_partition_to(tp, prev.consumer);
                    performed = true;
                    modified = true;
                    continue;
                }
                // Any potential consumer with two fewer partitions? (Every subscriber of a topic
                // with two or more is in sortedCurrentSubscriptions, so Kafka's lookups succeed.)
                let topic = self.group.partition_topic[tp];
                let better_suited = self.subscribers[topic]
                    .first()
                    .is_some_and(|&(fewest, _)| consumer_size > fewest + 1);
                if better_suited {
                    self.reassign_partition(tp);
                    performed = true;
                    modified = true;
                }
            }
            if !modified {
                return Ok(performed);
            }
        }
    }

    /// `isBalanced`: true when partition counts differ by at most one, or when no member that
    /// could take more partitions could take one from a member with at least two more.
    fn is_balanced(&self) -> bool {
        let (Some(&(min, _)), Some(&(max, _))) = (self.sorted.first(), self.sorted.last()) else {
            return true;
        };
        min + 1 >= max || self.unbalanced_topics == 0
    }

    /// `reassignPartition(partition)`: to the first member in `sortedCurrentSubscriptions`
    /// subscribed to its topic.
    fn reassign_partition(&mut self, tp: usize) {
        let topic = self.group.partition_topic[tp];
        if let Some(new) = self.first_subscriber(topic) {
            self.reassign_partition_to(tp, new);
        }
    }

    /// `reassignPartition(partition, newConsumer)`.
    fn reassign_partition_to(&mut self, tp: usize, new: usize) {
        let Some(consumer) = self.owner[tp] else {
            return;
        };
        let moved = self
            .movements
            .actual_partition_to_be_moved(self.group, tp, consumer, new);
        self.process_partition_movement(moved, new);
    }

    /// `processPartitionMovement`.
    fn process_partition_movement(&mut self, tp: usize, new: usize) {
        let Some(old) = self.owner[tp] else {
            return;
        };
        self.unindex(old);
        self.unindex(new);
        self.movements.move_partition(self.group, tp, old, new);
        remove_first(&mut self.current[old], tp);
        self.current[new].push(tp);
        self.owner[tp] = Some(new);
        let topic = self.group.partition_topic[tp];
        if let Some(n) = self.owned_count[old].get_mut(&topic) {
            *n -= 1;
            if *n == 0 {
                self.owned_count[old].remove(&topic);
            }
        }
        *self.owned_count[new].entry(topic).or_insert(0) += 1;
        self.index(new);
        self.index(old);
        self.refresh_balance(old);
        self.refresh_balance(new);
        self.refresh_topic(topic);
    }
}

/// `getBalanceScore` over the members present in a snapshot.
fn balance_score(assignment: &[Option<Vec<usize>>]) -> i32 {
    balance_score_of_sizes(assignment.iter().flatten().map(Vec::len).collect())
}

/// The sum of `|a - b|` over all pairs of sizes, in Java's wrapping `int` arithmetic.
fn balance_score_of_sizes(mut sizes: Vec<usize>) -> i32 {
    sort(&mut sizes);
    let mut score: i32 = 0;
    let mut prefix: i32 = 0;
    for (i, &size) in sizes.iter().enumerate() {
        let size = size as i32;
        // size * i - (sum of the smaller sizes)
        score = score.wrapping_add(size.wrapping_mul(i as i32).wrapping_sub(prefix));
        prefix = prefix.wrapping_add(size);
    }
    score
}

#[cfg(test)]
mod tests {
    use super::balance_score_of_sizes;
    use crate::assignor::testing::{assignment_of, input, member, owning};
    use crate::assignor::{AssignError, AssignorName, assign};

    #[test]
    fn topics_with_fewest_potential_members_are_assigned_first() {
        // AbstractStickyAssignorTest.testMultipleConsumersMixedTopicSubscriptions: topic2 (one
        // potential member) goes first, to consumer2; topic1 then fills the others.
        let input = input(
            &[("topic1", 3), ("topic2", 2)],
            vec![
                member("consumer1", &["topic1"]),
                member("consumer2", &["topic1", "topic2"]),
                member("consumer3", &["topic1"]),
            ],
        );
        let got = assignment_of(AssignorName::Sticky, &input);
        assert_eq!(got["consumer1"], ["topic1-0", "topic1-2"]);
        assert_eq!(got["consumer2"], ["topic2-0", "topic2-1"]);
        assert_eq!(got["consumer3"], ["topic1-1"]);
    }

    #[test]
    fn balancing_moves_partitions_to_the_member_with_fewest() {
        // A owned all of T; B joined. F alone subscribes to S and keeps a fixed assignment.
        // Expectation computed by Kafka's Java code.
        let input = input(
            &[("S", 1), ("T", 4)],
            vec![
                owning("F", &["S"], &[], Some(2)),
                owning("A", &["T"], &["T-0", "T-1", "T-2", "T-3"], Some(2)),
                owning("B", &["T"], &[], Some(2)),
            ],
        );
        let got = assignment_of(AssignorName::Sticky, &input);
        assert_eq!(got["A"], ["T-2", "T-3"]);
        assert_eq!(got["B"], ["T-0", "T-1"]);
        assert_eq!(got["F"], ["S-0"]);
    }

    #[test]
    fn partitions_of_unsubscribed_topics_are_revoked_and_reassigned() {
        let input = input(
            &[("x", 2), ("y", 2)],
            vec![
                owning("c1", &["x"], &["x-0", "y-0", "y-1"], Some(1)),
                owning("c2", &["x", "y"], &["x-1"], Some(1)),
            ],
        );
        // c1 dropped y, which only c2 can take; x-1 then moves to c1 for balance
        // (expectation computed by Kafka's Java code).
        let got = assignment_of(AssignorName::Sticky, &input);
        assert_eq!(got["c1"], ["x-0", "x-1"]);
        assert_eq!(got["c2"], ["y-0", "y-1"]);
    }

    #[test]
    fn partition_returns_to_its_previous_owner_even_if_it_no_longer_subscribes() {
        // X claimed T-0 without a generation (an older claim than A's generation 1) and now
        // subscribes only to U. Balancing hands T-0 back to its previous owner without checking
        // the subscription: Kafka's result (computed by its Java code), reproduced.
        let input = input(
            &[("T", 4), ("U", 2)],
            vec![
                owning("X", &["U"], &["T-0"], None),
                owning(
                    "A",
                    &["T", "U"],
                    &["T-0", "T-1", "T-2", "T-3", "U-0", "U-1"],
                    Some(1),
                ),
                owning("B", &["T"], &["T-1"], Some(1)),
            ],
        );
        let got = assignment_of(AssignorName::Sticky, &input);
        assert_eq!(got["A"], ["T-3", "U-1"]);
        assert_eq!(got["B"], ["T-1", "T-2"]);
        assert_eq!(got["X"], ["T-0", "U-0"]);
    }

    #[test]
    fn stale_claim_of_a_member_with_a_fixed_assignment_throws_as_in_kafka() {
        // F claimed T-0 in generation 1 and now only subscribes to S, which nobody else wants,
        // so its assignment is fixed and Kafka takes it out of currentAssignment. Balancing T
        // then looks up T-0's previous owner F there: a NullPointerException in Kafka.
        let input = input(
            &[("S", 1), ("T", 4)],
            vec![
                owning("F", &["S"], &["T-0"], Some(1)),
                owning("A", &["T"], &["T-0", "T-1", "T-2", "T-3"], Some(2)),
                owning("B", &["T"], &[], Some(2)),
            ],
        );
        for assignor in [AssignorName::Sticky, AssignorName::CooperativeSticky] {
            match assign(assignor, &input) {
                Err(AssignError::KafkaAssignorThrows { exception, .. }) => {
                    assert_eq!(exception, "NullPointerException");
                }
                other => panic!("expected Kafka's exception, got {other:?}"),
            }
        }
    }

    #[test]
    fn balance_score_sums_pairwise_differences() {
        assert_eq!(balance_score_of_sizes(vec![]), 0);
        assert_eq!(balance_score_of_sizes(vec![3, 3, 3]), 0);
        // |1-2| + |1-4| + |2-4| = 1 + 3 + 2
        assert_eq!(balance_score_of_sizes(vec![4, 1, 2]), 6);
    }
}
