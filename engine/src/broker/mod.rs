//! A broker: hosts replicas, answers clients and followers, fetches as a follower,
//! heartbeats the controller and applies the metadata it publishes.

mod fetch;
mod fetcher;
mod group;
mod isr;
mod produce;
mod replica;

use crate::collections::Map;

pub use replica::LostRecord;
pub(crate) use replica::Replica;

use crate::actor::Ctx;
use crate::ids::{BrokerId, LeaderEpoch, SimDuration, SimTime};
use crate::kafka_error::KafkaError;
use crate::message::{
    ConsumerFetchPartition, Correlation, FetchPartition, Message, MetadataUpdate,
};
use crate::node::Node;
use crate::timer::Timer;
use crate::topic::{PartitionState, TopicId, Tp};
use fetch::HeldFetch;
use produce::HeldProduce;
use replica::Role;

/// What the broker knows of the cluster from the controller.
#[derive(Clone, Debug, Default)]
struct MetadataCache {
    partitions: Map<Tp, PartitionState>,
    /// Registered brokers and whether each is fenced.
    brokers: Map<BrokerId, bool>,
    /// Leaders of the `__consumer_offsets` partitions: the group coordinators.
    coordinators: Map<u32, Option<BrokerId>>,
}

/// A follower's fetch session with one leader.
#[derive(Clone, Debug, Default)]
struct Fetcher {
    in_flight: Option<Correlation>,
    /// When the request in flight times out.
    deadline: SimTime,
    /// The one timeout timer pending, if any. A fetch is answered long before its
    /// timeout, so a timer per request would leave thousands of stale timers queued; the
    /// one timer instead checks the deadline of whatever request is in flight when it
    /// fires, and moves on to that deadline.
    timer_at: Option<SimTime>,
    backoff_until: SimTime,
}

/// A broker.
#[derive(Clone, Debug)]
pub struct Broker {
    id: BrokerId,
    running: bool,
    incarnation: u32,
    /// Whether it has received the metadata image since it started: registered with the
    /// controller, and serving requests.
    caught_up: bool,
    /// Registrations the controller refused since it started (BrokerLifecycleManager's
    /// `failedAttempts`).
    registration_failures: u32,
    cache: MetadataCache,
    replicas: Map<Tp, Replica>,
    fetchers: Map<BrokerId, Fetcher>,
    held_fetches: Map<(BrokerId, Correlation), HeldFetch>,
    held_produces: Map<(u32, Correlation), HeldProduce>,
    /// The one pending timer for held produce requests: at the earliest deadline. Most
    /// requests are answered long before `request.timeout.ms`, so a timer each would
    /// leave thousands of stale timers queued under load.
    produce_timer_at: Option<SimTime>,
    held_consumer_fetches: Map<(u32, Correlation), Vec<ConsumerFetchPartition>>,
    next_correlation: Correlation,
}

impl Broker {
    /// A running broker with no replicas and no metadata.
    pub(crate) fn new(id: BrokerId) -> Broker {
        Broker {
            id,
            running: true,
            incarnation: 0,
            caught_up: false,
            registration_failures: 0,
            cache: MetadataCache::default(),
            replicas: Map::new(),
            fetchers: Map::new(),
            held_fetches: Map::new(),
            held_produces: Map::new(),
            produce_timer_at: None,
            held_consumer_fetches: Map::new(),
            next_correlation: 0,
        }
    }

    /// Its id.
    pub fn id(&self) -> BrokerId {
        self.id
    }

    /// Whether it is running (not crashed).
    pub fn is_running(&self) -> bool {
        self.running
    }

    /// Whether it answers clients and other brokers. A starting broker does not until it
    /// has registered and caught up with the metadata (BrokerServer.startup enables request
    /// processing only then); until that, connections to it are refused.
    pub fn accepts_requests(&self) -> bool {
        self.running && self.caught_up
    }

    /// Which start of the broker this is; timers of an earlier one are ignored.
    pub fn incarnation(&self) -> u32 {
        self.incarnation
    }

