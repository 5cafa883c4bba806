//! Choosing the partition of a produced record, as the Java client and librdkafka do.
//!
//! Two client families are modelled, because they disagree for the same key:
//!
//! - The Java producer hashes keys with murmur2 (`Utils.murmur2`, `BuiltInPartitioner.partitionForKey`)
//!   and spreads keyless records with the KIP-794 uniform sticky partitioner
//!   (`BuiltInPartitioner.java`, `RecordAccumulator.java`).
//! - librdkafka, which Confluent.Kafka for .NET wraps, defaults to `consistent_random`: CRC-32 of the
//!   key, and a time-based sticky random partition for records without key (`rdkafka_msg.c`).
//!
//! Everything random comes from the producer's [`SimRng`] stream and is drawn as `u32`, so a
//! scenario gives the same partitions on every host. Per-producer state lives in
//! [`PartitionerState`], in `Map`s keyed by topic, so nothing depends on hash order.

use crate::collections::Map;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::rng::SimRng;

/// Seed of Kafka's murmur2 (`Utils.murmur2` in `clients/.../common/utils/Utils.java`; librdkafka's
/// `rdmurmur2.c` uses the same one so that both clients hash alike).
const MURMUR2_SEED: u32 = 0x9747_b28c;
/// Multiplier `m` of MurmurHash2.
const MURMUR2_M: u32 = 0x5bd1_e995;
/// Shift `r` of MurmurHash2.
const MURMUR2_R: u32 = 24;

/// Kafka's `Utils.murmur2`: 32-bit MurmurHash2 with seed `0x9747b28c`, returned as Java's signed `int`.
///
/// Blocks are read little-endian and the 1–3 byte tail falls through from the highest byte down,
/// exactly as `Utils.java` (and librdkafka's `rdmurmur2.c`) do; all arithmetic wraps at 32 bits.
pub fn murmur2(data: &[u8]) -> i32 {
    // Java takes the length as an `int`; arrays never exceed 2^31 bytes there, so truncating
    // a larger `usize` only matters for inputs Kafka could not hash at all.
    let mut h: u32 = MURMUR2_SEED ^ (data.len() as u32);
    let blocks = data.chunks_exact(4);
    let tail = blocks.remainder();
    for block in blocks {
        let mut k = u32::from_le_bytes([block[0], block[1], block[2], block[3]]);
        k = k.wrapping_mul(MURMUR2_M);
        k ^= k >> MURMUR2_R;
        k = k.wrapping_mul(MURMUR2_M);
        h = h.wrapping_mul(MURMUR2_M);
        h ^= k;
    }
    // The Java `switch` falls through case 3 -> 2 -> 1, then multiplies once.
    if !tail.is_empty() {
        if tail.len() >= 3 {
            h ^= u32::from(tail[2]) << 16;
        }
        if tail.len() >= 2 {
            h ^= u32::from(tail[1]) << 8;
        }
        h ^= u32::from(tail[0]);
        h = h.wrapping_mul(MURMUR2_M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(MURMUR2_M);
    h ^= h >> 15;
    h as i32
}

/// Kafka's `Utils.toPositive`: clears the sign bit (`x & 0x7fffffff`).
///
/// This is deliberately not `abs`: `toPositive(-1)` is `2147483647` and `toPositive(i32::MIN)` is 0.
/// librdkafka's `murmur2` partitioners apply the same mask (`rdkafka_msg.c`).
pub fn to_positive(x: i32) -> u32 {
    (x as u32) & 0x7fff_ffff
}

/// The standard (zlib / IEEE 802.3) CRC-32 that librdkafka's `rd_crc32` computes (`rdcrc32.h`):
/// reflected polynomial `0xEDB88320`, initial value and final XOR `0xFFFFFFFF`.
pub fn crc32(data: &[u8]) -> u32 {
    // CRC_32_ISO_HDLC is zlib's crc32 (reflected 0xEDB88320, init and final XOR 0xFFFFFFFF),
    // the function librdkafka's rd_crc32 computes; a one-byte table is plenty for keys.
    const CRC32: crc::Crc<u32, crc::Table<1>> =
        crc::Crc::<u32, crc::Table<1>>::new(&crc::CRC_32_ISO_HDLC);
    CRC32.checksum(data)
}

/// `x % n`, or 0 for a topic without partitions (which no real client would ask about), so that a
/// malformed view can never make the engine panic.
fn modulo(x: u32, n: u32) -> u32 {
    x.checked_rem(n).unwrap_or(0)
}

/// A slice length as `u32`; the simulator's topics never have anywhere near `u32::MAX` partitions.
fn len_u32<T>(xs: &[T]) -> u32 {
    u32::try_from(xs.len()).unwrap_or(u32::MAX)
}

/// A partitioner, named as in the scenario format's `partitioner` key.
///
/// `JavaBuiltIn` is the Java producer's behaviour when `partitioner.class` is unset (named
/// `"default"`); the others are librdkafka's `partitioner` values (`rdkafka_topic.c` name map),
/// except `round_robin`, which is Java's `RoundRobinPartitioner`. librdkafka's `fnv1a` pair is not
/// modelled: the .NET `Partitioner` enum has no member for it (`Config_gen.cs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Partitioner {
    /// Java's built-in partitioner: murmur2 for keys, KIP-794 uniform sticky for keyless records.
    #[serde(rename = "default")]
    JavaBuiltIn,
    /// librdkafka's default: CRC-32 of the key; an empty or missing key goes to a random
    /// (sticky) partition.
    #[serde(rename = "consistent_random")]
    ConsistentRandom,
    /// librdkafka `consistent`: CRC-32 of the key; a missing or empty key hashes to 0, partition 0.
    #[serde(rename = "consistent")]
    Consistent,
    /// librdkafka `murmur2`: Java's key hash; a missing key is hashed as empty.
    #[serde(rename = "murmur2")]
    Murmur2,
    /// librdkafka `murmur2_random`: Java's key hash (an empty key too); a missing key goes to a
    /// random (sticky) partition.
    #[serde(rename = "murmur2_random")]
    Murmur2Random,
    /// librdkafka `random`: keys are ignored, every keyed record gets a fresh random partition and
    /// keyless records a sticky random one.
    #[serde(rename = "random")]
    Random,
    /// Java's `RoundRobinPartitioner`: keys are ignored, the partitions with a leader take turns.
    #[serde(rename = "round_robin")]
    RoundRobin,
}

impl Partitioner {
    /// Every partitioner, in declaration order (for UI pickers and exhaustive tests).
    pub const ALL: [Partitioner; 7] = [
        Partitioner::JavaBuiltIn,
        Partitioner::ConsistentRandom,
        Partitioner::Consistent,
        Partitioner::Murmur2,
        Partitioner::Murmur2Random,
        Partitioner::Random,
        Partitioner::RoundRobin,
    ];

    /// What a producer of `client` uses when the scenario names no partitioner: Java's built-in
    /// partitioner, or librdkafka's fallback "Default partitioner: consistent_random"
    /// (`rdkafka_topic.c`).
    pub fn default_for(client: Client) -> Partitioner {
        match client {
            Client::Java => Partitioner::JavaBuiltIn,
            Client::Dotnet => Partitioner::ConsistentRandom,
        }
    }

    /// The scenario-format name (`"default"` for [`Partitioner::JavaBuiltIn`]); the same as serde's.
    pub fn name(self) -> &'static str {
        match self {
            Partitioner::JavaBuiltIn => "default",
            Partitioner::ConsistentRandom => "consistent_random",
            Partitioner::Consistent => "consistent",
            Partitioner::Murmur2 => "murmur2",
            Partitioner::Murmur2Random => "murmur2_random",
            Partitioner::Random => "random",
            Partitioner::RoundRobin => "round_robin",
        }
    }

    /// The partitioner with this scenario-format name; names are matched exactly.
    pub fn parse(name: &str) -> Option<Partitioner> {
        Partitioner::ALL.into_iter().find(|p| p.name() == name)
    }
}

