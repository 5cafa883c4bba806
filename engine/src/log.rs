//! One replica's copy of a partition: record batches, the leader-epoch cache and the
//! idempotent-producer state derived from them.
//!
//! Offsets are dense from 0 to the log end offset. Record contents may be dropped for old
//! batches (the display cap) while their offsets, leader epochs and producer stamps stay,
//! because replication and truncation need only those.

use std::collections::VecDeque;

use crate::collections::Map;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::ids::{LeaderEpoch, Offset};
use crate::kafka_error::KafkaError;

/// A produced record's identity: its index in the order records were handed to producers.
/// A retried record that lands twice keeps one id, which is how duplicates are recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(pub u64);

/// What a producer sent: key and value, shared by every copy of the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordBody {
    /// The produced record this is a copy of.
    pub id: RecordId,
    /// `None` for a record without key.
    pub key: Option<Arc<str>>,
    /// `None` for a null value (a tombstone).
    pub value: Option<Arc<str>>,
}

/// An idempotent producer's stamp on a batch (KIP-98).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerStamp {
    /// The producer id.
    pub producer_id: u64,
    /// The producer epoch; bumped when the producer must reset its sequences.
    pub producer_epoch: u16,
    /// The sequence number of the batch's first record.
    pub base_sequence: u32,
}

/// A record batch as Kafka stores it: consecutive offsets written in one leader epoch.
#[derive(Clone, Debug)]
pub struct Batch {
    /// Offset of the first record.
    pub base_offset: Offset,
    /// The leader epoch in which the leader appended the batch.
    pub leader_epoch: LeaderEpoch,
    /// Number of records.
    pub count: u32,
    /// Size in bytes, as counted against `replica.fetch.max.bytes`.
    pub size_bytes: u32,
    /// Set for idempotent producers.
    pub producer: Option<ProducerStamp>,
    /// For a run of merged batches (see [`ReplicaLog::coalesce_dropped`]): the stamps of
    /// the batches in it that the producer state needs, in offset order.
    pub merged_stamps: Option<Arc<[StampedRange]>>,
    /// The records' contents, or `None` once dropped by the display cap.
    pub records: Option<Arc<[RecordBody]>>,
}

/// An idempotent producer's batch inside a run: its stamp and where it lies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StampedRange {
    /// The batch's stamp.
    pub stamp: ProducerStamp,
    /// Its first offset.
    pub base_offset: Offset,
    /// Its records.
    pub count: u32,
}

impl StampedRange {
    fn next_offset(&self) -> Offset {
        self.base_offset.plus(u64::from(self.count))
    }
}

impl Batch {
    /// The producer stamps of the batch, or of the batches a run stands for, in offset
    /// order (no allocation: this runs for every batch appended).
    pub fn stamps(&self) -> impl Iterator<Item = StampedRange> + '_ {
        let own = match (&self.merged_stamps, self.producer) {
            (None, Some(stamp)) => Some(StampedRange {
                stamp,
                base_offset: self.base_offset,
                count: self.count,
            }),
            _ => None,
        };
        self.merged_stamps
            .iter()
            .flat_map(|m| m.iter().copied())
            .chain(own)
    }

    /// The offset after the batch's last record.
    pub fn next_offset(&self) -> Offset {
        self.base_offset.plus(u64::from(self.count))
    }

    /// The records of this batch in `[from, until)`, which overlaps it: the batch itself
    /// when it lies inside, else that slice, with its share of the bytes. Only runs of
    /// merged batches are ever cut (a run stands for many batches, and a read from inside
    /// it returns those from the read offset on, as Kafka's would), so no producer stamp
    /// is cut.
    fn slice(&self, from: Offset, until: Offset) -> Batch {
        let start = from.max(self.base_offset);
        let end = until.min(self.next_offset());
        if start == self.base_offset && end == self.next_offset() {
            return self.clone();
        }
        let (skip, count) = (
            (start.0 - self.base_offset.0) as u32,
            (end.0.saturating_sub(start.0)) as u32,
        );
        let size_bytes =
            (u64::from(self.size_bytes) * u64::from(count) / u64::from(self.count.max(1))) as u32;
        Batch {
            base_offset: start,
            leader_epoch: self.leader_epoch,
            count,
            size_bytes: size_bytes.max(1),
            producer: self.producer.map(|s| ProducerStamp {
                base_sequence: s.base_sequence.wrapping_add(skip),
                ..s
            }),
            merged_stamps: self.merged_stamps.as_ref().map(|m| {
                m.iter()
                    .filter(|r| r.base_offset >= start && r.next_offset() <= end)
                    .copied()
                    .collect()
            }),
            records: self
                .records
                .as_ref()
                .map(|r| r[skip as usize..(skip + count) as usize].to_vec().into()),
        }
    }
}

