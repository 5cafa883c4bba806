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
    /// The records' contents, or `None` once dropped by the display cap.
    pub records: Option<Arc<[RecordBody]>>,
}

impl Batch {
    /// The offset after the batch's last record.
    pub fn next_offset(&self) -> Offset {
        self.base_offset.plus(u64::from(self.count))
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
        if let Some(stamp) = batch.producer {
            let entry = self.producers.entry(stamp.producer_id).or_default();
            if stamp.producer_epoch != entry.epoch {
                entry.epoch = stamp.producer_epoch;
                entry.recent.clear();
            }
            let last = stamp.base_sequence + batch.count.saturating_sub(1);
            entry
                .recent
                .push_back((stamp.base_sequence, last, batch.base_offset));
            if entry.recent.len() > PRODUCER_BATCHES_RETAINED {
                entry.recent.pop_front();
            }
        }
        self.batches.push(batch);
    }

    /// Batches from `offset` on, at least one and then while under `max_bytes`: what a
    /// fetch at `offset` returns (whole batches, as Kafka sends them).
    pub fn read_from(&self, offset: Offset, max_bytes: u64) -> Vec<Batch> {
        let start = self.batches.partition_point(|b| b.next_offset() <= offset);
        let mut out = Vec::new();
        let mut bytes = 0u64;
        for b in &self.batches[start..] {
            if !out.is_empty() && bytes + u64::from(b.size_bytes) > max_bytes {
                break;
            }
            bytes += u64::from(b.size_bytes);
            out.push(b.clone());
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

    fn rebuild_producer_state(&mut self) {
        self.producers.clear();
        for b in &self.batches {
            if let Some(stamp) = b.producer {
                let entry = self.producers.entry(stamp.producer_id).or_default();
                if stamp.producer_epoch != entry.epoch {
                    entry.epoch = stamp.producer_epoch;
                    entry.recent.clear();
                }
                let last = stamp.base_sequence + b.count.saturating_sub(1);
                entry
                    .recent
                    .push_back((stamp.base_sequence, last, b.base_offset));
                if entry.recent.len() > PRODUCER_BATCHES_RETAINED {
                    entry.recent.pop_front();
                }
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
    /// timeline checkpoint copies it). A run is still read, replicated and truncated as
    /// one batch with its offsets and epoch; it loses only the producer stamps of the
    /// batches in it, which matter for de-duplicating retries of the last few batches, not
    /// of records this old.
    fn coalesce_dropped(&mut self) {
        let from = self.runs_end.saturating_sub(1);
        let mut merged: Vec<Batch> = Vec::with_capacity(self.first_kept - from);
        for b in self.batches.drain(from..self.first_kept) {
            match merged.last_mut() {
                Some(run)
                    if run.leader_epoch == b.leader_epoch
                        && run.next_offset() == b.base_offset
                        && run.size_bytes.saturating_add(b.size_bytes) <= RUN_MAX_BYTES =>
                {
                    run.count += b.count;
                    run.size_bytes += b.size_bytes;
                    run.producer = None;
                }
                _ => merged.push(b),
            }
        }
        let runs = merged.len();
        self.batches.splice(from..from, merged);
        self.first_kept = from + runs;
        self.runs_end = self.first_kept;
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

    #[test]
    fn a_fetch_inside_a_run_returns_the_run_from_its_start() {
        let mut log = ReplicaLog::new();
        append_many(&mut log, 2_000, 0, 10);
        let got = log.read_from(Offset(5), 1024 * 1024);
        assert_eq!(got[0].base_offset, Offset(0));
        assert!(got[0].count > 1, "old batches are merged");
        let mut next = got[0].base_offset;
        for b in &got {
            assert_eq!(b.base_offset, next, "contiguous");
            next = b.next_offset();
        }
        assert_eq!(next, log.log_end_offset(), "1 MiB covers the whole log");
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
