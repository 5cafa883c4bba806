//! Errors at the engine's edge: every one names what was wrong and why.

use thiserror::Error;

use crate::ids::BrokerId;
use crate::scenario::read::excerpt;

/// Why a command was refused. Nothing changed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum CommandError {
    /// No broker has this id.
    #[error("broker {0} does not exist")]
    UnknownBroker(BrokerId),
    /// The broker is already stopped.
    #[error("broker {0} is already stopped")]
    BrokerAlreadyStopped(BrokerId),
    /// The broker is already running.
    #[error("broker {0} is already running")]
    BrokerAlreadyRunning(BrokerId),
    /// No producer has this name.
    #[error("no producer is named '{}'", excerpt(.0))]
    UnknownProducer(String),
    /// A producer with this name exists.
    #[error("a producer named '{}' already exists", excerpt(.0))]
    DuplicateProducer(String),
    /// No consumer has this name.
    #[error("no consumer is named '{}'", excerpt(.0))]
    UnknownConsumer(String),
    /// A consumer with this name exists.
    #[error("a consumer named '{}' already exists", excerpt(.0))]
    DuplicateConsumer(String),
    /// The consumer no longer runs.
    #[error("consumer '{}' is not running", excerpt(.0))]
    ConsumerNotRunning(String),
    /// No topic has this name.
    #[error("no topic is named '{}'", excerpt(.0))]
    UnknownTopic(String),
    /// A topic with this name exists.
    #[error("a topic named '{}' already exists", excerpt(.0))]
    DuplicateTopic(String),
    /// A field's value is not allowed.
    #[error("{field}: {reason}")]
    Invalid {
        /// The field, in the scenario format's words.
        field: &'static str,
        /// Why.
        reason: String,
    },
    /// A limit of the simulation would be exceeded.
    #[error("{what}: at most {limit} allowed")]
    Limit {
        /// What is limited.
        what: &'static str,
        /// The limit.
        limit: u64,
    },
}

impl CommandError {
    /// The field of the command it concerns, in the scenario format's words (`name`,
    /// `partitions`, `min.insync.replicas`, `rate_per_sec`, ...): where a form shows it.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            CommandError::UnknownBroker(_)
            | CommandError::BrokerAlreadyStopped(_)
            | CommandError::BrokerAlreadyRunning(_) => Some("broker"),
            CommandError::UnknownProducer(_) => Some("producer"),
            CommandError::DuplicateProducer(_) => Some("id"),
            CommandError::UnknownConsumer(_)
            | CommandError::DuplicateConsumer(_)
            | CommandError::ConsumerNotRunning(_) => Some("consumer"),
            CommandError::UnknownTopic(_) => Some("topic"),
            CommandError::DuplicateTopic(_) => Some("name"),
            CommandError::Invalid { field, .. } => Some(field),
            CommandError::Limit { what, .. } => Some(what),
        }
    }
}
