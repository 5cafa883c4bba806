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
