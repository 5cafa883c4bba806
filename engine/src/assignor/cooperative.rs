//! `CooperativeStickyAssignor` (`clients/.../consumer/CooperativeStickyAssignor.java`): the sticky
//! assignment, then `adjustAssignment` withholds every partition that moves between owners, so
//! its previous owner can revoke it first (KIP-429). A follow-up rebalance hands it over.

use std::collections::BTreeMap;

use super::error::KafkaThrows;
use super::group::Group;
use super::sticky::{self, remove_first};

/// The outcome of one cooperative rebalance: the assignment with transferring partitions
/// withheld, and those partitions with their new owners.
pub(crate) fn assign(
    group: &Group<'_>,
) -> Result<(Vec<Vec<usize>>, BTreeMap<usize, usize>), KafkaThrows> {
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
) -> BTreeMap<usize, usize> {
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
    added
        .into_iter()
        .enumerate()
        .filter_map(|(tp, m)| m.filter(|_| revoked[tp]).map(|m| (tp, m)))
        .collect()
}
