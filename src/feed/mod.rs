//! The narration: the engine's events told as sentences, kept in a ring buffer, record
//! events summed up when they come in numbers.
//!
//! It reads `Trace::since(seq)` incrementally; after a seek or a reload it starts over
//! from the trace of the moment shown. It never decides anything about Kafka: it only
//! tells what the events said.

mod sentence;

use std::collections::VecDeque;

use kafka_sim::event::{Event, Trace};

pub use sentence::sentence;

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

/// The narration.
#[derive(Clone, Debug)]
pub struct Feed {
    lines: VecDeque<Line>,
    next_seq: u64,
    next_id: u64,
    last_time_ms: u64,
    pending: Pending,
    /// Whether record-level events are told at all.
    pub include_records: bool,
    changed_lines: bool,
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
            changed_lines: true,
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
            if entry.event.is_record_level() {
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

    /// Tells a sentence of the page's own (a lesson's goal met) at `time_ms`.
    pub fn tell(&mut self, time_ms: u64, text: String) {
        self.flush();
        self.push(time_ms, Tone::Good, text);
    }

    /// The lines, newest first, if they changed since the last call.
    pub fn take_lines(&mut self) -> Option<Vec<Line>> {
        if !std::mem::take(&mut self.changed_lines) {
            return None;
        }
        Some(self.lines.iter().rev().cloned().collect())
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use kafka_sim::event::Trace;

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