impl fmt::Display for Partitioner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the partitioner needs to know about the topic at the time of the choice.
#[derive(Clone, Copy, Debug)]
pub struct TopicView<'a> {
    /// All partitions of the topic; keyed records are hashed modulo this, leader or not
    /// (`cluster.partitionsForTopic(topic).size()` in `KafkaProducer.partition`).
    pub num_partitions: u32,
    /// Partitions that currently have a leader, ascending (Kafka's availablePartitionsForTopic).
    pub available: &'a [u32],
    /// Optional per-partition queue lengths (batches waiting in the producer), indexed by partition,
    /// for Java's adaptive partitioning (KIP-794 `partitioner.adaptive.partitioning.enable`); empty = uniform.
    ///
    /// Kafka only collects these once every partition has had a batch queue
    /// (`RecordAccumulator.partitionReady`); pass an empty slice until then. A partition missing
    /// from a too-short slice counts as an empty queue.
    pub queue_sizes: &'a [u32],
}

impl<'a> TopicView<'a> {
    /// A view without queue statistics (uniform choice among `available`).
    pub const fn new(num_partitions: u32, available: &'a [u32]) -> TopicView<'a> {
        TopicView {
            num_partitions,
            available,
            queue_sizes: &[],
        }
    }

    /// Whether `partition` has a leader (librdkafka's `rd_kafka_topic_partition_available`).
    fn is_available(&self, partition: u32) -> bool {
        self.available.contains(&partition)
    }
}

/// How a partition was chosen: what the UI shows as "the arithmetic" of a record's journey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum PartitionChoice {
    /// `to_positive(murmur2(key)) % partitions` (Java default, librdkafka `murmur2*`).
    Murmur2 {
        /// The signed murmur2 hash, as Java prints it.
        hash: i32,
        /// `hash & 0x7fffffff`.
        positive: u32,
        /// The divisor: all partitions of the topic.
        partitions: u32,
        /// `positive % partitions`.
        partition: u32,
    },
    /// `crc32(key) % partitions` (librdkafka `consistent*`).
    Crc32 {
        /// The unsigned CRC-32 of the key.
        hash: u32,
        /// The divisor: all partitions of the topic.
        partitions: u32,
        /// `hash % partitions`.
        partition: u32,
    },
    /// keyless sticky (Java KIP-794 or librdkafka time-based stickiness)
    Sticky {
        /// The topic's current sticky partition.
        partition: u32,
    },
    /// A fresh random partition for this record alone (librdkafka with stickiness off, or the
    /// `random` partitioner for a keyed record).
    Random {
        /// The partition drawn.
        partition: u32,
    },
    /// `available[counter % available.len()]` (Java `RoundRobinPartitioner`).
    RoundRobin {
        /// The topic's counter value used for this record (`Utils.toPositive` of Java's `int`).
        counter: u32,
        /// The partition it selects.
        partition: u32,
    },
}

impl PartitionChoice {
    /// The chosen partition, whatever the method.
    pub fn partition(&self) -> u32 {
        match *self {
            PartitionChoice::Murmur2 { partition, .. }
            | PartitionChoice::Crc32 { partition, .. }
            | PartitionChoice::Sticky { partition }
            | PartitionChoice::Random { partition }
            | PartitionChoice::RoundRobin { partition, .. } => partition,
        }
    }
}

/// Knobs of the keyless strategies, with the clients' defaults in `Default`-like constructors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StickySettings {
    /// Java `batch.size` (default 16384): the bytes produced to the sticky partition before the
    /// built-in partitioner switches (`stickyBatchSize` in `BuiltInPartitioner.java`).
    pub batch_size: u32,
    /// librdkafka `sticky.partitioning.linger.ms` (default 10): how long a keyless sticky partition
    /// is kept; 0 disables stickiness.
    pub sticky_linger_ms: u64,
}

/// librdkafka's cap on the derived `sticky.partitioning.linger.ms` (`rdkafka_conf.c`).
const LIBRDKAFKA_MAX_STICKY_LINGER_MS: u64 = 900_000;

impl StickySettings {
    /// Java producer defaults (`ProducerConfig.java`): `batch.size` 16384. `sticky_linger_ms` is not
    /// a Java setting; it holds librdkafka's default so a librdkafka partitioner named for a Java
    /// producer still behaves sensibly.
    pub fn java_default() -> Self {
        StickySettings {
            batch_size: 16_384,
            sticky_linger_ms: StickySettings::librdkafka_sticky_linger_ms(5),
        }
    }

    /// librdkafka defaults as seen from .NET: `sticky.partitioning.linger.ms` = 2 × `linger.ms`
    /// (5 ms) = 10 ms. `batch_size` is librdkafka's `batch.size` default (1000000), which does not
    /// influence librdkafka's keyless partitioning.
    pub fn dotnet_default() -> Self {
        StickySettings {
            batch_size: 1_000_000,
            sticky_linger_ms: StickySettings::librdkafka_sticky_linger_ms(5),
        }
    }

    /// The defaults of `client`'s library.
    pub fn for_client(client: Client) -> Self {
        match client {
            Client::Java => StickySettings::java_default(),
            Client::Dotnet => StickySettings::dotnet_default(),
        }
    }

