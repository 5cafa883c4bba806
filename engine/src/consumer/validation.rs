//! KIP-320: a consumer checks its position against the leader's log whenever the leader
//! epoch changes, so that after a truncation (an unclean election) it moves to where its
//! log and the leader's diverge instead of reading on from an offset the new leader
//! wrote other records at, or resetting with `auto.offset.reset`.
//!
//! Java: `SubscriptionState.maybeValidatePositionForCurrentLeader` (a position whose
//! leader epoch differs from the metadata's awaits validation), `OffsetFetcher` sending
//! `OffsetsForLeaderEpoch`, and `SubscriptionState.maybeCompleteValidation`. librdkafka
//! (2.1.0+): `rd_kafka_offset_validate` and `rd_kafka_toppar_handle_OffsetForLeaderEpoch`
//! in `src/rdkafka_offset.c`, the same rules.

use crate::collections::Map;

use crate::actor::Ctx;
use crate::event::Event;
use crate::ids::{BrokerId, LeaderEpoch, Offset};
use crate::message::{EpochEndOffset, Message};
use crate::topic::Tp;

use super::{Consumer, Pending};

impl Consumer {
    /// Marks the positions whose leader epoch changed as awaiting validation, and asks
    /// each leader where the epochs of those positions end.
    pub(super) fn validate_positions(&mut self, ctx: &mut Ctx<'_>) {
        let owned: Vec<Tp> = self.owned.iter().copied().collect();
        for tp in owned {
            if !self.positions.contains_key(&tp) {
                continue;
            }
            let Some((_, current)) = self.leader_and_epoch(tp) else {
                continue;
            };
            if self.position_leader_epochs.get(&tp) == Some(&current) {
                continue;
            }
            self.position_leader_epochs.insert(tp, current);
            // Without the epoch of the record before the position there is nothing to
            // validate (`validatePosition`: offsetEpoch absent).
            if self.offset_epochs.contains_key(&tp) {
                self.awaiting_validation.insert(tp);
            }
        }
        let pending: Vec<Tp> = self
            .in_flight
            .values()
            .filter_map(|f| match &f.what {
                Pending::Validate(tps) => Some(tps.iter().map(|(tp, _)| *tp)),
                _ => None,
            })
            .flatten()
            .collect();
        let mut plan: Map<BrokerId, Vec<(Tp, LeaderEpoch, LeaderEpoch)>> = Map::new();
        for tp in self.awaiting_validation.iter().copied() {
            if pending.contains(&tp) {
                continue;
            }
            let (Some((leader, current)), Some(epoch)) =
                (self.leader_and_epoch(tp), self.offset_epochs.get(&tp))
            else {
                continue;
            };
            plan.entry(leader).or_default().push((tp, current, *epoch));
        }
        for (broker, partitions) in plan {
            let asked = partitions
                .iter()
                .filter_map(|(tp, _, _)| self.positions.get(tp).map(|o| (*tp, *o)))
                .collect();
            self.request(ctx, broker, Pending::Validate(asked), |correlation| {
                Message::OffsetsForLeaderEpochRequest {
                    correlation,
                    partitions,
                }
            });
        }
    }

    /// `maybeCompleteValidation`: the epoch of the position ended before the position
    /// (the log was truncated there) → move to where it ended; no such epoch known → the
    /// reset policy; else the position stands.
    pub(super) fn on_validation(
        &mut self,
        ctx: &mut Ctx<'_>,
        asked: &[(Tp, Offset)],
        partitions: Vec<(Tp, EpochEndOffset)>,
    ) {
        let mut reset = Vec::new();
        for (tp, result) in partitions {
            let requested = asked.iter().find(|(t, _)| *t == tp).map(|(_, o)| *o);
            let current = self.positions.get(&tp).copied();
            if !self.awaiting_validation.contains(&tp) || current.is_none() || current != requested
            {
                continue;
            }
            let position = current.unwrap_or_default();
            match result {
                // A fenced or unknown epoch, or a broker that stopped leading: learn the
                // leader again and retry (OffsetsForLeaderEpochUtils).
                Err(_) => self.needs_metadata = true,
                Ok(None) => {
                    self.awaiting_validation.remove(&tp);
                    self.clear_position(tp);
                    reset.push(tp);
                }
                Ok(Some((epoch, end))) if end < position => {
                    self.awaiting_validation.remove(&tp);
                    self.positions.insert(tp, end);
                    self.offset_epochs.insert(tp, epoch);
                    ctx.consumed.truncated(&self.group, tp, end);
                    let (consumer, partition) = (self.name.clone(), Self::tp_name(ctx, tp));
                    let reason = format!(
                        "log truncation detected: the leader's log diverges at {end}, below \
                         the position {position} (OffsetsForLeaderEpoch)"
                    );
                    ctx.emit(|| Event::OffsetReset {
                        consumer,
                        partition,
                        offset: end,
                        reason,
                    });
                }
                Ok(Some(_)) => {
                    self.awaiting_validation.remove(&tp);
                }
            }
        }
        if !reset.is_empty() {
            for tp in &reset {
                self.awaiting_position.insert(*tp);
            }
            self.reset_offsets(
                ctx,
                reset,
                "log truncation detected, no leader epoch at or below the position's",
            );
        }
    }
}
