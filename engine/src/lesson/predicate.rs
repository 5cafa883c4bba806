//! The goals' vocabulary: what a learner can be asked to make happen, each a predicate
//! the engine evaluates over the simulation (its trace of events and its state), never
//! over what the page shows.

use serde_json::Value;

use crate::kafka_error::KafkaError;
use crate::scenario::ScenarioError;
use crate::scenario::read::{Decoder, join};

/// One predicate of a goal, as the lesson's `when` names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Predicate {
    /// `records_acked`: at least `at_least` records acknowledged to their producer.
    RecordsAcked {
        /// Only records of this topic.
        topic: Option<String>,
        /// Only records of this producer.
        producer: Option<String>,
        /// How many.
        at_least: u64,
    },
    /// `same_key_one_partition`: at least `at_least` acknowledged records with one key,
    /// all in one partition.
    SameKeyOnePartition {
        /// Only records of this topic.
        topic: Option<String>,
        /// How many with the same key.
        at_least: u64,
    },
    /// `unkeyed_in_every_partition`: an acknowledged record without key in every
    /// partition of the topic.
    UnkeyedInEveryPartition {
        /// The topic.
        topic: String,
        /// Only records of this producer.
        producer: Option<String>,
    },
    /// `unkeyed_run_in_one_partition`: `at_least` acknowledged records without key in a
    /// row, all in one partition (the Java client's sticky partitioner).
    UnkeyedRunInOnePartition {
        /// The topic.
        topic: String,
        /// Only records of this producer.
        producer: Option<String>,
        /// How many in a row.
        at_least: u64,
    },
    /// `leader_moved`: a partition's leadership moved to another broker.
    LeaderMoved {
        /// Only partitions of this topic.
        topic: Option<String>,
    },
    /// `leads_and_follows`: a running broker leads one partition and follows another.
    LeadsAndFollows {
        /// Only this broker.
        broker: Option<u32>,
    },
    /// `replica_left_isr`: a replica left the ISR.
    ReplicaLeftIsr {
        /// Only partitions of this topic.
        topic: Option<String>,
        /// Only this broker's replica.
        broker: Option<u32>,
    },
    /// `isr_below_min`: a partition's ISR shrank below its `min.insync.replicas`.
    IsrBelowMin {
        /// Only partitions of this topic.
        topic: Option<String>,
    },
    /// `high_watermark_held_back`: a leader held records above its high watermark (not
    /// yet on every ISR member) for at least `for_ms` without a break.
    HighWatermarkHeldBack {
        /// Only partitions of this topic.
        topic: Option<String>,
        /// For how long.
        for_ms: u64,
    },
    /// `produce_rejected`: a leader refused a produce request with Kafka's `error`.
    ProduceRejected {
        /// Only partitions of this topic.
        topic: Option<String>,
        /// The error, by Kafka's name (`NOT_ENOUGH_REPLICAS`).
        error: KafkaError,
    },
    /// `produce_failed`: a producer gave up on a record.
    ProduceFailed {
        /// Only records of this topic.
        topic: Option<String>,
        /// Only with this final error.
        error: Option<KafkaError>,
    },
    /// `acked_record_lost`: a record acknowledged to its producer is no longer in its
    /// partition's leader's log.
    AckedRecordLost {
        /// Only records of this topic.
        topic: Option<String>,
    },
    /// `unclean_election`: a leader was elected from outside the ISR.
    UncleanElection {
        /// Only partitions of this topic.
        topic: Option<String>,
    },
    /// `partition_offline`: a partition was left without a leader.
    PartitionOffline {
        /// Only partitions of this topic.
        topic: Option<String>,
    },
    /// `records_consumed`: consumers read at least `at_least` records.
    RecordsConsumed {
        /// Only this consumer.
        consumer: Option<String>,
        /// Only consumers of this group.
        group: Option<String>,
        /// How many deliveries.
        at_least: u64,
    },
    /// `record_redelivered`: a consumer read a record its group had delivered before.
    RecordRedelivered {
        /// Only this consumer.
        consumer: Option<String>,
        /// Only consumers of this group.
        group: Option<String>,
    },
    /// `rebalanced`: the group reached generation `generation_at_least`.
    Rebalanced {
        /// The group.
        group: String,
        /// The generation.
        generation_at_least: i32,
    },
    /// `offsets_committed`: the group's coordinator stored a commit.
    OffsetsCommitted {
        /// The group.
        group: String,
    },
    /// `brokers_running`: at least `at_least` brokers run.
    BrokersRunning {
        /// How many.
        at_least: u32,
    },
}

