//! Read-only facts about the actors' state that no snapshot shows, for tests that check
//! the engine against Kafka's rules (property tests, soaks). The page reads snapshots.

use crate::ids::{BrokerId, LeaderEpoch, Offset, PartitionId};
use crate::log::RecordId;
use crate::sim::Simulation;
use crate::topic::Tp;

/// One offset of a replica's log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// Its offset.
    pub offset: Offset,
    /// The leader epoch it was written in.
    pub leader_epoch: LeaderEpoch,
    /// The produced record it holds, while the log keeps its contents.
    pub record: Option<RecordId>,
}

/// Every offset of `broker`'s replica of `topic`-`partition`, contents kept or not; `None`
/// if the broker, the topic or the replica does not exist.
pub fn replica_log(
    sim: &Simulation,
    broker: BrokerId,
    topic: &str,
    partition: u32,
) -> Option<Vec<LogEntry>> {
    let tp = Tp {
        topic: sim.world.topics.find(topic)?,
        partition: PartitionId(partition),
    };
    let replica = sim.broker(broker)?.replica(tp)?;
    Some(
        replica
            .log()
            .records()
            .map(|(offset, leader_epoch, body)| LogEntry {
                offset,
                leader_epoch,
                record: body.map(|b| b.id),
            })
            .collect(),
    )
}
