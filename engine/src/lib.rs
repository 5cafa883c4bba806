//! `kafka-sim`: a pure, deterministic simulation of Apache Kafka's core.
//!
//! Brokers, a KRaft controller and producers are actors that exchange Kafka's RPCs over
//! a simulated network with a simulated clock. Everything random comes from one seed.
//! State changes only through [`Simulation::apply`] (a [`Command`]) and
//! [`Simulation::advance`] / [`Simulation::step`] (time passing).
//!
//! A scenario document, run to its end:
//!
//! ```
//! use kafka_sim::{scenario, SimOptions};
//!
//! let doc = scenario::parse(r#"{
//!   "version": 1,
//!   "cluster": { "brokers": 3 },
//!   "topics": [{ "name": "orders", "partitions": 6, "replication_factor": 3 }],
//!   "producers": [{ "id": "web-api", "client": "dotnet" }],
//!   "steps": [
//!     { "produce": { "producer": "web-api", "topic": "orders", "key": "user-42", "value": "paid" } },
//!     { "advance_ms": 100 }
//!   ]
//! }"#).expect("a valid scenario");
//! let run = scenario::run(&doc, SimOptions::default()).expect("it runs");
//! let out = scenario::run_output(&doc, &run);
//! // Confluent.Kafka's default partitioner: crc32("user-42") % 6 = 1.
//! assert_eq!(out.produced[0].partition.map(|p| p.0), Some(1));
//! assert_eq!(out.produced[0].offset.map(|o| o.0), Some(0));
//! ```
//!
//! The same through commands, with a broker crash:
//!
//! ```
//! use kafka_sim::{BrokerId, Command, Setup, SimOptions, Simulation};
//! # use kafka_sim::{ClusterConfig, Client, ProducerConfig, ProducerSpec, TopicSpec};
//! let setup = Setup {
//!     seed: 7,
//!     latency_ms: 10,
//!     brokers: 3,
//!     config: ClusterConfig::default(),
//!     topics: vec![TopicSpec {
//!         name: "orders".into(),
//!         partitions: 1,
//!         replication_factor: 3,
//!         min_insync_replicas: Some(2),
//!         unclean_leader_election_enable: None,
//!         replica_assignment: None,
//!     }],
//!     producers: vec![ProducerSpec { id: "app".into(), config: ProducerConfig::defaults(Client::Java) }],
//! };
//! let mut sim = Simulation::new(&setup, SimOptions::default()).expect("valid");
//! let leader = sim.snapshot().topics[0].partitions[0].leader.expect("a leader");
//! sim.apply(Command::StopBroker(leader)).expect("it runs");
//! sim.advance(10_000).expect("within limits"); // broker.session.timeout.ms is 9000
//! let p = &sim.snapshot().topics[0].partitions[0];
//! assert_ne!(p.leader, Some(leader));
//! assert_eq!(p.leader_epoch.0, 1);
//! assert!(!p.isr.contains(&leader));
//! ```

// The front door. Drivers (the page, the CLI, tests) run a simulation through
// `Simulation` or `scenario::Timeline`, read it through `snapshot` (the view model),
// `journey` and `event`, and may call Kafka's pure algorithms (`partitioner`, `assignor`,
// `placement`). The actors, their messages and their state stay inside.
pub mod assignor;
pub mod collections;
pub mod event;
pub mod export;
pub mod inspect;
pub mod invariants;
pub mod journey;
pub mod lesson;
pub mod limits;
pub mod modelled;
pub mod partitioner;
pub mod placement;
pub mod rng;
pub mod scenario;
pub mod snapshot;

mod actor;
mod broker;
mod client;
mod command;
mod config;
mod consumed;
mod consumer;
mod controller;
mod error;
mod group;
mod handover;
mod ids;
mod kafka_error;
mod log;
mod message;
mod node;
mod produced;
mod producer;
mod sim;
mod timer;
mod topic;

pub use client::Client;
pub use command::{Command, ProducerSpec, TopicSpec};
pub use config::{Acks, ClusterConfig, ProducerConfig, TopicConfig};
pub use consumer::{ConsumerConfig, IsolationLevel, OffsetReset};
pub use error::CommandError;
pub use ids::{BrokerId, LeaderEpoch, Offset, PartitionId, SimDuration, SimTime, TopicPartition};
pub use kafka_error::KafkaError;
pub use partitioner::Partitioner;
pub use sim::{
    Applied, Setup, SimOptions, Simulation, topics_collide, validate_client_name,
    validate_group_instance_id, validate_group_name, validate_latency, validate_topic_name,
};
pub use snapshot::{Snapshot, SnapshotOptions};
