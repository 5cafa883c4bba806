//! Kafka's consumer partition assignors, ported from the Java client so that every assignment,
//! down to the order of each member's list, is the one a Java group leader computes.
//!
//! | [`AssignorName`] | Java class |
//! |---|---|
//! | `range` | `RangeAssignor` |
//! | `roundrobin` | `RoundRobinAssignor` |
//! | `sticky` | `StickyAssignor` (`AbstractStickyAssignor`) |
//! | `cooperative-sticky` | `CooperativeStickyAssignor` (`AbstractStickyAssignor`) |
//!
//! Where Kafka's result depends on the iteration order of a Java `HashMap` (which member keeps the
//! extra partition in the sticky assignors, which partition `PartitionMovements` moves back), the
//! order is emulated exactly: `String.hashCode`, table size, bins, tree bins and all
//! (`java_hashmap`). The members' `HashMap` is filled in the order of
//! [`AssignmentInput::members`], as the leader fills it from the JoinGroup response.
//!
//! Racks are not modelled, so the rack-aware passes of KIP-881 never run, as in Kafka when no
//! consumer sets `client.rack`.
//!
//! ```
//! use std::collections::BTreeMap;
//! use kafka_sim::assignor::{assign, AssignmentInput, AssignorName, MemberSubscription};
//!
//! let member = |id: &str| MemberSubscription {
//!     member_id: id.to_string(),
//!     topics: vec!["orders".to_string()],
//!     group_instance_id: None,
//!     owned_partitions: Vec::new(),
//!     generation: None,
//! };
//! let input = AssignmentInput {
//!     partitions_per_topic: BTreeMap::from([("orders".to_string(), 3)]),
//!     members: vec![member("c1"), member("c2")],
//! };
//! let out = assign(AssignorName::Range, &input)?;
//! let c1: Vec<String> = out.assignment["c1"].iter().map(|tp| tp.to_string()).collect();
//! assert_eq!(c1, ["orders-0", "orders-1"]);
//! # Ok::<(), kafka_sim::assignor::AssignError>(())
//! ```

mod cooperative;
mod document;
mod error;
mod group;
mod java;
mod java_hashmap;
// proptest is a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties;
mod range;
mod roundrobin;
mod sticky;
#[cfg(test)]
mod testing;
mod types;

use std::collections::BTreeMap;

pub use crate::ids::{ParseTopicPartitionError, TopicPartition};
pub use document::assign_document;
pub use error::AssignError;
pub use types::{
    AssignmentInput, AssignmentOutput, AssignorName, MemberSubscription, UnknownAssignorError,
};

use group::Group;

/// Java's `String.hashCode`, which also decides a group's `__consumer_offsets` partition.
pub fn java_string_hash_code(s: &str) -> i32 {
    java::string_hash_code(s)
}

/// Most members one assignment accepts.
pub const MAX_ASSIGN_MEMBERS: usize = 10_000;
/// Most topics one assignment accepts in `partitions_per_topic`, and in one subscription.
pub const MAX_ASSIGN_TOPICS: usize = 10_000;
/// Most partitions one assignment accepts over all topics of `partitions_per_topic` (and in one
/// member's `owned_partitions`).
pub const MAX_ASSIGN_PARTITIONS: u64 = 100_000;

/// Runs one assignor once, as the group leader does in one rebalance.
///
/// Every member appears in the result, possibly with an empty list. For `cooperative-sticky`
/// the result is that single rebalance's: partitions that must first be revoked by their
/// previous owner are left out of `assignment` and listed in
/// `partitions_transferring_ownership` (`CooperativeStickyAssignor.adjustAssignment`).
///
/// A group without members gets an empty assignment (Kafka never runs an assignor then).
///
/// # Errors
///
/// [`AssignError`] for invalid input (a topic with 0 partitions, duplicate member ids, an owned
/// partition that does not exist, ...), or where Kafka's own assignor throws.
pub fn assign(
    assignor: AssignorName,
    input: &AssignmentInput,
) -> Result<AssignmentOutput, AssignError> {
    assign_range_or_roundrobin(assignor, input).unwrap_or_else(|| assign_sticky(assignor, input))
}

/// `sticky` and `cooperative-sticky` (`AbstractStickyAssignor`).
fn assign_sticky(
    assignor: AssignorName,
    input: &AssignmentInput,
) -> Result<AssignmentOutput, AssignError> {
    let group = Group::new(input)?;
    if group.members.is_empty() {
        return Ok(AssignmentOutput::default());
    }
    let (lists, transferring) = if assignor == AssignorName::CooperativeSticky {
        cooperative::assign(&group).map_err(|e| e.into_error(assignor))?
    } else {
        let outcome = sticky::assign(&group).map_err(|e| e.into_error(assignor))?;
        // The general builder leaves partitionsTransferringOwnership null; report what
        // CooperativeStickyAssignor would compute from it instead.
        let transferring = match outcome.transferring {
            Some(t) => t,
            None => {
                cooperative::compute_partitions_transferring_ownership(&group, &outcome.assignment)
            }
        };
        (outcome.assignment, transferring)
    };
    Ok(to_output(&group, &lists, &transferring))
}

/// What computes a rebalance's assignment for a group leader: [`assign`], or a stand-in
/// given in [`SimOptions::assign`](crate::SimOptions) that gives the same results. The
/// page's stand-in runs [`assign_range_or_roundrobin`] at once and fetches the code of the
/// sticky assignors (most of this module's) when a group first needs it.
pub type AssignFn = fn(AssignorName, &AssignmentInput) -> Result<AssignmentOutput, AssignError>;

