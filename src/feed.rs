//! What the page keeps from the engine's event trace: the narration lines (a ring buffer)
//! and the partitions each consumer gave up in a rebalance that nobody owns again yet
//! (drawn grey, which makes eager and cooperative rebalances look different).
//!
//! It reads `Trace::since(seq)` incrementally; after a seek or a reload it starts over
//! from the trace of the moment shown. It never decides anything about Kafka: it only
//! remembers what the events said.

use std::collections::VecDeque;
use std::sync::Arc;

use kafka_sim::collections::Map;
use kafka_sim::event::{Event, Trace};

use crate::view::narration::{is_record_event, sentence};

/// Narration lines kept.
pub const LINES_KEPT: usize = 120;
/// Record events told one by one when at most this many come together; more are summed up.
const RECORD_EVENTS_TOLD: usize = 12;
/// A quiet batch of record events is told this long (simulated) after the first of them.
const QUIET_FLUSH_MS: u64 = 300;
/// Under load, record events are summed up at most this often (simulated).
const BUSY_FLUSH_MS: u64 = 3_000;

/// How a line reads: neutral, good news or bad news. Shown by a glyph and a colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Neutral.
    Info,
    /// Something recovered or succeeded.
    Good,
    /// Something failed, stopped or was lost.
    Bad,
    /// A summary of many record events.
    Summary,
}

impl Tone {
    /// The CSS class.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Info => "info",
            Tone::Good => "good",
            Tone::Bad => "bad",
            Tone::Summary => "summary",
        }
    }

    /// The glyph that says the same as the colour.
    pub fn glyph(self) -> &'static str {
        match self {
            Tone::Info => "•",
            Tone::Good => "✓",
            Tone::Bad => "!",
            Tone::Summary => "…",
        }
    }
}

/// One narration line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Unique while the page lives (the key of the list).
    pub id: u64,
    /// Simulated time of the event.
    pub time_ms: u64,
    /// The sentence.
    pub text: String,
    /// Its tone.
    pub tone: Tone,
}

/// Counts of record events waiting to be told.
#[derive(Clone, Debug, Default)]
struct Pending {
    lines: Vec<Line>,
    count: usize,
    since_ms: Option<u64>,
    until_ms: u64,
    appended: u64,
    replicated: u64,
    acked: u64,
    read: u64,
}

/// The narration and rebalance bookkeeping.
#[derive(Clone, Debug)]
pub struct Feed {
    lines: VecDeque<Line>,
    next_seq: u64,
    next_id: u64,
    last_time_ms: u64,
    pending: Pending,
    /// Whether record-level events are told at all.
    pub include_records: bool,
    revoked: Map<Arc<str>, Vec<String>>,
    changed_lines: bool,
    changed_revoked: bool,
}

impl Default for Feed {
    fn default() -> Self {
        Feed {
            lines: VecDeque::new(),
            next_seq: 0,
            next_id: 0,
            last_time_ms: 0,
            pending: Pending::default(),
            include_records: true,
            revoked: Map::new(),
            changed_lines: true,
            changed_revoked: true,
        }
    }
}

impl Feed {
    /// Forgets everything (after a seek or a reload); the next `absorb` reads the whole
    /// trace of the moment shown. Line ids keep counting so list keys stay unique.
    pub fn reset(&mut self) {
        let next_id = self.next_id;
        let include_records = self.include_records;
        *self = Feed {
            next_id,
            include_records,
            ..Feed::default()
        };
    }

    /// Reads the events after the last one read, up to `now_ms`.
    pub fn absorb(&mut self, trace: &Trace, now_ms: u64) {
        if trace.total() < self.next_seq || now_ms < self.last_time_ms {
            // Time went back without a reset: start over.
            self.reset();
        }
        for entry in trace.since(self.next_seq) {
            self.track_rebalance(&entry.event);
            if is_record_event(&entry.event) {
                if self.include_records {
                    self.hold(&entry.event, entry.time_ms);
                }
                continue;
            }
            self.flush();
            let (tone, text) = sentence(&entry.event);
            self.push(entry.time_ms, tone, text);
        }
        self.next_seq = trace.total();
        self.last_time_ms = now_ms;
        if let Some(since) = self.pending.since_ms {
            let waited = now_ms.saturating_sub(since);
            if (self.pending.count <= RECORD_EVENTS_TOLD && waited >= QUIET_FLUSH_MS)
                || waited >= BUSY_FLUSH_MS
            {
                self.flush();
            }
        }
    }

    /// The lines, newest first, if they changed since the last call.
    pub fn take_lines(&mut self) -> Option<Vec<Line>> {
        if !std::mem::take(&mut self.changed_lines) {
            return None;
        }
        Some(self.lines.iter().rev().cloned().collect())
    }

    /// Partitions each consumer gave up that nobody owns again yet, if they changed.
    pub fn take_revoked(&mut self) -> Option<Map<Arc<str>, Vec<String>>> {
        if !std::mem::take(&mut self.changed_revoked) {
            return None;
        }
        Some(self.revoked.clone())
    }