    /// librdkafka's derived default for `sticky.partitioning.linger.ms` when only `linger.ms` is
    /// set: twice `linger.ms`, capped at 900000 (`rdkafka_conf.c`, final config checks).
    pub fn librdkafka_sticky_linger_ms(linger_ms: u64) -> u64 {
        linger_ms
            .saturating_mul(2)
            .min(LIBRDKAFKA_MAX_STICKY_LINGER_MS)
    }
}

/// The Java built-in partitioner's sticky partition of one topic (`StickyPartitionInfo`).
#[derive(Clone, Copy, Debug)]
struct JavaSticky {
    partition: u32,
    produced_bytes: u64,
}

/// librdkafka's `rkt_sticky_partition` and the time it was drawn (`rkt_sticky_intvl`).
#[derive(Clone, Copy, Debug)]
struct LibrdkafkaSticky {
    partition: u32,
    drawn_at_ms: u64,
}

/// Per-producer partitioner state: sticky partitions, bytes counted since the last switch, switch times,
/// round-robin counters — keyed by topic name in BTreeMaps.
#[derive(Clone, Debug, Default)]
pub struct PartitionerState {
    java_sticky: Map<String, JavaSticky>,
    librdkafka_sticky: Map<String, LibrdkafkaSticky>,
    round_robin: Map<String, u32>,
}

impl PartitionerState {
    /// Choose the partition for one record. `key` is None for a record without key (Some(b"") is the empty key).
    /// `record_size` is the record's size in bytes (for Java's batch.size-based sticky switch),
    /// `now_ms` is simulated time (for librdkafka's sticky.partitioning.linger.ms), `rng` the producer's stream.
    ///
    /// Keyed records are hashed over all partitions, even those without a leader, as both clients
    /// do. Only the keyless strategies and `random` draw from `rng`.
    #[allow(clippy::too_many_arguments)]
    pub fn choose(
        &mut self,
        partitioner: Partitioner,
        topic: &str,
        key: Option<&[u8]>,
        record_size: u32,
        view: &TopicView<'_>,
        settings: &StickySettings,
        now_ms: u64,
        rng: &mut SimRng,
    ) -> PartitionChoice {
        let n = view.num_partitions;
        match partitioner {
            // KafkaProducer.partition: a non-null serialized key (even zero bytes) is hashed.
            Partitioner::JavaBuiltIn => match key {
                Some(k) => murmur2_choice(k, n),
                None => self.java_sticky(topic, record_size, view, settings, rng),
            },
            // rd_kafka_msg_partitioner_murmur2_random: only a NULL key pointer is random.
            Partitioner::Murmur2Random => match key {
                Some(k) => murmur2_choice(k, n),
                None => self.librdkafka_keyless(topic, view, settings, now_ms, rng),
            },
            // The non-random variants are always called, so a NULL key is hashed as empty.
            Partitioner::Murmur2 => murmur2_choice(key.unwrap_or_default(), n),
            Partitioner::Consistent => crc32_choice(key.unwrap_or_default(), n),
            // rd_kafka_msg_partitioner_consistent_random: `keylen == 0` (NULL or empty) is random.
            Partitioner::ConsistentRandom => match key {
                Some(k) if !k.is_empty() => crc32_choice(k, n),
                _ => self.librdkafka_keyless(topic, view, settings, now_ms, rng),
            },
            // rd_kafka_msg_partitioner only takes the sticky path for a NULL key (or an empty key
            // under consistent_random); a keyed record calls the random partitioner itself.
            Partitioner::Random => match key {
                Some(_) => PartitionChoice::Random {
                    partition: librdkafka_random_partition(view, rng),
                },
                None => self.librdkafka_keyless(topic, view, settings, now_ms, rng),
            },
            Partitioner::RoundRobin => self.round_robin(topic, view),
        }
    }

    /// The topic's current keyless sticky partition, if one has been drawn (Java's or librdkafka's).
    pub fn sticky_partition(&self, topic: &str) -> Option<u32> {
        self.java_sticky
            .get(topic)
            .map(|s| s.partition)
            .or_else(|| self.librdkafka_sticky.get(topic).map(|s| s.partition))
    }

    /// KIP-794 uniform sticky partitioning (`BuiltInPartitioner.peekCurrentPartitionInfo` and
    /// `updatePartitionInfo`, called from `RecordAccumulator.append`).
    ///
    /// The record goes to the current sticky partition (drawn on first use); its bytes are then
    /// added, and once at least `batch.size` bytes went there the next partition is drawn for the
    /// following record. Simplification: Kafka postpones that switch while the partition's last
    /// batch is still open (until `2 × batch.size`); the simulator always switches at `batch.size`.
    /// Like Kafka, the partition is kept even if it loses its leader (with the default
    /// `partitioner.availability.timeout.ms=0` nothing excludes it).
    fn java_sticky(
        &mut self,
        topic: &str,
        record_size: u32,
        view: &TopicView<'_>,
        settings: &StickySettings,
        rng: &mut SimRng,
    ) -> PartitionChoice {
        let current = match self.java_sticky.get(topic) {
            // Partition counts only grow in Kafka; the guard keeps a stale state from choosing a
            // partition that does not exist.
            Some(s) if s.partition < view.num_partitions => *s,
            _ => JavaSticky {
                partition: java_next_partition(view, rng),
                produced_bytes: 0,
            },
        };
        let chosen = current.partition;
        let produced_bytes = current.produced_bytes + u64::from(record_size);
        // BuiltInPartitioner rejects stickyBatchSize < 1; treat 0 as 1 (switch after every record).
        let threshold = u64::from(settings.batch_size.max(1));
        let next = if produced_bytes >= threshold {
            JavaSticky {
                partition: java_next_partition(view, rng),
                produced_bytes: 0,
            }
        } else {
            JavaSticky {
                partition: chosen,
                produced_bytes,
            }
        };
        match self.java_sticky.get_mut(topic) {
            Some(slot) => *slot = next,
            None => {
                self.java_sticky.insert(topic.to_owned(), next);
            }
        }
        PartitionChoice::Sticky { partition: chosen }
    }

