//! `AbstractStickyAssignor.ConstrainedAssignmentBuilder`: the sticky assignment when every member
//! has the same subscription, without racks.
//!
//! With `P` partitions and `C` members, `minQuota = ⌊P/C⌋`, `maxQuota = ⌈P/C⌉`, and exactly
//! `P mod C` members end with `maxQuota`:
//!
//! 1. `assignOwnedPartitions`: members, in `HashMap` order, keep their owned partitions (sorted
//!    by partition number, then topic) up to `maxQuota` while max-quota slots remain, else up to
//!    `minQuota`; the rest are revoked.
//! 2. `assignRoundRobin`: the remaining partitions, by topic then partition, go round-robin to
//!    the members still under `minQuota` (sorted by id), then one each to members at
//!    `minQuota` that may still take one more.

use std::collections::{BTreeMap, VecDeque};

use super::{Lists, OwnedClaims, Transfers};
use crate::assignor::error::KafkaThrows;
use crate::assignor::group::Group;
use crate::collections::sort_by;

/// Runs the builder: the assignment per member and `partitionsTransferringOwnership`.
pub(crate) fn build(
    group: &Group<'_>,
    claims: &OwnedClaims,
) -> Result<(Lists, Transfers), KafkaThrows> {
    let mut builder = Builder::new(group, claims);
    builder.assign_owned_partitions();
    let unassigned = builder.unassigned_partitions();
    // Collections.sort on member ids; ranks follow String.compareTo.
    let by_id = |&a: &usize, &b: &usize| group.id_rank[a] < group.id_rank[b];
    sort_by(&mut builder.under_min_quota, by_id);
    sort_by(builder.exactly_min_quota.make_contiguous(), by_id);
    builder.assign_round_robin(&unassigned)?;
    builder.verify_unfilled_members()?;
    Ok((builder.assignment, builder.transferring))
}

/// The builder's state, named after its Java fields.
struct Builder<'g, 'a> {
    group: &'g Group<'a>,
    claims: &'g OwnedClaims,
    /// `allRevokedPartitions`, by partition index.
    revoked: Vec<bool>,
    /// `unfilledMembersWithUnderMinQuotaPartitions`.
    under_min_quota: Vec<usize>,
    /// `unfilledMembersWithExactlyMinQuotaPartitions`.
    exactly_min_quota: VecDeque<usize>,
    min_quota: usize,
    max_quota: usize,
    /// `expectedNumMembersWithOverMinQuotaPartitions`.
    expected_over_min: usize,
    /// `currentNumMembersWithOverMinQuotaPartitions`.
    current_over_min: usize,
    assignment: Vec<Vec<usize>>,
    /// `assignedPartitions`, by partition index.
    assigned: Vec<bool>,
    /// `partitionsTransferringOwnership`.
    transferring: BTreeMap<usize, usize>,
}

impl<'g, 'a> Builder<'g, 'a> {
    fn new(group: &'g Group<'a>, claims: &'g OwnedClaims) -> Builder<'g, 'a> {
        let total = group.total_partitions();
        let consumers = group.members.len().max(1);
        Builder {
            group,
            claims,
            revoked: vec![false; total],
            under_min_quota: Vec::new(),
            exactly_min_quota: VecDeque::new(),
            // Math.floor / Math.ceil of total / consumers, exact in doubles at these sizes.
            min_quota: total / consumers,
            max_quota: total.div_ceil(consumers),
            expected_over_min: total % consumers,
            current_over_min: 0,
            assignment: vec![Vec::new(); group.members.len()],
            assigned: vec![false; total],
            transferring: BTreeMap::new(),
        }
    }

    /// `assignOwnedPartitions`.
    fn assign_owned_partitions(&mut self) {
        for &consumer in &self.claims.map_order {
            let mut owned: Vec<usize> = self.claims.owned[consumer]
                .iter()
                .copied()
                .filter(|&tp| !self.claims.multiple_owners[tp])
                .collect();
            // Comparator.comparing(partition).thenComparing(topic); topic indices follow
            // String.compareTo. (Dropping doubly claimed partitions first changes nothing.)
            let key = |tp: usize| {
                (
                    self.group.partition_number(tp),
                    self.group.partition_topic[tp],
                )
            };
            sort_by(&mut owned, |&a, &b| key(a) < key(b));

            let keep = if owned.len() < self.min_quota {
                self.under_min_quota.push(consumer);
                owned.len()
            } else if owned.len() >= self.max_quota
                && self.current_over_min < self.expected_over_min
            {
                self.current_over_min += 1;
                if self.current_over_min == self.expected_over_min {
                    self.exactly_min_quota.clear();
                }
                self.max_quota
            } else {
                if self.current_over_min < self.expected_over_min {
                    self.exactly_min_quota.push_back(consumer);
                }
                self.min_quota
            };
            for &tp in &owned[..keep] {
                self.assignment[consumer].push(tp);
                self.assigned[tp] = true;
            }
            for &tp in &owned[keep..] {
                self.revoked[tp] = true;
            }
        }
    }

    /// `getUnassignedPartitions`: every partition not kept, by topic then partition.
    fn unassigned_partitions(&self) -> Vec<usize> {
        (0..self.group.total_partitions())
            .filter(|&tp| !self.assigned[tp])
            .collect()
    }

