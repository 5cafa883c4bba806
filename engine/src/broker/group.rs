//! What a broker does for consumers: `FindCoordinator`, the group coordinator's requests
//! (for the groups of the `__consumer_offsets` partitions it leads), `ListOffsets`, and
//! consumer fetches, which see records only below the high watermark.

use std::sync::Arc;

use crate::actor::Ctx;
use crate::controller::offsets_partition_for;
use crate::group::Effects;
use crate::ids::{LeaderEpoch, Offset, SimDuration};
use crate::kafka_error::KafkaError;
use crate::message::{ConsumerFetchPartition, ConsumerFetched, Correlation, Message};
use crate::node::Node;
use crate::timer::Timer;
use crate::topic::Tp;

use super::Broker;

impl Broker {
    /// Whether this broker coordinates `group` (leads its `__consumer_offsets` partition).
    fn coordinates(&self, group: &str) -> bool {
        self.cache
            .coordinators
            .get(&offsets_partition_for(group))
            .copied()
            .flatten()
            == Some(self.id)
    }

    fn apply_effects(ctx: &mut Ctx<'_>, fx: Effects) {
        for (to, msg) in fx.sends {
            ctx.send(to, msg);
        }
        for (at, t) in fx.timers {
            ctx.timer(at, t);
        }
        for e in fx.events {
            ctx.emit(|| e);
        }
    }

    /// Handles the consumer-facing requests; returns `false` for other messages.
    pub(super) fn on_group_message(
        &mut self,
        ctx: &mut Ctx<'_>,
        from: Node,
        msg: Message,
    ) -> Option<Message> {
        let now = ctx.now;
        let mut fx = Effects::default();
        match msg {
            Message::FindCoordinatorRequest { correlation, group } => {
                let result = self
                    .cache
                    .coordinators
                    .get(&offsets_partition_for(&group))
                    .copied()
                    .flatten()
                    .ok_or(KafkaError::CoordinatorNotAvailable);
                ctx.send(
                    from,
                    Message::FindCoordinatorResponse {
                        correlation,
                        result,
                    },
                );
            }
            Message::JoinGroupRequest { correlation, join } => {
                if !self.coordinates(&join.group) {
                    let result = Err(KafkaError::NotCoordinator);
                    ctx.send(
                        from,
                        Message::JoinGroupResponse {
                            correlation,
                            result,
                        },
                    );
                } else {
                    let g = ctx.groups.get_or_create(&join.group);
                    g.join(now, from, correlation, &join, &ctx.world.topics, &mut fx);
                }
            }
            Message::SyncGroupRequest {
                correlation,
                group,
                member,
                generation,
                assignments,
            } => {
                match ctx
                    .groups
                    .get_mut(&group)
                    .filter(|_| self.coordinates(&group))
                {
                    Some(g) => g.sync(
                        now,
                        from,
                        correlation,
                        &member,
                        generation,
                        assignments,
                        &mut fx,
                    ),
                    None => {
                        let result = Err(KafkaError::NotCoordinator);
                        ctx.send(
                            from,
                            Message::SyncGroupResponse {
                                correlation,
                                result,
                            },
                        );
                    }
                }
            }
            Message::HeartbeatRequest {
                correlation,
                group,
                member,
                generation,
            } => {
                let error = match ctx
                    .groups
                    .get_mut(&group)
                    .filter(|_| self.coordinates(&group))
                {
                    Some(g) => g.heartbeat(now, &member, generation, &mut fx),
                    None => Some(KafkaError::NotCoordinator),
                };
                ctx.send(from, Message::HeartbeatResponse { correlation, error });
            }
            Message::LeaveGroupRequest { group, member } => {
                if let Some(g) = ctx
                    .groups
                    .get_mut(&group)
                    .filter(|_| self.coordinates(&group))
                {
                    g.leave(now, &member, &ctx.world.topics, &mut fx);
                }
            }
            Message::OffsetCommitRequest {
                correlation,
                group,
                member,
                generation,
                offsets,
                leader_epochs,
            } => {
                let result = match ctx
                    .groups
                    .get_mut(&group)
                    .filter(|_| self.coordinates(&group))
                {
                    Some(g) => g
                        .commit(&member, generation, &offsets, &leader_epochs)
                        .map(|()| offsets),
                    None => Err(KafkaError::NotCoordinator),
                };
                ctx.send(
                    from,
                    Message::OffsetCommitResponse {
                        correlation,
                        result,
                    },
                );
            }
            Message::OffsetFetchRequest {
                correlation,
                group,
                partitions,
            } => {
                let g = ctx.groups.get(&group).filter(|_| self.coordinates(&group));
                let result = match g {
                    Some(g) => Ok(partitions
                        .iter()
                        .map(|tp| (*tp, g.committed.get(tp).copied()))
                        .collect()),
                    None if self.coordinates(&group) => {
                        Ok(partitions.iter().map(|tp| (*tp, None)).collect())
                    }
                    None => Err(KafkaError::NotCoordinator),
                };
                let leader_epochs = g
                    .map(|g| {
                        partitions
                            .iter()
                            .filter_map(|tp| g.committed_epochs.get(tp).map(|e| (*tp, *e)))
                            .collect()
                    })
                    .unwrap_or_default();
                ctx.send(
                    from,
                    Message::OffsetFetchResponse {
                        correlation,
                        result,
                        leader_epochs,
                    },
                );
            }
            Message::ListOffsetsRequest {
                correlation,
                partitions,
            } => {
                let partitions = partitions
                    .iter()
                    .map(|(tp, latest)| {
                        let r = match self.replicas.get(tp) {
                            Some(r) => match r.leader_state() {
                                // ListOffsets(latest) for a consumer: the high watermark (the
                                // last stable offset for read_committed, equal without
                                // transactions), with the current leader epoch
                                // (Partition.fetchOffsetForTimestamp).
                                Some(ls) => Ok((
                                    if *latest {
                                        r.log.high_watermark()
                                    } else {
                                        Offset(0)
                                    },
                                    ls.leader_epoch,
                                )),
                                None => Err(KafkaError::NotLeaderOrFollower),
                            },
                            None => Err(KafkaError::NotLeaderOrFollower),
                        };
                        (*tp, r)
                    })
                    .collect();
                ctx.send(
                    from,
                    Message::ListOffsetsResponse {
                        correlation,
                        partitions,
                    },
                );
            }
            Message::ConsumerFetchRequest {
                correlation,
                max_wait_ms,
                partitions,
            } => {
                self.on_consumer_fetch(ctx, from, correlation, max_wait_ms, partitions);
            }
            Message::OffsetsForLeaderEpochRequest {
                correlation,
                partitions,
            } => {
                let partitions = partitions
                    .iter()
                    .map(|&(tp, current, epoch)| {
                        (tp, self.end_offset_for_consumer(tp, current, epoch))
                    })
                    .collect();
                ctx.send(
                    from,
                    Message::OffsetsForLeaderEpochResponse {
                        correlation,
                        partitions,
                    },
                );
            }
            other => return Some(other),
        }
        Self::apply_effects(ctx, fx);
        None
    }

