//! The simulation: actors, the simulated network and clock, and the one door for change.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;

use crate::actor::{Ctx, Outgoing, Shared, World};
use crate::broker::Broker;
use crate::collections::Set;
use crate::command::{Command, ProducerSpec, TopicSpec};
use crate::config::{ClusterConfig, TopicConfig};
use crate::consumed::ConsumedTable;
use crate::consumer::{Consumer, ConsumerConfig, ConsumerStatus};
use crate::controller::Controller;
use crate::error::CommandError;
use crate::event::{Event, Trace};
use crate::ids::{BrokerId, SimDuration, SimTime};
use crate::limits;
use crate::log::RecordId;
use crate::message::Message;
use crate::node::Node;
use crate::produced::ProducedTable;
use crate::producer::Producer;
use crate::scenario::read::excerpt;
use crate::timer::Timer;
use crate::topic::{TopicId, TopicInfo, TopicTable};

/// The cluster at time zero.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setup {
    /// Seeds every random choice.
    pub seed: u64,
    /// One-way delay of every message, in ms.
    pub latency_ms: u64,
    /// Brokers at start, with ids `1..=brokers`.
    pub brokers: u32,
    /// Broker settings.
    pub config: ClusterConfig,
    /// Topics at start.
    pub topics: Vec<TopicSpec>,
    /// Producers at start.
    pub producers: Vec<ProducerSpec>,
}

/// How much the simulation keeps for display, and how group leaders assign partitions.
#[derive(Clone, Copy, Debug)]
pub struct SimOptions {
    /// Events kept in the trace (0 keeps none and skips building them).
    pub trace_capacity: usize,
    /// Record contents kept per replica log.
    pub records_kept_per_log: u64,
    /// Produced records whose outcome is kept.
    pub produced_kept: usize,
    /// Consumed records kept.
    pub consumed_kept: usize,
    /// The group leaders' assignors: [`assignor::assign`](crate::assignor::assign), or a
    /// stand-in that gives its results (the page's fetches the sticky ones when needed).
    pub assign: crate::assignor::AssignFn,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            trace_capacity: limits::DEFAULT_TRACE_CAPACITY,
            records_kept_per_log: limits::DEFAULT_RECORDS_KEPT_PER_LOG,
            produced_kept: limits::DEFAULT_PRODUCED_KEPT,
            consumed_kept: limits::DEFAULT_CONSUMED_KEPT,
            assign: crate::assignor::assign,
        }
    }
}

/// What a successful command produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    /// Nothing to report.
    Done,
    /// A record was handed to its producer.
    Record(RecordId),
    /// A broker was added.
    Broker(BrokerId),
    /// A topic was created.
    Topic(TopicId),
}

