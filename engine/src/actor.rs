//! What every actor (controller, broker, client) gets when it reacts to a message or a
//! timer: the time, read-only knowledge of the world, and an outbox.

use std::fmt;

use crate::config::ClusterConfig;
use crate::consumed::ConsumedTable;
use crate::event::{Event, Trace};
use crate::group::GroupStore;
use crate::handover::Handovers;
use crate::ids::SimTime;
use crate::message::Message;
use crate::node::Node;
use crate::produced::ProducedTable;
use crate::timer::Timer;
use crate::topic::TopicTable;

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
    /// What a group leader assigns partitions with.
    pub assign: crate::assignor::AssignFn,
}

/// An actor's output: a message to send or a timer to set.
#[derive(Clone, Debug)]
pub(crate) enum Outgoing {
    Send { to: Node, msg: Message },
    Timer { at: SimTime, timer: Timer },
}

/// What every handler may write besides its own state: the outbox, the trace, and the
/// tables that outlive a single actor (outcomes of produced records, consumer-group state
/// kept as if replicated, deliveries to consumers, partitions handed over in rebalances).
#[derive(Clone, Debug)]
pub(crate) struct Shared {
    pub out: Vec<Outgoing>,
    pub trace: Trace,
    pub produced: ProducedTable,
    pub groups: GroupStore,
    pub consumed: ConsumedTable,
    pub handovers: Handovers,
}

impl Shared {
    /// Tables that keep as much as `options` says.
    pub fn new(trace_capacity: usize, produced_kept: usize, consumed_kept: usize) -> Shared {
        Shared {
            out: Vec::new(),
            trace: Trace::with_capacity(trace_capacity),
            produced: ProducedTable::with_capacity(produced_kept),
            groups: GroupStore::default(),
            consumed: ConsumedTable::with_capacity(consumed_kept),
            handovers: Handovers::default(),
        }
    }
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
    pub(crate) handovers: &'a mut Handovers,
}

impl fmt::Debug for Ctx<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ctx")
            .field("now", &self.now)
            .field("me", &self.me)
            .finish_non_exhaustive()
    }
}

impl<'a> Ctx<'a> {
    /// The context of `me` at `now`: the one place a handler's view is put together.
    pub(crate) fn new(now: SimTime, me: Node, world: &'a World, shared: &'a mut Shared) -> Self {
        let Shared {
            out,
            trace,
            produced,
            groups,
            consumed,
            handovers,
        } = shared;
        Ctx {
            now,
            me,
            world,
            out,
            trace,
            produced,
            groups,
            consumed,
            handovers,
        }
    }

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
