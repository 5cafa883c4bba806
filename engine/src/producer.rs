//! A producer client: partitions records, batches them per partition, sends them to the
//! leaders it knows from metadata, and retries until `delivery.timeout.ms`.
//!
//! Modelled on Java's `KafkaProducer`/`Sender`/`RecordAccumulator` and librdkafka's
//! producer, with one simplification: at most one request per partition is in flight
//! (`max.in.flight.requests.per.connection=1` per partition), so batches of a partition
//! are never reordered.

use std::collections::VecDeque;

use crate::collections::{Map, Set};
use std::sync::Arc;

use crate::actor::Ctx;
use crate::client::Client;
use crate::config::{Acks, ProducerConfig};
use crate::event::Event;
use crate::ids::{BrokerId, LeaderEpoch, Offset, PartitionId, SimDuration, SimTime};
use crate::kafka_error::KafkaError;
use crate::log::{BATCH_OVERHEAD_BYTES, ProducerStamp, RecordBody, RecordId};
use crate::message::{Correlation, Message, PartitionLeader, ProduceBatch};
use crate::node::Node;
use crate::partitioner::{PartitionerState, StickySettings, TopicView, record_size_in_bytes};
use crate::produced::{ProduceStatus, ProducedRecord};
use crate::rng::SimRng;
use crate::timer::Timer;
use crate::topic::{TopicId, Tp};

/// `metadata.max.age.ms`: clients refresh metadata at least this often (300000).
const METADATA_MAX_AGE_MS: u64 = 300_000;
/// `reconnect.backoff.max.ms`: a broker that closed the connection is avoided this long
/// when choosing where to ask for metadata (1000).
const RECONNECT_BACKOFF_MAX_MS: u64 = 1_000;

fn available_partitions(parts: &[(Option<BrokerId>, LeaderEpoch)]) -> Vec<u32> {
    parts
        .iter()
        .enumerate()
        .filter(|(_, (l, _))| l.is_some())
        .map(|(i, _)| i as u32)
        .collect()
}

/// A record waiting for metadata before its partition can be chosen.
#[derive(Clone, Debug)]
struct Unassigned {
    topic: TopicId,
    body: RecordBody,
    size: u32,
    created_at: SimTime,
}

/// A batch in the accumulator.
#[derive(Clone, Debug)]
struct ProducerBatch {
    records: Vec<RecordBody>,
    frozen: Option<Arc<[RecordBody]>>,
    size_bytes: u32,
    created_at: SimTime,
    attempts: u32,
    retry_at: SimTime,
    stamp: Option<ProducerStamp>,
    /// Its sequence was rewritten by an epoch bump (Java's `sequenceHasBeenReset`).
    sequence_reset: bool,
}

impl ProducerBatch {
    fn is_closed(&self) -> bool {
        self.frozen.is_some()
    }

    /// The records, whether still open or frozen for sending.
    fn bodies(&self) -> &[RecordBody] {
        match &self.frozen {
            Some(f) => f,
            None => &self.records,
        }
    }

    /// Closes the batch: its records move into the shared form every request carries.
    fn freeze(&mut self) -> Arc<[RecordBody]> {
        self.frozen
            .get_or_insert_with(|| std::mem::take(&mut self.records).into())
            .clone()
    }
}

/// The accumulator's queue for one partition.
#[derive(Clone, Debug, Default)]
struct PartitionQueue {
    batches: VecDeque<ProducerBatch>,
    in_flight: Option<Correlation>,
    next_sequence: u32,
    /// The producer epoch and last sequence of the newest acknowledged batch (Java's
    /// `TxnPartitionEntry.lastAckedSequence`, librdkafka's `next_ack_seq - 1`).
    last_acked: Option<(u16, u32)>,
}

impl PartitionQueue {
    /// The sequence the broker expects next from a batch of `epoch`: one past the last
    /// acknowledged one of that epoch, else 0.
    fn next_expected_sequence(&self, epoch: u16) -> u32 {
        match self.last_acked {
            Some((e, last)) if e == epoch => last.wrapping_add(1),
            _ => 0,
        }
    }
}

/// What an idempotent producer does about `OUT_OF_ORDER_SEQUENCE_NUMBER`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SequenceGap {
    /// Retry the batch as it is.
    Retry,
    /// Bump the producer epoch, start the partition's sequences again at 0, retry.
    BumpEpochAndRetry,
    /// Give the batch up and do not retry (librdkafka: the PID changed since it was sent).
    Fail,
    /// librdkafka's fatal error: the producer can no longer send anything.
    Fatal,
}

/// A request awaiting its response.
#[derive(Clone, Debug)]
struct InFlight {
    broker: BrokerId,
    tps: Vec<Tp>,
    deadline: SimTime,
}