/// Size of a record batch header in bytes (`DefaultRecordBatch.RECORD_BATCH_OVERHEAD`).
pub const BATCH_OVERHEAD_BYTES: u32 = 61;

/// One entry of the leader-epoch cache: `epoch` started at `start_offset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpochEntry {
    /// The leader epoch.
    pub epoch: LeaderEpoch,
    /// The first offset written in it.
    pub start_offset: Offset,
}

/// A record removed by truncation, reported so that the learner sees what was lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TruncatedRecord {
    /// Where it was.
    pub offset: Offset,
    /// The epoch it was written in.
    pub leader_epoch: LeaderEpoch,
    /// Its contents, if still kept.
    pub body: Option<RecordBody>,
}

/// The outcome of the idempotence check before a leader appends a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SequenceCheck {
    /// Append it.
    Append,
    /// The batch is already in the log at this base offset: answer success, append nothing.
    Duplicate(Offset),
}

/// How many batches per producer the broker remembers for de-duplication
/// (`ProducerStateEntry.NUM_BATCHES_TO_RETAIN`).
const PRODUCER_BATCHES_RETAINED: usize = 5;

#[derive(Clone, Debug, Default)]
struct ProducerEntry {
    epoch: u16,
    /// (first sequence, last sequence, base offset) of recent batches, oldest first.
    recent: VecDeque<(u32, u32, Offset)>,
}

/// Adds `s` to the stamps of a run, dropping the oldest of its producer beyond the five
/// the producer state keeps (later ones of an older epoch are dropped when a newer epoch
/// arrives, as the state drops them).
fn keep_recent_stamp(stamps: &mut Vec<StampedRange>, s: StampedRange) {
    let id = s.stamp.producer_id;
    stamps
        .retain(|o| o.stamp.producer_id != id || o.stamp.producer_epoch == s.stamp.producer_epoch);
    stamps.push(s);
    let mine = stamps.iter().filter(|o| o.stamp.producer_id == id).count();
    if mine > PRODUCER_BATCHES_RETAINED
        && let Some(i) = stamps.iter().position(|o| o.stamp.producer_id == id)
    {
        stamps.remove(i);
    }
}

/// Adds a batch of `count` records at `base` stamped `stamp` to the producer state
/// (`ProducerStateManager`: a new epoch starts afresh; the last five batches are kept).
fn record_stamp(
    state: &mut Map<u64, ProducerEntry>,
    stamp: ProducerStamp,
    count: u32,
    base: Offset,
) {
    let entry = state.entry(stamp.producer_id).or_default();
    if stamp.producer_epoch != entry.epoch {
        entry.epoch = stamp.producer_epoch;
        entry.recent.clear();
    }
    let last = stamp.base_sequence + count.saturating_sub(1);
    entry.recent.push_back((stamp.base_sequence, last, base));
    if entry.recent.len() > PRODUCER_BATCHES_RETAINED {
        entry.recent.pop_front();
    }
}

/// Batches whose contents were dropped by the display cap are merged into runs of at
/// most this many bytes (see [`ReplicaLog::coalesce_dropped`]). Far below a fetch's
/// 1 MiB (`replica.fetch.max.bytes`, `max.partition.fetch.bytes`), so a fetch of old
/// records still returns many of them at once, as Kafka's does.
pub const RUN_MAX_BYTES: u32 = 64 * 1024;

/// Content-less batches that accumulate before they are merged (amortises the merge).
const COALESCE_AFTER: usize = 256;

/// One replica's log of one partition.
#[derive(Clone, Debug, Default)]
pub struct ReplicaLog {
    batches: Vec<Batch>,
    log_end: Offset,
    high_watermark: Offset,
    epochs: Vec<EpochEntry>,
    /// Index of the first batch that still holds its records' contents.
    first_kept: usize,
    /// Batches before this index are already merged runs.
    runs_end: usize,
    kept_records: u64,
    producers: Map<u64, ProducerEntry>,
}

impl ReplicaLog {
    /// An empty log.
    pub fn new() -> ReplicaLog {
        ReplicaLog::default()
    }

    /// The offset the next record will get.
    pub fn log_end_offset(&self) -> Offset {
        self.log_end
    }

    /// This replica's high watermark.
    pub fn high_watermark(&self) -> Offset {
        self.high_watermark
    }

    /// Sets the high watermark, never beyond the log end.
    pub fn set_high_watermark(&mut self, hw: Offset) {
        self.high_watermark = hw.min(self.log_end);
    }

    /// The batches, in offset order.
    pub fn batches(&self) -> &[Batch] {
        &self.batches
    }

    /// The leader-epoch cache.
    pub fn epochs(&self) -> &[EpochEntry] {
        &self.epochs
    }

    /// The latest epoch in the cache (`lastFetchedEpoch` when this replica fetches).
    pub fn latest_epoch(&self) -> Option<LeaderEpoch> {
        self.epochs.last().map(|e| e.epoch)
    }

