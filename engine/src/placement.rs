//! Where a new topic's replicas go: a KRaft controller's `StripedReplicaPlacer`, for a
//! cluster without racks (one rack holding every broker).
//!
//! Source: `metadata/src/main/java/org/apache/kafka/metadata/placement/StripedReplicaPlacer.java`
//! (`BrokerList`, `Rack`, `RackList.place`), the same in Kafka 4.4.0; checked by the cases of
//! `StripedReplicaPlacerTest` and by layouts computed with Kafka 4.4.0's own placer
//! (`tests/vectors/replica_assignment.json`). Every registered broker may hold a replica,
//! fenced ones only when the unfenced are used up, and a leader is always unfenced.
//! Partition `i` takes consecutive brokers of the sorted broker list from a random offset
//! that moves by one per partition; after as many partitions as there are unfenced brokers
//! the lists are shuffled and the striping goes on over the new order.
//!
//! Kafka's controller draws from an unseeded `java.util.Random`; here the draws come from
//! a seeded stream, so the layout is reproducible: the same structure, other offsets.

use crate::rng::SimRng;

/// The random draws the placer makes: Java's `Random.nextInt(bound)`, a uniform draw in
/// `0..bound`.
pub trait PlacementRandom {
    /// A uniform draw in `0..bound`; `bound` is at least 1.
    fn next_int(&mut self, bound: u32) -> u32;
}

impl PlacementRandom for SimRng {
    fn next_int(&mut self, bound: u32) -> u32 {
        self.below(bound)
    }
}

/// A broker that may hold replicas (`UsableBroker`): every registered broker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UsableBroker {
    /// Its id.
    pub id: u32,
    /// Whether the controller has fenced it: it may hold a replica but not lead.
    pub fenced: bool,
}

/// Why a placement was refused, with Kafka's messages (`InvalidReplicationFactorException`,
/// or `InvalidPartitionsException` from `CreateTopics`' own check).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlacementError {
    /// No partitions asked for.
    #[error("the number of partitions must be larger than 0")]
    InvalidPartitions,
    /// `throwInvalidReplicationFactorIfNonPositive`.
    #[error("Invalid replication factor 0: the replication factor must be positive.")]
    NonPositiveReplicationFactor,
    /// `throwInvalidReplicationFactorIfZero`: no broker could lead.
    #[error("All brokers are currently fenced.")]
    AllBrokersFenced,
    /// `throwInvalidReplicationFactorIfTooFewBrokers`.
    #[error(
        "The target replication factor of {replication_factor} cannot be reached because only \
         {brokers} broker(s) are registered."
    )]
    TooFewBrokers {
        /// The replication factor asked for.
        replication_factor: u32,
        /// How many brokers are registered.
        brokers: u32,
    },
}

impl PlacementError {
    /// Kafka's protocol error name for this refusal, as `CreateTopics` would report it.
    pub fn kafka_error_name(&self) -> &'static str {
        match self {
            PlacementError::InvalidPartitions => "INVALID_PARTITIONS",
            _ => "INVALID_REPLICATION_FACTOR",
        }
    }
}

/// `StripedReplicaPlacer.BrokerList`: brokers sorted by id, read from an offset that moves
/// by one each time a new epoch (partition) starts reading.
#[derive(Clone, Debug, Default)]
struct BrokerList {
    brokers: Vec<u32>,
    index: usize,
    offset: usize,
    epoch: u32,
}

impl BrokerList {
    fn initialize(&mut self, random: &mut impl PlacementRandom) {
        if !self.brokers.is_empty() {
            crate::collections::sort(&mut self.brokers);
            self.offset = random.next_int(self.brokers.len() as u32) as usize;
        }
    }

    /// `Collections.shuffle(list, random)`: from the end, swap each place with a random
    /// one at or before it.
    fn shuffle(&mut self, random: &mut impl PlacementRandom) {
        for i in (2..=self.brokers.len()).rev() {
            let j = random.next_int(i as u32) as usize;
            self.brokers.swap(i - 1, j);
        }
    }

