//! Broker, topic and producer settings, resolved: Kafka's names, Kafka's defaults.
//!
//! The scenario document spells settings as Kafka's keys (`replica.lag.time.max.ms`); the
//! fields here mirror them with underscores. Defaults are Kafka's own, cited per field, so
//! that a learner who copies a value to a real cluster sees the same behaviour.

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::ids::SimDuration;
use crate::partitioner::Partitioner;

/// Cluster-wide broker settings (`server.properties`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterConfig {
    /// `broker.session.timeout.ms`: the controller fences a broker that sent no heartbeat
    /// for this long (KRaftConfigs, default 9000).
    pub broker_session_timeout_ms: u64,
    /// `broker.heartbeat.interval.ms`: how often a broker heartbeats the controller (2000).
    pub broker_heartbeat_interval_ms: u64,
    /// `initial.broker.registration.timeout.ms`: a started broker that has not registered
    /// with the controller this long after it started shuts down (KRaftConfigs, 60000;
    /// BrokerLifecycleManager "Shutting down because we were unable to register with the
    /// controller quorum").
    pub initial_broker_registration_timeout_ms: u64,
    /// `replica.lag.time.max.ms`: a follower not caught up for this long leaves the ISR
    /// (ReplicationConfigs, 30000); the leader checks every half of it.
    pub replica_lag_time_max_ms: u64,
    /// `replica.fetch.wait.max.ms`: how long a leader holds a follower's fetch that finds
    /// no new data (500).
    pub replica_fetch_wait_max_ms: u64,
    /// `replica.fetch.max.bytes`: bytes per partition per follower fetch; the first batch is
    /// always returned even if larger (1048576).
    pub replica_fetch_max_bytes: u64,
    /// `replica.fetch.backoff.ms`: a follower's pause after a failed fetch (1000).
    pub replica_fetch_backoff_ms: u64,
    /// `replica.socket.timeout.ms`: a follower gives up on a fetch with no answer after
    /// this long (30000).
    pub replica_socket_timeout_ms: u64,
    /// `unclean.leader.election.enable`: elect a replica outside the ISR rather than stay
    /// offline (false; it can lose acknowledged records).
    pub unclean_leader_election_enable: bool,
    /// `min.insync.replicas`: the broker default for topics that do not set it (1).
    pub min_insync_replicas: u32,
    /// `auto.leader.rebalance.enable`: move leadership back to preferred replicas (true).
    pub auto_leader_rebalance_enable: bool,
    /// `leader.imbalance.check.interval.seconds`: how long after a partition lost its
    /// preferred leader the controller tries to move it back (300). (KRaft has no
    /// `leader.imbalance.per.broker.percentage`: that was the ZooKeeper controller's.)
    pub leader_imbalance_check_interval_seconds: u64,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            broker_session_timeout_ms: 9_000,
            broker_heartbeat_interval_ms: 2_000,
            initial_broker_registration_timeout_ms: 60_000,
            replica_lag_time_max_ms: 30_000,
            replica_fetch_wait_max_ms: 500,
            replica_fetch_max_bytes: 1_048_576,
            replica_fetch_backoff_ms: 1_000,
            replica_socket_timeout_ms: 30_000,
            unclean_leader_election_enable: false,
            min_insync_replicas: 1,
            auto_leader_rebalance_enable: true,
            leader_imbalance_check_interval_seconds: 300,
        }
    }
}

impl ClusterConfig {
    /// How often the leader looks for followers to drop from the ISR (`maybeShrinkIsr`
    /// runs every `replica.lag.time.max.ms / 2`, ReplicaManager "isr-expiration").
    pub fn isr_check_interval(&self) -> SimDuration {
        SimDuration((self.replica_lag_time_max_ms / 2).max(1))
    }
}

/// A topic's settings that matter to the simulation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicConfig {
    /// `min.insync.replicas` for this topic.
    pub min_insync_replicas: u32,
    /// `unclean.leader.election.enable` for this topic (inherits the broker setting).
    pub unclean_leader_election_enable: bool,
}