    /// The start offset of `epoch` if the cache has it.
    pub fn epoch_start_offset(&self, epoch: LeaderEpoch) -> Option<Offset> {
        self.epochs
            .iter()
            .find(|e| e.epoch == epoch)
            .map(|e| e.start_offset)
    }

    /// `LeaderEpochFileCache.endOffsetFor`: the largest cached epoch not above `epoch`, and
    /// where it ended (the start of the next epoch, or the log end for the latest). When
    /// every cached epoch is newer, Kafka answers the requested epoch with the start of the
    /// first cached one. `None` for an empty cache (Kafka's UNDEFINED_EPOCH).
    pub fn end_offset_for(&self, epoch: LeaderEpoch) -> Option<(LeaderEpoch, Offset)> {
        let idx = self.epochs.partition_point(|e| e.epoch <= epoch);
        if idx == 0 {
            return self.epochs.first().map(|first| (epoch, first.start_offset));
        }
        let found = self.epochs[idx - 1];
        let end = match self.epochs.get(idx) {
            Some(next) => next.start_offset,
            None => self.log_end,
        };
        Some((found.epoch, end))
    }

    /// A new leader records the epoch it starts at its log end (`LeaderEpochFileCache.assign`).
    pub fn assign_epoch(&mut self, epoch: LeaderEpoch) {
        self.assign_epoch_at(epoch, self.log_end);
    }

    fn assign_epoch_at(&mut self, epoch: LeaderEpoch, start: Offset) {
        match self.epochs.last() {
            Some(last) if last.epoch >= epoch => {}
            _ => {
                // An epoch that begins where the previous one began replaced it: that one
                // never wrote anything.
                while self.epochs.last().is_some_and(|e| e.start_offset >= start) {
                    self.epochs.pop();
                }
                self.epochs.push(EpochEntry {
                    epoch,
                    start_offset: start,
                });
            }
        }
    }

    /// The idempotence check a leader makes before appending (`ProducerStateManager`).
    pub fn check_sequence(
        &self,
        stamp: &ProducerStamp,
        count: u32,
    ) -> Result<SequenceCheck, KafkaError> {
        let Some(entry) = self.producers.get(&stamp.producer_id) else {
            return Ok(SequenceCheck::Append);
        };
        if stamp.producer_epoch < entry.epoch {
            return Err(KafkaError::InvalidProducerEpoch);
        }
        if stamp.producer_epoch > entry.epoch {
            return if stamp.base_sequence == 0 {
                Ok(SequenceCheck::Append)
            } else {
                Err(KafkaError::OutOfOrderSequenceNumber)
            };
        }
        let last_seq = stamp.base_sequence + count.saturating_sub(1);
        if let Some(&(_, _, base)) = entry
            .recent
            .iter()
            .find(|&&(first, last, _)| first == stamp.base_sequence && last == last_seq)
        {
            return Ok(SequenceCheck::Duplicate(base));
        }
        match entry.recent.back() {
            Some(&(_, last, _)) if stamp.base_sequence != last.wrapping_add(1) => {
                Err(KafkaError::OutOfOrderSequenceNumber)
            }
            _ => Ok(SequenceCheck::Append),
        }
    }

    /// Appends records as the leader in `epoch`; returns the new batch's base offset.
    pub fn append_as_leader(
        &mut self,
        records: Arc<[RecordBody]>,
        size_bytes: u32,
        epoch: LeaderEpoch,
        producer: Option<ProducerStamp>,
    ) -> Offset {
        let base = self.log_end;
        self.assign_epoch_at(epoch, base);
        let count = records.len() as u32;
        self.push_batch(Batch {
            base_offset: base,
            leader_epoch: epoch,
            count,
            size_bytes,
            producer,
            merged_stamps: None,
            records: Some(records),
        });
        base
    }

    /// Appends batches fetched from the leader, as they are (a follower's append).
    /// Batches that do not start at the log end are ignored: they are stale.
    pub fn append_replicated(&mut self, batches: &[Batch]) -> u64 {
        let mut appended = 0;
        for b in batches {
            if b.base_offset != self.log_end {
                continue;
            }
            self.assign_epoch_at(b.leader_epoch, b.base_offset);
            appended += u64::from(b.count);
            self.push_batch(b.clone());
        }
        appended
    }

    fn push_batch(&mut self, batch: Batch) {
        self.log_end = batch.next_offset();
        if batch.records.is_some() {
            self.kept_records += u64::from(batch.count);
        }
        for s in batch.stamps() {
            record_stamp(&mut self.producers, s.stamp, s.count, s.base_offset);
        }
        self.batches.push(batch);
    }

    /// Batches from `offset` on, at least one and then while under `max_bytes`: what a
    /// fetch at `offset` returns (whole batches, as Kafka sends them).
    pub fn read_from(&self, offset: Offset, max_bytes: u64) -> Vec<Batch> {
        self.read_range(offset, self.log_end, max_bytes)
    }

