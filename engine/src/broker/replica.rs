//! One broker's replica of one partition: its log and, depending on the metadata, its role
//! as leader (tracking followers, the ISR and the high watermark) or follower.

use std::collections::VecDeque;

use crate::collections::Map;

use serde::Serialize;

use crate::ids::{BrokerId, LeaderEpoch, Offset, SimDuration, SimTime};
use crate::log::{RecordId, ReplicaLog};
use crate::topic::PartitionState;

/// How many truncated records a replica remembers for display.
const LOST_RECORDS_KEPT: usize = 100;

/// What a leader knows of one follower (`Replica.scala`'s replica state).
#[derive(Clone, Debug)]
pub(crate) struct FollowerState {
    /// The follower's log end offset as of its last fetch; unknown after a leader change.
    pub log_end: Option<Offset>,
    /// `lastCaughtUpTimeMs`.
    pub last_caught_up: SimTime,
    /// When it last fetched.
    pub last_fetch_time: SimTime,
    /// The leader's log end offset at that fetch.
    pub last_fetch_leader_leo: Offset,
}

impl FollowerState {
    /// `isCaughtUp`: at the leader's log end, or caught up within `replica.lag.time.max.ms`.
    pub fn is_caught_up(&self, leader_leo: Offset, now: SimTime, lag_max: SimDuration) -> bool {
        self.log_end == Some(leader_leo) || now.since(self.last_caught_up) <= lag_max
    }
}

/// A leader's view of its partition.
#[derive(Clone, Debug)]
pub(crate) struct LeaderState {
    pub leader_epoch: LeaderEpoch,
    pub partition_epoch: u32,
    /// The committed ISR (as the controller last confirmed it).
    pub isr: Vec<BrokerId>,
    /// An `AlterPartition` in flight: the ISR asked for and the partition epoch it was
    /// based on.
    pub pending_isr: Option<(Vec<BrokerId>, u32)>,
    pub followers: Map<BrokerId, FollowerState>,
}

impl LeaderState {
    /// The maximal ISR: committed members plus those a pending change adds (KIP-497).
    pub fn in_maximal_isr(&self, b: BrokerId) -> bool {
        self.isr.contains(&b)
            || self
                .pending_isr
                .as_ref()
                .is_some_and(|(isr, _)| isr.contains(&b))
    }
}

/// A replica's role, from the metadata it has received.
#[derive(Clone, Debug)]
pub(crate) enum Role {
    /// No metadata yet (a broker that just started).
    Unknown,
    /// This broker leads the partition.
    Leader(LeaderState),
    /// Another broker leads it (or nobody, while offline).
    Follower {
        leader: Option<BrokerId>,
        leader_epoch: LeaderEpoch,
    },
}

/// A record a replica lost to truncation, kept so that the page can show it struck through.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LostRecord {
    /// Where it was.
    pub offset: Offset,
    /// The epoch it was written in.
    pub leader_epoch: LeaderEpoch,
    /// The record, if its contents were kept.
    pub record: Option<RecordId>,
    /// Its key.
    pub key: Option<std::sync::Arc<str>>,
    /// Its value.
    pub value: Option<std::sync::Arc<str>>,
    /// When it was truncated.
    pub truncated_at_ms: u64,
    /// The leader whose log replaced it.
    pub leader: BrokerId,
}

/// One broker's replica of a partition.
#[derive(Clone, Debug)]
pub struct Replica {
    pub(crate) log: ReplicaLog,
    pub(crate) role: Role,
    /// A follower pauses a partition after a fetch error until this time.
    pub(crate) fetch_paused_until: SimTime,
    pub(crate) lost: VecDeque<LostRecord>,
}

impl Replica {
    pub(crate) fn new() -> Replica {
        Replica {
            log: ReplicaLog::new(),
            role: Role::Unknown,
            fetch_paused_until: SimTime(0),
            lost: VecDeque::new(),
        }
    }

    /// The replica's log.
    pub fn log(&self) -> &ReplicaLog {
        &self.log
    }

    /// Records truncated from this replica, most recent last.
    pub fn lost_records(&self) -> impl Iterator<Item = &LostRecord> {
        self.lost.iter()
    }

    pub(crate) fn remember_lost(&mut self, rec: LostRecord) {
        if self.lost.len() == LOST_RECORDS_KEPT {
            self.lost.pop_front();
        }
        self.lost.push_back(rec);
    }

    pub(crate) fn leader_state(&self) -> Option<&LeaderState> {
        match &self.role {
            Role::Leader(ls) => Some(ls),
            _ => None,
        }
    }

    pub(crate) fn leader_state_mut(&mut self) -> Option<&mut LeaderState> {
        match &mut self.role {
            Role::Leader(ls) => Some(ls),
            _ => None,
        }
    }

    /// Becomes leader in `st`'s epoch: records the epoch start in the cache and resets what
    /// it knows of followers (`Partition.makeLeader`: log end unknown, ISR members counted
    /// as caught up now so that they are not dropped at once).
    pub(crate) fn become_leader(&mut self, me: BrokerId, st: &PartitionState, now: SimTime) {
        self.log.assign_epoch(st.leader_epoch);
        let leo = self.log.log_end_offset();
        // Inserted one by one: collecting into the map would sort with std's stable sort,
        // a few KB of wasm for this one element type.
        let mut followers = Map::new();
        for &b in st.replicas.iter().filter(|b| **b != me) {
            let in_sync = st.isr.contains(&b);
            followers.insert(
                b,
                FollowerState {
                    log_end: None,
                    last_caught_up: if in_sync { now } else { SimTime(0) },
                    last_fetch_time: SimTime(0),
                    last_fetch_leader_leo: leo,
                },
            );
        }
        self.role = Role::Leader(LeaderState {
            leader_epoch: st.leader_epoch,
            partition_epoch: st.partition_epoch,
            isr: st.isr.clone(),
            pending_isr: None,
            followers,
        });
    }

    /// The high watermark the leader may move to (`Partition.maybeIncrementLeaderHW`):
    /// the minimum log end offset over the maximal ISR and caught-up eligible followers;
    /// `None` while the ISR is below `min_isr` (Kafka 3.7+, KAFKA-15583) or an ISR member's
    /// log end is unknown.
    pub(crate) fn candidate_high_watermark(
        &self,
        min_isr: usize,
        now: SimTime,
        lag_max: SimDuration,
        eligible: impl Fn(BrokerId) -> bool,
    ) -> Option<Offset> {
        let ls = self.leader_state()?;
        if ls.isr.len() < min_isr {
            return None;
        }
        let leo = self.log.log_end_offset();
        let mut hw = leo;
        for (b, f) in &ls.followers {
            let counts = ls.in_maximal_isr(*b)
                || (f.log_end.is_some() && f.is_caught_up(leo, now, lag_max) && eligible(*b));
            if !counts {
                continue;
            }
            hw = hw.min(f.log_end?);
        }
        Some(hw)
    }
}