/// What the producer knows of the cluster.
#[derive(Clone, Debug, Default)]
struct Metadata {
    topics: Map<TopicId, Vec<(Option<BrokerId>, LeaderEpoch)>>,
    /// Per topic, the partitions with a leader (Kafka's `availablePartitionsForTopic`).
    available: Map<TopicId, Vec<u32>>,
    brokers: Vec<BrokerId>,
    wanted: Set<TopicId>,
    request: Option<(Correlation, BrokerId, SimTime)>,
    needs_update: bool,
    next_allowed: SimTime,
    failures: u32,
    last_refresh: SimTime,
}

/// A running auto-produce schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AutoProduce {
    /// The topic.
    pub topic: TopicId,
    /// Records per simulated second.
    pub rate_per_sec: u32,
    /// Distinct keys (0: no key).
    pub keys: u32,
    generation: u32,
    sent: u64,
    started_at: SimTime,
}

/// A producer client.
#[derive(Clone, Debug)]
pub struct Producer {
    idx: u32,
    name: Arc<str>,
    config: ProducerConfig,
    sticky: StickySettings,
    partition_rng: SimRng,
    network_rng: SimRng,
    partitioner: PartitionerState,
    producer_id: u64,
    producer_epoch: u16,
    bootstrap: Vec<BrokerId>,
    metadata: Metadata,
    unassigned: VecDeque<Unassigned>,
    queues: Map<Tp, PartitionQueue>,
    in_flight: Map<Correlation, InFlight>,
    next_correlation: Correlation,
    /// Wake-ups scheduled and not yet fired, earliest first. A wake-up polls everything
    /// that is due and schedules the next, so none is scheduled after a pending earlier
    /// one: otherwise every far deadline (a request or delivery timeout) would be queued
    /// again at each wake-up, and the event queue would hold thousands of them.
    wakeups: Vec<SimTime>,
    disconnected_at: Map<BrokerId, SimTime>,
    auto: Option<AutoProduce>,
    auto_generation: u32,
    /// librdkafka raised a fatal error: nothing is sent any more, and `send()` fails.
    fatal: bool,
}

impl Producer {
    /// A producer named `name`, the `idx`-th of the scenario, bootstrapping from `bootstrap`.
    pub(crate) fn new(
        idx: u32,
        name: &str,
        config: ProducerConfig,
        seed: u64,
        bootstrap: Vec<BrokerId>,
    ) -> Producer {
        let mut sticky = StickySettings::for_client(config.client);
        sticky.batch_size = config.batch_size;
        sticky.sticky_linger_ms = config.sticky_partitioning_linger_ms;
        Producer {
            idx,
            name: Arc::from(name),
            sticky,
            partition_rng: SimRng::stream(seed, &format!("producer/{name}/partitioner")),
            network_rng: SimRng::stream(seed, &format!("producer/{name}/network")),
            partitioner: PartitionerState::default(),
            // Producer ids come from InitProducerId in Kafka; here they are fixed per producer.
            producer_id: 1000 + u64::from(idx),
            producer_epoch: 0,
            bootstrap,
            metadata: Metadata::default(),
            unassigned: VecDeque::new(),
            queues: Map::new(),
            in_flight: Map::new(),
            next_correlation: 0,
            wakeups: Vec::new(),
            disconnected_at: Map::new(),
            auto: None,
            auto_generation: 0,
            fatal: false,
            config,
        }
    }

    /// Its name.
    pub fn name(&self) -> &Arc<str> {
        &self.name
    }

    /// Its resolved settings.
    pub fn config(&self) -> &ProducerConfig {
        &self.config
    }

    /// Records accepted but not yet answered: waiting for metadata, queued or in flight.
    pub fn records_waiting(&self) -> u64 {
        self.unassigned.len() as u64
            + self
                .queues
                .values()
                .flat_map(|q| q.batches.iter())
                .map(|b| b.bodies().len() as u64)
                .sum::<u64>()
    }

    /// Requests awaiting a response.
    pub fn requests_in_flight(&self) -> usize {
        self.in_flight.len()
    }

    fn next_corr(&mut self) -> Correlation {
        self.next_correlation += 1;
        self.next_correlation
    }

    fn schedule(&mut self, ctx: &mut Ctx<'_>, at: SimTime) {
        let at = at.max(ctx.now);
        if self.wakeups.first().is_none_or(|&w| at < w) {
            self.wakeups.insert(0, at);
            ctx.timer(at, Timer::ProducerWakeup);
        }
    }