    fn next(&mut self, epoch: u32) -> Option<u32> {
        if self.brokers.is_empty() {
            return None;
        }
        if self.epoch != epoch {
            self.epoch = epoch;
            self.index = 0;
            self.offset = (self.offset + 1) % self.brokers.len();
        }
        if self.index >= self.brokers.len() {
            return None;
        }
        let broker = self.brokers[(self.index + self.offset) % self.brokers.len()];
        self.index += 1;
        Some(broker)
    }
}

/// `StripedReplicaPlacer.RackList` with the one rack of a cluster without racks.
#[derive(Clone, Debug)]
struct RackList {
    fenced: BrokerList,
    unfenced: BrokerList,
    epoch: u32,
}

impl RackList {
    fn new(random: &mut impl PlacementRandom, brokers: &[UsableBroker]) -> RackList {
        let (mut fenced, mut unfenced) = (BrokerList::default(), BrokerList::default());
        for b in brokers {
            if b.fenced {
                fenced.brokers.push(b.id);
            } else {
                unfenced.brokers.push(b.id);
            }
        }
        // Rack.initialize: the fenced list, then the unfenced one.
        fenced.initialize(random);
        unfenced.initialize(random);
        // The rack list's own offset, `random.nextInt(rackNames.size())`: one rack, but the
        // draw is still made.
        random.next_int(1);
        RackList {
            fenced,
            unfenced,
            epoch: 0,
        }
    }

    fn total(&self) -> u32 {
        (self.fenced.brokers.len() + self.unfenced.brokers.len()) as u32
    }

    fn place(
        &mut self,
        random: &mut impl PlacementRandom,
        replication_factor: u32,
    ) -> Result<Vec<u32>, PlacementError> {
        check(
            replication_factor,
            self.total(),
            self.unfenced.brokers.len() as u32,
        )?;
        let unfenced = self.unfenced.brokers.len() as u32;
        // After as many partitions as there are unfenced brokers, shuffle to avoid
        // repeating the same assignments (not with one unfenced broker: it would loop).
        if self.epoch == unfenced && unfenced > 1 {
            self.fenced.shuffle(random);
            self.unfenced.shuffle(random);
            self.epoch = 0;
        }
        let epoch = self.epoch;
        let mut replicas = Vec::with_capacity(replication_factor as usize);
        // The leader: unfenced, and one is there (checked above, and the first read of an
        // epoch starts from the beginning of the list).
        replicas.extend(self.unfenced.next(epoch));
        while (replicas.len() as u32) < replication_factor {
            // Rack.next: unfenced brokers first, fenced ones once those are used up.
            match self
                .unfenced
                .next(epoch)
                .or_else(|| self.fenced.next(epoch))
            {
                Some(b) => replicas.push(b),
                None => break,
            }
        }
        self.epoch += 1;
        Ok(replicas)
    }
}

/// The checks of `StripedReplicaPlacer.place`, in its order.
fn check(replication_factor: u32, total: u32, unfenced: u32) -> Result<(), PlacementError> {
    if replication_factor == 0 {
        return Err(PlacementError::NonPositiveReplicationFactor);
    }
    if unfenced == 0 {
        return Err(PlacementError::AllBrokersFenced);
    }
    if replication_factor > total {
        return Err(PlacementError::TooFewBrokers {
            replication_factor,
            brokers: total,
        });
    }
    Ok(())
}

