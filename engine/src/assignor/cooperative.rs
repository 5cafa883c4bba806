//! `CooperativeStickyAssignor` (`clients/.../consumer/CooperativeStickyAssignor.java`): the sticky
//! assignment, then `adjustAssignment` withholds every partition that moves between owners, so
//! its previous owner can revoke it first (KIP-429). A follow-up rebalance hands it over.

use super::error::KafkaThrows;
use super::group::Group;
use super::sticky::{self, Lists, Transfers, remove_first};

/// The outcome of one cooperative rebalance: the assignment with transferring partitions
/// withheld, and those partitions with their new owners.
pub(crate) fn assign(group: &Group<'_>) -> Result<(Lists, Transfers), KafkaThrows> {
    let outcome = sticky::assign(group)?;
    let mut assignment = outcome.assignment;
    let transferring = match outcome.transferring {
        Some(transferring) => transferring,
        None => compute_partitions_transferring_ownership(group, &assignment),
    };
    // adjustAssignment
    for (&tp, &new_owner) in &transferring {
        remove_first(&mut assignment[new_owner], tp);
    }
    Ok((assignment, transferring))
}

/// `computePartitionsTransferringOwnership`, used after the general builder: a partition is
/// transferring when some member gains it and some member had reported owning it and loses it.
/// (Kafka reads the raw `ownedPartitions` here, before generations are compared; claims on
/// unknown topics never match an assigned partition, so the filtered list gives the same
/// answer.)
pub(crate) fn compute_partitions_transferring_ownership(
    group: &Group<'_>,
    assignment: &[Vec<usize>],
) -> Transfers {
    let total = group.total_partitions();
    let mut added: Vec<Option<usize>> = vec![None; total];
    let mut revoked = vec![false; total];
    let mut owned_by = vec![false; total];
    let mut assigned_to = vec![false; total];
    for (m, assigned) in assignment.iter().enumerate() {
        let owned = &group.members[m].owned;
        for &tp in owned {
            owned_by[tp] = true;
        }
        for &tp in assigned {
            assigned_to[tp] = true;
            if !owned_by[tp] {
                added[tp] = Some(m);
            }
        }
        for &tp in owned {
            if !assigned_to[tp] {
                revoked[tp] = true;
            }
        }
        for &tp in owned {
            owned_by[tp] = false;
        }
        for &tp in assigned {
            assigned_to[tp] = false;
        }
    }
    let mut transfers = Transfers::new();
    for (tp, m) in added.into_iter().enumerate() {
        if let Some(m) = m.filter(|_| revoked[tp]) {
            transfers.insert(tp, m);
        }
    }
    transfers
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::assignor::testing::{input, owning};
    use crate::assignor::{AssignmentInput, AssignmentOutput, AssignorName, assign};

    fn run(input: &AssignmentInput) -> AssignmentOutput {
        assign(AssignorName::CooperativeSticky, input).expect("valid input")
    }

    fn lists(out: &AssignmentOutput) -> BTreeMap<String, Vec<String>> {
        out.assignment
            .iter()
            .map(|(m, l)| (m.clone(), l.iter().map(ToString::to_string).collect()))
            .collect()
    }

    fn two_joined() -> AssignmentInput {
        let both = ["topic1", "topic2"];
        input(
            &[("topic1", 3), ("topic2", 4)],
            vec![
                owning(
                    "consumer1",
                    &both,
                    &["topic1-0", "topic1-2", "topic2-1", "topic2-3"],
                    Some(1),
                ),
                owning(
                    "consumer2",
                    &both,
                    &["topic1-1", "topic2-0", "topic2-2"],
                    Some(1),
                ),
                owning("consumer3", &both, &[], Some(1)),
                owning("consumer4", &both, &[], Some(1)),
            ],
        )
    }

    #[test]
    fn cooperative_withholds_partitions_moving_between_live_members() {
        let out = run(&two_joined());
        let got = lists(&out);
        assert_eq!(got["consumer1"], ["topic1-0", "topic2-1"]);
        assert_eq!(got["consumer2"], ["topic2-0", "topic1-1"]);
        assert!(got["consumer3"].is_empty());
        assert!(got["consumer4"].is_empty());
        let moving: Vec<(String, String)> = out
            .partitions_transferring_ownership
            .iter()
            .map(|(tp, m)| (tp.to_string(), m.clone()))
            .collect();
        assert_eq!(
            moving,
            [
                ("topic1-2".to_string(), "consumer3".to_string()),
                ("topic2-2".to_string(), "consumer4".to_string()),
                ("topic2-3".to_string(), "consumer3".to_string()),
            ]
        );
    }

    #[test]
    fn cooperative_follow_up_rebalance_hands_over_the_revoked_partitions() {
        // Next round: everyone reports what it now owns, in generation 2.
        let first = run(&two_joined());
        let mut next = two_joined();
        for m in &mut next.members {
            m.owned_partitions = first.assignment[&m.member_id].clone();
            m.generation = Some(2);
        }
        let out = run(&next);
        let got = lists(&out);
        assert_eq!(got["consumer3"], ["topic1-2", "topic2-3"]);
        assert_eq!(got["consumer4"], ["topic2-2"]);
        assert!(out.partitions_transferring_ownership.is_empty());
    }

    #[test]
    fn cooperative_hands_over_partitions_of_departed_members_at_once() {
        let both = ["topic1", "topic2"];
        let out = run(&input(
            &[("topic1", 3), ("topic2", 4)],
            vec![
                owning("consumer3", &both, &["topic1-2", "topic2-3"], Some(1)),
                owning("consumer4", &both, &["topic2-2"], Some(1)),
            ],
        ));
        let got = lists(&out);
        assert_eq!(
            got["consumer3"],
            ["topic1-2", "topic2-3", "topic1-0", "topic2-1"]
        );
        assert_eq!(got["consumer4"], ["topic2-2", "topic1-1", "topic2-0"]);
        assert!(out.partitions_transferring_ownership.is_empty());
    }

    #[test]
    fn cooperative_general_path_withholds_partitions_taken_from_their_owner() {
        // Subscriptions differ, so the general builder runs and the transfers are computed
        // from the owned partitions (expectation computed by Kafka's Java code).
        let out = run(&input(
            &[("t1", 4), ("t2", 2)],
            vec![
                owning(
                    "A",
                    &["t1", "t2"],
                    &["t1-0", "t1-1", "t1-2", "t1-3", "t2-0", "t2-1"],
                    Some(1),
                ),
                owning("B", &["t1"], &[], Some(1)),
            ],
        ));
        let got = lists(&out);
        assert_eq!(got["A"], ["t1-3", "t2-0", "t2-1"]);
        assert!(got["B"].is_empty());
        let moving: Vec<String> = out
            .partitions_transferring_ownership
            .iter()
            .map(|(tp, m)| format!("{tp}->{m}"))
            .collect();
        assert_eq!(moving, ["t1-0->B", "t1-1->B", "t1-2->B"]);
        // The eager assignor hands them over in the same rebalance.
        let eager = assign(
            AssignorName::Sticky,
            &input(
                &[("t1", 4), ("t2", 2)],
                vec![
                    owning(
                        "A",
                        &["t1", "t2"],
                        &["t1-0", "t1-1", "t1-2", "t1-3", "t2-0", "t2-1"],
                        Some(1),
                    ),
                    owning("B", &["t1"], &[], Some(1)),
                ],
            ),
        )
        .expect("valid input");
        assert_eq!(eager.assignment["B"].len(), 3);
        assert_eq!(
            eager.partitions_transferring_ownership,
            out.partitions_transferring_ownership
        );
    }
}
