//! `AbstractStickyAssignor` (`clients/.../consumer/internals/AbstractStickyAssignor.java`), shared
//! by `StickyAssignor` and `CooperativeStickyAssignor`, without racks.
//!
//! `assignPartitions` first resolves who owned what (`allSubscriptionsEqual`), then builds the
//! assignment with `ConstrainedAssignmentBuilder` when every member has the same subscription and
//! with `GeneralAssignmentBuilder` otherwise.

mod constrained;
mod general;
mod movements;

use std::collections::BTreeMap;

use super::error::KafkaThrows;
use super::group::{Group, java_hash_map_order};
use super::java::JavaString;

/// Partition indices per member, in the order they were handed out.
pub(crate) type Lists = Vec<Vec<usize>>;
/// `partitionsTransferringOwnership`: partition index to its new owner.
pub(crate) type Transfers = BTreeMap<usize, usize>;

/// `AbstractStickyAssignor.DEFAULT_GENERATION`: the generation of a member that reports none.
pub(crate) const DEFAULT_GENERATION: i32 = -1;

/// The result of one sticky assignment.
#[derive(Clone, Debug)]
pub(crate) struct StickyOutcome {
    /// Partition indices per member, in the order Kafka's builder appended them.
    pub(crate) assignment: Vec<Vec<usize>>,
    /// `partitionsTransferringOwnership` (partition index to new owner) from the constrained
    /// builder; `None` after the general builder, which leaves the field `null`.
    pub(crate) transferring: Option<BTreeMap<usize, usize>>,
}

/// Runs `AbstractStickyAssignor.assignPartitions`.
pub(crate) fn assign(group: &Group<'_>) -> Result<StickyOutcome, KafkaThrows> {
    let claims = OwnedClaims::resolve(group);
    if claims.all_subscriptions_equal {
        let (assignment, transferring) = constrained::build(group, &claims)?;
        Ok(StickyOutcome {
            assignment,
            transferring: Some(transferring),
        })
    } else {
        let assignment = general::build(group, claims)?;
        Ok(StickyOutcome {
            assignment,
            transferring: None,
        })
    }
}

/// What `allSubscriptionsEqual` works out from the members' ownership claims.
#[derive(Clone, Debug)]
pub(crate) struct OwnedClaims {
    /// `consumerToOwnedPartitions`, indexed by member: each member's valid claims, in the order
    /// it reported them.
    pub(crate) owned: Vec<Vec<usize>>,
    /// The iteration order of `consumerToOwnedPartitions` (a `HashMap` filled in subscription
    /// order).
    pub(crate) map_order: Vec<usize>,
    /// `partitionsWithMultiplePreviousOwners`, by partition index.
    pub(crate) multiple_owners: Vec<bool>,
    /// The highest generation any member reported (`maxGeneration`).
    pub(crate) max_generation: i32,
    /// Whether every member sent the same subscription.
    pub(crate) all_subscriptions_equal: bool,
}

impl OwnedClaims {
    /// `AbstractStickyAssignor.allSubscriptionsEqual`: compares the subscriptions and resolves
    /// conflicting claims. Of two members claiming a partition, the higher generation keeps it;
    /// with equal generations neither does and the partition is marked as claimed by multiple
    /// previous owners. Members are visited in subscription (`HashMap`) order, which matters
    /// when three members claim the same partition.
    fn resolve(group: &Group<'_>) -> OwnedClaims {
        let members = group.members.len();
        let partitions = group.total_partitions();
        let mut all_subscriptions_equal = true;
        // The first non-empty subscription, as a sorted set of topic ids.
        let mut subscribed_topics: &[usize] = &[];
        let mut max_generation = DEFAULT_GENERATION;
        let mut owned = vec![Vec::new(); members];
        let mut previous_owner: Vec<Option<usize>> = vec![None; partitions];
        let mut multiple_owners = vec![false; partitions];

        for &consumer in &group.subscription_order {
            let member = &group.members[consumer];
            // Kafka fills the reference set from the first *non-empty* subscription it meets.
            if subscribed_topics.is_empty() {
                subscribed_topics = &member.raw_topic_set;
            } else if all_subscriptions_equal && member.raw_topic_set != subscribed_topics {
                // Same size and containsAll, for subscriptions without repeated topics.
                all_subscriptions_equal = false;
            }

            let generation = member.generation.unwrap_or(DEFAULT_GENERATION);
            max_generation = max_generation.max(generation);

            for &tp in &member.owned {
                match previous_owner[tp] {
                    None => {
                        owned[consumer].push(tp);
                        previous_owner[tp] = Some(consumer);
                    }
                    Some(other) => {
                        let other_generation = group.members[other]
                            .generation
                            .unwrap_or(DEFAULT_GENERATION);
                        if generation == other_generation {
                            multiple_owners[tp] = true;
                            remove_first(&mut owned[other], tp);
                            previous_owner[tp] = Some(consumer);
                        } else if generation > other_generation {
                            owned[consumer].push(tp);
                            remove_first(&mut owned[other], tp);
                            previous_owner[tp] = Some(consumer);
                        }
                    }
                }
            }
        }

        let map_order = java_hash_map_order(
            group
                .subscription_order
                .iter()
                .map(|&m| (m, JavaString::new(group.members[m].id))),
        );

        OwnedClaims {
            owned,
            map_order,
            multiple_owners,
            max_generation,
            all_subscriptions_equal,
        }
    }
}