    /// What a fetch at `offset` returns when it may read only below `until` (a consumer
    /// below the high watermark): batches as [`ReplicaLog::read_from`] returns them, up
    /// to `until`.
    ///
    /// Kafka's batches begin at the offsets fetches ask for (a follower's log end, a
    /// consumer's position after the batch it read) and end at the high watermark (the
    /// smallest log end of the ISR). A run of batches merged by the display cap may
    /// straddle those offsets; it is cut there, so that a fetch reads the same records
    /// under the cap as without it (without the cut, a follower whose log end fell inside
    /// a run could never append it, and stayed behind for good).
    pub fn read_range(&self, offset: Offset, until: Offset, max_bytes: u64) -> Vec<Batch> {
        let start = self.batches.partition_point(|b| b.next_offset() <= offset);
        let mut out = Vec::new();
        let mut bytes = 0u64;
        for b in &self.batches[start..] {
            if b.base_offset >= until {
                break;
            }
            let b = b.slice(offset, until);
            if !out.is_empty() && bytes + u64::from(b.size_bytes) > max_bytes {
                break;
            }
            bytes += u64::from(b.size_bytes);
            out.push(b);
        }
        out
    }

    /// Removes every record at `offset` and above; returns them, oldest first.
    pub fn truncate_to(&mut self, offset: Offset) -> Vec<TruncatedRecord> {
        if offset >= self.log_end {
            // UnifiedLog.truncateTo: even with nothing to remove, drop epoch entries that
            // start at the log end. A replica that became leader and wrote nothing keeps
            // such an entry, which would make every later fetch diverge again.
            while self
                .epochs
                .last()
                .is_some_and(|e| e.start_offset >= self.log_end)
            {
                self.epochs.pop();
            }
            return Vec::new();
        }
        let mut removed = Vec::new();
        let keep = self.batches.partition_point(|b| b.next_offset() <= offset);
        let tail: Vec<Batch> = self.batches.drain(keep..).collect();
        for b in tail {
            let cut = offset.0.saturating_sub(b.base_offset.0) as usize;
            if let Some(recs) = &b.records {
                self.kept_records -= u64::from(b.count);
                for (i, r) in recs.iter().enumerate().skip(cut) {
                    removed.push(TruncatedRecord {
                        offset: b.base_offset.plus(i as u64),
                        leader_epoch: b.leader_epoch,
                        body: Some(r.clone()),
                    });
                }
            } else {
                for i in cut..b.count as usize {
                    removed.push(TruncatedRecord {
                        offset: b.base_offset.plus(i as u64),
                        leader_epoch: b.leader_epoch,
                        body: None,
                    });
                }
            }
            if cut > 0 {
                // Keep the part of a batch below the truncation point.
                let mut head = b.clone();
                head.count = cut as u32;
                head.records = b.records.as_ref().map(|r| r[..cut].to_vec().into());
                head.merged_stamps = b.merged_stamps.as_ref().map(|m| {
                    m.iter()
                        .filter(|r| r.next_offset() <= offset)
                        .copied()
                        .collect()
                });
                if head.records.is_some() {
                    self.kept_records += u64::from(head.count);
                }
                self.batches.push(head);
            }
        }
        self.log_end = offset;
        self.high_watermark = self.high_watermark.min(offset);
        self.first_kept = self.first_kept.min(self.batches.len());
        self.runs_end = self.runs_end.min(self.batches.len());
        while self.epochs.last().is_some_and(|e| e.start_offset >= offset) {
            self.epochs.pop();
        }
        self.rebuild_producer_state();
        removed
    }

    /// `ProducerStateManager.truncateAndReload`: the state the remaining batches give.
    fn rebuild_producer_state(&mut self) {
        self.producers.clear();
        for b in &self.batches {
            for s in b.stamps() {
                record_stamp(&mut self.producers, s.stamp, s.count, s.base_offset);
            }
        }
    }

    /// Drops the contents of the oldest batches until at most `keep` records keep theirs
    /// (whole batches only, so a few more may stay).
    pub fn cap_kept_records(&mut self, keep: u64) {
        while self.kept_records > keep && self.first_kept < self.batches.len() {
            let b = &mut self.batches[self.first_kept];
            if b.records.take().is_some() {
                self.kept_records -= u64::from(b.count);
            }
            self.first_kept += 1;
        }
        if self.first_kept - self.runs_end >= COALESCE_AFTER {
            self.coalesce_dropped();
        }
    }