    /// `send()`: accepts a record for `topic`. The partition is chosen now if the topic's
    /// metadata is known, else once it arrives.
    pub(crate) fn send(
        &mut self,
        ctx: &mut Ctx<'_>,
        topic: TopicId,
        key: Option<Arc<str>>,
        value: Option<Arc<str>>,
    ) -> RecordId {
        let id = ctx.produced.next_id();
        let size = record_size_in_bytes(
            key.as_deref().map(str::as_bytes),
            value.as_deref().map(str::as_bytes),
        );
        ctx.produced.push(ProducedRecord {
            record: id,
            producer: self.name.clone(),
            topic: ctx.world.topics.name(topic),
            key: key.clone(),
            value: value.clone(),
            partition: None,
            choice: None,
            status: ProduceStatus::Pending,
            offset: None,
            error: None,
            last_error: None,
            attempts: 0,
            produced_at: ctx.now,
            completed_at: None,
        });
        let rec = Unassigned {
            topic,
            body: RecordBody { id, key, value },
            size,
            created_at: ctx.now,
        };
        if self.fatal {
            // rd_kafka_check_produce: "Producing not allowed since a previous fatal error
            // was raised" (Confluent.Kafka throws a ProduceException with Local_Fatal).
            self.fail_unassigned(ctx, &rec, KafkaError::Fatal);
            return id;
        }
        self.metadata.wanted.insert(topic);
        if self.metadata.topics.contains_key(&topic) && self.unassigned.is_empty() {
            self.assign(ctx, rec);
            let linger = SimDuration(self.config.linger_ms);
            self.schedule(ctx, ctx.now.after(linger));
        } else {
            self.unassigned.push_back(rec);
            self.metadata.needs_update = true;
            self.schedule(ctx, ctx.now);
        }
        id
    }

    /// Chooses the record's partition and appends it to that partition's open batch.
    fn assign(&mut self, ctx: &mut Ctx<'_>, rec: Unassigned) {
        let Some(parts) = self.metadata.topics.get(&rec.topic) else {
            self.unassigned.push_back(rec);
            return;
        };
        let available: Vec<u32>;
        let available_slice: &[u32] = match self.metadata.available.get(&rec.topic) {
            Some(a) => a,
            None => {
                available = available_partitions(parts);
                &available
            }
        };
        // Only Java's keyless partitioner weighs partitions by queue length (KIP-794).
        let queue_sizes: Vec<u32> = if rec.body.key.is_none()
            && self.config.partitioner == crate::partitioner::Partitioner::JavaBuiltIn
        {
            (0..parts.len() as u32)
                .map(|p| {
                    let tp = Tp {
                        topic: rec.topic,
                        partition: PartitionId(p),
                    };
                    self.queues.get(&tp).map_or(0, |q| q.batches.len() as u32)
                })
                .collect()
        } else {
            Vec::new()
        };
        let view = TopicView {
            num_partitions: parts.len() as u32,
            available: available_slice,
            queue_sizes: &queue_sizes,
        };
        let topic_name = ctx.world.topics.name(rec.topic);
        let choice = self.partitioner.choose(
            self.config.partitioner,
            &topic_name,
            rec.body.key.as_deref().map(str::as_bytes),
            rec.size,
            &view,
            &self.sticky,
            ctx.now.0,
            &mut self.partition_rng,
        );
        let partition = PartitionId(choice.partition());
        let id = rec.body.id;
        if let Some(p) = ctx.produced.get_mut(id) {
            p.partition = Some(partition);
            p.choice = Some(choice);
        }
        let producer = self.name.clone();
        ctx.emit(|| Event::RecordQueued {
            producer,
            record: id,
            topic: topic_name,
            partition,
        });
        let tp = Tp {
            topic: rec.topic,
            partition,
        };
        let batch_size = self.config.batch_size;
        let q = self.queues.entry(tp).or_default();
        let fits = q.batches.back().is_some_and(|b| {
            !b.is_closed() && b.size_bytes + rec.size <= batch_size.max(BATCH_OVERHEAD_BYTES)
        });
        if !fits {
            q.batches.push_back(ProducerBatch {
                records: Vec::new(),
                frozen: None,
                size_bytes: BATCH_OVERHEAD_BYTES,
                // As in Java's accumulator: a batch is created when its first record is
                // appended, after any wait for metadata; linger and delivery timeout count
                // from here.
                created_at: ctx.now,
                attempts: 0,
                retry_at: SimTime(0),
                stamp: None,
                sequence_reset: false,
            });
        }
        if let Some(b) = q.batches.back_mut() {
            b.size_bytes += rec.size;
            b.records.push(rec.body);
        }
    }

    /// Reacts to a message.
    pub(crate) fn on_message(&mut self, ctx: &mut Ctx<'_>, from: Node, msg: Message) {
        match msg {
            Message::MetadataResponse {
                correlation,
                brokers,
                topics,
            } => self.on_metadata(ctx, correlation, brokers, topics),
            Message::ProduceResponse {
                correlation,
                partitions,
            } => self.on_produce_response(ctx, correlation, partitions),
            Message::ConnectionClosed { broker } => self.on_connection_closed(ctx, broker),
            _ => {
                let _ = from;
            }
        }
        self.poll(ctx);
    }