    /// A group timer fired (only the coordinator's are live).
    pub(super) fn on_group_timer(&mut self, ctx: &mut Ctx<'_>, timer: &Timer) {
        let mut fx = Effects::default();
        match timer {
            Timer::GroupJoinDeadline { group } => {
                if self.coordinates(group)
                    && let Some(g) = ctx.groups.get_mut(group)
                {
                    g.on_join_deadline(ctx.now, &ctx.world.topics, &mut fx);
                }
            }
            Timer::GroupMemberSession { group, member } => {
                if self.coordinates(group)
                    && let Some(g) = ctx.groups.get_mut(group)
                {
                    g.on_session_check(ctx.now, member, &ctx.world.topics, &mut fx);
                }
            }
            Timer::ConsumerFetchExpired {
                consumer,
                correlation,
            } => {
                self.complete_consumer_fetch(ctx, (*consumer, *correlation));
            }
            _ => {}
        }
        Self::apply_effects(ctx, fx);
    }

    /// This broker became the leader of `__consumer_offsets` partition `p`: it takes the
    /// partition's groups over.
    pub(super) fn take_over_groups(&mut self, ctx: &mut Ctx<'_>, p: u32) {
        let names = ctx.groups.names_where(|g| offsets_partition_for(g) == p);
        let mut fx = Effects::default();
        for name in names {
            if let Some(g) = ctx.groups.get_mut(&name) {
                g.take_over(ctx.now, &mut fx);
            }
        }
        Self::apply_effects(ctx, fx);
    }

    /// The leader's log of `tp` for a consumer that believes `current` is the leader
    /// epoch (`Partition.getLocalLog` with `checkCurrentLeaderEpoch`): an older epoch is
    /// fenced, a newer one not known yet.
    fn leader_log_for(
        &self,
        tp: Tp,
        current: LeaderEpoch,
    ) -> Result<&crate::log::ReplicaLog, KafkaError> {
        let r = self
            .replicas
            .get(&tp)
            .ok_or(KafkaError::NotLeaderOrFollower)?;
        let ls = r.leader_state().ok_or(KafkaError::NotLeaderOrFollower)?;
        if current < ls.leader_epoch {
            return Err(KafkaError::FencedLeaderEpoch);
        }
        if current > ls.leader_epoch {
            return Err(KafkaError::UnknownLeaderEpoch);
        }
        Ok(&r.log)
    }

