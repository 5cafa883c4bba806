//! Turning a scenario into a set-up and commands, checking its steps, and running it.

use crate::collections::{Map, Set};

use super::settings;
use super::{
    ClusterConfigDoc, ConsumerConfigDoc, JoinGroupDoc, ProducerConfigDoc, ProducerDoc, Scenario,
    ScenarioError, Step, TopicDoc,
};
use crate::client::Client;
use crate::command::{Command, ProducerSpec, TopicSpec};
use crate::config::{Acks, ClusterConfig, ProducerConfig};
use crate::consumer::ConsumerConfig;
use crate::error::CommandError;
use crate::event::Event;
use crate::ids::BrokerId;
use crate::limits;
use crate::log::RecordId;
use crate::partitioner::Partitioner;
use crate::sim::{
    Applied, Setup, SimOptions, Simulation, collision_message, topics_collide,
    validate_group_instance_id,
};

use super::read::excerpt;

/// Broker settings: the document's over Kafka's defaults, checked as Kafka checks them.
/// On error, every offending key and why.
pub fn cluster_config(
    doc: &ClusterConfigDoc,
) -> Result<ClusterConfig, Vec<(&'static str, String)>> {
    let c = settings::resolve_cluster(doc);
    let mut errors = Vec::new();
    if c.broker_heartbeat_interval_ms >= c.broker_session_timeout_ms {
        errors.push((
            "broker.heartbeat.interval.ms",
            format!(
                "{} must be less than broker.session.timeout.ms ({})",
                c.broker_heartbeat_interval_ms, c.broker_session_timeout_ms
            ),
        ));
    }
    if c.replica_fetch_wait_max_ms >= c.replica_lag_time_max_ms {
        errors.push((
            "replica.fetch.wait.max.ms",
            format!(
                "{} must be less than replica.lag.time.max.ms ({}), as Kafka requires",
                c.replica_fetch_wait_max_ms, c.replica_lag_time_max_ms
            ),
        ));
    }
    if errors.is_empty() {
        Ok(c)
    } else {
        Err(errors)
    }
}

/// Producer settings: the document's over the client's defaults, checked as the client
/// checks them. On error, the offending key and why.
pub fn producer_config(
    client: Client,
    doc: &ProducerConfigDoc,
) -> Result<ProducerConfig, (&'static str, String)> {
    if client == Client::Java && doc.sticky_partitioning_linger_ms.is_some() {
        return Err((
            "sticky.partitioning.linger.ms",
            "is a librdkafka (dotnet) setting; the Java client has no such key".into(),
        ));
    }
    if client == Client::Dotnet && doc.partitioner == Some(Partitioner::JavaBuiltIn) {
        return Err(("partitioner", "is the Java client's partitioner".into()));
    }
    let c = settings::resolve_producer(client, doc);
    if c.enable_idempotence && c.acks != Acks::All {
        return Err((
            "enable.idempotence",
            "the idempotent producer needs acks=all (Kafka: \"Must set acks to all in order to \
             use the idempotent producer\")"
                .into(),
        ));
    }
    if c.enable_idempotence && c.retries == 0 {
        return Err((
            "retries",
            "the idempotent producer needs retries > 0 (Kafka: \"Must set retries to non-zero \
             when using the idempotent producer\")"
                .into(),
        ));
    }
    match client {
        Client::Java if c.delivery_timeout_ms < c.linger_ms + c.request_timeout_ms => Err((
            "delivery.timeout.ms",
            format!(
                "{} must be at least linger.ms + request.timeout.ms ({}), as the Java client \
                 requires",
                c.delivery_timeout_ms,
                c.linger_ms + c.request_timeout_ms
            ),
        )),
        Client::Dotnet if c.linger_ms >= c.delivery_timeout_ms => Err((
            "linger.ms",
            format!(
                "{} must be less than delivery.timeout.ms ({}), as librdkafka requires",
                c.linger_ms, c.delivery_timeout_ms
            ),
        )),
        _ => Ok(c),
    }
}

/// Consumer settings: the document's over the client's defaults, checked as Kafka checks
/// them. On error, the offending key and why.
pub fn consumer_config(
    client: Client,
    doc: &ConsumerConfigDoc,
) -> Result<ConsumerConfig, (&'static str, String)> {
    let c = settings::resolve_consumer(client, doc);
    if let Some(id) = c.group_instance_id.as_deref() {
        validate_group_instance_id(id).map_err(|reason| ("group.instance.id", reason))?;
    }
    // The broker's group.min.session.timeout.ms and group.max.session.timeout.ms.
    if !(6_000..=1_800_000).contains(&c.session_timeout_ms) {
        return Err((
            "session.timeout.ms",
            format!(
                "{} is outside the broker's allowed range 6000 to 1800000 \
                 (group.min/max.session.timeout.ms; Kafka answers INVALID_SESSION_TIMEOUT)",
                c.session_timeout_ms
            ),
        ));
    }
    if c.heartbeat_interval_ms == 0 || c.heartbeat_interval_ms >= c.session_timeout_ms {
        return Err((
            "heartbeat.interval.ms",
            format!(
                "{} must be between 1 and session.timeout.ms ({}), as the consumer requires",
                c.heartbeat_interval_ms, c.session_timeout_ms
            ),
        ));
    }
    if c.max_poll_interval_ms == 0 {
        return Err(("max.poll.interval.ms", "must be at least 1".into()));
    }
    Ok(c)
}