    /// Its auto-produce schedule, if one runs.
    pub fn auto_produce(&self) -> Option<&AutoProduce> {
        self.auto.as_ref()
    }

    /// Starts (or with rate 0, stops) producing `rate_per_sec` records per second.
    pub(crate) fn set_auto_produce(
        &mut self,
        ctx: &mut Ctx<'_>,
        topic: TopicId,
        rate_per_sec: u32,
        keys: u32,
    ) {
        self.auto_generation += 1;
        if rate_per_sec == 0 {
            self.auto = None;
            return;
        }
        self.auto = Some(AutoProduce {
            topic,
            rate_per_sec,
            keys,
            generation: self.auto_generation,
            sent: 0,
            started_at: ctx.now,
        });
        self.auto_tick(ctx, self.auto_generation);
    }

    /// Sends the records due by now and sets the next tick: record `n` is due at
    /// `start + n * 1000 / rate` ms, so the rate holds exactly over time.
    pub(crate) fn auto_tick(&mut self, ctx: &mut Ctx<'_>, generation: u32) {
        let Some(a) = self.auto.clone() else {
            return;
        };
        if a.generation != generation {
            return;
        }
        let elapsed = ctx.now.since(a.started_at).0;
        let due = elapsed * u64::from(a.rate_per_sec) / 1000 + 1;
        let mut sent = a.sent;
        while sent < due {
            let key = (a.keys > 0).then(|| Arc::from(format!("key-{}", sent % u64::from(a.keys))));
            let value = Some(Arc::from(format!("auto-{sent}")));
            self.send(ctx, a.topic, key, value);
            sent += 1;
        }
        if let Some(auto) = self.auto.as_mut() {
            auto.sent = sent;
        }
        // The time the next record is due (rounded up to a whole millisecond).
        let next_ms = (sent * 1000).div_ceil(u64::from(a.rate_per_sec));
        let at = a
            .started_at
            .after(SimDuration(next_ms))
            .max(ctx.now.after(SimDuration(1)));
        ctx.timer(at, Timer::AutoProduceTick { generation });
    }

    /// Reacts to its wake-up timer.
    pub(crate) fn on_timer(&mut self, ctx: &mut Ctx<'_>) {
        self.wakeups.retain(|&w| w > ctx.now);
        self.poll(ctx);
    }

    fn on_metadata(
        &mut self,
        ctx: &mut Ctx<'_>,
        correlation: Correlation,
        brokers: Vec<BrokerId>,
        topics: Vec<(TopicId, Vec<PartitionLeader>)>,
    ) {
        if self.metadata.request.map(|(c, _, _)| c) != Some(correlation) {
            return;
        }
        self.metadata.request = None;
        self.metadata.last_refresh = ctx.now;
        if !brokers.is_empty() {
            self.metadata.brokers = brokers;
        }
        for (t, parts) in topics {
            self.metadata
                .available
                .insert(t, available_partitions(&parts));
            self.metadata.topics.insert(t, parts);
        }
        let missing_leader = self.metadata.wanted.iter().any(|t| {
            self.metadata
                .topics
                .get(t)
                .is_none_or(|p| p.iter().any(|(l, _)| l.is_none()))
        });
        if missing_leader {
            self.metadata.failures += 1;
            self.metadata.needs_update = true;
            self.metadata.next_allowed = ctx.now.after(self.backoff(self.metadata.failures));
        } else {
            self.metadata.failures = 0;
            self.metadata.needs_update = false;
        }
        let waiting: Vec<Unassigned> = self.unassigned.drain(..).collect();
        for rec in waiting {
            if self.metadata.topics.contains_key(&rec.topic) {
                self.assign(ctx, rec);
            } else {
                self.unassigned.push_back(rec);
            }
        }
    }

    /// KIP-580 exponential backoff: `retry.backoff.ms * 2^(n-1)`, at most
    /// `retry.backoff.max.ms` (Kafka adds 20% jitter; the simulation does not).
    fn backoff(&self, attempt: u32) -> SimDuration {
        let exp = attempt.saturating_sub(1).min(20);
        let ms = self
            .config
            .retry_backoff_ms
            .saturating_mul(1u64 << exp)
            .min(
                self.config
                    .retry_backoff_max_ms
                    .max(self.config.retry_backoff_ms),
            );
        SimDuration(ms)
    }

