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

/// What the display cap may not change: per partition its registration and each replica's
/// log end, high watermark and where each leader epoch starts in it.
pub fn log_structure(sim: &Simulation) -> Vec<String> {
    let mut out = Vec::new();
    for (tp, st) in sim.controller().partitions() {
        out.push(format!("{tp:?} {st:?}"));
        for b in &st.replicas {
            let Some(log) = sim
                .broker(*b)
                .and_then(|br| br.replica(*tp))
                .map(|r| r.log())
            else {
                out.push(format!("{tp:?}@{b}: no replica"));
                continue;
            };
            out.push(format!(
                "{tp:?}@{b}: leo {} hw {} epochs {:?}",
                log.log_end_offset(),
                log.high_watermark(),
                log.epochs()
            ));
        }
    }
    out
}

/// How many runs of merged old batches the replicas' logs hold (the display cap at work).
pub fn merged_runs(sim: &Simulation) -> usize {
    sim.brokers()
        .iter()
        .flat_map(|b| {
            sim.controller()
                .partitions()
                .filter_map(|(tp, _)| b.replica(*tp))
        })
        .map(|r| r.log().merged_runs())
        .sum()
}

/// Batches every replica log holds, and how many of them are runs of merged batches (the
/// display cap's, `ReplicaLog::coalesce_dropped`): what a log's memory follows.
pub fn batches_held(sim: &Simulation) -> (usize, usize) {
    let mut held = (0, 0);
    for (tp, st) in sim.controller().partitions() {
        for b in &st.replicas {
            if let Some(log) = sim
                .broker(*b)
                .and_then(|br| br.replica(*tp))
                .map(|r| r.log())
            {
                held.0 += log.batches().len();
                held.1 += log.merged_runs();
            }
        }
    }
    held
}