fn join_command(doc: &JoinGroupDoc) -> Command {
    let client = doc.client.unwrap_or(Client::Java);
    Command::JoinGroup {
        group: doc.group.clone(),
        consumer: doc.consumer.clone(),
        topics: doc.topics.clone(),
        config: consumer_config(client, &doc.config)
            .unwrap_or_else(|_| ConsumerConfig::defaults(client)),
    }
}

/// The command a step stands for (`None` for `advance_ms`, which is time passing).
pub(crate) fn command_for(step: &Step) -> Option<Command> {
    Some(match step {
        Step::Produce(p) => Command::Produce {
            producer: p.producer.clone(),
            topic: p.topic.clone(),
            key: p.key.as_deref().map(Into::into),
            value: p.value.as_deref().map(Into::into),
        },
        Step::StopBroker(b) => Command::StopBroker(BrokerId(*b)),
        Step::StartBroker(b) => Command::StartBroker(BrokerId(*b)),
        Step::AddBroker(_) => Command::AddBroker,
        Step::AutoProduce(a) => Command::AutoProduce {
            producer: a.producer.clone(),
            topic: a.topic.clone(),
            rate_per_sec: a.rate_per_sec,
            keys: a.keys,
        },
        Step::CreateTopic(t) => Command::CreateTopic(topic_spec(t)),
        Step::JoinGroup(j) => join_command(j),
        Step::LeaveGroup(c) => Command::LeaveGroup(c.clone()),
        Step::StopConsumer(c) => Command::StopConsumer(c.clone()),
        Step::Commit(c) => Command::Commit(c.clone()),
        Step::AdvanceMs(_) => return None,
    })
}

pub(crate) fn topic_spec(doc: &TopicDoc) -> TopicSpec {
    let mut spec = TopicSpec {
        name: doc.name.clone(),
        partitions: doc.partitions,
        replication_factor: doc.replication_factor,
        min_insync_replicas: None,
        unclean_leader_election_enable: None,
        replica_assignment: doc.replica_assignment.as_ref().map(|a| {
            a.iter()
                .map(|r| r.iter().map(|b| BrokerId(*b)).collect())
                .collect()
        }),
    };
    doc.config.overlay(&mut spec);
    spec
}

fn producer_spec(doc: &ProducerDoc) -> ProducerSpec {
    ProducerSpec {
        id: doc.id.clone(),
        config: producer_config(doc.client, &doc.config)
            .unwrap_or_else(|_| ProducerConfig::defaults(doc.client)),
    }
}

impl Scenario {
    /// The cluster at time zero.
    pub fn setup(&self) -> Setup {
        Setup {
            seed: self.seed,
            latency_ms: self.network.latency_ms.unwrap_or(10),
            brokers: self.cluster.brokers,
            config: cluster_config(&self.cluster.config)
                .unwrap_or_else(|_| settings::resolve_cluster(&self.cluster.config)),
            topics: self.topics.iter().map(topic_spec).collect(),
            producers: self.producers.iter().map(producer_spec).collect(),
        }
    }
}

fn check_topic(
    doc: &TopicDoc,
    path: &str,
    brokers: u32,
    names: &mut Set<String>,
    errors: &mut Vec<ScenarioError>,
) {
    let mut err = |p: String, m: String| {
        errors.push(ScenarioError {
            path: p,
            message: m,
        })
    };
    // Kafka: an existing name answers TOPIC_ALREADY_EXISTS; one that differs only by
    // '.' and '_' (Topic.hasCollision) INVALID_TOPIC_EXCEPTION.
    if names.contains(&doc.name) {
        err(
            format!("{path}.name"),
            format!("a topic named '{}' already exists", excerpt(&doc.name)),
        );
    } else if let Some(existing) = names.iter().find(|n| topics_collide(n, &doc.name)) {
        err(
            format!("{path}.name"),
            collision_message(&doc.name, existing),
        );
    }
    names.insert(doc.name.clone());
    if names.len() > limits::MAX_TOPICS {
        err(
            path.to_string(),
            format!("at most {} topics are allowed", limits::MAX_TOPICS),
        );
    }
    if doc.replication_factor > brokers {
        err(
            format!("{path}.replication_factor"),
            format!(
                "{} is more than the {} broker{}",
                doc.replication_factor,
                brokers,
                if brokers == 1 { "" } else { "s" }
            ),
        );
    }
    if let Some(a) = &doc.replica_assignment {
        for (i, r) in a.iter().enumerate() {
            for b in r {
                if *b > brokers {
                    err(
                        format!("{path}.replica_assignment[{i}]"),
                        format!(
                            "broker {b} does not exist (the cluster has brokers 1 to {brokers})"
                        ),
                    );
                }
            }
        }
        if a.iter().any(|r| r.len() != doc.replication_factor as usize) {
            err(
                format!("{path}.replica_assignment"),
                "every partition must list the same number of replicas".into(),
            );
        }
    }
}

