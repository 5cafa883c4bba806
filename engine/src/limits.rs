//! Everything is bounded: the limits a scenario or a command is checked against.
//!
//! They are named here, checked when a scenario or command is validated, and shown to the
//! user in the error message when exceeded.

/// Most brokers a cluster may have.
pub const MAX_BROKERS: u32 = 64;
/// Most partitions one topic may have.
pub const MAX_PARTITIONS_PER_TOPIC: u32 = 256;
/// Most topics a cluster may have.
pub const MAX_TOPICS: usize = 64;
/// Most deliveries and timers at one simulated instant before `advance` stops: a guard
/// against a livelock freezing the page (real schedules stay far below it).
pub const MAX_EVENTS_AT_ONE_INSTANT: u64 = 1_000_000;
/// Most consumers a scenario may start.
pub const MAX_CONSUMERS: usize = 64;
/// Most topics one consumer may subscribe to.
pub const MAX_SUBSCRIBED_TOPICS: usize = 64;
/// Default number of consumed records kept for display.
pub const DEFAULT_CONSUMED_KEPT: usize = 10_000;
/// Highest auto-produce rate, in records per simulated second.
pub const MAX_AUTO_PRODUCE_RATE: u32 = 10_000;
/// Most producers a scenario may declare.
pub const MAX_PRODUCERS: usize = 64;
/// Most steps in one scenario document.
pub const MAX_STEPS: usize = 200_000;
/// Longest single `advance_ms` step: one simulated day.
pub const MAX_ADVANCE_MS: u64 = 86_400_000;
/// Longest total simulated time of a scenario: thirty simulated days.
pub const MAX_TOTAL_TIME_MS: u64 = 30 * 86_400_000;
/// Longest key or value, in bytes of UTF-8: the playground's own limit (Kafka's is the
/// broker's `message.max.bytes`, about 1 MiB for a whole batch).
pub const MAX_KEY_OR_VALUE_BYTES: usize = 4096;
/// Longest topic name, in UTF-16 code units as Java counts them (Kafka's own limit,
/// `Topic.MAX_NAME_LENGTH`).
pub const MAX_TOPIC_NAME_LENGTH: usize = 249;
/// Longest `group.instance.id`, in UTF-16 code units (Kafka's own limit,
/// `JoinGroupRequest.MAX_GROUP_INSTANCE_ID_LENGTH`).
pub const MAX_GROUP_INSTANCE_ID_LENGTH: usize = 249;
/// Longest group name, in characters: the playground's own limit (Kafka sets none on a
/// `group.id`; it only refuses an empty one).
pub const MAX_GROUP_NAME_LENGTH: usize = 249;
/// Longest producer or consumer name, in characters: the playground's own limit (Kafka
/// sets none on a `client.id`).
pub const MAX_CLIENT_NAME_LENGTH: usize = 64;
/// Largest scenario document, in bytes of UTF-8 (4 MiB), checked before it is parsed.
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;
/// Longest unknown key, in characters, for which a "did you mean" suggestion is looked
/// for (the edit distance costs the product of the two lengths).
pub const MAX_SUGGESTED_KEY_LENGTH: usize = 64;
/// Most characters of an input value an error message echoes (escapes included), before
/// it is cut with "…".
pub const MAX_EXCERPT_CHARS: usize = 40;
/// Most problems reported for one document; past them one line says how many more.
pub const MAX_REPORTED_ERRORS: usize = 100;
/// Smallest one-way network latency: with none, a request answered at once and sent
/// again (a client asking a stopped broker) would repeat forever at one simulated instant.
pub const MIN_LATENCY_MS: u64 = 1;
/// Largest one-way network latency.
pub const MAX_LATENCY_MS: u64 = 60_000;
/// Largest value accepted for a duration setting (one simulated day).
pub const MAX_DURATION_SETTING_MS: u64 = 86_400_000;
/// Default number of events the trace keeps (older ones are dropped first).
pub const DEFAULT_TRACE_CAPACITY: usize = 10_000;
/// Most events a trace may keep.
pub const MAX_TRACE_CAPACITY: usize = 2_000_000;
/// Default number of record contents each replica log keeps for display; older
/// records keep their offset and leader epoch but not their key and value.
pub const DEFAULT_RECORDS_KEPT_PER_LOG: u64 = 1_000;
/// The record contents per log the page keeps (`src/state.rs`): far fewer than the
/// default, so its logs merge old batches into runs early. Tests run with it too, since
/// the cap must change which contents are kept and nothing else.
pub const PAGE_RECORDS_KEPT_PER_LOG: u64 = 48;
/// Default number of produced records whose outcome is kept for display.
pub const DEFAULT_PRODUCED_KEPT: usize = 10_000;

/// Most records a scenario document may have its producers send (`produce` steps and
/// `auto_produce` rates times time): about half a minute of work natively.
pub const MAX_RECORDS_PER_DOCUMENT: u64 = 20_000_000;
/// Most replica fetches a scenario document may take (follower replicas, fetched about
/// twice a second each, times simulated time): three brokers with a replicated topic idle
/// for 30 days take 31 million.
pub const MAX_REPLICA_FETCHES_PER_DOCUMENT: u64 = 100_000_000;
/// Record contents the CLI keeps per replica log (older records keep their offsets only,
/// as in the page), and how many produced and consumed records it keeps: its memory stays
/// bounded however many records a document sends.
pub const CLI_RECORDS_KEPT_PER_LOG: u64 = 10_000;
/// See [`CLI_RECORDS_KEPT_PER_LOG`].
pub const CLI_PRODUCED_KEPT: usize = 100_000;
/// See [`CLI_RECORDS_KEPT_PER_LOG`].
pub const CLI_CONSUMED_KEPT: usize = 100_000;