    /// Merges consecutive content-less batches of one leader epoch into runs of at most
    /// [`RUN_MAX_BYTES`], so that a log's memory follows what it shows, not every batch
    /// ever written: without it a long auto-produce grows without bound (and every
    /// timeline checkpoint copies it). A run keeps the offsets and epoch of its batches,
    /// and of their producer stamps the ones producer state keeps (the last five per
    /// producer): a follower replicating it, or a truncation rebuilding from it, learns
    /// the same producer state as from the batches. Reads cut runs at the offsets they
    /// start and end at ([`ReplicaLog::read_range`]), so the cap changes which contents
    /// are kept and nothing else. (One difference remains: a truncation into the middle
    /// of a run can forget stamps older than the run's last five per producer, which
    /// Kafka would still know. It takes a truncation more than the cap plus
    /// `COALESCE_AFTER` batches deep.)
    fn coalesce_dropped(&mut self) {
        let from = self.runs_end.saturating_sub(1);
        let mut merged: Vec<Batch> = Vec::with_capacity(self.first_kept - from);
        // The stamps of the run being built, kept as `ProducerStateManager` keeps them (the
        // last five batches per producer), so that a follower replicating the run, or a
        // truncation rebuilding from it, knows the same producer state as without runs.
        let mut stamps: Vec<StampedRange> = Vec::new();
        for b in self.batches.drain(from..self.first_kept) {
            match merged.last_mut() {
                Some(run)
                    if run.leader_epoch == b.leader_epoch
                        && run.next_offset() == b.base_offset
                        && run.size_bytes.saturating_add(b.size_bytes) <= RUN_MAX_BYTES =>
                {
                    for s in b.stamps() {
                        keep_recent_stamp(&mut stamps, s);
                    }
                    run.count += b.count;
                    run.size_bytes += b.size_bytes;
                    run.producer = None;
                    run.merged_stamps = Some(stamps.as_slice().into());
                }
                _ => {
                    stamps = b.stamps().collect();
                    merged.push(b);
                }
            }
        }
        let runs = merged.len();
        self.batches.splice(from..from, merged);
        self.first_kept = from + runs;
        self.runs_end = self.first_kept;
    }

    /// How many of [`ReplicaLog::batches`], from the first, are runs of merged batches.
    pub fn merged_runs(&self) -> usize {
        self.runs_end
    }

    /// Number of records whose contents were dropped by the display cap.
    #[cfg(test)]
    pub fn records_not_kept(&self) -> u64 {
        self.log_end.0 - self.kept_records
    }

    /// Every record with its offset and epoch, in offset order; contents where kept.
    pub fn records(&self) -> impl Iterator<Item = (Offset, LeaderEpoch, Option<&RecordBody>)> {
        self.batches.iter().flat_map(|b| {
            (0..b.count).map(move |i| {
                (
                    b.base_offset.plus(u64::from(i)),
                    b.leader_epoch,
                    b.records.as_ref().map(|r| &r[i as usize]),
                )
            })
        })
    }

    /// Records whose contents are kept, in offset order (what a display shows).
    pub fn kept_records(&self) -> impl Iterator<Item = (Offset, LeaderEpoch, &RecordBody)> {
        self.batches[self.first_kept..].iter().flat_map(|b| {
            b.records.iter().flat_map(move |recs| {
                recs.iter()
                    .enumerate()
                    .map(move |(i, r)| (b.base_offset.plus(i as u64), b.leader_epoch, r))
            })
        })
    }

    /// The record at `offset`: `None` when the log does not reach it, `Some(None)` when
    /// its contents were dropped by the display cap.
    pub fn record_at(&self, offset: Offset) -> Option<Option<&RecordBody>> {
        let idx = self.batches.partition_point(|b| b.next_offset() <= offset);
        let b = self.batches.get(idx).filter(|b| b.base_offset <= offset)?;
        let i = usize::try_from(offset.0 - b.base_offset.0).ok()?;
        Some(b.records.as_ref().and_then(|r| r.get(i)))
    }

