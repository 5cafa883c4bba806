//! The follower's side: one fetch session per leader, appending what it returns and
//! truncating where the leader says the logs diverge (KIP-101, KIP-279, KIP-595).

use crate::actor::Ctx;
use crate::event::Event;
use crate::ids::{BrokerId, Offset, SimDuration, SimTime};
use crate::kafka_error::KafkaError;
use crate::log::ReplicaLog;
use crate::message::{Correlation, FetchedPartition, Message};
use crate::node::Node;
use crate::timer::Timer;
use crate::topic::Tp;

use super::Broker;
use super::replica::{LostRecord, Role};

/// Where a follower truncates when the leader reports a diverging epoch
/// (`AbstractFetcherThread.getOffsetTruncationState`): to the end of that epoch on both
/// sides if the follower knows it, else to the end of the follower's largest earlier epoch
/// (and it asks again with its new last epoch).
pub fn truncation_offset(log: &ReplicaLog, diverging: (crate::ids::LeaderEpoch, Offset)) -> Offset {
    let (leader_epoch, leader_end) = diverging;
    let leo = log.log_end_offset();
    match log.end_offset_for(leader_epoch) {
        Some((e, end)) if e == leader_epoch => leader_end.min(end).min(leo),
        Some((_, end)) => end.min(leo),
        None => leader_end.min(leo),
    }
}

impl Broker {
    /// Sends a fetch to every leader this broker follows and is not already fetching from.
    pub(super) fn ensure_fetches(&mut self, ctx: &mut Ctx<'_>) {
        if !self.running {
            return;
        }
        let plan = self.fetch_plan(ctx.now);
        let max_wait_ms = ctx.world.config.replica_fetch_wait_max_ms;
        for (leader, partitions) in plan {
            let busy = self
                .fetchers
                .get(&leader)
                .is_some_and(|f| f.in_flight.is_some() || f.backoff_until > ctx.now);
            if busy {
                continue;
            }
            let correlation = self.next_corr();
            let deadline = ctx
                .now
                .after(SimDuration(ctx.world.config.replica_socket_timeout_ms));
            let f = self.fetchers.entry(leader).or_default();
            f.in_flight = Some(correlation);
            f.deadline = deadline;
            if f.timer_at.is_none() {
                f.timer_at = Some(deadline);
                ctx.timer(deadline, Timer::FetchRequestTimeout { leader });
            }
            ctx.send(
                Node::Broker(leader),
                Message::FetchRequest {
                    correlation,
                    replica_id: self.id,
                    max_wait_ms,
                    partitions,
                },
            );
        }
    }

    pub(super) fn on_fetch_response(
        &mut self,
        ctx: &mut Ctx<'_>,
        leader: BrokerId,
        correlation: Correlation,
        parts: Vec<FetchedPartition>,
    ) {
        match self.fetchers.get_mut(&leader) {
            Some(f) if f.in_flight == Some(correlation) => f.in_flight = None,
            _ => return,
        }
        let backoff = SimDuration(ctx.world.config.replica_fetch_backoff_ms);
        let mut wake: Option<SimTime> = None;
        for p in parts {
            let tp = p.tp;
            let following = self.replicas.get(&tp).is_some_and(
                |r| matches!(r.role, Role::Follower { leader: Some(l), .. } if l == leader),
            );
            if !following {
                continue;
            }
            if let Some(error) = p.error {
                if error == KafkaError::OffsetOutOfRange {
                    self.truncate(ctx, tp, p.log_end_offset, leader);
                } else if let Some(r) = self.replicas.get_mut(&tp) {
                    let until = ctx.now.after(backoff);
                    r.fetch_paused_until = until;
                    wake = Some(wake.map_or(until, |w| w.min(until)));
                }
                continue;
            }
            if let Some(diverging) = p.diverging_epoch {
                let to = match self.replicas.get(&tp) {
                    Some(r) => truncation_offset(&r.log, diverging),
                    None => continue,
                };
                self.truncate(ctx, tp, to, leader);
                continue;
            }
            let me = self.id;
            let Some(r) = self.replicas.get_mut(&tp) else {
                continue;
            };
            let from = r.log.log_end_offset();
            let appended = r.log.append_replicated(&p.batches);
            r.log.cap_kept_records(ctx.world.records_kept_per_log);
            let to = r.log.log_end_offset();
            r.log.set_high_watermark(p.high_watermark.min(to));
            if appended > 0 {
                let topic = ctx.world.topics.name(tp.topic);
                ctx.emit(|| Event::RecordsReplicated {
                    broker: me,
                    leader,
                    topic,
                    partition: tp.partition,
                    from_offset: from,
                    to_offset: to,
                });
            }
        }
        if let Some(at) = wake {
            ctx.timer(at, Timer::FetcherBackoff { leader });
        }
        self.ensure_fetches(ctx);
    }

    /// A fetch got no answer in time: the connection is considered broken.
    pub(super) fn on_fetch_timeout(&mut self, ctx: &mut Ctx<'_>, leader: BrokerId) {
        let Some(f) = self.fetchers.get_mut(&leader) else {
            return;
        };
        if f.timer_at != Some(ctx.now) {
            return;
        }
        f.timer_at = None;
        if f.in_flight.is_none() {
            return;
        }
        if f.deadline <= ctx.now {
            self.on_connection_closed(ctx, leader);
        } else {
            f.timer_at = Some(f.deadline);
            ctx.timer(f.deadline, Timer::FetchRequestTimeout { leader });
        }
    }

    /// Truncates this broker's replica of `tp` to `to`, reporting every record removed.
    fn truncate(&mut self, ctx: &mut Ctx<'_>, tp: Tp, to: Offset, leader: BrokerId) {
        let me = self.id;
        let Some(r) = self.replicas.get_mut(&tp) else {
            return;
        };
        let removed = r.log.truncate_to(to);
        let topic = ctx.world.topics.name(tp.topic);
        for rec in removed {
            let body = rec.body;
            let lost = LostRecord {
                offset: rec.offset,
                leader_epoch: rec.leader_epoch,
                record: body.as_ref().map(|b| b.id),
                key: body.as_ref().and_then(|b| b.key.clone()),
                value: body.as_ref().and_then(|b| b.value.clone()),
                truncated_at_ms: ctx.now.0,
                leader,
            };
            let ev = lost.clone();
            let topic = topic.clone();
            ctx.emit(|| Event::RecordTruncated {
                broker: me,
                topic,
                partition: tp.partition,
                offset: ev.offset,
                leader_epoch: ev.leader_epoch,
                record: ev.record,
                key: ev.key,
                value: ev.value,
                leader,
            });
            r.remember_lost(lost);
        }
    }
}