    fn on_produce_response(
        &mut self,
        ctx: &mut Ctx<'_>,
        correlation: Correlation,
        partitions: Vec<(Tp, Result<Offset, KafkaError>)>,
    ) {
        if self.in_flight.remove(&correlation).is_none() {
            return;
        }
        for (tp, result) in partitions {
            let Some(q) = self.queues.get_mut(&tp) else {
                continue;
            };
            if q.in_flight != Some(correlation) {
                continue;
            }
            q.in_flight = None;
            match result {
                Ok(base) => {
                    if let Some(b) = q.batches.pop_front() {
                        if let Some(s) = b.stamp {
                            let count = b.bodies().len() as u32;
                            q.last_acked = Some((
                                s.producer_epoch,
                                s.base_sequence.wrapping_add(count.saturating_sub(1)),
                            ));
                        }
                        self.complete(ctx, tp, b, Ok(Some(base)));
                    }
                }
                Err(e) => self.batch_failed(ctx, tp, e),
            }
        }
    }

    fn on_connection_closed(&mut self, ctx: &mut Ctx<'_>, broker: BrokerId) {
        self.disconnected_at.insert(broker, ctx.now);
        if self.metadata.request.is_some_and(|(_, b, _)| b == broker) {
            self.metadata.request = None;
            self.metadata.needs_update = true;
        }
        let lost: Vec<(Correlation, InFlight)> = self
            .in_flight
            .iter()
            .filter(|(_, f)| f.broker == broker)
            .map(|(c, f)| (*c, f.clone()))
            .collect();
        for (corr, f) in lost {
            self.request_failed(ctx, corr, &f, KafkaError::NetworkException);
        }
    }

    /// A request got no response: every batch it carried failed with `error`.
    fn request_failed(
        &mut self,
        ctx: &mut Ctx<'_>,
        corr: Correlation,
        f: &InFlight,
        error: KafkaError,
    ) {
        self.in_flight.remove(&corr);
        for tp in &f.tps {
            if let Some(q) = self.queues.get_mut(tp)
                && q.in_flight == Some(corr)
            {
                q.in_flight = None;
                self.batch_failed(ctx, *tp, error);
            }
        }
    }

    /// The front batch of `tp` failed with `error`: retry it, or give up.
    fn batch_failed(&mut self, ctx: &mut Ctx<'_>, tp: Tp, error: KafkaError) {
        let delivery = SimDuration(self.config.delivery_timeout_ms);
        let retries = self.config.retries;
        let Some(q) = self.queues.get(&tp) else {
            return;
        };
        let Some(b) = q.batches.front() else {
            return;
        };
        let gap = b.stamp.and_then(|stamp| {
            Self::sequence_gap(
                self.config.client,
                self.producer_epoch,
                q,
                stamp,
                b.sequence_reset,
                error,
            )
        });
        // Sender.canRetry: retriable (for an idempotent producer, as
        // TransactionManager.canRetry decides), retries left, delivery timeout not reached.
        let retriable = match gap {
            Some(SequenceGap::Retry | SequenceGap::BumpEpochAndRetry) => true,
            Some(SequenceGap::Fail | SequenceGap::Fatal) => false,
            None => error.is_retriable(),
        };
        let can_retry = retriable
            && b.attempts.saturating_sub(1) < retries
            && ctx.now < b.created_at.after(delivery);
        for r in b.bodies() {
            if let Some(p) = ctx.produced.get_mut(r.id) {
                p.last_error = Some(error);
            }
        }
        if can_retry && gap == Some(SequenceGap::BumpEpochAndRetry) {
            self.bump_epoch_rewriting(tp);
        }
        let Some(q) = self.queues.get_mut(&tp) else {
            return;
        };
        let Some(b) = q.batches.front_mut() else {
            return;
        };
        if can_retry {
            let attempt = b.attempts + 1;
            let records = b.bodies().len() as u32;
            let wait = {
                let exp = b.attempts.saturating_sub(1).min(20);
                SimDuration(
                    self.config
                        .retry_backoff_ms
                        .saturating_mul(1u64 << exp)
                        .min(
                            self.config
                                .retry_backoff_max_ms
                                .max(self.config.retry_backoff_ms),
                        ),
                )
            };
            b.retry_at = ctx.now.after(wait);
            if error.invalidates_metadata() {
                self.metadata.needs_update = true;
            }
            let (producer, topic) = (self.name.clone(), ctx.world.topics.name(tp.topic));
            ctx.emit(|| Event::ProduceRetried {
                producer,
                topic,
                partition: tp.partition,
                records,
                error,
                attempt,
            });
        } else if let Some(b) = q.batches.pop_front() {
            self.complete(ctx, tp, b, Err(error));
            if gap == Some(SequenceGap::Fatal) {
                self.raise_fatal(ctx);
            }
        }
    }

