//! `kafka-sim`: a pure, deterministic simulation of Apache Kafka's core.
//!
//! Brokers, a KRaft controller and producers are actors that exchange Kafka's RPCs over
//! a simulated network with a simulated clock. Everything random comes from one seed.
//! State changes only through [`Simulation::apply`] (a [`Command`]) and
//! [`Simulation::advance`] / [`Simulation::step`] (time passing).

pub mod actor;
pub mod assignor;
pub mod broker;
pub mod command;
pub mod config;
pub mod controller;
pub mod error;
pub mod event;
pub mod ids;
pub mod invariants;
pub mod kafka_error;
pub mod limits;
pub mod log;
pub mod message;
pub mod partitioner;
pub mod placement;
pub mod produced;
pub mod producer;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod snapshot;
pub mod topic;

pub use command::{Command, ProducerSpec, TopicSpec};
pub use config::{Acks, ClusterConfig, ProducerConfig, TopicConfig};
pub use error::CommandError;
pub use ids::{BrokerId, LeaderEpoch, Offset, PartitionId, SimDuration, SimTime};
pub use partitioner::{Client, Partitioner};
pub use sim::{Applied, Setup, SimOptions, Simulation};
pub use snapshot::{Snapshot, SnapshotOptions};