/// [`assign`] for `range` and `roundrobin`, without the code of the sticky assignors;
/// `None` for `sticky` and `cooperative-sticky`.
pub fn assign_range_or_roundrobin(
    assignor: AssignorName,
    input: &AssignmentInput,
) -> Option<Result<AssignmentOutput, AssignError>> {
    let run: fn(&Group<'_>) -> Vec<Vec<usize>> = match assignor {
        AssignorName::Range => range::assign,
        AssignorName::RoundRobin => roundrobin::assign,
        AssignorName::Sticky | AssignorName::CooperativeSticky => return None,
    };
    Some(Group::new(input).map(|group| {
        if group.members.is_empty() {
            return AssignmentOutput::default();
        }
        to_output(&group, &run(&group), &BTreeMap::new())
    }))
}

fn to_output(
    group: &Group<'_>,
    lists: &[Vec<usize>],
    transferring: &BTreeMap<usize, usize>,
) -> AssignmentOutput {
    // Inserted one by one: collecting into a BTreeMap sorts, and every sort instantiation
    // weighs on the page's wasm.
    let mut assignment = BTreeMap::new();
    for (member, list) in group.members.iter().zip(lists) {
        let partitions = list.iter().map(|&p| group.topic_partition(p)).collect();
        assignment.insert(member.id.to_string(), partitions);
    }
    let mut partitions_transferring_ownership = BTreeMap::new();
    for (&p, &m) in transferring {
        partitions_transferring_ownership
            .insert(group.topic_partition(p), group.members[m].id.to_string());
    }
    AssignmentOutput {
        assignment,
        partitions_transferring_ownership,
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{input, member};
    use super::*;

    #[test]
    fn the_eager_entry_point_runs_range_and_roundrobin_and_leaves_the_sticky_ones() {
        // The examples of RangeAssignor's and RoundRobinAssignor's javadoc (Kafka's
        // clients/src/main/java/org/apache/kafka/clients/consumer/): two consumers of
        // t0 and t1, three partitions each.
        let input = input(
            &[("t0", 3), ("t1", 3)],
            vec![member("C0", &["t0", "t1"]), member("C1", &["t0", "t1"])],
        );
        let lists = |assignor| {
            let out = assign_range_or_roundrobin(assignor, &input)
                .expect("range and roundrobin are run here")
                .expect("valid input");
            out.assignment
                .iter()
                .map(|(m, tps)| {
                    let tps: Vec<String> = tps.iter().map(ToString::to_string).collect();
                    format!("{m}: {}", tps.join(" "))
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            lists(AssignorName::Range),
            ["C0: t0-0 t0-1 t1-0 t1-1", "C1: t0-2 t1-2"]
        );
        assert_eq!(
            lists(AssignorName::RoundRobin),
            ["C0: t0-0 t0-2 t1-1", "C1: t0-1 t1-0 t1-2"]
        );
        for assignor in [AssignorName::Sticky, AssignorName::CooperativeSticky] {
            assert_eq!(
                assign_range_or_roundrobin(assignor, &input),
                None,
                "{assignor}"
            );
        }
        // Invalid input is refused here too.
        let dup =
            super::testing::input(&[("t", 1)], vec![member("a", &["t"]), member("a", &["t"])]);
        assert!(matches!(
            assign_range_or_roundrobin(AssignorName::Range, &dup),
            Some(Err(AssignError::DuplicateMemberId { .. }))
        ));
    }

    #[test]
    fn empty_group_gets_an_empty_assignment() {
        for assignor in AssignorName::ALL {
            let out = assign(assignor, &input(&[("t", 3)], vec![])).expect("valid input");
            assert!(out.assignment.is_empty());
            assert!(out.partitions_transferring_ownership.is_empty());
        }
    }

    #[test]
    fn every_member_is_listed_even_without_partitions() {
        let input = input(
            &[("t", 1)],
            vec![
                member("a", &["t"]),
                member("b", &["t"]),
                member("c", &["other"]),
            ],
        );
        for assignor in AssignorName::ALL {
            let out = assign(assignor, &input).expect("valid input");
            let members: Vec<&str> = out.assignment.keys().map(String::as_str).collect();
            assert_eq!(members, ["a", "b", "c"], "{assignor}");
            let total: usize = out.assignment.values().map(Vec::len).sum();
            assert_eq!(total, 1, "{assignor}");
        }
    }

    #[test]
    fn eager_assignors_report_no_transfers_without_previous_owners() {
        let input = input(&[("t", 4)], vec![member("a", &["t"]), member("b", &["t"])]);
        for assignor in AssignorName::ALL {
            let out = assign(assignor, &input).expect("valid input");
            assert!(
                out.partitions_transferring_ownership.is_empty(),
                "{assignor}"
            );
        }
    }

    #[test]
    fn output_serializes_with_topic_partition_strings() {
        let input = input(&[("t", 2)], vec![member("a", &["t"])]);
        let out = assign(AssignorName::Range, &input).expect("valid input");
        let json = serde_json::to_string(&out).expect("serializes");
        assert_eq!(
            json,
            r#"{"assignment":{"a":["t-0","t-1"]},"partitions_transferring_ownership":{}}"#
        );
    }
}