    /// librdkafka's keyless path (`rd_kafka_msg_partitioner` and `rd_kafka_msg_sticky_partition` in
    /// `rdkafka_msg.c`) for the random-family partitioners.
    ///
    /// With `sticky.partitioning.linger.ms` 0 every record gets a fresh random partition. Otherwise
    /// the topic's sticky partition is redrawn when it has no leader, or when more than the linger
    /// time has passed since it was drawn (`rd_interval` fires only when the overshoot is `> 0`).
    fn librdkafka_keyless(
        &mut self,
        topic: &str,
        view: &TopicView<'_>,
        settings: &StickySettings,
        now_ms: u64,
        rng: &mut SimRng,
    ) -> PartitionChoice {
        if settings.sticky_linger_ms == 0 {
            return PartitionChoice::Random {
                partition: librdkafka_random_partition(view, rng),
            };
        }
        let keep = self.librdkafka_sticky.get(topic).filter(|s| {
            s.partition < view.num_partitions
                && view.is_available(s.partition)
                && now_ms.saturating_sub(s.drawn_at_ms) <= settings.sticky_linger_ms
        });
        let partition = match keep {
            Some(s) => s.partition,
            None => {
                let fresh = LibrdkafkaSticky {
                    partition: librdkafka_random_partition(view, rng),
                    drawn_at_ms: now_ms,
                };
                match self.librdkafka_sticky.get_mut(topic) {
                    Some(slot) => *slot = fresh,
                    None => {
                        self.librdkafka_sticky.insert(topic.to_owned(), fresh);
                    }
                }
                fresh.partition
            }
        };
        PartitionChoice::Sticky { partition }
    }

    /// Java's `RoundRobinPartitioner.partition`: a per-topic counter starting at 0, used as
    /// `toPositive(counter++) % available.size()` into the partitions with a leader, or modulo all
    /// partitions when none has a leader.
    fn round_robin(&mut self, topic: &str, view: &TopicView<'_>) -> PartitionChoice {
        let raw = match self.round_robin.get_mut(topic) {
            Some(counter) => {
                let value = *counter;
                *counter = value.wrapping_add(1);
                value
            }
            None => {
                self.round_robin.insert(topic.to_owned(), 1);
                0
            }
        };
        // Java's counter is an `int` that wraps negative; toPositive masks the sign bit.
        let counter = raw & 0x7fff_ffff;
        let partition = pick_index(view.available, counter)
            .unwrap_or_else(|| modulo(counter, view.num_partitions));
        PartitionChoice::RoundRobin { counter, partition }
    }
}

/// `available[value % available.len()]`, or `None` when no partition has a leader.
fn pick_index(available: &[u32], value: u32) -> Option<u32> {
    let len = len_u32(available);
    if len == 0 {
        return None;
    }
    available.get((value % len) as usize).copied()
}

/// `BuiltInPartitioner.partitionForKey`: `toPositive(murmur2(key)) % numPartitions`.
fn murmur2_choice(key: &[u8], partitions: u32) -> PartitionChoice {
    let hash = murmur2(key);
    let positive = to_positive(hash);
    PartitionChoice::Murmur2 {
        hash,
        positive,
        partitions,
        partition: modulo(positive, partitions),
    }
}

/// librdkafka `rd_kafka_msg_partitioner_consistent`: `rd_crc32(key) % partition_cnt`, unmasked.
fn crc32_choice(key: &[u8], partitions: u32) -> PartitionChoice {
    let hash = crc32(key);
    PartitionChoice::Crc32 {
        hash,
        partitions,
        partition: modulo(hash, partitions),
    }
}

/// librdkafka `rd_kafka_msg_partitioner_random`: `rd_jitter(0, cnt - 1)` over all partitions; if
/// that partition has no leader, one more draw, which is not checked.
fn librdkafka_random_partition(view: &TopicView<'_>, rng: &mut SimRng) -> u32 {
    let first = rng.below(view.num_partitions);
    if view.is_available(first) {
        first
    } else {
        rng.below(view.num_partitions)
    }
}

/// `BuiltInPartitioner.nextPartition`: one `toPositive(nextInt())` draw, used for the adaptive
/// weighted choice when queue statistics say so, else uniformly over the partitions with a leader,
/// else over all partitions. The current partition is not excluded.
fn java_next_partition(view: &TopicView<'_>, rng: &mut SimRng) -> u32 {
    let random = rng.positive_i31();
    adaptive_partition(view, random)
        .or_else(|| pick_index(view.available, random))
        .unwrap_or_else(|| modulo(random, view.num_partitions))
}

/// The adaptive (KIP-794) choice for the draw `random`, or `None` when Kafka would not use load
/// statistics (`BuiltInPartitioner.updatePartitionLoadStats`).
///
/// The table covers the partitions with a leader, ascending (`RecordAccumulator.partitionReady`
/// skips leaderless ones). Weights are `(maxQueue + 1) - queue`, folded into a cumulative table;
/// the partition is the first entry strictly greater than `random % total`. Kafka skips this when
/// all queues are equal and no partition was left out; if some were, equal weights give the same
/// answer as the uniform choice anyway.
fn adaptive_partition(view: &TopicView<'_>, random: u32) -> Option<u32> {
    if view.queue_sizes.is_empty() || view.available.is_empty() || view.num_partitions < 2 {
        return None;
    }
    let queue_of = |p: u32| -> u64 {
        view.queue_sizes
            .get(p as usize)
            .copied()
            .map_or(0, u64::from)
    };
    let first = queue_of(view.available[0]);
    let all_equal = view.available.iter().all(|&p| queue_of(p) == first);
    if all_equal && len_u32(view.available) == view.num_partitions {
        return None;
    }
    let max_plus_one = view
        .available
        .iter()
        .map(|&p| queue_of(p))
        .max()
        .unwrap_or(0)
        + 1;
    let mut total: u64 = 0;
    let cumulative: Vec<u64> = view
        .available
        .iter()
        .map(|&p| {
            total += max_plus_one - queue_of(p);
            total
        })
        .collect();
    let weighted = u64::from(random) % total;
    let index = cumulative.partition_point(|&c| c <= weighted);
    view.available.get(index).copied()
}

/// `DefaultRecordBatch.RECORD_BATCH_OVERHEAD` for magic v2: the 61-byte batch header. The Java
/// producer counts it towards the sticky bytes of the record that opens a new batch
/// (`RecordAccumulator.appendNewBatch` reports the new batch's `estimatedSizeInBytes()`).
pub const RECORD_BATCH_OVERHEAD: u32 = 61;