/// The largest count a goal may ask for.
const MAX_COUNT: u64 = 1_000_000;

/// The predicates' names, as a lesson writes them.
pub const NAMES: &[&str] = &[
    "records_acked",
    "same_key_one_partition",
    "unkeyed_in_every_partition",
    "unkeyed_run_in_one_partition",
    "leader_moved",
    "leads_and_follows",
    "replica_left_isr",
    "isr_below_min",
    "high_watermark_held_back",
    "produce_rejected",
    "produce_failed",
    "acked_record_lost",
    "unclean_election",
    "partition_offline",
    "records_consumed",
    "record_redelivered",
    "rebalanced",
    "offsets_committed",
    "brokers_running",
];

/// The names a predicate refers to, which must exist in the lesson's scenario.
#[derive(Debug, Default)]
pub(crate) struct Refs<'a> {
    pub topic: Option<&'a str>,
    pub producer: Option<&'a str>,
    pub consumer: Option<&'a str>,
    pub group: Option<&'a str>,
    pub broker: Option<u32>,
}

impl Predicate {
    /// Its name, as a lesson writes it.
    pub fn name(&self) -> &'static str {
        use Predicate::*;
        match self {
            RecordsAcked { .. } => "records_acked",
            SameKeyOnePartition { .. } => "same_key_one_partition",
            UnkeyedInEveryPartition { .. } => "unkeyed_in_every_partition",
            UnkeyedRunInOnePartition { .. } => "unkeyed_run_in_one_partition",
            LeaderMoved { .. } => "leader_moved",
            LeadsAndFollows { .. } => "leads_and_follows",
            ReplicaLeftIsr { .. } => "replica_left_isr",
            IsrBelowMin { .. } => "isr_below_min",
            HighWatermarkHeldBack { .. } => "high_watermark_held_back",
            ProduceRejected { .. } => "produce_rejected",
            ProduceFailed { .. } => "produce_failed",
            AckedRecordLost { .. } => "acked_record_lost",
            UncleanElection { .. } => "unclean_election",
            PartitionOffline { .. } => "partition_offline",
            RecordsConsumed { .. } => "records_consumed",
            RecordRedelivered { .. } => "record_redelivered",
            Rebalanced { .. } => "rebalanced",
            OffsetsCommitted { .. } => "offsets_committed",
            BrokersRunning { .. } => "brokers_running",
        }
    }

    pub(crate) fn refs(&self) -> Refs<'_> {
        use Predicate::*;
        let o = Option::as_deref;
        match self {
            RecordsAcked {
                topic, producer, ..
            } => Refs {
                topic: o(topic),
                producer: o(producer),
                ..Refs::default()
            },
            UnkeyedInEveryPartition { topic, producer }
            | UnkeyedRunInOnePartition {
                topic, producer, ..
            } => Refs {
                topic: Some(topic),
                producer: o(producer),
                ..Refs::default()
            },
            SameKeyOnePartition { topic, .. }
            | LeaderMoved { topic }
            | IsrBelowMin { topic }
            | HighWatermarkHeldBack { topic, .. }
            | ProduceRejected { topic, .. }
            | ProduceFailed { topic, .. }
            | AckedRecordLost { topic }
            | UncleanElection { topic }
            | PartitionOffline { topic } => Refs {
                topic: o(topic),
                ..Refs::default()
            },
            ReplicaLeftIsr { topic, broker } => Refs {
                topic: o(topic),
                broker: *broker,
                ..Refs::default()
            },
            LeadsAndFollows { broker } => Refs {
                broker: *broker,
                ..Refs::default()
            },
            RecordsConsumed {
                consumer, group, ..
            }
            | RecordRedelivered { consumer, group } => Refs {
                consumer: o(consumer),
                group: o(group),
                ..Refs::default()
            },
            Rebalanced { group, .. } | OffsetsCommitted { group } => Refs {
                group: Some(group),
                ..Refs::default()
            },
            BrokersRunning { .. } => Refs::default(),
        }
    }
}