    /// The epoch of the record at `offset`, if the log has it.
    #[cfg(test)]
    pub fn epoch_at(&self, offset: Offset) -> Option<LeaderEpoch> {
        let idx = self.batches.partition_point(|b| b.next_offset() <= offset);
        self.batches
            .get(idx)
            .filter(|b| b.base_offset <= offset)
            .map(|b| b.leader_epoch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(id: u64, v: &str) -> RecordBody {
        RecordBody {
            id: RecordId(id),
            key: None,
            value: Some(v.into()),
        }
    }

    fn recs(ids: &[u64]) -> Arc<[RecordBody]> {
        ids.iter().map(|&i| body(i, "v")).collect::<Vec<_>>().into()
    }

    /// Appends `n` one-record batches of 100 bytes in `epoch`, capping contents at `keep`.
    fn append_many(log: &mut ReplicaLog, n: u64, epoch: u32, keep: u64) {
        log.assign_epoch(LeaderEpoch(epoch));
        for _ in 0..n {
            let id = log.log_end_offset().0;
            log.append_as_leader(recs(&[id]), 100, LeaderEpoch(epoch), None);
            log.cap_kept_records(keep);
        }
    }

    #[test]
    fn old_batches_merge_into_runs_that_keep_every_offset_and_epoch() {
        let mut log = ReplicaLog::new();
        append_many(&mut log, 3_000, 0, 10);
        append_many(&mut log, 3_000, 1, 10);
        // 6,000 batches, but the ones without contents are merged: two epochs, each in
        // runs of at most RUN_MAX_BYTES, plus the few that still have contents.
        let bound = 2 * (3_000 * 100 / RUN_MAX_BYTES as usize + 1) + 10 + COALESCE_AFTER;
        assert!(
            log.batches().len() <= bound,
            "{} batches",
            log.batches().len()
        );
        assert!(log.batches().len() < 6_000 / 10);
        let all: Vec<(Offset, LeaderEpoch)> = log.records().map(|(o, e, _)| (o, e)).collect();
        assert_eq!(all.len(), 6_000);
        for (i, (o, e)) in all.iter().enumerate() {
            assert_eq!(o.0, i as u64);
            assert_eq!(e.0, u32::from(i >= 3_000));
        }
        assert_eq!(log.kept_records().count(), 10);
        assert_eq!(log.epoch_at(Offset(2_999)), Some(LeaderEpoch(0)));
        assert_eq!(log.epoch_at(Offset(3_000)), Some(LeaderEpoch(1)));
        for b in log.batches() {
            assert!(b.size_bytes <= RUN_MAX_BYTES);
        }
    }

    /// The follower copied the first 150 one-record batches one by one, then stopped; the
    /// leader went on and merged the old ones into runs. The fetch at 150 returns the run
    /// that holds 150, from its start: the follower must still catch up, as Kafka's does
    /// (its batches are never merged, so a fetch always starts at the follower's log end).
    #[test]
    fn a_follower_whose_log_end_is_inside_a_run_catches_up() {
        let keep = crate::limits::PAGE_RECORDS_KEPT_PER_LOG;
        let mut leader = ReplicaLog::new();
        append_many(&mut leader, 150, 0, keep);
        let mut follower = ReplicaLog::new();
        while follower.log_end_offset() < leader.log_end_offset() {
            let one = leader.read_from(follower.log_end_offset(), 1);
            assert_eq!(follower.append_replicated(&one), 1);
            follower.cap_kept_records(keep);
        }
        append_many(&mut leader, 2_000, 0, keep);
        let run = leader
            .batches()
            .iter()
            .find(|b| b.next_offset() > Offset(150))
            .expect("a batch holds 150");
        assert!(run.base_offset < Offset(150), "150 is inside a merged run");
        let mut fetches = 0;
        while follower.log_end_offset() < leader.log_end_offset() {
            let got = leader.read_from(follower.log_end_offset(), 1 << 20);
            assert!(
                follower.append_replicated(&got) > 0,
                "fetch {fetches} appended nothing"
            );
            follower.cap_kept_records(keep);
            fetches += 1;
        }
        let epochs = |l: &ReplicaLog| l.records().map(|(o, e, _)| (o, e)).collect::<Vec<_>>();
        assert_eq!(epochs(&follower), epochs(&leader));
        assert_eq!(
            follower
                .kept_records()
                .map(|(o, _, r)| (o, r.id))
                .collect::<Vec<_>>(),
            leader
                .kept_records()
                .map(|(o, _, r)| (o, r.id))
                .collect::<Vec<_>>()
        );
    }

    /// A follower that copies a log whose old batches are merged into runs still knows
    /// the producer state: a retry of a batch the runs hold is recognised as a duplicate.
    #[test]
    fn a_follower_replicating_runs_learns_the_producer_state_they_stand_for() {
        let stamp = |seq| ProducerStamp {
            producer_id: 7,
            producer_epoch: 0,
            base_sequence: seq,
        };
        let mut leader = ReplicaLog::new();
        for seq in 0..400u32 {
            let records = recs(&[u64::from(seq)]);
            leader.append_as_leader(records, 100, LeaderEpoch(0), Some(stamp(seq)));
            leader.cap_kept_records(10);
        }
        // Another producer's batches push the stamped ones out of the kept contents.
        for _ in 0..600 {
            let id = leader.log_end_offset().0 + 10_000;
            leader.append_as_leader(recs(&[id]), 100, LeaderEpoch(0), None);
            leader.cap_kept_records(10);
        }
        let unmerged = &leader.batches()[leader.merged_runs()..];
        assert!(
            unmerged.iter().all(|b| b.producer.is_none()),
            "every stamped batch is in a run"
        );
        let mut follower = ReplicaLog::new();
        while follower.log_end_offset() < leader.log_end_offset() {
            follower.append_replicated(&leader.read_from(follower.log_end_offset(), 1 << 20));
        }
        let base_of_399 = Offset(399);
        assert_eq!(
            follower.check_sequence(&stamp(399), 1),
            Ok(SequenceCheck::Duplicate(base_of_399))
        );
        assert_eq!(
            follower.check_sequence(&stamp(402), 1),
            Err(KafkaError::OutOfOrderSequenceNumber)
        );
        // Truncating above the runs keeps what they say.
        follower.truncate_to(Offset(follower.log_end_offset().0 - 1));
        assert_eq!(
            follower.check_sequence(&stamp(399), 1),
            Ok(SequenceCheck::Duplicate(base_of_399))
        );
    }

    #[test]
    fn a_fetch_inside_a_run_returns_the_run_from_the_fetch_offset() {
        let mut log = ReplicaLog::new();
        append_many(&mut log, 2_000, 0, 10);
        assert!(log.batches()[0].count > 5, "old batches are merged");
        let got = log.read_from(Offset(5), 1024 * 1024);
        assert_eq!(got[0].base_offset, Offset(5));
        assert!(got[0].count > 1);
        assert!(got[0].size_bytes < log.batches()[0].size_bytes);
        let mut next = got[0].base_offset;
        for b in &got {
            assert_eq!(b.base_offset, next, "contiguous");
            next = b.next_offset();
        }
        assert_eq!(next, log.log_end_offset(), "1 MiB covers the whole log");
        // Below a bound inside a run (a high watermark), the run is cut there.
        let below: Vec<Batch> = log.read_range(Offset(5), Offset(7), 1024 * 1024);
        assert_eq!(below.len(), 1);
        assert_eq!((below[0].base_offset, below[0].count), (Offset(5), 2));
    }

    #[test]
    fn truncating_into_a_run_keeps_the_part_below() {
        let mut log = ReplicaLog::new();
        append_many(&mut log, 2_000, 0, 10);
        let removed = log.truncate_to(Offset(1_000));
        assert_eq!(removed.len(), 1_000);
        assert_eq!(removed[0].offset, Offset(1_000));
        assert_eq!(log.log_end_offset(), Offset(1_000));
        assert_eq!(log.records().count(), 1_000);
        append_many(&mut log, 500, 1, 10);
        assert_eq!(log.records().count(), 1_500);
        assert_eq!(log.epoch_at(Offset(999)), Some(LeaderEpoch(0)));
        assert_eq!(log.epoch_at(Offset(1_000)), Some(LeaderEpoch(1)));
    }

    #[test]
    fn leader_appends_get_dense_offsets_and_epoch_entries() {
        let mut log = ReplicaLog::new();
        log.assign_epoch(LeaderEpoch(0));
        assert_eq!(
            log.append_as_leader(recs(&[1, 2]), 100, LeaderEpoch(0), None),
            Offset(0)
        );
        assert_eq!(
            log.append_as_leader(recs(&[3]), 100, LeaderEpoch(0), None),
            Offset(2)
        );
        log.assign_epoch(LeaderEpoch(2));
        log.append_as_leader(recs(&[4]), 100, LeaderEpoch(2), None);
        assert_eq!(log.log_end_offset(), Offset(4));
        assert_eq!(
            log.epochs(),
            &[
                EpochEntry {
                    epoch: LeaderEpoch(0),
                    start_offset: Offset(0)
                },
                EpochEntry {
                    epoch: LeaderEpoch(2),
                    start_offset: Offset(3)
                }
            ]
        );
        let offsets: Vec<u64> = log.records().map(|(o, _, _)| o.0).collect();
        assert_eq!(offsets, vec![0, 1, 2, 3]);
    }

    #[test]
    fn end_offset_for_follows_leader_epoch_file_cache() {
        let mut log = ReplicaLog::new();
        log.append_as_leader(recs(&[1, 2]), 10, LeaderEpoch(1), None);
        log.append_as_leader(recs(&[3]), 10, LeaderEpoch(3), None);
        assert_eq!(ReplicaLog::new().end_offset_for(LeaderEpoch(0)), None);
        assert_eq!(
            log.end_offset_for(LeaderEpoch(0)),
            Some((LeaderEpoch(0), Offset(0)))
        );
        assert_eq!(
            log.end_offset_for(LeaderEpoch(1)),
            Some((LeaderEpoch(1), Offset(2)))
        );
        // Epoch 2 is unknown: the largest epoch below it is 1, which ended at 2.
        assert_eq!(
            log.end_offset_for(LeaderEpoch(2)),
            Some((LeaderEpoch(1), Offset(2)))
        );
        assert_eq!(
            log.end_offset_for(LeaderEpoch(3)),
            Some((LeaderEpoch(3), Offset(3)))
        );
        assert_eq!(
            log.end_offset_for(LeaderEpoch(9)),
            Some((LeaderEpoch(3), Offset(3)))
        );
    }

    #[test]
    fn truncation_reports_removed_records_and_trims_the_epoch_cache() {
        let mut log = ReplicaLog::new();
        log.append_as_leader(recs(&[1, 2]), 10, LeaderEpoch(5), None);
        log.append_as_leader(recs(&[3, 4]), 10, LeaderEpoch(6), None);
        log.set_high_watermark(Offset(4));
        let removed = log.truncate_to(Offset(1));
        assert_eq!(
            removed.iter().map(|r| r.offset.0).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        assert_eq!(removed[0].body.as_ref().map(|b| b.id), Some(RecordId(2)));
        assert_eq!(log.log_end_offset(), Offset(1));
        assert_eq!(log.high_watermark(), Offset(1));
        assert_eq!(log.latest_epoch(), Some(LeaderEpoch(5)));
        assert_eq!(log.records().count(), 1);
    }

    #[test]
    fn truncating_at_the_log_end_drops_an_empty_epoch_of_a_former_leader() {
        let mut log = ReplicaLog::new();
        log.append_as_leader(recs(&[1]), 10, LeaderEpoch(0), None);
        log.assign_epoch(LeaderEpoch(1));
        assert_eq!(log.latest_epoch(), Some(LeaderEpoch(1)));
        assert!(log.truncate_to(Offset(1)).is_empty());
        assert_eq!(log.latest_epoch(), Some(LeaderEpoch(0)));
    }

    #[test]
    fn follower_append_copies_batches_and_learns_epochs() {
        let mut leader = ReplicaLog::new();
        leader.append_as_leader(recs(&[1]), 10, LeaderEpoch(0), None);
        leader.append_as_leader(recs(&[2, 3]), 10, LeaderEpoch(4), None);
        let mut follower = ReplicaLog::new();
        let batches = leader.read_from(Offset(0), 1 << 20);
        assert_eq!(follower.append_replicated(&batches), 3);
        assert_eq!(follower.epochs(), leader.epochs());
        // A stale copy of the same batches is ignored.
        assert_eq!(follower.append_replicated(&batches), 0);
        assert_eq!(follower.log_end_offset(), Offset(3));
    }

    #[test]
    fn fetch_returns_whole_batches_up_to_max_bytes_but_at_least_one() {
        let mut log = ReplicaLog::new();
        for i in 0..5 {
            log.append_as_leader(recs(&[i]), 400, LeaderEpoch(0), None);
        }
        assert_eq!(log.read_from(Offset(0), 1000).len(), 2);
        assert_eq!(log.read_from(Offset(3), 10).len(), 1);
        assert!(log.read_from(Offset(5), 1000).is_empty());
    }

    #[test]
    fn idempotent_retry_is_recognised_as_duplicate() {
        let mut log = ReplicaLog::new();
        let stamp = ProducerStamp {
            producer_id: 7,
            producer_epoch: 0,
            base_sequence: 0,
        };
        assert_eq!(log.check_sequence(&stamp, 2), Ok(SequenceCheck::Append));
        log.append_as_leader(recs(&[1, 2]), 10, LeaderEpoch(0), Some(stamp));
        assert_eq!(
            log.check_sequence(&stamp, 2),
            Ok(SequenceCheck::Duplicate(Offset(0)))
        );
        let next = ProducerStamp {
            base_sequence: 2,
            ..stamp
        };
        assert_eq!(log.check_sequence(&next, 1), Ok(SequenceCheck::Append));
        let gap = ProducerStamp {
            base_sequence: 5,
            ..stamp
        };
        assert_eq!(
            log.check_sequence(&gap, 1),
            Err(KafkaError::OutOfOrderSequenceNumber)
        );
        let old = ProducerStamp {
            producer_epoch: 0,
            ..stamp
        };
        log.append_as_leader(
            recs(&[3]),
            10,
            LeaderEpoch(0),
            Some(ProducerStamp {
                producer_epoch: 1,
                base_sequence: 0,
                ..stamp
            }),
        );
        assert_eq!(
            log.check_sequence(&old, 1),
            Err(KafkaError::InvalidProducerEpoch)
        );
    }

    #[test]
    fn display_cap_drops_contents_but_keeps_offsets() {
        let mut log = ReplicaLog::new();
        for i in 0..10 {
            log.append_as_leader(recs(&[i]), 10, LeaderEpoch(0), None);
        }
        log.cap_kept_records(3);
        assert_eq!(log.records_not_kept(), 7);
        assert_eq!(
            log.kept_records().map(|(o, _, _)| o.0).collect::<Vec<_>>(),
            vec![7, 8, 9]
        );
        assert_eq!(log.records().count(), 10);
        let fetched = log.read_from(Offset(0), 1 << 20);
        assert!(fetched[0].records.is_none());
        let removed = log.truncate_to(Offset(5));
        assert_eq!(removed.len(), 5);
        assert!(removed.iter().take(2).all(|r| r.body.is_none()));
        assert!(removed.iter().skip(2).all(|r| r.body.is_some()));
        assert_eq!(log.records_not_kept(), 5);
    }
}