/// The checks that need the whole document: names that must exist, brokers that must be
/// running or stopped at each step, limits over all steps.
pub(crate) fn check_steps(s: &Scenario, errors: &mut Vec<ScenarioError>) {
    let mut brokers = s.cluster.brokers;
    let mut stopped: Set<u32> = Set::new();
    let mut topics: Set<String> = Set::new();
    for (i, t) in s.topics.iter().enumerate() {
        check_topic(t, &format!("topics[{i}]"), brokers, &mut topics, errors);
    }
    let mut producers: Map<&str, usize> = Map::new();
    for (i, p) in s.producers.iter().enumerate() {
        if producers.insert(&p.id, i).is_some() {
            errors.push(ScenarioError {
                path: format!("producers[{i}].id"),
                message: format!("a producer named '{}' already exists", excerpt(&p.id)),
            });
        }
    }
    let mut total: u64 = 0;
    // Consumers by name: whether each still runs.
    let mut consumers: Map<&str, bool> = Map::new();
    for (i, step) in s.steps.iter().enumerate() {
        let path = format!("steps[{i}]");
        let mut err = |p: String, m: String| {
            errors.push(ScenarioError {
                path: p,
                message: m,
            })
        };
        match step {
            Step::Produce(p) => {
                if !producers.contains_key(p.producer.as_str()) {
                    err(
                        format!("{path}.produce.producer"),
                        format!("no producer is named '{}'", excerpt(&p.producer)),
                    );
                }
                if !topics.contains(&p.topic) {
                    err(
                        format!("{path}.produce.topic"),
                        format!("no topic is named '{}' at this step", excerpt(&p.topic)),
                    );
                }
            }
            Step::AutoProduce(a) => {
                if !producers.contains_key(a.producer.as_str()) {
                    err(
                        format!("{path}.auto_produce.producer"),
                        format!("no producer is named '{}'", excerpt(&a.producer)),
                    );
                }
                if !topics.contains(&a.topic) {
                    err(
                        format!("{path}.auto_produce.topic"),
                        format!("no topic is named '{}' at this step", excerpt(&a.topic)),
                    );
                }
            }
            Step::AdvanceMs(ms) => {
                total += ms;
                if total > limits::MAX_TOTAL_TIME_MS {
                    err(
                        format!("{path}.advance_ms"),
                        format!(
                            "the scenario would run past {} ms of simulated time",
                            limits::MAX_TOTAL_TIME_MS
                        ),
                    );
                }
            }
            Step::StopBroker(b) | Step::StartBroker(b) => {
                let (key, stopping) = match step {
                    Step::StopBroker(_) => ("stop_broker", true),
                    _ => ("start_broker", false),
                };
                if *b > brokers {
                    err(
                        format!("{path}.{key}"),
                        format!(
                            "broker {b} does not exist at this step (brokers are 1 to {brokers})"
                        ),
                    );
                } else if stopping && !stopped.insert(*b) {
                    err(
                        format!("{path}.{key}"),
                        format!("broker {b} is already stopped"),
                    );
                } else if !stopping && !stopped.remove(b) {
                    err(
                        format!("{path}.{key}"),
                        format!("broker {b} is already running"),
                    );
                }
            }
            Step::AddBroker(_) => {
                brokers += 1;
                if brokers > limits::MAX_BROKERS {
                    err(
                        format!("{path}.add_broker"),
                        format!("at most {} brokers are allowed", limits::MAX_BROKERS),
                    );
                }
            }
            Step::CreateTopic(t) => check_topic(
                t,
                &format!("{path}.create_topic"),
                brokers,
                &mut topics,
                errors,
            ),
            Step::JoinGroup(j) => {
                if consumers.insert(&j.consumer, true).is_some() {
                    err(
                        format!("{path}.join_group.consumer"),
                        format!("a consumer named '{}' already joined", excerpt(&j.consumer)),
                    );
                }
                if consumers.len() > limits::MAX_CONSUMERS {
                    err(
                        format!("{path}.join_group"),
                        format!("at most {} consumers are allowed", limits::MAX_CONSUMERS),
                    );
                }
                for (k, t) in j.topics.iter().enumerate() {
                    if !topics.contains(t) {
                        err(
                            format!("{path}.join_group.topics[{k}]"),
                            format!("no topic is named '{}' at this step", excerpt(t)),
                        );
                    }
                }
            }
            Step::LeaveGroup(c) | Step::StopConsumer(c) | Step::Commit(c) => {
                let key = match step {
                    Step::LeaveGroup(_) => "leave_group",
                    Step::StopConsumer(_) => "stop_consumer",
                    _ => "commit",
                };
                match consumers.get_mut(c.as_str()) {
                    None => err(
                        format!("{path}.{key}"),
                        format!("no consumer named '{}' has joined at this step", excerpt(c)),
                    ),
                    Some(false) => err(
                        format!("{path}.{key}"),
                        format!("consumer '{}' no longer runs at this step", excerpt(c)),
                    ),
                    Some(running) => {
                        if key != "commit" {
                            *running = false;
                        }
                    }
                }
            }
        }
    }
}