    /// `assignRoundRobin`, with the `LinkedList` iterator over the under-quota members
    /// emulated by a cursor (`next` is the index `iterator.next()` returns).
    fn assign_round_robin(&mut self, unassigned: &[usize]) -> Result<(), KafkaThrows> {
        let mut next = 0;
        for &tp in unassigned {
            let from_iterator;
            let consumer = if next < self.under_min_quota.len() {
                next += 1;
                from_iterator = true;
                self.under_min_quota[next - 1]
            } else if self.under_min_quota.is_empty() {
                from_iterator = false;
                self.exactly_min_quota.pop_front().ok_or_else(|| {
                    KafkaThrows::illegal_state("No more unfilled consumers to be assigned.")
                })?
            } else {
                next = 1;
                from_iterator = true;
                self.under_min_quota[0]
            };

            let count = self.assign_new_partition(tp, consumer);
            if count == self.min_quota {
                if from_iterator {
                    // unfilledConsumerIter.remove()
                    next -= 1;
                    self.under_min_quota.remove(next);
                } else {
                    // A member taken from the min-quota queue already had minQuota partitions,
                    // so Kafka never calls Iterator.remove() without a preceding next() here.
                    return Err(KafkaThrows::illegal_state(
                        "Iterator.remove() without next() in assignRoundRobin",
                    ));
                }
                self.exactly_min_quota.push_back(consumer);
            } else if count == self.max_quota {
                self.current_over_min += 1;
            }
        }
        Ok(())
    }

    /// `assignNewPartition`: a partition that was revoked from, or doubly claimed by, other
    /// members is moving to a new owner.
    fn assign_new_partition(&mut self, tp: usize, consumer: usize) -> usize {
        self.assignment[consumer].push(tp);
        if self.revoked[tp] || self.claims.multiple_owners[tp] {
            self.transferring.insert(tp, consumer);
        }
        self.assignment[consumer].len()
    }

    /// `verifyUnfilledMembers`.
    fn verify_unfilled_members(&self) -> Result<(), KafkaThrows> {
        if self.under_min_quota.is_empty() {
            return Ok(());
        }
        if self.current_over_min != self.expected_over_min {
            return Err(KafkaThrows::illegal_state(
                "We haven't reached the expected number of members with more than the minQuota \
                 partitions, but no more partitions to be assigned",
            ));
        }
        for &member in &self.under_min_quota {
            if self.assignment[member].len() != self.min_quota {
                return Err(KafkaThrows::illegal_state(format!(
                    "Consumer: [{}] doesn't reach minQuota partitions, and no more partitions to be \
                     assigned",
                    self.group.members[member].id
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::assignor::testing::{assignment_of, input, member, owning};
    use crate::assignor::{AssignorName, assign};

    #[test]
    fn fresh_group_gets_roundrobin_over_sorted_members() {
        let input = input(
            &[("a", 4), ("b", 3)],
            vec![
                member("m3", &["a", "b"]),
                member("m1", &["b", "a"]),
                member("m2", &["a", "b"]),
            ],
        );
        assert_eq!(
            assignment_of(AssignorName::Sticky, &input),
            assignment_of(AssignorName::RoundRobin, &input)
        );
    }

    #[test]
    fn owned_partitions_are_kept_up_to_the_quota_by_partition_then_topic() {
        // 6 partitions, 2 members: quota 3. c1 owned 5 and keeps the first 3 by (partition,
        // topic): a-0, b-0, a-1.
        let input = input(
            &[("a", 3), ("b", 3)],
            vec![
                owning(
                    "c1",
                    &["a", "b"],
                    &["b-2", "a-1", "b-0", "a-0", "b-1"],
                    Some(1),
                ),
                owning("c2", &["a", "b"], &[], Some(1)),
            ],
        );
        let out = assign(AssignorName::Sticky, &input).expect("valid input");
        let got = |m: &str| -> Vec<String> {
            out.assignment[m].iter().map(ToString::to_string).collect()
        };
        assert_eq!(got("c1"), ["a-0", "b-0", "a-1"]);
        assert_eq!(got("c2"), ["a-2", "b-1", "b-2"]);
        let moved: Vec<String> = out
            .partitions_transferring_ownership
            .keys()
            .map(ToString::to_string)
            .collect();
        assert_eq!(moved, ["b-1", "b-2"]);
    }

    #[test]
    fn member_first_in_hash_map_order_keeps_the_max_quota() {
        // 4 partitions, 3 members: one may keep 2. HashMap order is consumer3, consumer2,
        // consumer1, so consumer2 keeps both of its partitions and consumer1 gives one up.
        let input = input(
            &[("topic1", 2), ("topic2", 2)],
            vec![
                owning(
                    "consumer1",
                    &["topic1", "topic2"],
                    &["topic1-0", "topic2-0"],
                    Some(1),
                ),
                owning(
                    "consumer2",
                    &["topic1", "topic2"],
                    &["topic1-1", "topic2-1"],
                    Some(1),
                ),
                owning("consumer3", &["topic1", "topic2"], &[], Some(1)),
            ],
        );
        let got = assignment_of(AssignorName::Sticky, &input);
        assert_eq!(got["consumer1"], ["topic1-0"]);
        assert_eq!(got["consumer2"], ["topic1-1", "topic2-1"]);
        assert_eq!(got["consumer3"], ["topic2-0"]);
    }

    #[test]
    fn quotas_count_only_subscribed_topics() {
        // "idle" exists but nobody subscribes: 2 partitions over 2 members, one each.
        let input = input(
            &[("t", 2), ("idle", 10)],
            vec![member("c1", &["t"]), member("c2", &["t"])],
        );
        let got = assignment_of(AssignorName::Sticky, &input);
        assert_eq!(got["c1"], ["t-0"]);
        assert_eq!(got["c2"], ["t-1"]);
    }
}