/// Reads a goal's `when`: an object with exactly one predicate.
pub(crate) fn decode(d: &mut Decoder, v: &Value, path: &str) -> Option<Predicate> {
    let map = d.object(v, path, NAMES)?;
    if map.len() != 1 {
        d.err(
            path,
            format!(
                "expected exactly one predicate, found {}; one of: {}",
                map.len(),
                NAMES.join(", ")
            ),
        );
        return None;
    }
    let (name, args) = map.iter().next()?;
    let path = join(path, name);
    let mut a = Args::new(d, args, &path, allowed(name))?;
    let p = match name.as_str() {
        "records_acked" => Predicate::RecordsAcked {
            topic: a.opt_str("topic"),
            producer: a.opt_str("producer"),
            at_least: a.count_in("at_least", 1, MAX_COUNT)?,
        },
        "same_key_one_partition" => Predicate::SameKeyOnePartition {
            topic: a.opt_str("topic"),
            at_least: a.count_in("at_least", 2, MAX_COUNT)?,
        },
        "unkeyed_in_every_partition" => Predicate::UnkeyedInEveryPartition {
            topic: a.req_str("topic")?,
            producer: a.opt_str("producer"),
        },
        "unkeyed_run_in_one_partition" => Predicate::UnkeyedRunInOnePartition {
            topic: a.req_str("topic")?,
            producer: a.opt_str("producer"),
            at_least: a.count_in("at_least", 2, MAX_COUNT)?,
        },
        "leader_moved" => Predicate::LeaderMoved {
            topic: a.opt_str("topic"),
        },
        "leads_and_follows" => Predicate::LeadsAndFollows {
            broker: a.opt_broker("broker"),
        },
        "replica_left_isr" => Predicate::ReplicaLeftIsr {
            topic: a.opt_str("topic"),
            broker: a.opt_broker("broker"),
        },
        "isr_below_min" => Predicate::IsrBelowMin {
            topic: a.opt_str("topic"),
        },
        "high_watermark_held_back" => Predicate::HighWatermarkHeldBack {
            topic: a.opt_str("topic"),
            for_ms: a.count_in("for_ms", 1, crate::limits::MAX_TOTAL_TIME_MS)?,
        },
        "produce_rejected" => Predicate::ProduceRejected {
            topic: a.opt_str("topic"),
            error: a.error("error", true)??,
        },
        "produce_failed" => Predicate::ProduceFailed {
            topic: a.opt_str("topic"),
            error: a.error("error", false)?,
        },
        "acked_record_lost" => Predicate::AckedRecordLost {
            topic: a.opt_str("topic"),
        },
        "unclean_election" => Predicate::UncleanElection {
            topic: a.opt_str("topic"),
        },
        "partition_offline" => Predicate::PartitionOffline {
            topic: a.opt_str("topic"),
        },
        "records_consumed" => Predicate::RecordsConsumed {
            consumer: a.opt_str("consumer"),
            group: a.opt_str("group"),
            at_least: a.count_in("at_least", 1, MAX_COUNT)?,
        },
        "record_redelivered" => Predicate::RecordRedelivered {
            consumer: a.opt_str("consumer"),
            group: a.opt_str("group"),
        },
        "rebalanced" => Predicate::Rebalanced {
            group: a.req_str("group")?,
            generation_at_least: a.count_in("generation_at_least", 1, 1_000_000)? as i32,
        },
        "offsets_committed" => Predicate::OffsetsCommitted {
            group: a.req_str("group")?,
        },
        "brokers_running" => Predicate::BrokersRunning {
            at_least: u32::try_from(a.count_in("at_least", 1, MAX_COUNT)?).ok()?,
        },
        _ => return None,
    };
    a.ok.then_some(p)
}