    /// `Partition.lastOffsetForLeaderEpoch` for a consumer (KIP-320): where `epoch` ended
    /// in the leader's log (`UnifiedLog.endOffsetForEpoch`); `None` if it knows no epoch
    /// at or below it.
    fn end_offset_for_consumer(
        &self,
        tp: Tp,
        current: LeaderEpoch,
        epoch: LeaderEpoch,
    ) -> Result<Option<(LeaderEpoch, Offset)>, KafkaError> {
        Ok(self.leader_log_for(tp, current)?.end_offset_for(epoch))
    }

    fn consumer_part(
        &self,
        tp: Tp,
        offset: Offset,
        current: LeaderEpoch,
        max_bytes: u64,
    ) -> ConsumerFetched {
        let err = |e| ConsumerFetched {
            tp,
            error: Some(e),
            high_watermark: Offset(0),
            batches: Vec::new(),
        };
        let r = match self.leader_log_for(tp, current) {
            Ok(_) => match self.replicas.get(&tp) {
                Some(r) => r,
                None => return err(KafkaError::NotLeaderOrFollower),
            },
            Err(e) => return err(e),
        };
        // LocalLog.read: beyond the log end is out of range; between the high watermark
        // and the log end there is simply nothing to read yet.
        if offset > r.log.log_end_offset() {
            return err(KafkaError::OffsetOutOfRange);
        }
        let hw = r.log.high_watermark();
        let batches = if offset < hw {
            r.log.read_range(offset, hw, max_bytes)
        } else {
            Vec::new()
        };
        ConsumerFetched {
            tp,
            error: None,
            high_watermark: hw,
            batches,
        }
    }

    fn on_consumer_fetch(
        &mut self,
        ctx: &mut Ctx<'_>,
        from: Node,
        correlation: Correlation,
        max_wait_ms: u64,
        partitions: Vec<ConsumerFetchPartition>,
    ) {
        let Node::Consumer(consumer) = from else {
            return;
        };
        // max.partition.fetch.bytes (1 MiB).
        let parts: Vec<ConsumerFetched> = partitions
            .iter()
            .map(|(tp, o, e)| self.consumer_part(*tp, *o, *e, 1_048_576))
            .collect();
        let any = parts
            .iter()
            .any(|p| p.error.is_some() || !p.batches.is_empty());
        if any || max_wait_ms == 0 {
            ctx.send(
                from,
                Message::ConsumerFetchResponse {
                    correlation,
                    partitions: parts,
                },
            );
            return;
        }
        self.held_consumer_fetches
            .insert((consumer, correlation), partitions);
        ctx.timer(
            ctx.now.after(SimDuration(max_wait_ms)),
            Timer::ConsumerFetchExpired {
                consumer,
                correlation,
            },
        );
    }

    fn complete_consumer_fetch(&mut self, ctx: &mut Ctx<'_>, key: (u32, Correlation)) {
        let Some(partitions) = self.held_consumer_fetches.remove(&key) else {
            return;
        };
        let parts = partitions
            .iter()
            .map(|(tp, o, e)| self.consumer_part(*tp, *o, *e, 1_048_576))
            .collect();
        ctx.send(
            Node::Consumer(key.0),
            Message::ConsumerFetchResponse {
                correlation: key.1,
                partitions: parts,
            },
        );
    }

    /// Answers held consumer fetches that include `tp` (committed data arrived, or the
    /// partition's leadership moved).
    pub(super) fn complete_consumer_fetches_for(&mut self, ctx: &mut Ctx<'_>, tp: Tp) {
        if self.held_consumer_fetches.is_empty() {
            return;
        }
        let keys: Vec<(u32, Correlation)> = self
            .held_consumer_fetches
            .iter()
            .filter(|(_, ps)| ps.iter().any(|(t, _, _)| *t == tp))
            .map(|(k, _)| *k)
            .collect();
        for k in keys {
            self.complete_consumer_fetch(ctx, k);
        }
    }

    /// Nodes waiting on this broker as a coordinator or for a consumer fetch.
    pub(crate) fn consumers_waiting(&self) -> Vec<Node> {
        self.held_consumer_fetches
            .keys()
            .map(|(c, _)| Node::Consumer(*c))
            .collect()
    }

    #[allow(dead_code)]
    fn unused(_: Arc<str>) {}
}