    /// How an idempotent producer treats an error on a batch stamped `stamp`, if the
    /// error is one its idempotence handles; `None` leaves it to the ordinary rules.
    ///
    /// Java (`TransactionManager.canRetry`, non-transactional): `OUT_OF_ORDER_SEQUENCE_NUMBER`
    /// is always retried; when the batch is the next one after the last acknowledged (a
    /// real gap in the broker's log, as after an unclean election) the producer first bumps
    /// its epoch and restarts the partition's sequences at 0, so the broker accepts it as
    /// a new producer session.
    ///
    /// librdkafka (`rd_kafka_handle_idempotent_Produce_error`): an error on a batch sent
    /// under an earlier producer id or epoch fails it without retry; for
    /// `OUT_OF_ORDER_SEQUENCE_NUMBER`, a batch that is the head of the line (its base
    /// sequence is the next to be acknowledged) means the producer and the broker
    /// disagree, a fatal error; a later batch (one skipped by a failed earlier request) is
    /// retried after an epoch bump.
    fn sequence_gap(
        client: Client,
        epoch: u16,
        q: &PartitionQueue,
        stamp: ProducerStamp,
        sequence_reset: bool,
        error: KafkaError,
    ) -> Option<SequenceGap> {
        match client {
            Client::Java => {
                if error != KafkaError::OutOfOrderSequenceNumber {
                    return None;
                }
                let is_next = stamp.base_sequence == q.next_expected_sequence(stamp.producer_epoch);
                Some(if sequence_reset || !is_next {
                    SequenceGap::Retry
                } else {
                    SequenceGap::BumpEpochAndRetry
                })
            }
            Client::Dotnet => {
                if stamp.producer_epoch != epoch {
                    return Some(SequenceGap::Fail);
                }
                if error != KafkaError::OutOfOrderSequenceNumber {
                    return None;
                }
                let next_ack = q.next_expected_sequence(epoch);
                Some(if stamp.base_sequence > next_ack {
                    SequenceGap::BumpEpochAndRetry
                } else {
                    SequenceGap::Fatal
                })
            }
        }
    }

    /// Bumps the producer epoch for a sequence gap on `tp`: the batch awaiting its retry
    /// there is stamped again from sequence 0 in the new epoch
    /// (`TxnPartitionEntry.startSequencesAtBeginning`); every other partition starts at 0
    /// with its next batch.
    fn bump_epoch_rewriting(&mut self, tp: Tp) {
        self.producer_epoch = self.producer_epoch.wrapping_add(1);
        let (producer_id, producer_epoch) = (self.producer_id, self.producer_epoch);
        for (t, q) in self.queues.iter_mut() {
            q.next_sequence = 0;
            q.last_acked = None;
            if *t != tp {
                continue;
            }
            if let Some(b) = q.batches.front_mut()
                && b.stamp.is_some()
            {
                b.stamp = Some(ProducerStamp {
                    producer_id,
                    producer_epoch,
                    base_sequence: 0,
                });
                b.sequence_reset = true;
                q.next_sequence = b.bodies().len() as u32;
            }
        }
    }

    /// librdkafka's fatal error (`rd_kafka_idemp_set_fatal_error`): the producer sends
    /// nothing more, and the records still queued are purged (`RD_KAFKA_PURGE_F_QUEUE`);
    /// requests already in flight are answered as usual.
    fn raise_fatal(&mut self, ctx: &mut Ctx<'_>) {
        self.fatal = true;
        let tps: Vec<Tp> = self.queues.keys().copied().collect();
        for tp in tps {
            let Some(q) = self.queues.get_mut(&tp) else {
                continue;
            };
            let keep = usize::from(q.in_flight.is_some());
            let purged: Vec<ProducerBatch> = q.batches.drain(keep..).collect();
            for b in purged {
                self.complete(ctx, tp, b, Err(KafkaError::PurgeQueue));
            }
        }
        let waiting: Vec<Unassigned> = self.unassigned.drain(..).collect();
        for rec in &waiting {
            self.fail_unassigned(ctx, rec, KafkaError::PurgeQueue);
        }
    }

    /// Records the outcome of a batch: acknowledged at `base` (or without offset for
    /// `acks=0`), or failed.
    fn complete(
        &mut self,
        ctx: &mut Ctx<'_>,
        tp: Tp,
        batch: ProducerBatch,
        result: Result<Option<Offset>, KafkaError>,
    ) {
        let topic = ctx.world.topics.name(tp.topic);
        for (i, r) in batch.bodies().iter().enumerate() {
            let (status, offset, error) = match result {
                Ok(base) => (ProduceStatus::Acked, base.map(|b| b.plus(i as u64)), None),
                Err(e) => (ProduceStatus::Failed, None, Some(e)),
            };
            if let Some(p) = ctx.produced.get_mut(r.id) {
                p.status = status;
                p.offset = offset;
                p.error = error;
                p.completed_at = Some(ctx.now);
            }
            let (producer, topic) = (self.name.clone(), topic.clone());
            ctx.emit(|| match error {
                None => Event::ProduceAcked {
                    producer,
                    record: r.id,
                    topic,
                    partition: tp.partition,
                    offset,
                },
                Some(error) => Event::ProduceFailed {
                    producer,
                    record: r.id,
                    topic,
                    partition: Some(tp.partition),
                    error,
                },
            });
        }
        if result.is_err() && self.config.enable_idempotence && !self.fatal {
            // KIP-360: after an unresolved failure the producer bumps its epoch and starts
            // every partition's sequence again at 0.
            self.producer_epoch = self.producer_epoch.wrapping_add(1);
            for q in self.queues.iter_mut().map(|(_, v)| v) {
                q.next_sequence = 0;
            }
        }
    }