    fn push(&mut self, time_ms: u64, tone: Tone, text: String) {
        if self.lines.len() == LINES_KEPT {
            self.lines.pop_front();
        }
        self.lines.push_back(Line {
            id: self.next_id,
            time_ms,
            text,
            tone,
        });
        self.next_id += 1;
        self.changed_lines = true;
    }

    fn hold(&mut self, e: &Event, time_ms: u64) {
        let p = &mut self.pending;
        p.count += 1;
        p.since_ms.get_or_insert(time_ms);
        p.until_ms = time_ms;
        match e {
            Event::RecordAppended { .. } => p.appended += 1,
            Event::RecordsReplicated { .. } => p.replicated += 1,
            Event::ProduceAcked { .. } => p.acked += 1,
            Event::RecordConsumed { .. } => p.read += 1,
            _ => {}
        }
        if p.lines.len() < RECORD_EVENTS_TOLD {
            let (tone, text) = sentence(e);
            p.lines.push(Line {
                id: 0,
                time_ms,
                text,
                tone,
            });
        }
    }

    fn flush(&mut self) {
        let p = std::mem::take(&mut self.pending);
        if p.count == 0 {
            return;
        }
        if p.count <= RECORD_EVENTS_TOLD {
            for l in p.lines {
                self.push(l.time_ms, l.tone, l.text);
            }
            return;
        }
        let first = p.since_ms.unwrap_or(p.until_ms);
        let text = format!(
            "{} record events since {}: {} appended by leaders, {} copies fetched by followers, {} acknowledged, {} read by consumers",
            p.count,
            crate::text::seconds(first),
            p.appended,
            p.replicated,
            p.acked,
            p.read
        );
        self.push(p.until_ms, Tone::Summary, text);
    }

    fn track_rebalance(&mut self, e: &Event) {
        match e {
            Event::PartitionsRevoked {
                consumer,
                partitions,
            }
            | Event::PartitionsLost {
                consumer,
                partitions,
            } => {
                let list = self.revoked.entry(consumer.clone()).or_default();
                for p in partitions {
                    if !list.contains(p) {
                        list.push(p.clone());
                    }
                }
                self.changed_revoked = true;
            }
            Event::PartitionsAssigned { partitions, .. } => {
                // Whoever gets a partition, it no longer waits for an owner anywhere.
                for (_, list) in self.revoked.iter_mut() {
                    list.retain(|p| !partitions.contains(p));
                }
                self.revoked.retain(|_, l| !l.is_empty());
                self.changed_revoked = true;
            }
            Event::ConsumerStopped { consumer } | Event::ConsumerLeft { consumer } => {
                self.revoked.remove(consumer);
                self.changed_revoked = true;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kafka_sim::event::Trace;

    fn tp_list(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn revoked_partitions_stay_grey_until_someone_owns_them_again() {
        let mut t = Trace::with_capacity(100);
        let c1: Arc<str> = "c1".into();
        let c2: Arc<str> = "c2".into();
        t.push(
            10,
            Event::PartitionsRevoked {
                consumer: c1.clone(),
                partitions: tp_list(&["orders-0", "orders-1"]),
            },
        );
        let mut f = Feed::default();
        f.absorb(&t, 10);
        let r = f.take_revoked().expect("changed");
        assert_eq!(r.get(&c1).map(Vec::len), Some(2));
        t.push(
            20,
            Event::PartitionsAssigned {
                consumer: c2,
                partitions: tp_list(&["orders-1"]),
            },
        );
        f.absorb(&t, 20);
        let r = f.take_revoked().expect("changed");
        assert_eq!(r.get(&c1), Some(&tp_list(&["orders-0"])));
    }

    #[test]
    fn many_record_events_are_summed_up_and_important_ones_told_at_once() {
        let mut t = Trace::with_capacity(1000);
        for i in 0..50u64 {
            t.push(
                i,
                Event::RecordConsumed {
                    consumer: "c1".into(),
                    topic: "orders".into(),
                    partition: kafka_sim::PartitionId(0),
                    offset: kafka_sim::Offset(i),
                    redelivered: false,
                },
            );
        }
        t.push(
            60,
            Event::BrokerStopped {
                broker: kafka_sim::BrokerId(2),
                messages_lost: 0,
            },
        );
        let mut f = Feed::default();
        f.absorb(&t, 60);
        let lines = f.take_lines().expect("changed");
        // Newest first: the stop, then one summary of the 50 reads.
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text, "broker 2 stopped");
        assert_eq!(lines[1].tone, Tone::Summary);
        assert!(lines[1].text.starts_with("50 record events"));
    }

    #[test]
    fn a_few_record_events_are_told_one_by_one_after_a_short_wait() {
        let mut t = Trace::with_capacity(10);
        t.push(
            5,
            Event::RecordConsumed {
                consumer: "c1".into(),
                topic: "orders".into(),
                partition: kafka_sim::PartitionId(1),
                offset: kafka_sim::Offset(5),
                redelivered: true,
            },
        );
        let mut f = Feed::default();
        f.absorb(&t, 100);
        assert_eq!(f.take_lines().map(|l| l.len()), Some(0));
        f.absorb(&t, 400);
        let lines = f.take_lines().expect("changed");
        assert_eq!(
            lines[0].text,
            "c1 read orders-1 offset 5 again (redelivered)"
        );
    }
}