/// Kafka's DefaultRecord size estimate for a record with this key and value (varint lengths included),
/// used for batch.size accounting.
///
/// This is `DefaultRecord.sizeInBytes(offsetDelta = 0, timestampDelta = 0, key, value, headers = [])`
/// (`clients/.../common/record/DefaultRecord.java`):
///
/// ```text
/// body = 1                                   attributes
///      + varint(offsetDelta = 0)             1 byte
///      + varlong(timestampDelta = 0)         1 byte
///      + varint(keyLen) + keyLen             or 1 byte for a null key
///      + varint(valueLen) + valueLen         or 1 byte for a null value
///      + varint(headerCount = 0)             1 byte
/// size = varint(body) + body
/// ```
///
/// Varints are zigzag-encoded as in `ByteUtils.sizeOfVarint`, so a length of 64 already takes
/// 2 bytes. A record with neither key nor value takes 7 bytes. The real offset and timestamp
/// deltas of later records in a batch can add a byte or two; the simulator ignores that.
pub fn record_size_in_bytes(key: Option<&[u8]>, value: Option<&[u8]>) -> u32 {
    let field = |bytes: Option<&[u8]>| -> u64 {
        match bytes {
            // DefaultRecord.NULL_VARINT_SIZE_BYTES: the length -1 as one varint byte.
            None => 1,
            Some(b) => {
                let len = b.len() as u64;
                varint_size(len) + len
            }
        }
    };
    let attributes = 1;
    let offset_delta = varint_size(0);
    let timestamp_delta = varint_size(0);
    let header_count = varint_size(0);
    let body =
        attributes + offset_delta + timestamp_delta + field(key) + field(value) + header_count;
    u32::try_from(body + varint_size(body)).unwrap_or(u32::MAX)
}