    fn fail_unassigned(&mut self, ctx: &mut Ctx<'_>, rec: &Unassigned, error: KafkaError) {
        if let Some(p) = ctx.produced.get_mut(rec.body.id) {
            p.status = ProduceStatus::Failed;
            p.error = Some(error);
            p.completed_at = Some(ctx.now);
        }
        let (producer, topic, record) = (
            self.name.clone(),
            ctx.world.topics.name(rec.topic),
            rec.body.id,
        );
        ctx.emit(|| Event::ProduceFailed {
            producer,
            record,
            topic,
            partition: None,
            error,
        });
    }

    /// Does whatever is due: expire, ask for metadata, send ready batches; then sets the
    /// next wake-up.
    fn poll(&mut self, ctx: &mut Ctx<'_>) {
        let now = ctx.now;
        let delivery = SimDuration(self.config.delivery_timeout_ms);
        let mut next: Option<SimTime> = None;
        let mut wake = |t: SimTime| {
            if t > now {
                next = Some(next.map_or(t, |n: SimTime| n.min(t)));
            }
        };

        // Requests that waited request.timeout.ms are abandoned (NetworkClient disconnects).
        let timed_out: Vec<(Correlation, InFlight)> = self
            .in_flight
            .iter()
            .filter(|(_, f)| f.deadline <= now)
            .map(|(c, f)| (*c, f.clone()))
            .collect();
        for (corr, f) in timed_out {
            self.request_failed(ctx, corr, &f, KafkaError::RequestTimedOut);
        }
        for f in self.in_flight.values() {
            wake(f.deadline);
        }

        // delivery.timeout.ms: records waiting for metadata, and batches, expire.
        let mut keep = VecDeque::new();
        let waiting: Vec<Unassigned> = self.unassigned.drain(..).collect();
        for rec in waiting {
            let deadline = rec.created_at.after(delivery);
            if deadline <= now {
                self.fail_unassigned(ctx, &rec, KafkaError::RequestTimedOut);
            } else {
                wake(deadline);
                keep.push_back(rec);
            }
        }
        self.unassigned = keep;
        let tps: Vec<Tp> = self.queues.keys().copied().collect();
        for tp in &tps {
            while let Some(b) = self.queues.get(tp).and_then(|q| q.batches.front()) {
                let deadline = b.created_at.after(delivery);
                if deadline > now {
                    wake(deadline);
                    break;
                }
                // Sender.getExpiredInflightBatches: an in-flight batch expires too, and its
                // response will be ignored.
                let Some(q) = self.queues.get_mut(tp) else {
                    break;
                };
                q.in_flight = None;
                if let Some(b) = q.batches.pop_front() {
                    self.complete(ctx, *tp, b, Err(KafkaError::RequestTimedOut));
                }
            }
        }

        // A metadata request with no answer in request.timeout.ms is abandoned.
        if let Some((_, _, deadline)) = self.metadata.request {
            if deadline <= now {
                self.metadata.request = None;
                self.metadata.needs_update = true;
            } else {
                wake(deadline);
            }
        }

        // Metadata: when something needs it, and periodically.
        if !self.metadata.wanted.is_empty()
            && now.since(self.metadata.last_refresh) >= SimDuration(METADATA_MAX_AGE_MS)
        {
            self.metadata.needs_update = true;
        }
        if !self.metadata.wanted.is_empty() {
            wake(
                self.metadata
                    .last_refresh
                    .after(SimDuration(METADATA_MAX_AGE_MS)),
            );
        }
        if self.metadata.needs_update && self.metadata.request.is_none() {
            if self.metadata.next_allowed <= now {
                self.request_metadata(ctx);
            } else {
                wake(self.metadata.next_allowed);
            }
        }

        // Drain ready batches, one request per leader (none after a fatal error).
        let linger = SimDuration(self.config.linger_ms);
        let mut per_broker: Map<BrokerId, Vec<Tp>> = Map::new();
        for (tp, q) in &self.queues {
            if q.in_flight.is_some() || self.fatal {
                continue;
            }
            let Some(b) = q.batches.front() else {
                continue;
            };
            if b.retry_at > now {
                wake(b.retry_at);
                continue;
            }
            let full = b.size_bytes >= self.config.batch_size;
            let ready =
                b.is_closed() || full || q.batches.len() > 1 || b.created_at.after(linger) <= now;
            if !ready {
                wake(b.created_at.after(linger));
                continue;
            }
            let leader = self
                .metadata
                .topics
                .get(&tp.topic)
                .and_then(|p| p.get(tp.partition.0 as usize))
                .and_then(|(l, _)| *l);
            match leader {
                Some(l) => per_broker.entry(l).or_default().push(*tp),
                None => self.metadata.needs_update = true,
            }
        }
        for (broker, tps) in per_broker {
            self.send_request(ctx, broker, &tps);
        }
        if self.metadata.needs_update && self.metadata.request.is_none() {
            if self.metadata.next_allowed <= now {
                self.request_metadata(ctx);
            } else {
                wake(self.metadata.next_allowed);
            }
        }
        if let Some(t) = next {
            self.schedule(ctx, t);
        }
    }