#[derive(Clone, Debug)]
pub(crate) enum Item {
    Deliver {
        from: Node,
        to: Node,
        sent_at: SimTime,
        msg: Message,
    },
    Timer {
        node: Node,
        incarnation: u32,
        timer: Timer,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct Scheduled {
    pub at: SimTime,
    pub seq: u64,
    pub item: Item,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scheduled {
    // Reversed: BinaryHeap is a max-heap and the earliest item must come out first; ties
    // go to the item scheduled first, which keeps every pair of parties FIFO.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

/// A simulated Kafka cluster with its clients.
#[derive(Clone, Debug)]
pub struct Simulation {
    pub(crate) now: SimTime,
    pub(crate) seed: u64,
    pub(crate) world: World,
    pub(crate) controller: Controller,
    pub(crate) brokers: Vec<Broker>,
    pub(crate) producers: Vec<Producer>,
    pub(crate) consumers: Vec<Consumer>,
    pub(crate) queue: BinaryHeap<Scheduled>,
    seq: u64,
    pub(crate) shared: Shared,
}

/// Whether a name uses only what Kafka allows in a topic name or a `group.instance.id`:
/// ASCII letters and digits, `.`, `_` and `-` (`Topic.containsValidPattern`).
fn kafka_legal_chars(name: &str) -> bool {
    name.bytes()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

/// A name's length as Java's `String.length()` counts it (UTF-16 code units).
fn java_length(name: &str) -> usize {
    name.encode_utf16().count()
}

/// Checks a topic name as Kafka's `Topic.validate` does
/// (`clients/src/main/java/org/apache/kafka/common/internals/Topic.java`), with its
/// messages: not empty, not `.` or `..`, at most 249 characters of `[a-zA-Z0-9._-]`.
/// Nothing is trimmed: a name with a space is refused, as Kafka refuses it.
pub fn validate_topic_name(name: &str) -> Result<(), String> {
    let reason = if name.is_empty() {
        "the empty string is not allowed".to_string()
    } else if name == "." || name == ".." {
        format!("'{name}' is not allowed")
    } else if java_length(name) > limits::MAX_TOPIC_NAME_LENGTH {
        format!(
            "the length of '{}' is longer than the max allowed length {}",
            excerpt(name),
            limits::MAX_TOPIC_NAME_LENGTH
        )
    } else if !kafka_legal_chars(name) {
        format!(
            "'{}' contains one or more characters other than ASCII alphanumerics, '.', '_' \
             and '-'",
            excerpt(name)
        )
    } else {
        return Ok(());
    };
    Err(format!("Topic name is invalid: {reason}"))
}

/// Whether two topic names collide as Kafka's `Topic.hasCollision` says: equal once every
/// `.` is read as `_` (metric names cannot tell them apart).
pub fn topics_collide(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .all(|(x, y)| x == y || matches!((x, y), (b'.', b'_') | (b'_', b'.')))
}

/// Kafka's refusal of a new topic named `name` that collides with `existing`
/// (`ReplicationControlManager.validateNewTopicNames`, INVALID_TOPIC_EXCEPTION).
pub(crate) fn collision_message(name: &str, existing: &str) -> String {
    format!(
        "Topic '{}' collides with existing topic: {}",
        excerpt(name),
        excerpt(existing)
    )
}

/// Checks a `group.instance.id` as Kafka's `JoinGroupRequest.validateGroupInstanceId`
/// does (`clients/src/main/java/org/apache/kafka/common/requests/JoinGroupRequest.java`),
/// with its messages (the consumer refuses it with InvalidConfigurationException).
pub fn validate_group_instance_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("Group instance id must be non-empty string".into());
    }
    if id == "." || id == ".." {
        return Err("Group instance id cannot be \".\" or \"..\"".into());
    }
    if java_length(id) > limits::MAX_GROUP_INSTANCE_ID_LENGTH {
        return Err(format!(
            "Group instance id can't be longer than {} characters: {}",
            limits::MAX_GROUP_INSTANCE_ID_LENGTH,
            excerpt(id)
        ));
    }
    if !kafka_legal_chars(id) {
        return Err(format!(
            "Group instance id \"{}\" is illegal, it contains a character other than ASCII \
             alphanumerics, '.', '_' and '-'",
            excerpt(id)
        ));
    }
    Ok(())
}

/// Checks a group name: Kafka refuses only an empty `group.id` (the consumer throws
/// InvalidGroupIdException); the length limit is the playground's own.
pub fn validate_group_name(group: &str) -> Result<(), String> {
    if group.is_empty() {
        return Err(
            "a group name may not be empty (Kafka: \"The configured group.id should \
                    not be an empty string or whitespace.\")"
                .into(),
        );
    }
    let length = group.chars().count();
    if length > limits::MAX_GROUP_NAME_LENGTH {
        return Err(format!(
            "a group name of {length} characters is too long: the playground allows at most \
             {} (its own limit; Kafka sets none on a group.id)",
            limits::MAX_GROUP_NAME_LENGTH
        ));
    }
    Ok(())
}

/// Checks a producer's or consumer's name (`what` is "a producer id" or "a consumer
/// name"): 1 to [`limits::MAX_CLIENT_NAME_LENGTH`] characters, the playground's limit.
pub fn validate_client_name(what: &str, name: &str) -> Result<(), String> {
    let length = name.chars().count();
    if length == 0 || length > limits::MAX_CLIENT_NAME_LENGTH {
        return Err(format!(
            "{what} needs 1 to {} characters (the playground's limit, not Kafka's)",
            limits::MAX_CLIENT_NAME_LENGTH
        ));
    }
    Ok(())
}

/// Checks a network latency: at least [`limits::MIN_LATENCY_MS`], at most
/// [`limits::MAX_LATENCY_MS`]. Both the document's validation and [`Simulation::new`]
/// use it, so that `validate` never passes what `run` refuses.
pub fn validate_latency(latency_ms: u64) -> Result<(), String> {
    if latency_ms < limits::MIN_LATENCY_MS {
        return Err(format!(
            "{latency_ms} ms is too little: with no latency, a request answered at once and \
             sent again (a consumer asking a stopped broker, a follower's fetch with \
             replica.fetch.wait.max.ms 0) repeats forever at one simulated instant; the \
             least is {} ms",
            limits::MIN_LATENCY_MS
        ));
    }
    if latency_ms > limits::MAX_LATENCY_MS {
        return Err(format!(
            "{latency_ms} is not between {} and {}",
            limits::MIN_LATENCY_MS,
            limits::MAX_LATENCY_MS
        ));
    }
    Ok(())
}

impl Simulation {
    /// Builds the cluster of `setup` at time zero: brokers registered and unfenced,
    /// topics created with their leaders, producers idle.
    pub fn new(setup: &Setup, options: SimOptions) -> Result<Simulation, CommandError> {
        if setup.brokers == 0 {
            return Err(CommandError::Invalid {
                field: "cluster.brokers",
                reason: "a cluster needs at least 1 broker".into(),
            });
        }
        if setup.brokers > limits::MAX_BROKERS {
            return Err(CommandError::Limit {
                what: "brokers",
                limit: u64::from(limits::MAX_BROKERS),
            });
        }
        validate_latency(setup.latency_ms).map_err(|reason| CommandError::Invalid {
            field: "network.latency_ms",
            reason,
        })?;
        let mut sim = Simulation {
            now: SimTime(0),
            seed: setup.seed,
            world: World {
                config: setup.config.clone(),
                topics: TopicTable::default(),
                latency_ms: setup.latency_ms,
                records_kept_per_log: options.records_kept_per_log,
                assign: options.assign,
            },
            controller: Controller::new(setup.seed),
            brokers: Vec::new(),
            producers: Vec::new(),
            consumers: Vec::new(),
            queue: BinaryHeap::new(),
            seq: 0,
            shared: Shared::new(
                options.trace_capacity.min(limits::MAX_TRACE_CAPACITY),
                options.produced_kept,
                options.consumed_kept,
            ),
        };
        for i in 1..=setup.brokers {
            let id = BrokerId(i);
            sim.brokers.push(Broker::new(id));
            sim.with_controller(|c, ctx| c.register_initial(ctx, id));
        }
        sim.controller.place_offsets_topic(setup.seed);
        for spec in &setup.topics {
            sim.create_topic(spec, false)?;
        }
        let image = sim.controller.image();
        for i in 0..sim.brokers.len() {
            sim.with_broker(i, |b, ctx| {
                b.install_image(ctx, &image);
                b.start_timers(ctx);
            });
        }
        sim.with_controller(|c, ctx| c.start(ctx));
        for spec in &setup.producers {
            sim.add_producer(spec)?;
        }
        Ok(sim)
    }

    /// Records an event that happened outside any actor (a refused request of a script).
    pub fn record_event(&mut self, event: Event) {
        self.shared.trace.push(self.now.0, event);
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Messages and timers scheduled and not yet delivered. The actors keep this bounded
    /// (one fetch per follower and leader, one timeout timer per request kind, ...), so it
    /// does not grow with the records produced.
    pub fn pending_events(&self) -> usize {
        self.queue.len()
    }

    /// The scenario seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The event trace.
    pub fn trace(&self) -> &Trace {
        &self.shared.trace
    }

    /// Every produced record kept, with its outcome.
    pub fn produced(&self) -> &ProducedTable {
        &self.shared.produced
    }

    /// Keeps the outcome of record `id` however many records follow it.
    pub(crate) fn pin_produced(&mut self, id: RecordId) {
        self.shared.produced.pin(id);
    }

    /// The brokers, by id order.
    pub(crate) fn brokers(&self) -> &[Broker] {
        &self.brokers
    }

    /// The broker with this id.
    pub(crate) fn broker(&self, id: BrokerId) -> Option<&Broker> {
        (id.0 as usize)
            .checked_sub(1)
            .and_then(|i| self.brokers.get(i))
    }

    /// The controller.
    pub(crate) fn controller(&self) -> &Controller {
        &self.controller
    }

    /// The topics.
    pub(crate) fn topics(&self) -> &TopicTable {
        &self.world.topics
    }

    /// The broker settings.
    pub fn cluster_config(&self) -> &ClusterConfig {
        &self.world.config
    }

    /// One-way network latency.
    pub fn latency_ms(&self) -> u64 {
        self.world.latency_ms
    }

    /// When the next message arrives or timer fires, if anything is scheduled.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.queue.peek().map(|s| s.at)
    }

    /// Applies `cmd` at the current time. On error nothing changed.
    pub fn apply(&mut self, cmd: Command) -> Result<Applied, CommandError> {
        match cmd {
            Command::Produce {
                producer,
                topic,
                key,
                value,
            } => self.produce(&producer, &topic, key, value),
            Command::StopBroker(id) => self.stop_broker(id).map(|_| Applied::Done),
            Command::StartBroker(id) => self.start_broker(id).map(|_| Applied::Done),
            Command::AddBroker => self.add_broker().map(Applied::Broker),
            Command::AutoProduce {
                producer,
                topic,
                rate_per_sec,
                keys,
            } => {
                if rate_per_sec > limits::MAX_AUTO_PRODUCE_RATE {
                    return Err(CommandError::Limit {
                        what: "rate_per_sec",
                        limit: u64::from(limits::MAX_AUTO_PRODUCE_RATE),
                    });
                }
                let idx = self
                    .producers
                    .iter()
                    .position(|p| **p.name() == *producer)
                    .ok_or_else(|| CommandError::UnknownProducer(producer.clone()))?;
                let topic_id = self
                    .world
                    .topics
                    .find(&topic)
                    .ok_or(CommandError::UnknownTopic(topic))?;
                self.with_producer(idx, |p, ctx| {
                    p.set_auto_produce(ctx, topic_id, rate_per_sec, keys)
                });
                Ok(Applied::Done)
            }
            Command::CreateTopic(spec) => self.create_topic(&spec, true).map(Applied::Topic),
            Command::AddProducer(spec) => self.add_producer(&spec).map(|_| Applied::Done),
            Command::JoinGroup {
                group,
                consumer,
                topics,
                config,
            } => self
                .join_group(&group, &consumer, &topics, config)
                .map(|_| Applied::Done),
            Command::LeaveGroup(name) => {
                let idx = self.running_consumer(&name)?;
                self.with_consumer(idx, |c, ctx| c.leave(ctx));
                Ok(Applied::Done)
            }
            Command::StopConsumer(name) => {
                let idx = self.running_consumer(&name)?;
                self.with_consumer(idx, |c, ctx| c.stop(ctx));
                Ok(Applied::Done)
            }
            Command::Commit(name) => {
                let idx = self.running_consumer(&name)?;
                self.with_consumer(idx, |c, ctx| c.commit_positions(ctx, None));
                Ok(Applied::Done)
            }
        }
    }

    /// Lets `ms` milliseconds of simulated time pass: everything due happens, in time
    /// order, ties in the order it was scheduled.
    pub fn advance(&mut self, ms: u64) -> Result<(), CommandError> {
        self.advance_at_most(ms, &mut { usize::MAX }).map(|_| ())
    }

    /// Like [`Simulation::advance`], but stops once `budget` scheduled things have
    /// happened (counting them off it), so that a caller can spread a busy stretch over
    /// several calls. Returns whether it got to the end of the `ms`; if not, the clock is
    /// at the last thing that happened, and what is still due there happens first on the
    /// next advance (even `advance(0)`), in the order it would have.
    pub fn advance_at_most(&mut self, ms: u64, budget: &mut usize) -> Result<bool, CommandError> {
        if ms > limits::MAX_ADVANCE_MS {
            return Err(CommandError::Limit {
                what: "advance_ms",
                limit: limits::MAX_ADVANCE_MS,
            });
        }
        let target = self.now.after(SimDuration(ms));
        // A safety valve: actors that kept waking each other at one instant would freeze
        // the page. No real schedule comes near this; stop at that instant and say so.
        let (mut instant, mut at_instant) = (SimTime(u64::MAX), 0u64);
        while let Some(at) = self.queue.peek().map(|s| s.at).filter(|at| *at <= target) {
            if at == instant {
                at_instant += 1;
                if at_instant > limits::MAX_EVENTS_AT_ONE_INSTANT {
                    return Err(CommandError::Limit {
                        what: "deliveries and timers at one simulated instant",
                        limit: limits::MAX_EVENTS_AT_ONE_INSTANT,
                    });
                }
            } else {
                (instant, at_instant) = (at, 0);
            }
            if *budget == 0 {
                return Ok(false);
            }
            *budget -= 1;
            self.step_one();
        }
        self.now = target;
        Ok(true)
    }

    /// Runs the next scheduled thing (and moves the clock to it); returns its time, or
    /// `None` if nothing is scheduled.
    pub fn step(&mut self) -> Option<SimTime> {
        let at = self.queue.peek()?.at;
        self.step_one();
        Some(at)
    }

    fn step_one(&mut self) {
        let Some(s) = self.queue.pop() else {
            return;
        };
        self.now = self.now.max(s.at);
        match s.item {
            Item::Deliver { from, to, msg, .. } => self.deliver(from, to, msg),
            Item::Timer {
                node,
                incarnation,
                timer,
            } => self.fire(node, incarnation, timer),
        }
    }

    fn deliver(&mut self, from: Node, to: Node, msg: Message) {
        match to {
            Node::Controller => self.with_controller(|c, ctx| c.on_message(ctx, from, msg)),
            Node::Broker(b) => {
                let idx = (b.0 as usize).wrapping_sub(1);
                let open = self.brokers.get(idx).is_some_and(|br| {
                    br.accepts_requests() || (br.is_running() && from == Node::Controller)
                });
                if open {
                    self.with_broker(idx, |br, ctx| br.on_message(ctx, from, msg));
                } else if msg.expects_response() && from != Node::Controller {
                    // Connection refused: the sender learns it one trip later.
                    self.schedule_message(
                        Node::Broker(b),
                        from,
                        Message::ConnectionClosed { broker: b },
                    );
                }
            }
            Node::Producer(p) => {
                if (p as usize) < self.producers.len() {
                    self.with_producer(p as usize, |pr, ctx| pr.on_message(ctx, from, msg));
                }
            }
            Node::Consumer(c) => {
                self.with_consumer(c as usize, |co, ctx| co.on_message(ctx, from, msg));
            }
        }
    }

    fn fire(&mut self, node: Node, incarnation: u32, timer: Timer) {
        match node {
            Node::Controller => self.with_controller(|c, ctx| c.on_timer(ctx, timer)),
            Node::Broker(b) => {
                let idx = (b.0 as usize).wrapping_sub(1);
                let live = self
                    .brokers
                    .get(idx)
                    .is_some_and(|br| br.is_running() && br.incarnation() == incarnation);
                if live && timer == Timer::BrokerRegistrationTimeout {
                    if !self.brokers[idx].has_registered() {
                        self.registration_timed_out(b);
                    }
                } else if live {
                    self.with_broker(idx, |br, ctx| br.on_timer(ctx, timer));
                }
            }
            Node::Producer(p) => {
                if let Timer::AutoProduceTick { generation } = timer {
                    self.with_producer(p as usize, |pr, ctx| pr.auto_tick(ctx, generation));
                } else {
                    self.with_producer(p as usize, |pr, ctx| pr.on_timer(ctx));
                }
            }
            Node::Consumer(c) => {
                self.with_consumer(c as usize, |co, ctx| co.on_timer(ctx));
            }
        }
    }

    fn push(&mut self, at: SimTime, item: Item) {
        self.seq += 1;
        self.queue.push(Scheduled {
            at,
            seq: self.seq,
            item,
        });
    }

    fn schedule_message(&mut self, from: Node, to: Node, msg: Message) {
        let at = self.now.after(SimDuration(self.world.latency_ms));
        let sent_at = self.now;
        self.push(
            at,
            Item::Deliver {
                from,
                to,
                sent_at,
                msg,
            },
        );
    }

    fn flush(&mut self, node: Node, incarnation: u32) {
        let out = std::mem::take(&mut self.shared.out);
        for o in &out {
            match o {
                Outgoing::Send { to, msg } => self.schedule_message(node, *to, msg.clone()),
                Outgoing::Timer { at, timer } => self.push(
                    *at,
                    Item::Timer {
                        node,
                        incarnation,
                        timer: timer.clone(),
                    },
                ),
            }
        }
        let mut out = out;
        out.clear();
        self.shared.out = out;
    }

    fn with_controller(&mut self, f: impl FnOnce(&mut Controller, &mut Ctx<'_>)) {
        let mut ctx = Ctx::new(self.now, Node::Controller, &self.world, &mut self.shared);
        f(&mut self.controller, &mut ctx);
        self.flush(Node::Controller, 0);
    }

    fn with_broker(&mut self, idx: usize, f: impl FnOnce(&mut Broker, &mut Ctx<'_>)) {
        let Some(broker) = self.brokers.get_mut(idx) else {
            return;
        };
        let node = Node::Broker(broker.id());
        let mut ctx = Ctx::new(self.now, node, &self.world, &mut self.shared);
        f(broker, &mut ctx);
        let incarnation = broker.incarnation();
        self.flush(node, incarnation);
    }

    fn with_producer<R>(
        &mut self,
        idx: usize,
        f: impl FnOnce(&mut Producer, &mut Ctx<'_>) -> R,
    ) -> Option<R> {
        let producer = self.producers.get_mut(idx)?;
        let node = Node::Producer(idx as u32);
        let mut ctx = Ctx::new(self.now, node, &self.world, &mut self.shared);
        let r = f(producer, &mut ctx);
        self.flush(node, 0);
        Some(r)
    }

    fn with_consumer<R>(
        &mut self,
        idx: usize,
        f: impl FnOnce(&mut Consumer, &mut Ctx<'_>) -> R,
    ) -> Option<R> {
        let consumer = self.consumers.get_mut(idx)?;
        let node = Node::Consumer(idx as u32);
        let mut ctx = Ctx::new(self.now, node, &self.world, &mut self.shared);
        let r = f(consumer, &mut ctx);
        self.flush(node, 0);
        Some(r)
    }

    /// Every record consumers received (the most recent ones kept).
    pub fn consumed(&self) -> &ConsumedTable {
        &self.shared.consumed
    }

    fn consumer_index(&self, name: &str) -> Result<usize, CommandError> {
        self.consumers
            .iter()
            .position(|c| &**c.name() == name)
            .ok_or_else(|| CommandError::UnknownConsumer(name.to_string()))
    }

    fn running_consumer(&self, name: &str) -> Result<usize, CommandError> {
        let idx = self.consumer_index(name)?;
        if self.consumers[idx].status() != ConsumerStatus::Running {
            return Err(CommandError::ConsumerNotRunning(name.to_string()));
        }
        Ok(idx)
    }

    fn join_group(
        &mut self,
        group: &str,
        consumer: &str,
        topics: &[String],
        config: ConsumerConfig,
    ) -> Result<(), CommandError> {
        validate_client_name("a consumer name", consumer).map_err(|reason| {
            CommandError::Invalid {
                field: "consumer",
                reason,
            }
        })?;
        validate_group_name(group).map_err(|reason| CommandError::Invalid {
            field: "group",
            reason,
        })?;
        if let Some(id) = config.group_instance_id.as_deref() {
            validate_group_instance_id(id).map_err(|reason| CommandError::Invalid {
                field: "group.instance.id",
                reason,
            })?;
        }
        if self.consumers.iter().any(|c| &**c.name() == consumer) {
            return Err(CommandError::DuplicateConsumer(consumer.to_string()));
        }
        if self.consumers.len() >= limits::MAX_CONSUMERS {
            return Err(CommandError::Limit {
                what: "consumers",
                limit: limits::MAX_CONSUMERS as u64,
            });
        }
        if topics.is_empty() || topics.len() > limits::MAX_SUBSCRIBED_TOPICS {
            return Err(CommandError::Invalid {
                field: "topics",
                reason: format!("subscribe to 1 to {} topics", limits::MAX_SUBSCRIBED_TOPICS),
            });
        }
        let mut subscribed = Vec::new();
        for t in topics {
            let id = self
                .world
                .topics
                .find(t)
                .ok_or_else(|| CommandError::UnknownTopic(t.clone()))?;
            if !subscribed.iter().any(|(_, i)| *i == id) {
                subscribed.push((Arc::from(t.as_str()), id));
            }
        }
        let idx = self.consumers.len() as u32;
        let bootstrap = self.brokers.iter().map(|b| b.id()).collect();
        self.consumers.push(Consumer::new(
            Arc::from(consumer),
            Arc::from(group),
            subscribed,
            config,
            self.seed,
            bootstrap,
            self.now,
        ));
        self.with_consumer(idx as usize, |c, ctx| c.poll(ctx));
        Ok(())
    }

    fn produce(
        &mut self,
        producer: &str,
        topic: &str,
        key: Option<Arc<str>>,
        value: Option<Arc<str>>,
    ) -> Result<Applied, CommandError> {
        let idx = self
            .producers
            .iter()
            .position(|p| &**p.name() == producer)
            .ok_or_else(|| CommandError::UnknownProducer(producer.to_string()))?;
        let topic_id = self
            .world
            .topics
            .find(topic)
            .ok_or_else(|| CommandError::UnknownTopic(topic.to_string()))?;
        for (field, s) in [("key", &key), ("value", &value)] {
            if s.as_ref()
                .is_some_and(|s| s.len() > limits::MAX_KEY_OR_VALUE_BYTES)
            {
                return Err(CommandError::Invalid {
                    field,
                    reason: format!(
                        "at most {} bytes of UTF-8 allowed (the playground's limit, not \
                         Kafka's)",
                        limits::MAX_KEY_OR_VALUE_BYTES
                    ),
                });
            }
        }
        let id = self
            .with_producer(idx, |p, ctx| p.send(ctx, topic_id, key, value))
            .ok_or_else(|| CommandError::UnknownProducer(producer.to_string()))?;
        Ok(Applied::Record(id))
    }

    fn stop_broker(&mut self, id: BrokerId) -> Result<(), CommandError> {
        let idx = self.broker_index(id)?;
        if !self.brokers[idx].is_running() {
            return Err(CommandError::BrokerAlreadyStopped(id));
        }
        let mut notify: Set<Node> = self.brokers[idx].stop().into_iter().collect();
        let me = Node::Broker(id);
        let items = std::mem::take(&mut self.queue).into_vec();
        let mut lost = 0u64;
        let mut kept = Vec::with_capacity(items.len());
        for s in items {
            match &s.item {
                // A closed connection is the network's news, not the broker's: it still
                // arrives.
                Item::Deliver {
                    msg: Message::ConnectionClosed { .. },
                    ..
                } => kept.push(s),
                Item::Deliver { from, to, msg, .. } if *from == me || *to == me => {
                    lost += 1;
                    if *to == me && msg.expects_response() {
                        notify.insert(*from);
                    }
                    if *from == me
                        && matches!(
                            msg,
                            Message::ProduceResponse { .. }
                                | Message::FetchResponse { .. }
                                | Message::MetadataResponse { .. }
                        )
                    {
                        notify.insert(*to);
                    }
                }
                _ => kept.push(s),
            }
        }
        self.queue = BinaryHeap::from(kept);
        for g in self.shared.groups.iter() {
            if self.controller.coordinator_for(&g.name) == Some(id) {
                notify.extend(g.awaiting_nodes());
            }
        }
        notify.remove(&Node::Controller);
        notify.remove(&me);
        for &n in notify.iter() {
            self.schedule_message(me, n, Message::ConnectionClosed { broker: id });
        }
        self.shared.trace.push(
            self.now.0,
            Event::BrokerStopped {
                broker: id,
                messages_lost: lost,
            },
        );
        Ok(())
    }

    /// BrokerLifecycleManager's RegistrationTimeoutEvent: a broker that could not register
    /// within `initial.broker.registration.timeout.ms` of its start (the controller kept
    /// refusing it while its previous incarnation's session was valid) shuts down: "Shutting
    /// down because we were unable to register with the controller quorum."
    fn registration_timed_out(&mut self, id: BrokerId) {
        self.shared.trace.push(
            self.now.0,
            Event::BrokerRegistrationTimedOut {
                broker: id,
                timeout_ms: self.world.config.initial_broker_registration_timeout_ms,
            },
        );
        // Running (checked by the caller), so the stop succeeds.
        let _ = self.stop_broker(id);
    }

    fn start_broker(&mut self, id: BrokerId) -> Result<(), CommandError> {
        let idx = self.broker_index(id)?;
        if self.brokers[idx].is_running() {
            return Err(CommandError::BrokerAlreadyRunning(id));
        }
        self.shared
            .trace
            .push(self.now.0, Event::BrokerStarted { broker: id });
        self.with_broker(idx, |b, ctx| b.start(ctx));
        Ok(())
    }

    fn add_broker(&mut self) -> Result<BrokerId, CommandError> {
        if self.brokers.len() as u32 >= limits::MAX_BROKERS {
            return Err(CommandError::Limit {
                what: "brokers",
                limit: u64::from(limits::MAX_BROKERS),
            });
        }
        let id = BrokerId(self.brokers.len() as u32 + 1);
        // A new broker registers with the controller like a restarted one.
        self.brokers.push(Broker::new(id));
        self.shared
            .trace
            .push(self.now.0, Event::BrokerAdded { broker: id });
        let idx = self.brokers.len() - 1;
        self.with_broker(idx, |b, ctx| b.start(ctx));
        Ok(id)
    }

    fn broker_index(&self, id: BrokerId) -> Result<usize, CommandError> {
        let idx = (id.0 as usize)
            .checked_sub(1)
            .filter(|i| *i < self.brokers.len())
            .ok_or(CommandError::UnknownBroker(id))?;
        Ok(idx)
    }

    fn create_topic(&mut self, spec: &TopicSpec, publish: bool) -> Result<TopicId, CommandError> {
        validate_topic_name(&spec.name).map_err(|reason| CommandError::Invalid {
            field: "name",
            reason,
        })?;
        if self.world.topics.find(&spec.name).is_some() {
            return Err(CommandError::DuplicateTopic(spec.name.clone()));
        }
        if let Some((_, existing)) = self
            .world
            .topics
            .iter()
            .find(|(_, t)| topics_collide(&t.name, &spec.name))
        {
            return Err(CommandError::Invalid {
                field: "name",
                reason: collision_message(&spec.name, &existing.name),
            });
        }
        if self.world.topics.len() >= limits::MAX_TOPICS {
            return Err(CommandError::Limit {
                what: "topics",
                limit: limits::MAX_TOPICS as u64,
            });
        }
        if spec.partitions == 0 || spec.partitions > limits::MAX_PARTITIONS_PER_TOPIC {
            return Err(CommandError::Invalid {
                field: "partitions",
                reason: format!(
                    "{} is not between 1 and {}",
                    spec.partitions,
                    limits::MAX_PARTITIONS_PER_TOPIC
                ),
            });
        }
        let brokers = self.brokers.len() as u32;
        if spec.replication_factor == 0 || spec.replication_factor > brokers {
            return Err(CommandError::Invalid {
                field: "replication_factor",
                reason: format!(
                    "{} is {} the {} broker{}",
                    spec.replication_factor,
                    if spec.replication_factor == 0 {
                        "not at least 1, with"
                    } else {
                        "more than"
                    },
                    brokers,
                    if brokers == 1 { "" } else { "s" }
                ),
            });
        }
        let min_isr = spec
            .min_insync_replicas
            .unwrap_or(self.world.config.min_insync_replicas);
        if min_isr == 0 {
            return Err(CommandError::Invalid {
                field: "min.insync.replicas",
                reason: "must be at least 1".into(),
            });
        }
        if let Some(a) = &spec.replica_assignment {
            check_assignment(a, spec, brokers)?;
        }
        // StripedReplicaPlacer: any registered broker may hold a replica (a fenced one only
        // if it must), but one must be unfenced to lead.
        let registered = self.controller.registered_brokers() as u32;
        let live = self.controller.unfenced_brokers().len() as u32;
        if spec.replica_assignment.is_none() && spec.replication_factor > registered {
            return Err(CommandError::Invalid {
                field: "replication_factor",
                reason: format!(
                    "{} is more than the {} broker{} registered with the controller \
                     (INVALID_REPLICATION_FACTOR)",
                    spec.replication_factor,
                    registered,
                    if registered == 1 { "" } else { "s" }
                ),
            });
        }
        if spec.replica_assignment.is_none() && live == 0 {
            return Err(CommandError::Invalid {
                field: "replication_factor",
                reason: "every broker is fenced, so no replica could lead \
                         (INVALID_REPLICATION_FACTOR: All brokers are currently fenced.)"
                    .into(),
            });
        }
        let info = TopicInfo {
            name: Arc::from(spec.name.as_str()),
            partitions: spec.partitions,
            replication_factor: spec.replication_factor,
            config: TopicConfig {
                min_insync_replicas: min_isr,
                unclean_leader_election_enable: spec
                    .unclean_leader_election_enable
                    .unwrap_or(self.world.config.unclean_leader_election_enable),
            },
        };
        // Check placement before anything changes, so that a refusal leaves no trace.
        let mut probe = self.controller.clone();
        let mut world = self.world.clone();
        let id = world.topics.add(info.clone());
        {
            let mut scratch = Shared::new(0, 0, 0);
            let mut ctx = Ctx::new(self.now, Node::Controller, &world, &mut scratch);
            probe
                .create_topic(
                    &mut ctx,
                    id,
                    spec.partitions,
                    spec.replication_factor,
                    spec.replica_assignment.as_deref(),
                )
                .map_err(|e| CommandError::Invalid {
                    field: "replication_factor",
                    reason: format!("no live replica can lead a partition ({e})"),
                })?;
        }
        let id = self.world.topics.add(info);
        let mut result = Ok(id);
        self.with_controller(|c, ctx| {
            match c.create_topic(
                ctx,
                id,
                spec.partitions,
                spec.replication_factor,
                spec.replica_assignment.as_deref(),
            ) {
                Ok(update) => {
                    if publish {
                        c.publish(ctx, &update);
                    }
                }
                Err(e) => {
                    result = Err(CommandError::Invalid {
                        field: "replication_factor",
                        reason: e.to_string(),
                    })
                }
            }
        });
        result
    }

    fn add_producer(&mut self, spec: &ProducerSpec) -> Result<(), CommandError> {
        validate_client_name("a producer id", &spec.id).map_err(|reason| {
            CommandError::Invalid {
                field: "id",
                reason,
            }
        })?;
        if self.producers.iter().any(|p| **p.name() == *spec.id) {
            return Err(CommandError::DuplicateProducer(spec.id.clone()));
        }
        if self.producers.len() >= limits::MAX_PRODUCERS {
            return Err(CommandError::Limit {
                what: "producers",
                limit: limits::MAX_PRODUCERS as u64,
            });
        }
        let bootstrap = self.brokers.iter().map(|b| b.id()).collect();
        let idx = self.producers.len() as u32;
        self.producers.push(Producer::new(
            idx,
            &spec.id,
            spec.config.clone(),
            self.seed,
            bootstrap,
        ));
        Ok(())
    }
}

fn check_assignment(
    a: &[Vec<BrokerId>],
    spec: &TopicSpec,
    brokers: u32,
) -> Result<(), CommandError> {
    let invalid = |reason: String| CommandError::Invalid {
        field: "replica_assignment",
        reason,
    };
    if a.len() != spec.partitions as usize {
        return Err(invalid(format!(
            "lists {} partitions but the topic has {}",
            a.len(),
            spec.partitions
        )));
    }
    for (p, replicas) in a.iter().enumerate() {
        if replicas.len() != spec.replication_factor as usize {
            return Err(invalid(format!(
                "partition {p} has {} replicas but the replication factor is {}",
                replicas.len(),
                spec.replication_factor
            )));
        }
        for (i, b) in replicas.iter().enumerate() {
            if b.0 == 0 || b.0 > brokers {
                return Err(invalid(format!("partition {p}: broker {b} does not exist")));
            }
            if replicas[..i].contains(b) {
                return Err(invalid(format!(
                    "partition {p}: broker {b} is listed twice"
                )));
            }
        }
    }
    Ok(())
}