/// Bytes of a zigzag varint for a non-negative value (`ByteUtils.sizeOfVarint`/`sizeOfVarlong`).
fn varint_size(value: u64) -> u64 {
    // zigzag of a non-negative v is 2v; values are lengths, far below 2^63.
    let mut rest = value.saturating_mul(2) >> 7;
    let mut bytes = 1;
    while rest > 0 {
        rest >>= 7;
        bytes += 1;
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(not(target_arch = "wasm32"))]
    use proptest::prelude::*;

    const TOPIC: &str = "orders";

    fn all(n: u32) -> Vec<u32> {
        (0..n).collect()
    }

    #[test]
    fn murmur2_matches_kafka_utils_test() {
        // UtilsTest.testMurmur2
        assert_eq!(murmur2(b"21"), -973_932_308);
        assert_eq!(murmur2(b"foobar"), -790_332_482);
        assert_eq!(murmur2(b"a-little-bit-long-string"), -985_981_536);
        assert_eq!(murmur2(b"a-little-bit-longer-string"), -1_486_304_829);
        assert_eq!(
            murmur2(b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"),
            -58_897_971
        );
        assert_eq!(murmur2(b"abc"), 479_470_107);
    }

    #[test]
    fn murmur2_matches_librdkafka_table_for_every_tail_length() {
        // rdmurmur2.c unittest_murmur2, "java_murmur2_results"
        let cases: [(&[u8], u32); 10] = [
            (b"kafka", 0xd067_cf64),
            (b"giberish123456789", 0x8f55_2b0c),
            (b"1234", 0x9fc9_7b14),
            (b"234", 0xe7c0_09ca),
            (b"34", 0x8739_30da),
            (b"4", 0x5a4b_5ca1),
            (b"PreAmbleWillBeRemoved,ThePrePartThatIs", 0x7842_4f1c),
            (b"reAmbleWillBeRemoved,ThePrePartThatIs", 0x4a62_b377),
            (b"eAmbleWillBeRemoved,ThePrePartThatIs", 0xe0e4_e09e),
            (b"AmbleWillBeRemoved,ThePrePartThatIs", 0x62b8_b43f),
        ];
        for (key, expected) in cases {
            assert_eq!(murmur2(key) as u32, expected, "key {key:?}");
        }
        assert_eq!(murmur2(b""), 0x106e_08d9);
    }

    #[test]
    fn to_positive_masks_the_sign_bit_instead_of_taking_abs() {
        assert_eq!(to_positive(-1), 0x7fff_ffff);
        assert_eq!(to_positive(i32::MIN), 0);
        assert_eq!(to_positive(-973_932_308), 1_173_551_340);
        assert_eq!(to_positive(42), 42);
    }

    #[test]
    fn crc32_is_the_zlib_crc() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b"23456"), 0xb1b4_51d7);
        assert_eq!(crc32(b"hejsan"), 0xd077_037e);
    }

    #[test]
    fn names_round_trip_through_parse_and_serde() {
        for p in Partitioner::ALL {
            assert_eq!(Partitioner::parse(p.name()), Some(p));
            let json = serde_json::to_string(&p).expect("serialize");
            assert_eq!(json, format!("\"{}\"", p.name()));
            let back: Partitioner = serde_json::from_str(&json).expect("deserialize");
            assert_eq!(back, p);
            assert_eq!(p.to_string(), p.name());
        }
        assert_eq!(Partitioner::parse("JavaBuiltIn"), None);
        assert_eq!(Partitioner::parse("fnv1a"), None);
        assert_eq!(Partitioner::JavaBuiltIn.name(), "default");
    }

    #[test]
    fn client_defaults_are_java_builtin_and_consistent_random() {
        assert_eq!(
            Partitioner::default_for(Client::Java),
            Partitioner::JavaBuiltIn
        );
        assert_eq!(
            Partitioner::default_for(Client::Dotnet),
            Partitioner::ConsistentRandom
        );
        let client: Client = serde_json::from_str("\"dotnet\"").expect("deserialize");
        assert_eq!(client, Client::Dotnet);
        assert_eq!(
            serde_json::to_string(&Client::Java).expect("serialize"),
            "\"java\""
        );
    }

    #[test]
    fn sticky_defaults_follow_the_clients() {
        assert_eq!(StickySettings::java_default().batch_size, 16_384);
        assert_eq!(StickySettings::dotnet_default().sticky_linger_ms, 10);
        assert_eq!(
            StickySettings::librdkafka_sticky_linger_ms(1_000_000),
            900_000
        );
        assert_eq!(
            StickySettings::for_client(Client::Java),
            StickySettings::java_default()
        );
    }

    #[test]
    fn choice_serializes_with_a_method_tag() {
        let choice = PartitionChoice::Crc32 {
            hash: 7,
            partitions: 3,
            partition: 1,
        };
        let json = serde_json::to_value(&choice).expect("serialize");
        assert_eq!(
            json,
            serde_json::json!({"method": "crc32", "hash": 7, "partitions": 3, "partition": 1})
        );
        let sticky = serde_json::to_value(PartitionChoice::Sticky { partition: 2 }).expect("ser");
        assert_eq!(
            sticky,
            serde_json::json!({"method": "sticky", "partition": 2})
        );
        let rr = serde_json::to_value(PartitionChoice::RoundRobin {
            counter: 4,
            partition: 1,
        })
        .expect("ser");
        assert_eq!(rr["method"], "round_robin");
    }

    #[test]
    fn java_keyed_record_goes_to_a_leaderless_partition_if_the_hash_says_so() {
        let mut state = PartitionerState::default();
        let mut rng = SimRng::stream(1, "p");
        // "user-42" with 6 partitions -> 4; only 0..3 have a leader.
        let view = TopicView::new(6, &[0, 1, 2, 3]);
        let choice = state.choose(
            Partitioner::JavaBuiltIn,
            TOPIC,
            Some(b"user-42"),
            20,
            &view,
            &StickySettings::java_default(),
            0,
            &mut rng,
        );
        assert_eq!(choice.partition(), 4);
        assert!(matches!(
            choice,
            PartitionChoice::Murmur2 { partitions: 6, .. }
        ));
    }

    #[test]
    fn java_empty_key_is_hashed_not_spread() {
        let mut state = PartitionerState::default();
        let mut rng = SimRng::stream(1, "p");
        let avail = all(7);
        let view = TopicView::new(7, &avail);
        for _ in 0..5 {
            let c = state.choose(
                Partitioner::JavaBuiltIn,
                TOPIC,
                Some(b""),
                10,
                &view,
                &StickySettings::java_default(),
                0,
                &mut rng,
            );
            assert_eq!(c.partition(), 0x106e_08d9 % 7);
        }
    }

    #[test]
    fn java_keyless_sticks_until_batch_size_bytes_then_draws_again() {
        let mut state = PartitionerState::default();
        let mut rng = SimRng::stream(9, "producer:java");
        let mut oracle = rng.clone();
        let avail = [0, 2, 3, 5];
        let view = TopicView::new(6, &avail);
        let settings = StickySettings {
            batch_size: 100,
            sticky_linger_ms: 10,
        };
        // Records of 30 bytes: 30, 60, 90 stay; the 4th reaches 120 >= 100, goes to the same
        // partition, and then the next partition is drawn.
        let mut expected = Vec::new();
        for _ in 0..3 {
            let p = avail[(oracle.positive_i31() % 4) as usize];
            expected.extend([p; 4]);
        }
        let got: Vec<u32> = (0..12)
            .map(|_| {
                let c = state.choose(
                    Partitioner::JavaBuiltIn,
                    TOPIC,
                    None,
                    30,
                    &view,
                    &settings,
                    0,
                    &mut rng,
                );
                assert!(matches!(c, PartitionChoice::Sticky { .. }));
                c.partition()
            })
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn java_keyless_sticky_is_per_topic() {
        let mut state = PartitionerState::default();
        let mut rng = SimRng::stream(3, "p");
        let avail = all(50);
        let view = TopicView::new(50, &avail);
        let settings = StickySettings::java_default();
        let a = state.choose(
            Partitioner::JavaBuiltIn,
            "a",
            None,
            10,
            &view,
            &settings,
            0,
            &mut rng,
        );
        let b = state.choose(
            Partitioner::JavaBuiltIn,
            "b",
            None,
            10,
            &view,
            &settings,
            0,
            &mut rng,
        );
        for _ in 0..20 {
            let a2 = state.choose(
                Partitioner::JavaBuiltIn,
                "a",
                None,
                10,
                &view,
                &settings,
                0,
                &mut rng,
            );
            let b2 = state.choose(
                Partitioner::JavaBuiltIn,
                "b",
                None,
                10,
                &view,
                &settings,
                0,
                &mut rng,
            );
            assert_eq!(a2.partition(), a.partition());
            assert_eq!(b2.partition(), b.partition());
        }
        assert_eq!(state.sticky_partition("a"), Some(a.partition()));
        assert_eq!(state.sticky_partition("missing"), None);
    }

    #[test]
    fn java_keyless_with_no_leader_anywhere_picks_among_all_partitions() {
        let mut state = PartitionerState::default();
        let mut rng = SimRng::stream(4, "p");
        let mut oracle = rng.clone();
        let view = TopicView::new(5, &[]);
        let c = state.choose(
            Partitioner::JavaBuiltIn,
            TOPIC,
            None,
            10,
            &view,
            &StickySettings::java_default(),
            0,
            &mut rng,
        );
        assert_eq!(c.partition(), oracle.positive_i31() % 5);
    }

    #[test]
    fn adaptive_table_matches_the_kafka_code_comment() {
        // Queues 0,3,1 -> weights 4,1,3 -> table 4,5,8: draws 0-3 -> p0, 4 -> p1, 5-7 -> p2.
        let avail = [0, 1, 2];
        let queues = [0, 3, 1];
        let view = TopicView {
            num_partitions: 3,
            available: &avail,
            queue_sizes: &queues,
        };
        let picks: Vec<Option<u32>> = (0..9).map(|r| adaptive_partition(&view, r)).collect();
        let expected = [0, 0, 0, 0, 1, 2, 2, 2, 0].map(Some);
        assert_eq!(picks, expected.to_vec());
    }

    #[test]
    fn adaptive_is_skipped_when_all_queues_are_equal_or_unknown() {
        let avail = [0, 1, 2];
        let equal = TopicView {
            num_partitions: 3,
            available: &avail,
            queue_sizes: &[2, 2, 2],
        };
        assert_eq!(adaptive_partition(&equal, 5), None);
        assert_eq!(adaptive_partition(&TopicView::new(3, &avail), 5), None);
    }

    #[test]
    fn adaptive_table_leaves_out_partitions_without_leader() {
        // Partition 1 has no leader: the table covers 0 and 2 only, weights 1 and 3 (queues 2, 0).
        let avail = [0, 2];
        let view = TopicView {
            num_partitions: 3,
            available: &avail,
            queue_sizes: &[2, 0, 0],
        };
        let picks: Vec<Option<u32>> = (0..4).map(|r| adaptive_partition(&view, r)).collect();
        assert_eq!(picks, vec![Some(0), Some(2), Some(2), Some(2)]);
    }

    #[test]
    fn java_keyless_prefers_short_queues() {
        let mut state = PartitionerState::default();
        let mut rng = SimRng::stream(11, "p");
        let avail = all(3);
        let queues = [0, 1000, 1000];
        let view = TopicView {
            num_partitions: 3,
            available: &avail,
            queue_sizes: &queues,
        };
        let settings = StickySettings {
            batch_size: 1,
            sticky_linger_ms: 10,
        };
        let mut counts = [0u32; 3];
        for _ in 0..300 {
            let c = state.choose(
                Partitioner::JavaBuiltIn,
                TOPIC,
                None,
                1,
                &view,
                &settings,
                0,
                &mut rng,
            );
            counts[c.partition() as usize] += 1;
        }
        // Weights 1001 : 1 : 1.
        assert!(counts[0] > 280, "{counts:?}");
    }

    #[test]
    fn librdkafka_keyless_keeps_its_partition_for_the_linger_time() {
        let mut state = PartitionerState::default();
        let mut rng = SimRng::stream(5, "producer:dotnet");
        let mut oracle = rng.clone();
        let avail = all(1000);
        let view = TopicView::new(1000, &avail);
        let settings = StickySettings::dotnet_default();
        let first = oracle.below(1000);
        for now in [0, 3, 10] {
            let c = state.choose(
                Partitioner::ConsistentRandom,
                TOPIC,
                None,
                10,
                &view,
                &settings,
                now,
                &mut rng,
            );
            assert_eq!(c, PartitionChoice::Sticky { partition: first });
        }
        // 11 ms after the draw the interval has been overshot: a new draw.
        let second = oracle.below(1000);
        for now in [11, 21] {
            let c = state.choose(
                Partitioner::ConsistentRandom,
                TOPIC,
                None,
                10,
                &view,
                &settings,
                now,
                &mut rng,
            );
            assert_eq!(c, PartitionChoice::Sticky { partition: second });
        }
        let third = oracle.below(1000);
        let c = state.choose(
            Partitioner::ConsistentRandom,
            TOPIC,
            None,
            10,
            &view,
            &settings,
            22,
            &mut rng,
        );
        assert_eq!(c.partition(), third);
    }

    #[test]
    fn librdkafka_redraws_at_once_when_the_sticky_partition_loses_its_leader() {
        let mut state = PartitionerState::default();
        let mut rng = SimRng::stream(6, "p");
        let avail = all(4);
        let settings = StickySettings::dotnet_default();
        let view = TopicView::new(4, &avail);
        let first = state
            .choose(
                Partitioner::Murmur2Random,
                TOPIC,
                None,
                10,
                &view,
                &settings,
                0,
                &mut rng,
            )
            .partition();
        let others: Vec<u32> = avail.iter().copied().filter(|&p| p != first).collect();
        let degraded = TopicView::new(4, &others);
        let mut oracle = rng.clone();
        // Draw, and redraw once if the first draw has no leader (second draw unchecked).
        let mut expected = oracle.below(4);
        if !others.contains(&expected) {
            expected = oracle.below(4);
        }
        let c = state.choose(
            Partitioner::Murmur2Random,
            TOPIC,
            None,
            10,
            &degraded,
            &settings,
            1,
            &mut rng,
        );
        assert_eq!(
            c,
            PartitionChoice::Sticky {
                partition: expected
            }
        );
    }

    #[test]
    fn librdkafka_with_linger_zero_draws_for_every_record() {
        let mut state = PartitionerState::default();
        let mut rng = SimRng::stream(7, "p");
        let mut oracle = rng.clone();
        let avail = all(100);
        let view = TopicView::new(100, &avail);
        let settings = StickySettings {
            batch_size: 16_384,
            sticky_linger_ms: 0,
        };
        for _ in 0..10 {
            let c = state.choose(
                Partitioner::ConsistentRandom,
                TOPIC,
                Some(b""),
                10,
                &view,
                &settings,
                0,
                &mut rng,
            );
            assert_eq!(
                c,
                PartitionChoice::Random {
                    partition: oracle.below(100)
                }
            );
        }
    }

    #[test]
    fn dotnet_default_spreads_empty_key_randomly() {
        let mut state = PartitionerState::default();
        let mut rng = SimRng::stream(8, "p");
        let avail = all(6);
        let view = TopicView::new(6, &avail);
        let settings = StickySettings::dotnet_default();
        let mut seen = [false; 6];
        for i in 0..200u64 {
            let c = state.choose(
                Partitioner::default_for(Client::Dotnet),
                TOPIC,
                Some(b""),
                10,
                &view,
                &settings,
                i * 11,
                &mut rng,
            );
            assert!(matches!(c, PartitionChoice::Sticky { .. }));
            seen[c.partition() as usize] = true;
        }
        assert!(seen.iter().all(|&s| s), "{seen:?}");
    }

    #[test]
    fn murmur2_random_hashes_the_empty_key_but_spreads_a_missing_one() {
        let mut state = PartitionerState::default();
        let mut rng = SimRng::stream(8, "p");
        let avail = all(7);
        let view = TopicView::new(7, &avail);
        let settings = StickySettings::dotnet_default();
        let empty = state.choose(
            Partitioner::Murmur2Random,
            TOPIC,
            Some(b""),
            10,
            &view,
            &settings,
            0,
            &mut rng,
        );
        assert!(matches!(
            empty,
            PartitionChoice::Murmur2 {
                hash: 0x106e_08d9,
                ..
            }
        ));
        let missing = state.choose(
            Partitioner::Murmur2Random,
            TOPIC,
            None,
            10,
            &view,
            &settings,
            0,
            &mut rng,
        );
        assert!(matches!(missing, PartitionChoice::Sticky { .. }));
    }

    #[test]
    fn non_random_librdkafka_partitioners_hash_a_missing_key_as_empty() {
        let mut state = PartitionerState::default();
        let mut rng = SimRng::stream(8, "p");
        let mut untouched = rng.clone();
        let avail = all(17);
        let view = TopicView::new(17, &avail);
        let settings = StickySettings::dotnet_default();
        let consistent = state.choose(
            Partitioner::Consistent,
            TOPIC,
            None,
            10,
            &view,
            &settings,
            0,
            &mut rng,
        );
        assert_eq!(
            consistent,
            PartitionChoice::Crc32 {
                hash: 0,
                partitions: 17,
                partition: 0
            }
        );
        let m = state.choose(
            Partitioner::Murmur2,
            TOPIC,
            None,
            10,
            &view,
            &settings,
            0,
            &mut rng,
        );
        assert_eq!(m.partition(), 0x106e_08d9 % 17);
        // Neither drew a random number.
        assert_eq!(rng.positive_i31(), untouched.positive_i31());
    }

    #[test]
    fn random_partitioner_ignores_keys_and_does_not_stick_for_keyed_records() {
        let mut state = PartitionerState::default();
        let mut rng = SimRng::stream(10, "p");
        let mut oracle = rng.clone();
        let avail = all(50);
        let view = TopicView::new(50, &avail);
        let settings = StickySettings::dotnet_default();
        for _ in 0..5 {
            let c = state.choose(
                Partitioner::Random,
                TOPIC,
                Some(b"same"),
                10,
                &view,
                &settings,
                0,
                &mut rng,
            );
            assert_eq!(
                c,
                PartitionChoice::Random {
                    partition: oracle.below(50)
                }
            );
        }
        let keyless = state.choose(
            Partitioner::Random,
            TOPIC,
            None,
            10,
            &view,
            &settings,
            0,
            &mut rng,
        );
        assert!(matches!(keyless, PartitionChoice::Sticky { .. }));
    }

    #[test]
    fn round_robin_cycles_over_available_partitions() {
        let mut state = PartitionerState::default();
        let mut rng = SimRng::stream(1, "p");
        let settings = StickySettings::java_default();
        let avail = all(3);
        let view = TopicView::new(3, &avail);
        let got: Vec<u32> = (0..7)
            .map(|i| {
                let key: Option<&[u8]> = if i % 2 == 0 { Some(b"k") } else { None };
                state
                    .choose(
                        Partitioner::RoundRobin,
                        TOPIC,
                        key,
                        10,
                        &view,
                        &settings,
                        0,
                        &mut rng,
                    )
                    .partition()
            })
            .collect();
        assert_eq!(got, vec![0, 1, 2, 0, 1, 2, 0]);

        // Partition 1 loses its leader: the counter continues (7) over [0, 2].
        let degraded = TopicView::new(3, &[0, 2]);
        let c = state.choose(
            Partitioner::RoundRobin,
            TOPIC,
            None,
            10,
            &degraded,
            &settings,
            0,
            &mut rng,
        );
        assert_eq!(
            c,
            PartitionChoice::RoundRobin {
                counter: 7,
                partition: 2
            }
        );
        let c = state.choose(
            Partitioner::RoundRobin,
            TOPIC,
            None,
            10,
            &degraded,
            &settings,
            0,
            &mut rng,
        );
        assert_eq!(
            c,
            PartitionChoice::RoundRobin {
                counter: 8,
                partition: 0
            }
        );

        // No leader anywhere: counter modulo all partitions.
        let dark = TopicView::new(3, &[]);
        let c = state.choose(
            Partitioner::RoundRobin,
            TOPIC,
            None,
            10,
            &dark,
            &settings,
            0,
            &mut rng,
        );
        assert_eq!(
            c,
            PartitionChoice::RoundRobin {
                counter: 9,
                partition: 0
            }
        );

        // Another topic starts at 0.
        let c = state.choose(
            Partitioner::RoundRobin,
            "other",
            None,
            10,
            &view,
            &settings,
            0,
            &mut rng,
        );
        assert_eq!(c.partition(), 0);
    }

    #[test]
    fn same_seed_gives_the_same_keyless_partitions() {
        let run = |seed: u64| -> Vec<u32> {
            let mut state = PartitionerState::default();
            let mut rng = SimRng::stream(seed, "producer:p1");
            let avail = all(12);
            let view = TopicView::new(12, &avail);
            let mut out = Vec::new();
            for p in Partitioner::ALL {
                let settings = StickySettings {
                    batch_size: 50,
                    sticky_linger_ms: 5,
                };
                for i in 0..40u64 {
                    out.push(
                        state
                            .choose(p, TOPIC, None, 20, &view, &settings, i * 2, &mut rng)
                            .partition(),
                    );
                }
            }
            out
        };
        assert_eq!(run(42), run(42));
        assert_ne!(run(42), run(43));
    }

    #[test]
    fn zero_partitions_never_panics() {
        let mut state = PartitionerState::default();
        let mut rng = SimRng::stream(1, "p");
        let view = TopicView::new(0, &[]);
        for p in Partitioner::ALL {
            for key in [None, Some(&b""[..]), Some(&b"k"[..])] {
                let c = state.choose(
                    p,
                    TOPIC,
                    key,
                    10,
                    &view,
                    &StickySettings::java_default(),
                    100,
                    &mut rng,
                );
                assert_eq!(c.partition(), 0);
            }
        }
    }

    #[test]
    fn record_size_follows_default_record_size_in_bytes() {
        // 1 attr + 1 offsetDelta + 1 timestampDelta + 1 null key + 1 null value + 1 headers = 6, +1 length.
        assert_eq!(record_size_in_bytes(None, None), 7);
        // key "key": 1 + 3, value "value": 1 + 5 -> body 14, +1.
        assert_eq!(record_size_in_bytes(Some(b"key"), Some(b"value")), 15);
        // Empty key is not null: 1 byte length 0.
        assert_eq!(record_size_in_bytes(Some(b""), None), 7);
        // A 50-byte value: body 56, 1-byte length prefix.
        assert_eq!(record_size_in_bytes(None, Some(&[0; 50])), 57);
        // A 63-byte value still has a 1-byte zigzag length, but its body (69) needs a 2-byte one.
        assert_eq!(record_size_in_bytes(None, Some(&[0; 63])), 71);
        // A 64-byte value needs a 2-byte zigzag length: body 1+1+1+1+(2+64)+1 = 71, +2.
        assert_eq!(record_size_in_bytes(None, Some(&[0; 64])), 73);
        // 200-byte value: body 1+1+1+1+(2+200)+1 = 207, whose zigzag varint takes 2 bytes.
        assert_eq!(record_size_in_bytes(None, Some(&[0; 200])), 209);
    }

    #[test]
    fn varint_sizes_are_zigzag() {
        assert_eq!(varint_size(0), 1);
        assert_eq!(varint_size(63), 1);
        assert_eq!(varint_size(64), 2);
        assert_eq!(varint_size(8191), 2);
        assert_eq!(varint_size(8192), 3);
    }

    // proptest is a native-only dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    proptest! {
        #[test]
        fn keyed_partition_is_always_in_range(key in proptest::collection::vec(any::<u8>(), 0..64), n in 1u32..500) {
            let m = murmur2_choice(&key, n);
            prop_assert!(m.partition() < n);
            prop_assert_eq!(m.partition(), to_positive(murmur2(&key)) % n);
            let c = crc32_choice(&key, n);
            prop_assert_eq!(c.partition(), crc32(&key) % n);
        }

        #[test]
        fn keyless_choices_stay_in_range(seed in any::<u64>(), n in 1u32..40, sizes in proptest::collection::vec(1u32..5000, 1..60)) {
            let mut state = PartitionerState::default();
            let mut rng = SimRng::stream(seed, "prop");
            let avail: Vec<u32> = (0..n).filter(|p| p % 3 != 1).collect();
            let view = TopicView::new(n, &avail);
            let settings = StickySettings { batch_size: 4096, sticky_linger_ms: 3 };
            for (i, size) in sizes.iter().enumerate() {
                for p in Partitioner::ALL {
                    let c = state.choose(p, "t", None, *size, &view, &settings, i as u64, &mut rng);
                    prop_assert!(c.partition() < n);
                }
            }
        }
    }
}
