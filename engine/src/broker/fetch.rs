//! The leader's side of follower fetches: check the follower's epoch (KIP-595 fetch-based
//! truncation), record its log end offset, and answer, or hold an empty fetch as a long poll
//! (`DelayedFetch`).

use crate::actor::Ctx;
use crate::ids::{BrokerId, Offset, SimDuration};
use crate::kafka_error::KafkaError;
use crate::message::{Correlation, FetchPartition, FetchedPartition, Message};
use crate::node::Node;
use crate::timer::Timer;
use crate::topic::Tp;

use super::Broker;

/// A follower fetch that found no data, waiting for some.
#[derive(Clone, Debug)]
pub(crate) struct HeldFetch {
    partitions: Vec<FetchPartition>,
}

fn error_part(tp: Tp, error: KafkaError) -> FetchedPartition {
    FetchedPartition {
        tp,
        error: Some(error),
        high_watermark: Offset(0),
        log_end_offset: Offset(0),
        diverging_epoch: None,
        batches: Vec::new(),
    }
}

impl Broker {
    pub(super) fn on_fetch_request(
        &mut self,
        ctx: &mut Ctx<'_>,
        replica: BrokerId,
        correlation: Correlation,
        max_wait_ms: u64,
        partitions: Vec<FetchPartition>,
    ) {
        let mut any = false;
        let mut out = Vec::with_capacity(partitions.len());
        for fp in &partitions {
            let part = self.serve_follower(ctx, replica, fp, true);
            any |=
                part.error.is_some() || part.diverging_epoch.is_some() || !part.batches.is_empty();
            out.push(part);
        }
        if any || max_wait_ms == 0 {
            ctx.send(
                Node::Broker(replica),
                Message::FetchResponse {
                    correlation,
                    partitions: out,
                },
            );
            return;
        }
        self.held_fetches
            .insert((replica, correlation), HeldFetch { partitions });
        ctx.timer(
            ctx.now.after(SimDuration(max_wait_ms)),
            Timer::DelayedFetchExpired {
                replica,
                correlation,
            },
        );
    }

    /// One partition of a follower's fetch. With `update_state` (when the request arrives,
    /// not when a held fetch completes) the follower's log end offset is recorded, which
    /// may grow the ISR and move the high watermark before the records are read.
    fn serve_follower(
        &mut self,
        ctx: &mut Ctx<'_>,
        follower: BrokerId,
        fp: &FetchPartition,
        update_state: bool,
    ) -> FetchedPartition {
        let tp = fp.tp;
        let known_epoch = self.known_leader_epoch(tp);
        let Some(r) = self.replicas.get_mut(&tp) else {
            return error_part(tp, KafkaError::NotLeaderOrFollower);
        };
        let Some(ls) = r.leader_state_mut() else {
            let e = match known_epoch {
                Some(e) if fp.current_leader_epoch < e => KafkaError::FencedLeaderEpoch,
                Some(e) if fp.current_leader_epoch > e => KafkaError::UnknownLeaderEpoch,
                _ => KafkaError::NotLeaderOrFollower,
            };
            return error_part(tp, e);
        };
        if fp.current_leader_epoch < ls.leader_epoch {
            return error_part(tp, KafkaError::FencedLeaderEpoch);
        }
        if fp.current_leader_epoch > ls.leader_epoch {
            return error_part(tp, KafkaError::UnknownLeaderEpoch);
        }
        if !ls.followers.contains_key(&follower) {
            return error_part(tp, KafkaError::NotLeaderOrFollower);
        }
        let leo = r.log.log_end_offset();
        if let Some(e) = fp.last_fetched_epoch
            && let Some((le, end)) = r.log.end_offset_for(e)
            && (le < e || end < fp.fetch_offset)
        {
            return FetchedPartition {
                tp,
                error: None,
                high_watermark: r.log.high_watermark(),
                log_end_offset: leo,
                diverging_epoch: Some((le, end)),
                batches: Vec::new(),
            };
        }
        if fp.fetch_offset > leo {
            let mut p = error_part(tp, KafkaError::OffsetOutOfRange);
            p.log_end_offset = leo;
            return p;
        }
        if update_state {
            if let Some(ls) = r.leader_state_mut()
                && let Some(f) = ls.followers.get_mut(&follower)
            {
                // Replica.updateFetchStateOrThrow
                if fp.fetch_offset >= leo {
                    f.last_caught_up = ctx.now;
                } else if fp.fetch_offset >= f.last_fetch_leader_leo {
                    f.last_caught_up = f.last_caught_up.max(f.last_fetch_time);
                }
                f.log_end = Some(fp.fetch_offset);
                f.last_fetch_leader_leo = leo;
                f.last_fetch_time = ctx.now;
            }
            self.maybe_expand_isr(ctx, tp, follower);
            self.maybe_increment_high_watermark(ctx, tp);
        }
        let max_bytes = ctx.world.config.replica_fetch_max_bytes;
        let Some(r) = self.replicas.get(&tp) else {
            return error_part(tp, KafkaError::NotLeaderOrFollower);
        };
        FetchedPartition {
            tp,
            error: None,
            high_watermark: r.log.high_watermark(),
            log_end_offset: r.log.log_end_offset(),
            diverging_epoch: None,
            batches: r.log.read_from(fp.fetch_offset, max_bytes),
        }
    }

    /// Answers a held fetch with whatever is there now.
    pub(super) fn complete_held_fetch(&mut self, ctx: &mut Ctx<'_>, key: (BrokerId, Correlation)) {
        let Some(held) = self.held_fetches.remove(&key) else {
            return;
        };
        let out = held
            .partitions
            .iter()
            .map(|fp| self.serve_follower(ctx, key.0, fp, false))
            .collect();
        ctx.send(
            Node::Broker(key.0),
            Message::FetchResponse {
                correlation: key.1,
                partitions: out,
            },
        );
    }

    /// Answers held fetches that include `tp` (it has new data, or a new role).
    pub(super) fn complete_held_fetches_for(&mut self, ctx: &mut Ctx<'_>, tp: Tp) {
        if self.held_fetches.is_empty() {
            return;
        }
        let keys: Vec<(BrokerId, Correlation)> = self
            .held_fetches
            .iter()
            .filter(|(_, h)| h.partitions.iter().any(|p| p.tp == tp))
            .map(|(k, _)| *k)
            .collect();
        for k in keys {
            self.complete_held_fetch(ctx, k);
        }
    }
}