    /// Its replica of `tp`, if it hosts one.
    pub fn replica(&self, tp: Tp) -> Option<&Replica> {
        self.replicas.get(&tp)
    }

    /// The partitions this broker currently leads.
    pub fn is_leader_of(&self, tp: Tp) -> bool {
        self.replicas
            .get(&tp)
            .is_some_and(|r| r.leader_state().is_some())
    }

    /// The leader epoch this broker believes current for `tp`.
    pub fn known_leader_epoch(&self, tp: Tp) -> Option<LeaderEpoch> {
        self.cache.partitions.get(&tp).map(|st| st.leader_epoch)
    }

    fn next_corr(&mut self) -> Correlation {
        self.next_correlation += 1;
        self.next_correlation
    }

    /// Installs the metadata image directly (brokers present at start know it already).
    pub(crate) fn install_image(&mut self, ctx: &mut Ctx<'_>, image: &MetadataUpdate) {
        self.caught_up = true;
        self.apply_update(ctx, image);
    }

    /// Starts the periodic work of a running broker: heartbeats and ISR checks.
    pub(crate) fn start_timers(&self, ctx: &mut Ctx<'_>) {
        let hb = SimDuration(ctx.world.config.broker_heartbeat_interval_ms);
        ctx.timer(ctx.now.after(hb), Timer::BrokerHeartbeat);
        ctx.timer(
            ctx.now.after(ctx.world.config.isr_check_interval()),
            Timer::IsrExpiration,
        );
    }

    /// The broker crashes: everything in memory is gone, its logs stay on disk.
    pub(crate) fn stop(&mut self) -> Vec<Node> {
        self.running = false;
        let mut waiting: Vec<Node> = self
            .held_produces
            .keys()
            .map(|(p, _)| Node::Producer(*p))
            .chain(self.held_fetches.keys().map(|(b, _)| Node::Broker(*b)))
            .chain(self.consumers_waiting())
            .collect();
        crate::collections::sort(&mut waiting);
        waiting.dedup();
        self.held_fetches.clear();
        self.held_produces.clear();
        self.produce_timer_at = None;
        self.held_consumer_fetches.clear();
        self.fetchers.clear();
        self.cache = MetadataCache::default();
        self.caught_up = false;
        for r in self.replicas.iter_mut().map(|(_, v)| v) {
            r.role = Role::Unknown;
            r.fetch_paused_until = SimTime(0);
        }
        waiting
    }

    /// The broker starts again with the logs it had and registers with the controller.
    pub(crate) fn start(&mut self, ctx: &mut Ctx<'_>) {
        self.running = true;
        self.incarnation += 1;
        self.registration_failures = 0;
        self.register(ctx);
        self.start_timers(ctx);
        // BrokerLifecycleManager.start schedules its RegistrationTimeoutEvent.
        let give_up = SimDuration(ctx.world.config.initial_broker_registration_timeout_ms);
        ctx.timer(ctx.now.after(give_up), Timer::BrokerRegistrationTimeout);
    }

    /// Whether this incarnation has registered with the controller (and so caught up).
    pub(crate) fn has_registered(&self) -> bool {
        self.caught_up
    }

    fn register(&mut self, ctx: &mut Ctx<'_>) {
        ctx.send(
            Node::Controller,
            Message::BrokerRegistrationRequest {
                broker: self.id,
                incarnation: self.incarnation,
            },
        );
    }

    /// The controller refused the registration: try again after BrokerLifecycleManager's
    /// backoff, `ExponentialBackoff(100, 2, broker.session.timeout.ms)` (without its 2 %
    /// jitter).
    fn registration_refused(&mut self, ctx: &mut Ctx<'_>) {
        let max = ctx.world.config.broker_session_timeout_ms;
        let exp = self.registration_failures.min(30);
        let delay = 100u64.saturating_mul(1 << exp).min(max.max(100));
        self.registration_failures += 1;
        ctx.timer(
            ctx.now.after(SimDuration(delay)),
            Timer::BrokerRegistrationRetry,
        );
    }

