//! What an actor can ask to be woken up for.

use std::sync::Arc;

use serde::Serialize;

use crate::ids::BrokerId;
use crate::message::Correlation;

/// Something an actor asked to be woken up for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Timer {
    /// Broker: send the next heartbeat to the controller.
    BrokerHeartbeat,
    /// Broker: try registering again after the controller refused it.
    BrokerRegistrationRetry,
    /// Broker: `initial.broker.registration.timeout.ms` since it started; if it has not
    /// registered yet, it shuts down (the simulation stops it).
    BrokerRegistrationTimeout,
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
