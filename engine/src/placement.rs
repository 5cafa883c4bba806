//! Where a new topic's replicas go: Kafka's `AdminUtils.assignReplicasToBrokers`, rack-unaware.
//!
//! Source: `server-common/src/main/java/org/apache/kafka/admin/AdminUtils.java`
//! (`assignReplicasToBrokersRackUnaware`, `replicaIndex`); the layout is checked by
//! `AdminRackAwareTest.testReplicaAssignment`. Leaders go round-robin over the broker list from a
//! random start, and followers sit at a gap that grows by one after every full round of brokers,
//! so that a broker's followers are spread over different brokers.
//!
//! KRaft controllers use `StripedReplicaPlacer` instead; the simulator uses this algorithm because
//! it is reproducible from two small random draws and is what `kafka-reassign-partitions
//! --generate` shows.

use crate::rng::SimRng;

/// Why a replica assignment was refused; the same checks, in the same order, as `AdminUtils`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlacementError {
    /// `nPartitions <= 0` (`InvalidPartitionsException`).
    #[error("the number of partitions must be larger than 0")]
    InvalidPartitions,
    /// `replicationFactor <= 0` (`InvalidReplicationFactorException`).
    #[error("the replication factor must be larger than 0")]
    ZeroReplicationFactor,
    /// `replicationFactor > brokers` (`InvalidReplicationFactorException`).
    #[error(
        "replication factor {replication_factor} is more than the {brokers} available broker{}",
        plural(*.brokers)
    )]
    InvalidReplicationFactor {
        /// The replication factor asked for.
        replication_factor: u32,
        /// How many brokers were available to hold replicas.
        brokers: u32,
    },
}

impl PlacementError {
    /// Kafka's protocol error name for this refusal, as `CreateTopics` would report it.
    pub fn kafka_error_name(&self) -> &'static str {
        match self {
            PlacementError::InvalidPartitions => "INVALID_PARTITIONS",
            PlacementError::ZeroReplicationFactor
            | PlacementError::InvalidReplicationFactor { .. } => "INVALID_REPLICATION_FACTOR",
        }
    }
}

/// `"s"` unless there is exactly one.
fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The validation at the top of `AdminUtils.assignReplicasToBrokers`, returning the broker count.
fn validate(
    brokers: &[u32],
    partitions: u32,
    replication_factor: u32,
) -> Result<u32, PlacementError> {
    let n = u32::try_from(brokers.len()).unwrap_or(u32::MAX);
    if partitions == 0 {
        return Err(PlacementError::InvalidPartitions);
    }
    if replication_factor == 0 {
        return Err(PlacementError::ZeroReplicationFactor);
    }
    if replication_factor > n {
        return Err(PlacementError::InvalidReplicationFactor {
            replication_factor,
            brokers: n,
        });
    }
    Ok(n)
}

/// AdminUtils.assignReplicasToBrokers, rack-unaware (reference §2a).
///
/// `brokers` is used in the order given (ZooKeeper callers sort by id). Element `i` of the result
/// is the replica list of partition `start_partition_id + i`; its first broker is the preferred
/// leader. For partition `p`: after each full round (`p > 0 && p % n == 0`) the shift grows by
/// one; the leader is `brokers[(p + start_index) % n]` and follower `j` is at
/// `(first + 1 + (shift + j) % (n - 1)) % n`, so no broker appears twice in one partition.
/// Kafka passes `startPartitionId` = the current partition count when partitions are added.
pub fn assign_replicas_rack_unaware(
    brokers: &[u32],
    partitions: u32,
    replication_factor: u32,
    start_index: u32,
    next_replica_shift: u32,
    start_partition_id: u32,
) -> Result<Vec<Vec<u32>>, PlacementError> {
    let n = u64::from(validate(brokers, partitions, replication_factor)?);
    // u64 so that large ids or start values cannot overflow where Java's int arithmetic would not.
    let start = u64::from(start_index);
    let mut shift = u64::from(next_replica_shift);
    let mut assignment = Vec::with_capacity(partitions as usize);
    for i in 0..u64::from(partitions) {
        let p = u64::from(start_partition_id) + i;
        if p > 0 && p % n == 0 {
            shift += 1;
        }
        let first = (p + start) % n;
        let mut replicas = Vec::with_capacity(replication_factor as usize);
        replicas.push(brokers[first as usize]);
        // Only reached with n >= 2 (replication_factor <= n), so `n - 1` is never 0 here.
        for j in 0..u64::from(replication_factor - 1) {
            let gap = 1 + (shift + j) % (n - 1);
            replicas.push(brokers[((first + gap) % n) as usize]);
        }
        assignment.push(replicas);
    }
    Ok(assignment)
}

