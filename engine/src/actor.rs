//! What every actor (controller, broker, client) gets when it reacts to a message or a
//! timer: the time, read-only knowledge of the world, and an outbox.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::config::ClusterConfig;
use crate::consumed::ConsumedTable;
use crate::event::{Event, Trace};
use crate::group::GroupStore;
use crate::ids::{BrokerId, SimTime};
use crate::message::{Correlation, Message};
use crate::produced::ProducedTable;
use crate::topic::TopicTable;

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

/// Something an actor asked to be woken up for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Timer {
    /// Broker: send the next heartbeat to the controller.
    BrokerHeartbeat,
    /// Broker: try registering again after the controller refused it.
    BrokerRegistrationRetry,
    /// Broker: look for lagging followers (`maybeShrinkIsr`).
    IsrExpiration,
    /// Broker: the pause after a failed fetch from `leader` is over.
    FetcherBackoff {
        /// The leader fetched from.
        leader: BrokerId,
    },
    /// Broker: the fetch sent to `leader` may have had no answer within
    /// `replica.socket.timeout.ms` (the fetcher checks its deadline).
    FetchRequestTimeout {
        /// The leader fetched from.
        leader: BrokerId,
    },
    /// Broker: a held fetch has waited `replica.fetch.wait.max.ms`.
    DelayedFetchExpired {
        /// The follower that asked.
        replica: BrokerId,
        /// Its request.
        correlation: Correlation,
    },
    /// Broker: the earliest produce request waiting for replication may have timed out
    /// (the broker checks every deadline).
    DelayedProduceExpired,
    /// Controller: has `broker` missed its session timeout?
    SessionExpiry {
        /// The broker.
        broker: BrokerId,
    },
    /// Controller: move leadership back to preferred replicas where needed.
    LeaderImbalanceCheck,
    /// Producer: time to send, retry, or expire something.
    ProducerWakeup,
    /// Producer: the next records of its auto-produce schedule are due.
    AutoProduceTick {
        /// Which schedule (a new one replaces the old; stale ticks are ignored).
        generation: u32,
    },
    /// Coordinator: the join phase of a rebalance may be over.
    GroupJoinDeadline {
        /// The group.
        group: Arc<str>,
    },
    /// Coordinator: has this member's session expired?
    GroupMemberSession {
        /// The group.
        group: Arc<str>,
        /// The member.
        member: Arc<str>,
    },
    /// Broker: a consumer's held fetch has waited `fetch.max.wait.ms`.
    ConsumerFetchExpired {
        /// The consumer.
        consumer: u32,
        /// Its request.
        correlation: Correlation,
    },
    /// Consumer: time to heartbeat, commit, retry or fetch.
    ConsumerWakeup,
}

/// Read-only facts every actor may consult.
#[derive(Clone, Debug)]
pub struct World {
    /// Broker settings.
    pub config: ClusterConfig,
    /// Topics created so far.
    pub topics: TopicTable,
    /// One-way delay of every message.
    pub latency_ms: u64,
    /// How many records' contents each replica log keeps for display.
    pub records_kept_per_log: u64,
}

/// An actor's output: a message to send or a timer to set.
#[derive(Clone, Debug)]
pub(crate) enum Outgoing {
    Send { to: Node, msg: Message },
    Timer { at: SimTime, timer: Timer },
}

/// What a handler gets: the time, the world, an outbox and the trace.
pub struct Ctx<'a> {
    /// Current simulated time.
    pub now: SimTime,
    /// The actor being run.
    pub me: Node,
    /// Read-only facts.
    pub world: &'a World,
    pub(crate) out: &'a mut Vec<Outgoing>,
    pub(crate) trace: &'a mut Trace,
    pub(crate) produced: &'a mut ProducedTable,
    pub(crate) groups: &'a mut GroupStore,
    pub(crate) consumed: &'a mut ConsumedTable,
}

impl fmt::Debug for Ctx<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ctx")
            .field("now", &self.now)
            .field("me", &self.me)
            .finish_non_exhaustive()
    }
}

impl Ctx<'_> {
    /// Sends `msg` to `to` over the network.
    pub(crate) fn send(&mut self, to: Node, msg: Message) {
        self.out.push(Outgoing::Send { to, msg });
    }

    /// Asks to be woken up at `at`.
    pub(crate) fn timer(&mut self, at: SimTime, timer: Timer) {
        self.out.push(Outgoing::Timer { at, timer });
    }

    /// Records an event; `make` runs only if the trace keeps events.
    pub(crate) fn emit(&mut self, make: impl FnOnce() -> Event) {
        if self.trace.is_recording() {
            let e = make();
            self.trace.push(self.now.0, e);
        } else {
            self.trace.count_unrecorded();
        }
    }
}
