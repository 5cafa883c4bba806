//! The normative output of `kafka-sim run` (`scenario-format.md`, "Output"): the final
//! snapshot, projected onto the fields the format names, with the outcome of each
//! `produce` step.

use std::sync::Arc;

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

use super::{Scenario, Step};
use crate::consumed::ConsumedRecord;
use crate::ids::{Offset, PartitionId};
use crate::kafka_error::KafkaError;
use crate::produced::ProduceStatus;
use crate::scenario::Run;
use crate::snapshot::{
    BrokerSnapshot, GroupSnapshot, LogSnapshot, MemberSnapshot, PartitionSnapshot, RecordSnapshot,
    Snapshot, TopicSnapshot,
};

/// The document `kafka-sim run` prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunOutput {
    /// The simulation at the end, in full.
    pub snapshot: Snapshot,
    /// One entry per `produce` step, in step order.
    pub produced: Vec<ProducedOut>,
}

/// `produced[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProducedOut {
    /// The step's index.
    pub step: usize,
    /// The producer.
    pub producer: Arc<str>,
    /// The topic.
    pub topic: Arc<str>,
    /// The key.
    pub key: Option<Arc<str>>,
    /// The value.
    pub value: Option<Arc<str>>,
    /// The partition chosen, once chosen.
    pub partition: Option<PartitionId>,
    /// `acked`, `failed` or `pending`.
    pub status: ProduceStatus,
    /// Where it was written, as acknowledged.
    pub offset: Option<Offset>,
    /// Kafka's error name when failed.
    pub error: Option<KafkaError>,
}

/// A snapshot type seen through the output format: only the fields the format names, in
/// its order.
trait Normative {
    fn write<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error>;
}

/// Serializes a [`Normative`] value (or a list of them) as the format writes it.
struct Out<'a, T: ?Sized>(&'a T);

impl<T: Normative> Serialize for Out<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        self.0.write(&mut m)?;
        m.end()
    }
}

impl<T: Normative> Serialize for Out<'_, [T]> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            seq.serialize_element(&Out(item))?;
        }
        seq.end()
    }
}

/// `normative!(Type { field, nested: list, ... })`: the fields of `Type` that the format
/// names, in order; a field marked `list` holds snapshot types projected in turn.
macro_rules! normative {
    ($($ty:ty { $($field:ident $(: $list:ident)?),* $(,)? })*) => {$(
        impl Normative for $ty {
            fn write<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
                $(normative!(@field m, self, $field $(, $list)?);)*
                Ok(())
            }
        }
    )*};
    (@field $m:ident, $s:ident, $field:ident) => {
        $m.serialize_entry(stringify!($field), &$s.$field)?
    };
    (@field $m:ident, $s:ident, $field:ident, list) => {
        $m.serialize_entry(stringify!($field), &Out(&$s.$field[..]))?
    };
}

normative! {
    BrokerSnapshot { id, status }
    TopicSnapshot { name, partitions: list }
    PartitionSnapshot { partition, leader, leader_epoch, replicas, isr, high_watermark, logs: list }
    RecordSnapshot { offset, key, value, leader_epoch }
    GroupSnapshot { group, generation, assignor, members: list, committed, lag }
    MemberSnapshot { consumer, status, assignment }
    ConsumedRecord { consumer, topic, partition, offset, key, value }
}

impl Normative for LogSnapshot {
    fn write<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        m.serialize_entry("broker", &self.broker)?;
        m.serialize_entry("log_end_offset", &self.log_end_offset)?;
        m.serialize_entry("records", &Out(&self.records[..]))?;
        // Past the contents kept per log (limits::CLI_RECORDS_KEPT_PER_LOG) the oldest
        // records keep their offsets only: how many are not listed.
        if self.records_not_shown > 0 {
            m.serialize_entry("records_not_shown", &self.records_not_shown)?;
        }
        Ok(())
    }
}

impl Serialize for RunOutput {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let snap = &self.snapshot;
        let mut m = s.serialize_map(Some(6))?;
        m.serialize_entry("time_ms", &snap.time_ms)?;
        m.serialize_entry("brokers", &Out(&snap.brokers[..]))?;
        m.serialize_entry("topics", &Out(&snap.topics[..]))?;
        m.serialize_entry("produced", &self.produced)?;
        m.serialize_entry("groups", &Out(&snap.groups[..]))?;
        m.serialize_entry("consumed", &Out(&snap.consumed[..]))?;
        m.end()
    }
}

/// The output of a finished run.
pub fn run_output(scenario: &Scenario, run: &Run) -> RunOutput {
    let produced = run
        .produced
        .iter()
        .filter_map(|(step, result)| {
            let Some(Step::Produce(doc)) = scenario.steps.get(*step) else {
                return None;
            };
            let rec = result
                .as_ref()
                .ok()
                .and_then(|id| run.sim.produced().get(*id));
            Some(match rec {
                Some(r) => ProducedOut {
                    step: *step,
                    producer: r.producer.clone(),
                    topic: r.topic.clone(),
                    key: r.key.clone(),
                    value: r.value.clone(),
                    partition: r.partition,
                    status: r.status,
                    offset: r.offset,
                    error: r.error,
                },
                // Refused before the producer took it (an unknown topic at run time).
                None => ProducedOut {
                    step: *step,
                    producer: doc.producer.as_str().into(),
                    topic: doc.topic.as_str().into(),
                    key: doc.key.as_deref().map(Arc::from),
                    value: doc.value.as_deref().map(Arc::from),
                    partition: None,
                    status: ProduceStatus::Failed,
                    offset: None,
                    error: Some(KafkaError::UnknownTopicOrPartition),
                },
            })
        })
        .collect();
    RunOutput {
        snapshot: run.sim.snapshot(),
        produced,
    }
}

#[cfg(test)]
mod tests {
    use crate::SimOptions;
    use crate::scenario::{parse, run, run_output};

    #[test]
    fn a_log_longer_than_its_kept_contents_says_how_many_records_it_does_not_list() {
        // One record per batch: the cap keeps whole batches.
        let produce =
            r#"{"produce":{"producer":"p","topic":"t","key":"k","value":"v"}},{"advance_ms":100}"#;
        let text = format!(
            r#"{{"version":1,"cluster":{{"brokers":1}},"topics":[{{"name":"t"}}],
                "producers":[{{"id":"p"}}],"steps":[{p},{p},{p},{p},{p},{{"advance_ms":500}}]}}"#,
            p = produce
        );
        let doc = parse(&text).expect("valid");
        let options = SimOptions {
            records_kept_per_log: 2,
            ..SimOptions::default()
        };
        let out = serde_json::to_value(run_output(&doc, &run(&doc, options).expect("runs")))
            .expect("serializes");
        let log = &out["topics"][0]["partitions"][0]["logs"][0];
        assert_eq!(log["log_end_offset"], 5);
        assert_eq!(log["records"].as_array().map(Vec::len), Some(2));
        assert_eq!(log["records_not_shown"], 3);
        // Every produce step's outcome is still there.
        assert!(
            out["produced"]
                .as_array()
                .expect("list")
                .iter()
                .all(|p| p["status"] == "acked")
        );
        let all = run(&doc, SimOptions::default()).expect("runs");
        let full = serde_json::to_value(run_output(&doc, &all)).expect("serializes");
        assert!(
            full["topics"][0]["partitions"][0]["logs"][0]
                .get("records_not_shown")
                .is_none()
        );
    }
}