/// The same with Kafka's random start: start_index and next_replica_shift are two independent draws below brokers.len() from rng, in that order.
///
/// Like Kafka (`RAND.nextInt(brokerList.size())` twice), the draws happen only after the inputs
/// are validated, so a refused request leaves `rng` untouched. New topics start at partition 0.
pub fn assign_replicas_seeded(
    brokers: &[u32],
    partitions: u32,
    replication_factor: u32,
    rng: &mut SimRng,
) -> Result<Vec<Vec<u32>>, PlacementError> {
    let n = validate(brokers, partitions, replication_factor)?;
    let start_index = rng.below(n);
    let next_replica_shift = rng.below(n);
    assign_replicas_rack_unaware(
        brokers,
        partitions,
        replication_factor,
        start_index,
        next_replica_shift,
        0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(not(target_arch = "wasm32"))]
    use proptest::prelude::*;

    #[test]
    fn matches_the_admin_utils_javadoc_layout() {
        let got = assign_replicas_rack_unaware(&[0, 1, 2, 3, 4], 10, 3, 0, 0, 0).expect("valid");
        let expected: Vec<Vec<u32>> = vec![
            vec![0, 1, 2],
            vec![1, 2, 3],
            vec![2, 3, 4],
            vec![3, 4, 0],
            vec![4, 0, 1],
            vec![0, 2, 3],
            vec![1, 3, 4],
            vec![2, 4, 0],
            vec![3, 0, 1],
            vec![4, 1, 2],
        ];
        assert_eq!(got, expected);
    }

    #[test]
    fn uses_broker_ids_in_the_order_given() {
        let got = assign_replicas_rack_unaware(&[1, 2, 3], 3, 3, 0, 0, 0).expect("valid");
        assert_eq!(got, vec![vec![1, 2, 3], vec![2, 3, 1], vec![3, 1, 2]]);
    }

    #[test]
    fn shift_equal_to_n_minus_one_behaves_like_zero() {
        let a = assign_replicas_rack_unaware(&[0, 1, 2, 3, 4], 10, 3, 2, 4, 0).expect("valid");
        let b = assign_replicas_rack_unaware(&[0, 1, 2, 3, 4], 10, 3, 2, 0, 0).expect("valid");
        assert_eq!(a, b);
    }

    #[test]
    fn single_broker_with_replication_factor_one_works() {
        let got = assign_replicas_rack_unaware(&[7], 3, 1, 0, 0, 0).expect("valid");
        assert_eq!(got, vec![vec![7], vec![7], vec![7]]);
    }

    #[test]
    fn refuses_zero_partitions() {
        let err = assign_replicas_rack_unaware(&[1, 2, 3], 0, 1, 0, 0, 0).expect_err("invalid");
        assert_eq!(err, PlacementError::InvalidPartitions);
        assert_eq!(err.kafka_error_name(), "INVALID_PARTITIONS");
    }

    #[test]
    fn refuses_zero_replication_factor() {
        let err = assign_replicas_rack_unaware(&[1, 2, 3], 3, 0, 0, 0, 0).expect_err("invalid");
        assert_eq!(err, PlacementError::ZeroReplicationFactor);
        assert_eq!(err.kafka_error_name(), "INVALID_REPLICATION_FACTOR");
    }

    #[test]
    fn refuses_more_replicas_than_brokers_with_a_clear_message() {
        let err = assign_replicas_rack_unaware(&[1, 2, 3], 3, 4, 0, 0, 0).expect_err("invalid");
        assert_eq!(
            err,
            PlacementError::InvalidReplicationFactor {
                replication_factor: 4,
                brokers: 3
            }
        );
        assert_eq!(
            err.to_string(),
            "replication factor 4 is more than the 3 available brokers"
        );
        assert_eq!(err.kafka_error_name(), "INVALID_REPLICATION_FACTOR");
        let one = assign_replicas_rack_unaware(&[1], 3, 2, 0, 0, 0).expect_err("invalid");
        assert_eq!(
            one.to_string(),
            "replication factor 2 is more than the 1 available broker"
        );
        let none = assign_replicas_rack_unaware(&[], 3, 1, 0, 0, 0).expect_err("invalid");
        assert_eq!(
            none,
            PlacementError::InvalidReplicationFactor {
                replication_factor: 1,
                brokers: 0
            }
        );
    }

    #[test]
    fn seeded_draws_start_index_then_shift() {
        let brokers = [1, 2, 3, 4, 5];
        let mut rng = SimRng::stream(17, "placement");
        let mut oracle = rng.clone();
        let start = oracle.below(5);
        let shift = oracle.below(5);
        let got = assign_replicas_seeded(&brokers, 12, 3, &mut rng).expect("valid");
        let expected =
            assign_replicas_rack_unaware(&brokers, 12, 3, start, shift, 0).expect("valid");
        assert_eq!(got, expected);
        // Exactly two draws were made.
        assert_eq!(rng.positive_i31(), oracle.positive_i31());
    }

    #[test]
    fn seeded_refusal_draws_nothing() {
        let mut rng = SimRng::stream(17, "placement");
        let mut untouched = rng.clone();
        assert!(assign_replicas_seeded(&[1, 2], 3, 3, &mut rng).is_err());
        assert_eq!(rng.positive_i31(), untouched.positive_i31());
    }

    // proptest is a native-only dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    proptest! {
        #[test]
        fn replicas_are_distinct_and_leaders_round_robin(
            n in 1u32..12,
            partitions in 1u32..40,
            rf_seed in any::<u32>(),
            start in any::<u32>(),
            shift in 0u32..1000,
            start_partition_id in 0u32..50,
        ) {
            let brokers: Vec<u32> = (0..n).map(|b| b * 10 + 1).collect();
            let rf = rf_seed % n + 1;
            let start = start % n;
            let got = assign_replicas_rack_unaware(&brokers, partitions, rf, start, shift, start_partition_id)
                .expect("valid");
            prop_assert_eq!(got.len(), partitions as usize);
            for (i, replicas) in got.iter().enumerate() {
                prop_assert_eq!(replicas.len(), rf as usize);
                let mut sorted = replicas.clone();
                sorted.sort_unstable();
                sorted.dedup();
                prop_assert_eq!(sorted.len(), rf as usize);
                let p = u64::from(start_partition_id) + i as u64;
                let leader = brokers[((p + u64::from(start)) % u64::from(n)) as usize];
                prop_assert_eq!(replicas[0], leader);
            }
        }
    }
}
