//! The leader's side of produce requests: append, and for `acks=all` hold the request
//! until the high watermark covers it (`DelayedProduce`).

use crate::actor::Ctx;
use crate::config::Acks;
use crate::event::Event;
use crate::ids::{Offset, SimDuration, SimTime};
use crate::kafka_error::KafkaError;
use crate::log::SequenceCheck;
use crate::message::{Correlation, Message, ProduceBatch};
use crate::node::Node;
use crate::timer::Timer;
use crate::topic::Tp;

use super::Broker;

/// One partition of a held produce request.
#[derive(Clone, Debug)]
enum PartOutcome {
    Done(Result<Offset, KafkaError>),
    /// Appended at `base`; waits until the high watermark reaches `end`.
    Waiting {
        base: Offset,
        end: Offset,
    },
}

/// A produce request waiting in purgatory.
#[derive(Clone, Debug)]
pub(crate) struct HeldProduce {
    from: Node,
    correlation: Correlation,
    parts: Vec<(Tp, PartOutcome)>,
    /// When it times out (`timeout_ms` of the request after it arrived).
    deadline: SimTime,
}

impl Broker {
    pub(super) fn on_produce(
        &mut self,
        ctx: &mut Ctx<'_>,
        from: Node,
        correlation: Correlation,
        acks: Acks,
        timeout_ms: u64,
        batches: Vec<ProduceBatch>,
    ) {
        let Node::Producer(producer) = from else {
            return;
        };
        let mut parts = Vec::with_capacity(batches.len());
        for b in &batches {
            let outcome = match self.append_for_producer(ctx, b, acks) {
                Err(e) => PartOutcome::Done(Err(e)),
                Ok((base, end)) if acks == Acks::All => PartOutcome::Waiting { base, end },
                Ok((base, _)) => PartOutcome::Done(Ok(base)),
            };
            parts.push((b.tp, outcome));
        }
        if acks == Acks::None {
            return;
        }
        let key = (producer, correlation);
        self.held_produces.insert(
            key,
            HeldProduce {
                from,
                correlation,
                parts,
                deadline: ctx.now.after(SimDuration(timeout_ms)),
            },
        );
        if !self.try_complete_produce(ctx, key) {
            self.arm_produce_timer(ctx);
        }
    }

    /// Makes sure a timer is pending at the earliest deadline of the held requests.
    fn arm_produce_timer(&mut self, ctx: &mut Ctx<'_>) {
        let Some(earliest) = self.held_produces.values().map(|h| h.deadline).min() else {
            return;
        };
        if self.produce_timer_at.is_none_or(|at| earliest < at) {
            self.produce_timer_at = Some(earliest);
            ctx.timer(earliest, Timer::DelayedProduceExpired);
        }
    }

    /// The produce timer fired: every held request past its deadline times out, in the
    /// order they arrived.
    pub(super) fn expire_held_produces(&mut self, ctx: &mut Ctx<'_>) {
        if self.produce_timer_at != Some(ctx.now) {
            return;
        }
        self.produce_timer_at = None;
        let mut due: Vec<(SimTime, (u32, Correlation))> = self
            .held_produces
            .iter()
            .filter(|(_, h)| h.deadline <= ctx.now)
            .map(|(k, h)| (h.deadline, *k))
            .collect();
        crate::collections::sort(&mut due);
        for (_, key) in due {
            self.expire_held_produce(ctx, key);
        }
        self.arm_produce_timer(ctx);
    }

    /// `min(min.insync.replicas, replication factor)`, as `Partition.effectiveMinIsr`.
    pub(super) fn effective_min_isr(ctx: &Ctx<'_>, tp: Tp) -> usize {
        ctx.world
            .topics
            .get(tp.topic)
            .map(|t| t.config.min_insync_replicas.min(t.replication_factor) as usize)
            .unwrap_or(1)
    }

    /// `Partition.appendRecordsToLeader`: returns the batch's base offset and the offset
    /// after it.
    fn append_for_producer(
        &mut self,
        ctx: &mut Ctx<'_>,
        b: &ProduceBatch,
        acks: Acks,
    ) -> Result<(Offset, Offset), KafkaError> {
        let tp = b.tp;
        let result = self.try_append(ctx, b, acks);
        match result {
            Err(error) => {
                let (topic, broker) = (ctx.world.topics.name(tp.topic), self.id);
                ctx.emit(|| Event::ProduceRejected {
                    broker,
                    topic,
                    partition: tp.partition,
                    error,
                });
            }
            Ok((_, _, true)) => {
                self.complete_held_fetches_for(ctx, tp);
                self.maybe_increment_high_watermark(ctx, tp);
            }
            Ok(_) => {}
        }
        result.map(|(base, end, _)| (base, end))
    }