    /// Reacts to a message.
    pub(crate) fn on_message(&mut self, ctx: &mut Ctx<'_>, from: Node, msg: Message) {
        let Some(msg) = self.on_group_message(ctx, from, msg) else {
            return;
        };
        match msg {
            Message::MetadataRequest {
                correlation,
                topics,
            } => self.on_metadata_request(ctx, from, correlation, &topics),
            Message::ProduceRequest {
                correlation,
                acks,
                timeout_ms,
                batches,
            } => self.on_produce(ctx, from, correlation, acks, timeout_ms, batches),
            Message::FetchRequest {
                correlation,
                replica_id,
                max_wait_ms,
                partitions,
            } => self.on_fetch_request(ctx, replica_id, correlation, max_wait_ms, partitions),
            Message::FetchResponse {
                correlation,
                partitions,
            } => {
                if let Node::Broker(leader) = from {
                    self.on_fetch_response(ctx, leader, correlation, partitions);
                }
            }
            Message::BrokerRegistrationResponse { result: Ok(image) } => {
                self.caught_up = true;
                self.registration_failures = 0;
                self.apply_update(ctx, &image);
            }
            Message::BrokerRegistrationResponse { result: Err(_) } => {
                self.registration_refused(ctx);
            }
            Message::UpdateMetadata { update } if self.caught_up => {
                self.apply_update(ctx, &update);
            }
            Message::AlterPartitionResponse { tp, result, .. } => {
                self.on_alter_partition_response(ctx, tp, result)
            }
            Message::ConnectionClosed { broker } => self.on_connection_closed(ctx, broker),
            _ => {}
        }
    }

    /// Reacts to a timer.
    pub(crate) fn on_timer(&mut self, ctx: &mut Ctx<'_>, timer: Timer) {
        match timer {
            Timer::BrokerHeartbeat => {
                // BrokerLifecycleManager heartbeats only once registered.
                if self.caught_up {
                    ctx.send(
                        Node::Controller,
                        Message::BrokerHeartbeatRequest {
                            broker: self.id,
                            incarnation: self.incarnation,
                            caught_up: self.caught_up,
                        },
                    );
                }
                let hb = SimDuration(ctx.world.config.broker_heartbeat_interval_ms);
                ctx.timer(ctx.now.after(hb), Timer::BrokerHeartbeat);
            }
            Timer::BrokerRegistrationRetry => self.register(ctx),
            // The simulation handles it: a broker cannot stop itself from in here.
            Timer::BrokerRegistrationTimeout => {}
            Timer::IsrExpiration => {
                self.shrink_isr(ctx);
                ctx.timer(
                    ctx.now.after(ctx.world.config.isr_check_interval()),
                    Timer::IsrExpiration,
                );
            }
            Timer::FetcherBackoff { .. } => self.ensure_fetches(ctx),
            Timer::FetchRequestTimeout { leader } => self.on_fetch_timeout(ctx, leader),
            Timer::DelayedFetchExpired {
                replica,
                correlation,
            } => self.complete_held_fetch(ctx, (replica, correlation)),
            Timer::DelayedProduceExpired => self.expire_held_produces(ctx),
            other => self.on_group_timer(ctx, &other),
        }
    }

    fn on_metadata_request(
        &mut self,
        ctx: &mut Ctx<'_>,
        from: Node,
        correlation: Correlation,
        topics: &[TopicId],
    ) {
        let brokers = self
            .cache
            .brokers
            .iter()
            .filter(|(_, fenced)| !**fenced)
            .map(|(b, _)| *b)
            .collect();
        let mut out = Vec::new();
        for &t in topics {
            let parts: Vec<(Option<BrokerId>, LeaderEpoch)> = self
                .cache
                .partitions
                .iter()
                .skip_while(|(tp, _)| tp.topic < t)
                .take_while(|(tp, _)| tp.topic == t)
                .map(|(_, st)| (st.leader, st.leader_epoch))
                .collect();
            if !parts.is_empty() {
                out.push((t, parts));
            }
        }
        ctx.send(
            from,
            Message::MetadataResponse {
                correlation,
                brokers,
                topics: out,
            },
        );
    }

