//! The parties on the simulated network, as the event queue and messages address them.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::Serialize;

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

/// A party as the view model names it: by broker id, or by the name a producer or
/// consumer was given. Written `controller`, `broker:1`, `producer:web-api`,
/// `consumer:c1`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeId {
    /// The KRaft controller quorum.
    Controller,
    /// A broker.
    Broker(BrokerId),
    /// A producer, by its id.
    Producer(Arc<str>),
    /// A consumer, by its name.
    Consumer(Arc<str>),
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeId::Controller => f.write_str("controller"),
            NodeId::Broker(b) => write!(f, "broker:{b}"),
            NodeId::Producer(p) => write!(f, "producer:{p}"),
            NodeId::Consumer(c) => write!(f, "consumer:{c}"),
        }
    }
}

impl Serialize for NodeId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl FromStr for NodeId {
    type Err = ();

    /// The inverse of `Display`: `broker:1` is broker 1.
    fn from_str(s: &str) -> Result<NodeId, ()> {
        if s == "controller" {
            return Ok(NodeId::Controller);
        }
        match s.split_once(':').ok_or(())? {
            ("broker", id) => id
                .parse()
                .map(|b| NodeId::Broker(BrokerId(b)))
                .map_err(|_| ()),
            ("producer", name) if !name.is_empty() => Ok(NodeId::Producer(name.into())),
            ("consumer", name) if !name.is_empty() => Ok(NodeId::Consumer(name.into())),
            _ => Err(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_id_reads_back_what_it_writes() {
        for n in [
            NodeId::Controller,
            NodeId::Broker(BrokerId(12)),
            NodeId::Producer("web-api:v2".into()),
            NodeId::Consumer("c1".into()),
        ] {
            assert_eq!(n.to_string().parse::<NodeId>(), Ok(n.clone()), "{n}");
        }
        for bad in [
            "",
            "broker:",
            "broker:x",
            "producer:",
            "worker:1",
            "controller:1",
        ] {
            assert_eq!(bad.parse::<NodeId>(), Err(()), "{bad}");
        }
    }
}