fn allowed(name: &str) -> &'static [&'static str] {
    match name {
        "records_acked" => &["topic", "producer", "at_least"],
        "same_key_one_partition" => &["topic", "at_least"],
        "unkeyed_in_every_partition" => &["topic", "producer"],
        "unkeyed_run_in_one_partition" => &["topic", "producer", "at_least"],
        "leads_and_follows" => &["broker"],
        "replica_left_isr" => &["topic", "broker"],
        "high_watermark_held_back" => &["topic", "for_ms"],
        "produce_rejected" | "produce_failed" => &["topic", "error"],
        "records_consumed" => &["consumer", "group", "at_least"],
        "record_redelivered" => &["consumer", "group"],
        "rebalanced" => &["group", "generation_at_least"],
        "offsets_committed" => &["group"],
        "brokers_running" => &["at_least"],
        _ => &["topic"],
    }
}

/// A predicate's arguments, each problem reported at its path.
struct Args<'d, 'v> {
    d: &'d mut Decoder,
    map: &'v serde_json::Map<String, Value>,
    path: String,
    ok: bool,
}

impl<'d, 'v> Args<'d, 'v> {
    fn new(d: &'d mut Decoder, v: &'v Value, path: &str, allowed: &[&str]) -> Option<Args<'d, 'v>> {
        let before = d.errors.len();
        let map = d.object(v, path, allowed)?;
        let ok = d.errors.len() == before;
        Some(Args {
            d,
            map,
            path: path.to_string(),
            ok,
        })
    }

    fn bad<T>(&mut self, key: &str, why: &str) -> Option<T> {
        self.ok = false;
        self.d.err(join(&self.path, key), why);
        None
    }

    fn opt_str(&mut self, key: &str) -> Option<String> {
        let v = self.map.get(key)?;
        let s = self.d.string(v, &join(&self.path, key));
        if s.is_none() {
            self.ok = false;
        }
        s
    }

    fn req_str(&mut self, key: &str) -> Option<String> {
        if !self.map.contains_key(key) {
            return self.bad(key, "required field is missing");
        }
        let s = self.opt_str(key);
        if s.is_none() {
            self.ok = false;
        }
        s
    }

    fn count_in(&mut self, key: &str, min: u64, max: u64) -> Option<u64> {
        let Some(v) = self.map.get(key) else {
            return self.bad(key, "required field is missing");
        };
        let n = self.d.uint(v, &join(&self.path, key), min, max);
        if n.is_none() {
            self.ok = false;
        }
        n
    }

    fn opt_broker(&mut self, key: &str) -> Option<u32> {
        let v = self.map.get(key)?;
        let n = self.d.uint(
            v,
            &join(&self.path, key),
            1,
            u64::from(crate::limits::MAX_BROKERS),
        );
        if n.is_none() {
            self.ok = false;
        }
        n.and_then(|n| u32::try_from(n).ok())
    }

    /// Kafka's error name; `None` when absent (an error unless not `required`), and an
    /// outer `None` when invalid.
    fn error(&mut self, key: &str, required: bool) -> Option<Option<KafkaError>> {
        let Some(v) = self.map.get(key) else {
            return if required {
                self.bad(key, "required field is missing")
            } else {
                Some(None)
            };
        };
        match v.as_str().and_then(KafkaError::from_name) {
            Some(e) => Some(Some(e)),
            None => self.bad(
                key,
                &format!(
                    "{v} is not an error the simulation produces; Kafka's names, such as \
                     NOT_ENOUGH_REPLICAS or REQUEST_TIMED_OUT"
                ),
            ),
        }
    }
}

/// A predicate's name check as an error, for callers that report one.
pub(crate) fn unknown_name(path: &str, what: &str, name: &str, known: &str) -> ScenarioError {
    ScenarioError {
        path: path.to_string(),
        message: format!("no {what} is named '{name}' in this lesson ({known})"),
    }
}