    fn is_fenced(&self, b: BrokerId) -> bool {
        self.cache.brokers.get(&b).copied().unwrap_or(true)
    }

    /// Applies a metadata change: new roles for the partitions it changes.
    fn apply_update(&mut self, ctx: &mut Ctx<'_>, update: &MetadataUpdate) {
        for (b, fenced) in &update.brokers {
            self.cache.brokers.insert(*b, *fenced);
        }
        for (p, leader) in &update.coordinators {
            let was = self.cache.coordinators.insert(*p, *leader).flatten();
            if *leader == Some(self.id) && was != Some(self.id) {
                self.take_over_groups(ctx, *p);
            }
        }
        for (tp, st) in &update.partitions {
            self.apply_partition(ctx, *tp, st);
        }
        self.ensure_fetches(ctx);
    }

    fn apply_partition(&mut self, ctx: &mut Ctx<'_>, tp: Tp, st: &PartitionState) {
        if let Some(old) = self.cache.partitions.get(&tp)
            && old.partition_epoch > st.partition_epoch
        {
            return;
        }
        self.cache.partitions.insert(tp, st.clone());
        if !st.replicas.contains(&self.id) {
            return;
        }
        let me = self.id;
        let replica = self.replicas.entry(tp).or_insert_with(Replica::new);
        if st.leader == Some(me) {
            match replica.leader_state_mut() {
                Some(ls) if ls.leader_epoch == st.leader_epoch => {
                    ls.isr = st.isr.clone();
                    ls.partition_epoch = st.partition_epoch;
                    if ls
                        .pending_isr
                        .as_ref()
                        .is_some_and(|(_, base)| *base < st.partition_epoch)
                    {
                        ls.pending_isr = None;
                    }
                }
                _ => replica.become_leader(me, st, ctx.now),
            }
            self.maybe_increment_high_watermark(ctx, tp);
        } else {
            let was_leader = replica.leader_state().is_some();
            let changed = match &replica.role {
                Role::Follower {
                    leader,
                    leader_epoch,
                } => *leader != st.leader || *leader_epoch != st.leader_epoch,
                _ => true,
            };
            replica.role = Role::Follower {
                leader: st.leader,
                leader_epoch: st.leader_epoch,
            };
            if changed {
                replica.fetch_paused_until = SimTime(0);
            }
            if was_leader {
                self.fail_held_produces(ctx, tp, KafkaError::NotLeaderOrFollower);
                self.complete_held_fetches_for(ctx, tp);
                self.complete_consumer_fetches_for(ctx, tp);
            }
        }
    }

    /// A peer broker's connection closed: fetches in flight to it are lost.
    fn on_connection_closed(&mut self, ctx: &mut Ctx<'_>, broker: BrokerId) {
        let backoff = SimDuration(ctx.world.config.replica_fetch_backoff_ms);
        if let Some(f) = self.fetchers.get_mut(&broker)
            && f.in_flight.take().is_some()
        {
            f.backoff_until = ctx.now.after(backoff);
            ctx.timer(f.backoff_until, Timer::FetcherBackoff { leader: broker });
        }
    }

    /// Followed partitions grouped by leader: what the next fetch to each leader asks for.
    fn fetch_plan(&self, now: SimTime) -> Map<BrokerId, Vec<FetchPartition>> {
        let mut plan: Map<BrokerId, Vec<FetchPartition>> = Map::new();
        for (tp, r) in &self.replicas {
            if let Role::Follower {
                leader: Some(l),
                leader_epoch,
            } = r.role
                && l != self.id
                && r.fetch_paused_until <= now
            {
                plan.entry(l).or_default().push(FetchPartition {
                    tp: *tp,
                    fetch_offset: r.log.log_end_offset(),
                    last_fetched_epoch: r.log.latest_epoch(),
                    current_leader_epoch: leader_epoch,
                });
            }
        }
        plan
    }
}
