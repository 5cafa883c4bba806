//! The invariants every state must satisfy, checked after every step in tests.

use std::fmt;

use crate::ids::Offset;
use crate::sim::Simulation;
use crate::topic::{TopicTable, Tp};

/// A broken invariant: which, where, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation(pub String);

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn name(topics: &TopicTable, tp: Tp) -> String {
    topics.display(tp).to_string()
}

/// Checks every invariant; returns the violations (none when all hold):
///
/// - every replica's high watermark is at most its log end offset;
/// - offsets are dense: the batches of a log run from 0 to its log end without gap or
///   overlap, and its leader-epoch cache is increasing and within the log;
/// - the ISR is a non-empty subset of the replicas without duplicates;
/// - the leader, if any, is in the ISR and not fenced;
/// - the logs of ISR members agree, offset by offset and epoch by epoch, below the
///   leader's high watermark.
pub fn check(sim: &Simulation) -> Vec<Violation> {
    let mut out = Vec::new();
    let topics = sim.topics();
    for broker in sim.brokers() {
        for (tid, info) in topics.iter() {
            for p in 0..info.partitions {
                let tp = Tp {
                    topic: tid,
                    partition: crate::ids::PartitionId(p),
                };
                let Some(r) = broker.replica(tp) else {
                    continue;
                };
                let log = r.log();
                let here = format!("{} on broker {}", name(topics, tp), broker.id());
                if log.high_watermark() > log.log_end_offset() {
                    out.push(Violation(format!(
                        "{here}: high watermark {} above log end offset {}",
                        log.high_watermark(),
                        log.log_end_offset()
                    )));
                }
                let mut next = Offset(0);
                for b in log.batches() {
                    if b.base_offset != next {
                        out.push(Violation(format!(
                            "{here}: batch at {} but the previous one ended at {next}",
                            b.base_offset
                        )));
                    }
                    if b.records
                        .as_ref()
                        .is_some_and(|r| r.len() != b.count as usize)
                    {
                        out.push(Violation(format!(
                            "{here}: batch at {} holds a wrong number of records",
                            b.base_offset
                        )));
                    }
                    next = b.next_offset();
                }
                if next != log.log_end_offset() {
                    out.push(Violation(format!(
                        "{here}: batches end at {next}, log end offset is {}",
                        log.log_end_offset()
                    )));
                }
                for w in log.epochs().windows(2) {
                    if w[0].epoch >= w[1].epoch || w[0].start_offset > w[1].start_offset {
                        out.push(Violation(format!(
                            "{here}: epoch cache out of order: {w:?}"
                        )));
                    }
                }
                if log
                    .epochs()
                    .last()
                    .is_some_and(|e| e.start_offset > log.log_end_offset())
                {
                    out.push(Violation(format!(
                        "{here}: epoch cache starts beyond the log end"
                    )));
                }
            }
        }
    }
    for (tp, st) in sim.controller().partitions() {
        let here = name(topics, *tp);
        if st.isr.is_empty() {
            out.push(Violation(format!("{here}: empty ISR")));
        }
        for (i, b) in st.isr.iter().enumerate() {
            if !st.replicas.contains(b) {
                out.push(Violation(format!(
                    "{here}: ISR member {b} is not a replica"
                )));
            }
            if st.isr[..i].contains(b) {
                out.push(Violation(format!("{here}: ISR lists {b} twice")));
            }
        }
        let Some(leader) = st.leader else {
            continue;
        };
        if !st.isr.contains(&leader) {
            out.push(Violation(format!(
                "{here}: leader {leader} is not in the ISR"
            )));
        }
        if sim.controller().is_fenced(leader) {
            out.push(Violation(format!("{here}: leader {leader} is fenced")));
        }
        let Some(leader_log) = sim
            .broker(leader)
            .and_then(|b| b.replica(*tp))
            .map(|r| r.log())
        else {
            continue;
        };
        let hw = leader_log.high_watermark();
        let reference: Vec<_> = leader_log
            .records()
            .take_while(|(o, _, _)| *o < hw)
            .map(|(o, e, body)| (o, e, body.map(|b| b.id)))
            .collect();
        for m in &st.isr {
            if *m == leader {
                continue;
            }
            let Some(log) = sim.broker(*m).and_then(|b| b.replica(*tp)).map(|r| r.log()) else {
                continue;
            };
            for ((o, e, id), (o2, e2, id2)) in reference.iter().zip(log.records()) {
                let ids_differ = matches!((id, id2.map(|b| b.id)), (Some(a), Some(b)) if *a != b);
                if *o != o2 || *e != e2 || ids_differ {
                    out.push(Violation(format!(
                        "{here}: ISR member {m} disagrees with leader {leader} at offset {o} \
                         below the high watermark {hw}"
                    )));
                    break;
                }
            }
        }
    }
    out
}