/// What the producer waits for before it considers a record sent (`acks`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Acks {
    /// `acks=0`: fire and forget; no response, no retries, no offset.
    #[serde(rename = "0")]
    None,
    /// `acks=1`: the leader answers once the record is in its own log.
    #[serde(rename = "1")]
    Leader,
    /// `acks=all` (`-1`): the leader answers once every ISR member has the record.
    #[serde(rename = "all")]
    All,
}

impl Acks {
    /// The scenario-format spelling (`"0"`, `"1"`, `"all"`).
    pub fn name(self) -> &'static str {
        match self {
            Acks::None => "0",
            Acks::Leader => "1",
            Acks::All => "all",
        }
    }
}

/// A producer's settings, resolved with its client's defaults.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerConfig {
    /// Which client library this producer is.
    pub client: Client,
    /// `acks`: Java and librdkafka both default to `all`.
    pub acks: Acks,
    /// `partitioner`: Java's built-in default, or librdkafka's `consistent_random`.
    pub partitioner: Partitioner,
    /// `enable.idempotence`: true by default in Java 3.0+ when `acks=all` (KIP-679),
    /// false in librdkafka.
    pub enable_idempotence: bool,
    /// `delivery.timeout.ms` (librdkafka: `message.timeout.ms`): the time from `send()` to a
    /// final outcome, retries included. Java 120000, librdkafka 300000.
    pub delivery_timeout_ms: u64,
    /// `request.timeout.ms`: how long one request may wait for its response (30000).
    pub request_timeout_ms: u64,
    /// `retries`: Java and librdkafka default to `Integer.MAX_VALUE`, bounded in practice by
    /// `delivery.timeout.ms`.
    pub retries: u32,
    /// `retry.backoff.ms` (100); doubles per attempt up to `retry.backoff.max.ms` (KIP-580).
    pub retry_backoff_ms: u64,
    /// `retry.backoff.max.ms` (1000).
    pub retry_backoff_max_ms: u64,
    /// `linger.ms`: Java 5 since Kafka 4.0 (KIP-1030), librdkafka 5.
    pub linger_ms: u64,
    /// `batch.size` in bytes: Java 16384, librdkafka 1000000.
    pub batch_size: u32,
    /// librdkafka's `sticky.partitioning.linger.ms` (2 x linger.ms = 10); unused by Java.
    pub sticky_partitioning_linger_ms: u64,
}

impl ProducerConfig {
    /// The defaults of `self.client` where they follow other settings of `self`:
    /// KafkaProducer turns its idempotence default off unless `acks=all` (KAFKA-13673,
    /// `ProducerConfig.postProcessAndValidateIdempotenceConfigs`); librdkafka's
    /// `sticky.partitioning.linger.ms` defaults to twice `linger.ms` (at most 900000,
    /// `rdkafka_conf.c`).
    pub fn implied_defaults(&self) -> ProducerConfig {
        let mut d = ProducerConfig::defaults(self.client);
        match self.client {
            Client::Java => d.enable_idempotence &= self.acks == Acks::All,
            Client::Dotnet => {
                d.sticky_partitioning_linger_ms = self.linger_ms.saturating_mul(2).min(900_000)
            }
        }
        d
    }

    /// The defaults of `client`.
    pub fn defaults(client: Client) -> ProducerConfig {
        match client {
            Client::Java => ProducerConfig {
                client,
                acks: Acks::All,
                partitioner: Partitioner::default_for(client),
                enable_idempotence: true,
                delivery_timeout_ms: 120_000,
                request_timeout_ms: 30_000,
                retries: i32::MAX as u32,
                retry_backoff_ms: 100,
                retry_backoff_max_ms: 1_000,
                linger_ms: 5,
                batch_size: 16_384,
                sticky_partitioning_linger_ms: 10,
            },
            Client::Dotnet => ProducerConfig {
                client,
                acks: Acks::All,
                partitioner: Partitioner::default_for(client),
                enable_idempotence: false,
                delivery_timeout_ms: 300_000,
                request_timeout_ms: 30_000,
                retries: i32::MAX as u32,
                retry_backoff_ms: 100,
                retry_backoff_max_ms: 1_000,
                linger_ms: 5,
                batch_size: 1_000_000,
                sticky_partitioning_linger_ms: 10,
            },
        }
    }
}