/// What running a scenario gives: the simulation at its end and, per `produce` step, the
/// record it produced (or why none).
#[derive(Debug)]
pub struct Run {
    /// The simulation after the last step.
    pub sim: Simulation,
    /// Per `produce` step, in order: its index and record.
    pub produced: Vec<(usize, Result<RecordId, CommandError>)>,
}

/// A moment at which [`run_observed`] lets a test look at the simulation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    /// A message was delivered or a timer fired during an `advance_ms` step.
    Event,
    /// Step `n` finished.
    AfterStep(usize),
}

/// Runs a checked scenario to its end.
pub fn run(s: &Scenario, options: SimOptions) -> Result<Run, Vec<ScenarioError>> {
    run_observed(s, options, &mut |_, _| {})
}

/// Runs a checked scenario, calling `observe` after every delivered message or fired
/// timer and after every step (tests check invariants there).
pub fn run_observed(
    s: &Scenario,
    options: SimOptions,
    observe: &mut dyn FnMut(Moment, &Simulation),
) -> Result<Run, Vec<ScenarioError>> {
    let mut sim = Simulation::new(&s.setup(), options).map_err(|e| {
        vec![ScenarioError {
            path: String::new(),
            message: e.to_string(),
        }]
    })?;
    let mut produced = Vec::new();
    for (i, step) in s.steps.iter().enumerate() {
        let result = match step {
            Step::AdvanceMs(ms) => {
                let target = sim.now().0 + ms;
                let (mut instant, mut at_instant) = (u64::MAX, 0u64);
                while sim.next_event_time().is_some_and(|t| t.0 <= target) {
                    let t = sim.step().map_or(0, |t| t.0);
                    if t == instant {
                        at_instant += 1;
                        if at_instant > crate::limits::MAX_EVENTS_AT_ONE_INSTANT {
                            return Err(vec![ScenarioError {
                                path: format!("steps[{i}].advance_ms"),
                                message: format!(
                                    "more than {} deliveries and timers at {t} ms: the simulation livelocked",
                                    crate::limits::MAX_EVENTS_AT_ONE_INSTANT
                                ),
                            }]);
                        }
                    } else {
                        (instant, at_instant) = (t, 0);
                    }
                    observe(Moment::Event, &sim);
                }
                let remaining = target.saturating_sub(sim.now().0);
                if let Err(e) = sim.advance(remaining) {
                    // Only the livelock guard can refuse time passing here (a defect of
                    // the simulation, not of the document): report it rather than hang.
                    return Err(vec![ScenarioError {
                        path: format!("steps[{i}].advance_ms"),
                        message: e.to_string(),
                    }]);
                }
                Ok(Applied::Done)
            }
            other => match command_for(other) {
                Some(cmd) => sim.apply(cmd),
                None => Ok(Applied::Done),
            },
        };
        match (step, result) {
            (Step::Produce(_), Ok(Applied::Record(id))) => {
                sim.pin_produced(id);
                produced.push((i, Ok(id)));
            }
            (Step::Produce(_), Err(e)) => produced.push((i, Err(e))),
            (Step::CreateTopic(t), Err(e)) => {
                // Refused at run time (not enough live brokers): Kafka answers the
                // CreateTopics request with an error and the script goes on.
                sim.record_event(Event::TopicCreationFailed {
                    topic: t.name.as_str().into(),
                    error: crate::kafka_error::KafkaError::InvalidReplicationFactor,
                });
                let _ = e;
            }
            _ => {}
        }
        observe(Moment::AfterStep(i), &sim);
    }
    Ok(Run { sim, produced })
}
