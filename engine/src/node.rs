//! The parties on the simulated network, as the event queue and messages address them.

use std::fmt;

use crate::ids::BrokerId;

/// A party on the simulated network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Node {
    /// The KRaft controller quorum (assumed always up).
    Controller,
    /// A broker.
    Broker(BrokerId),
    /// A producer, by its index in the scenario's `producers`.
    Producer(u32),
    /// A consumer, by the order it joined.
    Consumer(u32),
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Controller => f.write_str("controller"),
            Node::Broker(b) => write!(f, "broker {b}"),
            Node::Producer(p) => write!(f, "producer #{p}"),
            Node::Consumer(c) => write!(f, "consumer #{c}"),
        }
    }
}