/// `StripedReplicaPlacer.place`: the replica list of each of `partitions` new partitions,
/// first replica the preferred leader. As in Kafka, the placer draws its offsets before it
/// checks the request, so a refused placement still advances `random` (callers that must
/// leave no trace probe a copy first).
pub fn place_replicas(
    random: &mut impl PlacementRandom,
    brokers: &[UsableBroker],
    partitions: u32,
    replication_factor: u32,
) -> Result<Vec<Vec<u32>>, PlacementError> {
    if partitions == 0 {
        return Err(PlacementError::InvalidPartitions);
    }
    let mut racks = RackList::new(random, brokers);
    check(
        replication_factor,
        racks.total(),
        racks.unfenced.brokers.len() as u32,
    )?;
    (0..partitions)
        .map(|_| racks.place(random, replication_factor))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(not(target_arch = "wasm32"))]
    use proptest::prelude::*;

    fn brokers(ids: &[u32], fenced: &[u32]) -> Vec<UsableBroker> {
        ids.iter()
            .map(|&id| UsableBroker {
                id,
                fenced: fenced.contains(&id),
            })
            .collect()
    }

    /// `StripedReplicaPlacerTest.testBrokerList`.
    #[test]
    fn a_broker_list_moves_its_offset_once_per_epoch() {
        let mut list = BrokerList {
            brokers: vec![0, 1, 2, 3],
            ..BrokerList::default()
        };
        let read = |l: &mut BrokerList, e| (0..5).map(|_| l.next(e)).collect::<Vec<_>>();
        assert_eq!(
            read(&mut list, 0),
            [Some(0), Some(1), Some(2), Some(3), None]
        );
        assert_eq!(
            read(&mut list, 1),
            [Some(1), Some(2), Some(3), Some(0), None]
        );
        assert_eq!(BrokerList::default().next(1), None);
    }

    #[test]
    fn refusals_have_kafkas_messages() {
        let mut rng = SimRng::stream(1, "t");
        let err = |r: &mut SimRng, b: &[UsableBroker], rf| {
            place_replicas(r, b, 1, rf).expect_err("refused")
        };
        let e = err(&mut rng, &brokers(&[10, 11], &[10, 11]), 1);
        assert_eq!(e.to_string(), "All brokers are currently fenced.");
        let e = err(&mut rng, &brokers(&[10, 11], &[]), 3);
        assert_eq!(
            e.to_string(),
            "The target replication factor of 3 cannot be reached because only 2 broker(s) \
             are registered."
        );
        assert_eq!(e.kafka_error_name(), "INVALID_REPLICATION_FACTOR");
        let e = err(&mut rng, &brokers(&[10, 11], &[]), 0);
        assert_eq!(
            e.to_string(),
            "Invalid replication factor 0: the replication factor must be positive."
        );
        let e = place_replicas(&mut rng, &brokers(&[1], &[]), 0, 1).expect_err("refused");
        assert_eq!(e.kafka_error_name(), "INVALID_PARTITIONS");
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest! {
        /// Every partition gets distinct registered brokers and an unfenced leader, and a
        /// fenced broker holds a replica only when the unfenced ones do not suffice.
        #[test]
        fn placements_are_valid(
            seed in any::<u64>(),
            n in 1u32..10,
            fenced_mask in any::<u16>(),
            partitions in 1u32..40,
            rf in 1u32..10,
        ) {
            let ids: Vec<u32> = (1..=n).collect();
            let fenced: Vec<u32> = ids.iter().copied().filter(|i| fenced_mask & (1 << i) != 0).collect();
            let all = brokers(&ids, &fenced);
            let unfenced = n - fenced.len() as u32;
            let mut rng = SimRng::stream(seed, "p");
            match place_replicas(&mut rng, &all, partitions, rf) {
                Ok(placed) => {
                    prop_assert_eq!(placed.len() as u32, partitions);
                    for replicas in placed {
                        prop_assert_eq!(replicas.len() as u32, rf);
                        let mut sorted = replicas.clone();
                        sorted.sort_unstable();
                        sorted.dedup();
                        prop_assert_eq!(sorted.len() as u32, rf);
                        prop_assert!(!fenced.contains(&replicas[0]));
                        let fenced_used = replicas.iter().filter(|b| fenced.contains(b)).count() as u32;
                        prop_assert_eq!(fenced_used, rf.saturating_sub(unfenced));
                    }
                }
                Err(_) => prop_assert!(unfenced == 0 || rf > n),
            }
        }
    }
}