    fn send_request(&mut self, ctx: &mut Ctx<'_>, broker: BrokerId, tps: &[Tp]) {
        let correlation = self.next_corr();
        let acks = self.config.acks;
        let mut batches = Vec::with_capacity(tps.len());
        let mut acked_at_once = Vec::new();
        for tp in tps {
            let Some(q) = self.queues.get_mut(tp) else {
                continue;
            };
            let next_sequence = &mut q.next_sequence;
            let Some(b) = q.batches.front_mut() else {
                continue;
            };
            let frozen = b.freeze();
            if self.config.enable_idempotence && b.stamp.is_none() {
                b.stamp = Some(ProducerStamp {
                    producer_id: self.producer_id,
                    producer_epoch: self.producer_epoch,
                    base_sequence: *next_sequence,
                });
                *next_sequence = next_sequence.wrapping_add(frozen.len() as u32);
            }
            b.attempts += 1;
            for r in frozen.iter() {
                if let Some(p) = ctx.produced.get_mut(r.id) {
                    p.attempts = b.attempts;
                }
            }
            batches.push(ProduceBatch {
                tp: *tp,
                records: frozen,
                size_bytes: b.size_bytes,
                producer: b.stamp,
            });
            if acks == Acks::None {
                acked_at_once.push(*tp);
            } else {
                q.in_flight = Some(correlation);
            }
        }
        if batches.is_empty() {
            return;
        }
        ctx.send(
            Node::Broker(broker),
            Message::ProduceRequest {
                correlation,
                acks,
                timeout_ms: self.config.request_timeout_ms,
                batches,
            },
        );
        if acks == Acks::None {
            for tp in acked_at_once {
                if let Some(b) = self.queues.get_mut(&tp).and_then(|q| q.batches.pop_front()) {
                    self.complete(ctx, tp, b, Ok(None));
                }
            }
        } else {
            self.in_flight.insert(
                correlation,
                InFlight {
                    broker,
                    tps: tps.to_vec(),
                    deadline: ctx.now.after(SimDuration(self.config.request_timeout_ms)),
                },
            );
        }
    }

    /// Java's `leastLoadedNode`: from a random starting point, the first broker not
    /// recently disconnected.
    fn request_metadata(&mut self, ctx: &mut Ctx<'_>) {
        let nodes = if self.metadata.brokers.is_empty() {
            self.bootstrap.clone()
        } else {
            self.metadata.brokers.clone()
        };
        if nodes.is_empty() {
            return;
        }
        let start = self.network_rng.below(nodes.len() as u32) as usize;
        let avoid = SimDuration(RECONNECT_BACKOFF_MAX_MS);
        let pick = (0..nodes.len())
            .map(|i| nodes[(start + i) % nodes.len()])
            .find(|b| {
                self.disconnected_at
                    .get(b)
                    .is_none_or(|t| ctx.now.since(*t) >= avoid)
            })
            .or_else(|| {
                nodes
                    .iter()
                    .copied()
                    .min_by_key(|b| self.disconnected_at.get(b).copied().unwrap_or_default())
            });
        let Some(broker) = pick else {
            return;
        };
        let correlation = self.next_corr();
        let deadline = ctx.now.after(SimDuration(self.config.request_timeout_ms));
        self.metadata.request = Some((correlation, broker, deadline));
        self.metadata.needs_update = false;
        let topics = self.metadata.wanted.iter().copied().collect();
        ctx.send(
            Node::Broker(broker),
            Message::MetadataRequest {
                correlation,
                topics,
            },
        );
        let _ = self.idx;
    }
}