/// `List.remove(Object)`: removes the first occurrence, if any.
pub(crate) fn remove_first(list: &mut Vec<usize>, value: usize) -> bool {
    match list.iter().position(|&x| x == value) {
        Some(i) => {
            list.remove(i);
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::assignor::testing::{assignment_of, input, member, owning};
    use crate::assignor::{AssignorName, assign};

    #[test]
    fn higher_generation_keeps_a_partition_claimed_twice() {
        let input = input(
            &[("t", 2)],
            vec![
                owning("c1", &["t"], &["t-0", "t-1"], Some(4)),
                owning("c2", &["t"], &["t-0", "t-1"], Some(5)),
            ],
        );
        let out = assign(AssignorName::Sticky, &input).expect("valid input");
        let c2: Vec<String> = out.assignment["c2"]
            .iter()
            .map(ToString::to_string)
            .collect();
        // c2 (generation 5) keeps one of the two (quota 1), c1 gets the other.
        assert_eq!(c2, ["t-0"]);
        assert_eq!(out.assignment["c1"].len(), 1);
        assert_eq!(out.partitions_transferring_ownership.len(), 1);
    }

    #[test]
    fn three_claims_resolve_in_subscription_hash_map_order() {
        // HashMap order is a, b, c. a and b (generation 2) cancel each other's claim on t-0;
        // c (generation 3) then wins it, but the partition stays marked as doubly claimed, so
        // nobody keeps it and it moves (expectation computed by Kafka's Java code).
        let input = input(
            &[("t", 2)],
            vec![
                owning("a", &["t"], &["t-0"], Some(2)),
                owning("b", &["t"], &["t-0"], Some(2)),
                owning("c", &["t"], &["t-0"], Some(3)),
            ],
        );
        let out = assign(AssignorName::Sticky, &input).expect("valid input");
        let got = |m: &str| -> Vec<String> {
            out.assignment[m].iter().map(ToString::to_string).collect()
        };
        assert_eq!(got("a"), ["t-0"]);
        assert_eq!(got("b"), ["t-1"]);
        assert!(got("c").is_empty());
        assert_eq!(out.partitions_transferring_ownership.len(), 1);

        // With the newest claim met first, it simply wins.
        let input = super::super::testing::input(
            &[("t", 2)],
            vec![
                owning("c", &["t"], &["t-0"], Some(2)),
                owning("b", &["t"], &["t-0"], Some(2)),
                owning("a", &["t"], &["t-0"], Some(3)),
            ],
        );
        let out = assign(AssignorName::Sticky, &input).expect("valid input");
        assert_eq!(out.assignment["a"][0].to_string(), "t-0");
        assert!(out.partitions_transferring_ownership.is_empty());
    }

    #[test]
    fn empty_subscription_met_first_makes_kafka_treat_subscriptions_as_equal() {
        // allSubscriptionsEqual fills its reference set from the first *non-empty*
        // subscription, so an empty one met first (a, bin 1) passes as equal and the
        // constrained builder gives it a partition it never subscribed to, as Kafka does.
        let first = input(
            &[("t", 3)],
            vec![member("a", &[]), member("b", &["t"]), member("c", &["t"])],
        );
        let got = assignment_of(AssignorName::Sticky, &first);
        assert_eq!(got["a"], ["t-0"]);
        assert_eq!(got["b"], ["t-1"]);
        assert_eq!(got["c"], ["t-2"]);
        // Met last (c, bin 3), it is seen as different and the general builder skips it.
        let last = input(
            &[("t", 3)],
            vec![member("c", &[]), member("a", &["t"]), member("b", &["t"])],
        );
        let got = assignment_of(AssignorName::Sticky, &last);
        assert_eq!(got["a"], ["t-0", "t-2"]);
        assert_eq!(got["b"], ["t-1"]);
        assert!(got["c"].is_empty());
    }

    #[test]
    fn claims_on_unknown_topics_are_dropped() {
        let input = input(
            &[("t", 2), ("unwanted", 5)],
            vec![
                owning(
                    "c1",
                    &["t", "gone"],
                    &["gone-0", "unwanted-3", "t-1"],
                    Some(1),
                ),
                owning("c2", &["t", "gone"], &[], Some(1)),
            ],
        );
        let got = assignment_of(AssignorName::Sticky, &input);
        // Only t counts: one partition each, and c1 keeps t-1.
        assert_eq!(got["c1"], ["t-1"]);
        assert_eq!(got["c2"], ["t-0"]);
    }
}
