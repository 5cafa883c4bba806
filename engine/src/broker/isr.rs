//! The leader's high watermark and ISR: `Partition.maybeIncrementLeaderHW`,
//! `maybeShrinkIsr`, `maybeExpandIsr`, and the `AlterPartition` round trip.

use crate::actor::Ctx;
use crate::event::Event;
use crate::ids::{BrokerId, SimDuration};
use crate::kafka_error::KafkaError;
use crate::message::Message;
use crate::node::Node;
use crate::topic::{PartitionState, Tp};

use super::Broker;

impl Broker {
    /// Moves the high watermark of a partition this broker leads, if it may move; answers
    /// the produce requests it completes. Returns whether it moved.
    pub(super) fn maybe_increment_high_watermark(&mut self, ctx: &mut Ctx<'_>, tp: Tp) -> bool {
        let lag = SimDuration(ctx.world.config.replica_lag_time_max_ms);
        let min_isr = Self::effective_min_isr(ctx, tp);
        let candidate = {
            let Some(r) = self.replicas.get(&tp) else {
                return false;
            };
            let cache = &self.cache;
            r.candidate_high_watermark(min_isr, ctx.now, lag, |b| {
                !cache.brokers.get(&b).copied().unwrap_or(true)
            })
        };
        let Some(hw) = candidate else {
            return false;
        };
        let Some(r) = self.replicas.get_mut(&tp) else {
            return false;
        };
        if hw <= r.log.high_watermark() {
            return false;
        }
        r.log.set_high_watermark(hw);
        let (topic, broker) = (ctx.world.topics.name(tp.topic), self.id);
        ctx.emit(|| Event::HighWatermarkAdvanced {
            broker,
            topic,
            partition: tp.partition,
            high_watermark: hw,
        });
        self.complete_held_produces_for(ctx, tp);
        self.complete_consumer_fetches_for(ctx, tp);
        true
    }

    /// Asks the controller to add `follower` to the ISR if it has caught up: its log end
    /// is at least the high watermark and the start of the current leader epoch, and its
    /// broker is not fenced.
    pub(super) fn maybe_expand_isr(&mut self, ctx: &mut Ctx<'_>, tp: Tp, follower: BrokerId) {
        let fenced = self.is_fenced(follower);
        let Some(r) = self.replicas.get(&tp) else {
            return;
        };
        let Some(ls) = r.leader_state() else {
            return;
        };
        if ls.in_maximal_isr(follower) || ls.pending_isr.is_some() || fenced {
            return;
        }
        let Some(leo) = ls.followers.get(&follower).and_then(|f| f.log_end) else {
            return;
        };
        let epoch_start = r
            .log
            .epoch_start_offset(ls.leader_epoch)
            .unwrap_or_default();
        if leo < r.log.high_watermark() || leo < epoch_start {
            return;
        }
        let mut new_isr = ls.isr.clone();
        new_isr.push(follower);
        self.send_alter_partition(ctx, tp, new_isr);
    }

    /// The periodic check: drops followers that were not caught up for
    /// `replica.lag.time.max.ms`.
    pub(super) fn shrink_isr(&mut self, ctx: &mut Ctx<'_>) {
        let lag = SimDuration(ctx.world.config.replica_lag_time_max_ms);
        let mut changes = Vec::new();
        for (tp, r) in &self.replicas {
            let Some(ls) = r.leader_state() else {
                continue;
            };
            if ls.pending_isr.is_some() {
                continue;
            }
            let leo = r.log.log_end_offset();
            let out: Vec<BrokerId> = ls
                .isr
                .iter()
                .copied()
                .filter(|b| *b != self.id)
                .filter(|b| {
                    ls.followers
                        .get(b)
                        .is_none_or(|f| !f.is_caught_up(leo, ctx.now, lag))
                })
                .collect();
            if !out.is_empty() {
                let new_isr: Vec<BrokerId> = ls
                    .isr
                    .iter()
                    .copied()
                    .filter(|b| !out.contains(b))
                    .collect();
                changes.push((*tp, new_isr));
            }
        }
        for (tp, new_isr) in changes {
            self.send_alter_partition(ctx, tp, new_isr);
        }
    }

    fn send_alter_partition(&mut self, ctx: &mut Ctx<'_>, tp: Tp, new_isr: Vec<BrokerId>) {
        let me = self.id;
        let Some(ls) = self
            .replicas
            .get_mut(&tp)
            .and_then(|r| r.leader_state_mut())
        else {
            return;
        };
        ls.pending_isr = Some((new_isr.clone(), ls.partition_epoch));
        ctx.send(
            Node::Controller,
            Message::AlterPartitionRequest {
                broker: me,
                tp,
                leader_epoch: ls.leader_epoch,
                partition_epoch: ls.partition_epoch,
                new_isr,
            },
        );
    }

    pub(super) fn on_alter_partition_response(
        &mut self,
        ctx: &mut Ctx<'_>,
        tp: Tp,
        result: Result<PartitionState, KafkaError>,
    ) {
        if let Some(ls) = self
            .replicas
            .get_mut(&tp)
            .and_then(|r| r.leader_state_mut())
        {
            ls.pending_isr = None;
        }
        if let Ok(st) = result {
            self.apply_partition(ctx, tp, &st);
        }
        self.maybe_increment_high_watermark(ctx, tp);
    }
}