    /// Appends unless refused; the flag says whether anything was appended (a duplicate
    /// from an idempotent producer's retry is answered with its first offset instead).
    fn try_append(
        &mut self,
        ctx: &mut Ctx<'_>,
        b: &ProduceBatch,
        acks: Acks,
    ) -> Result<(Offset, Offset, bool), KafkaError> {
        let tp = b.tp;
        let min_isr = Self::effective_min_isr(ctx, tp);
        let known = self.cache.partitions.contains_key(&tp);
        let Some(replica) = self.replicas.get_mut(&tp) else {
            return Err(if known {
                KafkaError::NotLeaderOrFollower
            } else {
                KafkaError::UnknownTopicOrPartition
            });
        };
        let Some(ls) = replica.leader_state() else {
            return Err(KafkaError::NotLeaderOrFollower);
        };
        if acks == Acks::All && ls.isr.len() < min_isr {
            return Err(KafkaError::NotEnoughReplicas);
        }
        let epoch = ls.leader_epoch;
        let count = b.records.len() as u64;
        if let Some(stamp) = &b.producer
            && let SequenceCheck::Duplicate(base) =
                replica.log.check_sequence(stamp, count as u32)?
        {
            return Ok((base, base.plus(count), false));
        }
        let base = replica
            .log
            .append_as_leader(b.records.clone(), b.size_bytes, epoch, b.producer);
        replica.log.cap_kept_records(ctx.world.records_kept_per_log);
        if ctx.trace.is_recording() {
            let topic = ctx.world.topics.name(tp.topic);
            for (i, r) in b.records.iter().enumerate() {
                let (topic, broker) = (topic.clone(), self.id);
                ctx.emit(|| Event::RecordAppended {
                    broker,
                    topic,
                    partition: tp.partition,
                    offset: base.plus(i as u64),
                    leader_epoch: epoch,
                    record: r.id,
                    key: r.key.clone(),
                    value: r.value.clone(),
                });
            }
        } else {
            for _ in 0..count {
                ctx.trace.count_unrecorded();
            }
        }
        Ok((base, base.plus(count), true))
    }

    /// `DelayedProduce.tryComplete`: answers the request once every partition is done.
    fn try_complete_produce(&mut self, ctx: &mut Ctx<'_>, key: (u32, Correlation)) -> bool {
        let Some(held) = self.held_produces.get(&key) else {
            return true;
        };
        let mut parts = held.parts.clone();
        let mut all_done = true;
        for (tp, outcome) in parts.iter_mut() {
            if let PartOutcome::Waiting { base, end } = *outcome {
                let min_isr = Self::effective_min_isr(ctx, *tp);
                let status = self.replicas.get(tp).and_then(|r| {
                    r.leader_state()
                        .map(|ls| (r.log.high_watermark(), ls.isr.len()))
                });
                *outcome = match status {
                    None => PartOutcome::Done(Err(KafkaError::NotLeaderOrFollower)),
                    Some((hw, isr_len)) if hw >= end => {
                        if isr_len < min_isr {
                            PartOutcome::Done(Err(KafkaError::NotEnoughReplicasAfterAppend))
                        } else {
                            PartOutcome::Done(Ok(base))
                        }
                    }
                    Some(_) => {
                        all_done = false;
                        PartOutcome::Waiting { base, end }
                    }
                };
            }
        }
        if !all_done {
            if let Some(held) = self.held_produces.get_mut(&key) {
                held.parts = parts;
            }
            return false;
        }
        if let Some(held) = self.held_produces.remove(&key) {
            Self::respond_produce(ctx, &held, parts);
        }
        true
    }

    fn respond_produce(ctx: &mut Ctx<'_>, held: &HeldProduce, parts: Vec<(Tp, PartOutcome)>) {
        let partitions = parts
            .into_iter()
            .map(|(tp, o)| match o {
                PartOutcome::Done(r) => (tp, r),
                PartOutcome::Waiting { .. } => (tp, Err(KafkaError::RequestTimedOut)),
            })
            .collect();
        ctx.send(
            held.from,
            Message::ProduceResponse {
                correlation: held.correlation,
                partitions,
            },
        );
    }

    /// The request waited `timeout_ms`: what is still waiting times out.
    fn expire_held_produce(&mut self, ctx: &mut Ctx<'_>, key: (u32, Correlation)) {
        if self.try_complete_produce(ctx, key) {
            return;
        }
        if let Some(held) = self.held_produces.remove(&key) {
            let parts = held.parts.clone();
            Self::respond_produce(ctx, &held, parts);
        }
    }

    /// Completes held produce requests waiting on `tp` (its high watermark moved).
    pub(super) fn complete_held_produces_for(&mut self, ctx: &mut Ctx<'_>, tp: Tp) {
        let keys: Vec<(u32, Correlation)> = self
            .held_produces
            .iter()
            .filter(|(_, h)| {
                h.parts
                    .iter()
                    .any(|(t, o)| *t == tp && matches!(o, PartOutcome::Waiting { .. }))
            })
            .map(|(k, _)| *k)
            .collect();
        for k in keys {
            self.try_complete_produce(ctx, k);
        }
    }

    /// Fails what waits on `tp` with `error` (this broker stopped leading it).
    pub(super) fn fail_held_produces(&mut self, ctx: &mut Ctx<'_>, tp: Tp, error: KafkaError) {
        for held in self.held_produces.iter_mut().map(|(_, v)| v) {
            for (t, o) in held.parts.iter_mut() {
                if *t == tp && matches!(o, PartOutcome::Waiting { .. }) {
                    *o = PartOutcome::Done(Err(error));
                }
            }
        }
        self.complete_held_produces_for_done(ctx);
    }

    fn complete_held_produces_for_done(&mut self, ctx: &mut Ctx<'_>) {
        let keys: Vec<(u32, Correlation)> = self
            .held_produces
            .iter()
            .filter(|(_, h)| {
                h.parts
                    .iter()
                    .all(|(_, o)| matches!(o, PartOutcome::Done(_)))
            })
            .map(|(k, _)| *k)
            .collect();
        for k in keys {
            self.try_complete_produce(ctx, k);
        }
    }
}
