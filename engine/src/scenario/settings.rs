//! Kafka's settings as a scenario document spells them. Each setting is declared once, in
//! one of the [`settings!`] blocks below: its Kafka key, its type and range, and the field
//! of the resolved configuration it sets. From that one line come the document's field,
//! its strict decoding, the overlay on the client's defaults and the way back from a
//! resolved configuration to the document (what the timeline records and exports).
//!
//! Rules that tie settings together (idempotence needs `acks=all`, a heartbeat shorter
//! than the session) are not declarations: they live in `run.rs`, where a configuration
//! is resolved, and apply to every document, link and form alike.

use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};

use super::read::{Decoder, join, shown};
use crate::assignor::AssignorName;
use crate::client::Client;
use crate::command::TopicSpec;
use crate::config::{Acks, ClusterConfig, ProducerConfig};
use crate::consumer::{ConsumerConfig, IsolationLevel, OffsetReset};
use crate::limits::{MAX_BROKERS, MAX_DURATION_SETTING_MS as DAY_MS};
use crate::partitioner::Partitioner;

/// A value a setting can hold, and how a document writes it.
pub(crate) trait SettingValue: Sized + Clone {
    /// The value at `path`, checked against `range` for numbers; on error, the reason is
    /// reported and the value is `None`.
    fn decode(
        d: &mut Decoder,
        v: &Value,
        path: &str,
        range: (u64, u64),
        client: Client,
    ) -> Option<Self>;
}

impl SettingValue for u64 {
    // One body per type, called from every field of that type (the bundle stays small).
    #[inline(never)]
    fn decode(
        d: &mut Decoder,
        v: &Value,
        path: &str,
        (min, max): (u64, u64),
        _: Client,
    ) -> Option<Self> {
        d.uint(v, path, min, max)
    }
}

impl SettingValue for u32 {
    // One body per type, called from every field of that type (the bundle stays small).
    #[inline(never)]
    fn decode(
        d: &mut Decoder,
        v: &Value,
        path: &str,
        (min, max): (u64, u64),
        _: Client,
    ) -> Option<Self> {
        d.uint(v, path, min, max.min(u64::from(u32::MAX)))
            .map(|n| n as u32)
    }
}

impl SettingValue for bool {
    // One body per type, called from every field of that type (the bundle stays small).
    #[inline(never)]
    fn decode(d: &mut Decoder, v: &Value, path: &str, _: (u64, u64), _: Client) -> Option<Self> {
        d.boolean(v, path)
    }
}

impl SettingValue for Arc<str> {
    // One body per type, called from every field of that type (the bundle stays small).
    #[inline(never)]
    fn decode(d: &mut Decoder, v: &Value, path: &str, _: (u64, u64), _: Client) -> Option<Self> {
        d.string(v, path).map(Arc::from)
    }
}

impl SettingValue for Acks {
    // One body per type, called from every field of that type (the bundle stays small).
    #[inline(never)]
    fn decode(d: &mut Decoder, v: &Value, path: &str, _: (u64, u64), _: Client) -> Option<Self> {
        let acks = match v {
            Value::String(s) if s == "0" => Some(Acks::None),
            Value::String(s) if s == "1" => Some(Acks::Leader),
            Value::String(s) if s == "all" || s == "-1" => Some(Acks::All),
            Value::Number(n) if n.as_i64() == Some(0) => Some(Acks::None),
            Value::Number(n) if n.as_i64() == Some(1) => Some(Acks::Leader),
            Value::Number(n) if n.as_i64() == Some(-1) => Some(Acks::All),
            _ => None,
        };
        if acks.is_none() {
            let v = shown(v);
            d.err(
                path,
                format!("expected \"0\", \"1\" or \"all\" (or 0, 1, -1), found {v}"),
            );
        }
        acks
    }
}

impl SettingValue for Partitioner {
    // One body per type, called from every field of that type (the bundle stays small).
    #[inline(never)]
    fn decode(
        d: &mut Decoder,
        v: &Value,
        path: &str,
        _: (u64, u64),
        client: Client,
    ) -> Option<Self> {
        let parsed = v.as_str().and_then(|s| {
            if s == "default" {
                Some(Partitioner::default_for(client))
            } else {
                Partitioner::parse(s)
            }
        });
        if parsed.is_none() {
            let names: Vec<&str> = Partitioner::ALL.iter().map(|p| p.name()).collect();
            let v = shown(v);
            d.err(
                path,
                format!("expected one of {}, found {v}", names.join(", ")),
            );
        }
        parsed
    }
}

/// The index in `names` of a setting's value, one of a few names; on error the reason is
/// reported.
fn named(d: &mut Decoder, v: &Value, path: &str, names: &[&str]) -> Option<usize> {
    let found = v.as_str().and_then(|s| names.iter().position(|n| *n == s));
    if found.is_none() {
        let what = shown(v);
        d.err(
            path,
            format!("expected one of {}, found {what}", names.join(", ")),
        );
    }
    found
}

impl SettingValue for AssignorName {
    // One body per type, called from every field of that type (the bundle stays small).
    #[inline(never)]
    fn decode(d: &mut Decoder, v: &Value, path: &str, _: (u64, u64), _: Client) -> Option<Self> {
        let names = AssignorName::ALL.map(AssignorName::name);
        named(d, v, path, &names).map(|i| AssignorName::ALL[i])
    }
}

impl SettingValue for OffsetReset {
    // One body per type, called from every field of that type (the bundle stays small).
    #[inline(never)]
    fn decode(d: &mut Decoder, v: &Value, path: &str, _: (u64, u64), _: Client) -> Option<Self> {
        let names = OffsetReset::ALL.map(OffsetReset::name);
        named(d, v, path, &names).map(|i| OffsetReset::ALL[i])
    }
}

impl SettingValue for IsolationLevel {
    // One body per type, called from every field of that type (the bundle stays small).
    #[inline(never)]
    fn decode(d: &mut Decoder, v: &Value, path: &str, _: (u64, u64), _: Client) -> Option<Self> {
        let names = IsolationLevel::ALL.map(IsolationLevel::name);
        named(d, v, path, &names).map(|i| IsolationLevel::ALL[i])
    }
}

/// Where a setting's value goes in the resolved configuration: a field of the same type,
/// or an optional one (a setting without a default, such as `group.instance.id`).
pub(crate) trait Slot<T> {
    /// Puts `v` there.
    fn set(&mut self, v: T);
    /// The value, if it differs from `base`'s (what a document must write).
    fn differs(&self, base: &Self) -> Option<T>;
}

impl<T: Clone + PartialEq> Slot<T> for T {
    fn set(&mut self, v: T) {
        *self = v;
    }
    fn differs(&self, base: &Self) -> Option<T> {
        (self != base).then(|| self.clone())
    }
}

impl<T: Clone + PartialEq> Slot<T> for Option<T> {
    fn set(&mut self, v: T) {
        *self = Some(v);
    }
    fn differs(&self, base: &Self) -> Option<T> {
        if self == base { None } else { self.clone() }
    }
}

/// Declares a block of settings: `field: Type = "kafka.key" [min, max]`, the range for
/// numbers only. `field` is the name of the resolved configuration's field too.
macro_rules! settings {
    ($(#[$meta:meta])* $name:ident for $config:ty {
        $($(#[$fmeta:meta])* $field:ident : $ty:ty = $key:literal $([$min:expr, $max:expr])?,)*
    }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(rename = $key, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
        }

        impl $name {
            /// Kafka's names of the settings this block accepts.
            pub const KEYS: &'static [&'static str] = &[$($key),*];

            /// Whether the block sets nothing (a document leaves it out).
            pub fn is_empty(&self) -> bool {
                true $(&& self.$field.is_none())*
            }

            /// Puts every setting the block gives into `c`.
            pub fn overlay(&self, c: &mut $config) {
                $(
                    if let Some(v) = &self.$field {
                        Slot::<$ty>::set(&mut c.$field, v.clone());
                    }
                )*
            }

            /// The settings of `c` that differ from `base`, as a document writes them.
            pub fn differences(c: &$config, base: &$config) -> Self {
                $name {
                    $($field: Slot::<$ty>::differs(&c.$field, &base.$field),)*
                }
            }

            /// Reads the block's settings from `map` (whose keys were checked), reporting
            /// every bad value; `None` if any was.
            pub(crate) fn decode(
                d: &mut Decoder,
                map: &Map<String, Value>,
                path: &str,
                client: Client,
            ) -> Option<Self> {
                let errors = d.problems();
                let doc = $name {
                    $(
                        $field: match map.get($key) {
                            None => None,
                            Some(v) => <$ty as SettingValue>::decode(
                                d,
                                v,
                                &join(path, $key),
                                settings!(@range $([$min, $max])?),
                                client,
                            ),
                        },
                    )*
                };
                (d.problems() == errors).then_some(doc)
            }
        }
    };
    (@range [$min:expr, $max:expr]) => { ($min, $max) };
    (@range) => { (0, 0) };
}

settings! {
    /// `cluster.config`: broker settings by Kafka's names.
    ClusterConfigDoc for ClusterConfig {
        broker_session_timeout_ms: u64 = "broker.session.timeout.ms" [1, DAY_MS],
        broker_heartbeat_interval_ms: u64 = "broker.heartbeat.interval.ms" [1, DAY_MS],
        initial_broker_registration_timeout_ms: u64 = "initial.broker.registration.timeout.ms" [1, DAY_MS],
        replica_lag_time_max_ms: u64 = "replica.lag.time.max.ms" [2, DAY_MS],
        replica_fetch_wait_max_ms: u64 = "replica.fetch.wait.max.ms" [0, DAY_MS],
        replica_fetch_max_bytes: u64 = "replica.fetch.max.bytes" [1, 1 << 30],
        replica_fetch_backoff_ms: u64 = "replica.fetch.backoff.ms" [0, DAY_MS],
        unclean_leader_election_enable: bool = "unclean.leader.election.enable",
        /// The default of topics that set none.
        min_insync_replicas: u32 = "min.insync.replicas" [1, u64::from(MAX_BROKERS)],
        auto_leader_rebalance_enable: bool = "auto.leader.rebalance.enable",
        leader_imbalance_check_interval_seconds: u64 = "leader.imbalance.check.interval.seconds" [1, 86_400],
    }
}

settings! {
    /// `topics[].config`: topic settings by Kafka's names (unset ones follow the broker's).
    TopicConfigDoc for TopicSpec {
        min_insync_replicas: u32 = "min.insync.replicas" [1, u64::from(MAX_BROKERS)],
        unclean_leader_election_enable: bool = "unclean.leader.election.enable",
    }
}

impl TopicConfigDoc {
    /// The settings `spec` gives its topic, as a document writes them.
    pub(crate) fn of(spec: &TopicSpec) -> TopicConfigDoc {
        let unset = TopicSpec {
            min_insync_replicas: None,
            unclean_leader_election_enable: None,
            ..spec.clone()
        };
        TopicConfigDoc::differences(spec, &unset)
    }
}

settings! {
    /// `producers[].config`: producer settings by Kafka's names.
    ProducerConfigDoc for ProducerConfig {
        /// "0", "1" or "all" (0, 1 and -1 too).
        acks: Acks = "acks",
        partitioner: Partitioner = "partitioner",
        enable_idempotence: bool = "enable.idempotence",
        delivery_timeout_ms: u64 = "delivery.timeout.ms" [1, DAY_MS],
        request_timeout_ms: u64 = "request.timeout.ms" [1, DAY_MS],
        retries: u32 = "retries" [0, i32::MAX as u64],
        retry_backoff_ms: u64 = "retry.backoff.ms" [0, DAY_MS],
        retry_backoff_max_ms: u64 = "retry.backoff.max.ms" [0, DAY_MS],
        linger_ms: u64 = "linger.ms" [0, DAY_MS],
        batch_size: u32 = "batch.size" [1, 1 << 30],
        /// librdkafka only.
        sticky_partitioning_linger_ms: u64 = "sticky.partitioning.linger.ms" [0, DAY_MS],
    }
}

settings! {
    /// `join_group.config`: consumer settings by Kafka's names.
    ConsumerConfigDoc for ConsumerConfig {
        assignor: AssignorName = "partition.assignment.strategy",
        auto_offset_reset: OffsetReset = "auto.offset.reset",
        enable_auto_commit: bool = "enable.auto.commit",
        auto_commit_interval_ms: u64 = "auto.commit.interval.ms" [1, DAY_MS],
        session_timeout_ms: u64 = "session.timeout.ms" [1, DAY_MS],
        heartbeat_interval_ms: u64 = "heartbeat.interval.ms" [1, DAY_MS],
        max_poll_interval_ms: u64 = "max.poll.interval.ms" [1, DAY_MS],
        group_instance_id: Arc<str> = "group.instance.id",
        isolation_level: IsolationLevel = "isolation.level",
        fetch_max_wait_ms: u64 = "fetch.max.wait.ms" [0, DAY_MS],
    }
}

/// Producer settings: the document's over the client's defaults. Defaults that follow
/// other settings (Java's idempotence, librdkafka's sticky linger) follow the document's.
pub(crate) fn resolve_producer(client: Client, doc: &ProducerConfigDoc) -> ProducerConfig {
    let mut c = ProducerConfig::defaults(client);
    doc.overlay(&mut c);
    let mut c = c.implied_defaults();
    doc.overlay(&mut c);
    c
}

/// The document's form of a resolved producer configuration: what differs from the
/// defaults it implies.
pub(crate) fn producer_doc(c: &ProducerConfig) -> ProducerConfigDoc {
    ProducerConfigDoc::differences(c, &c.implied_defaults())
}

/// Consumer settings: the document's over the client's defaults.
pub(crate) fn resolve_consumer(client: Client, doc: &ConsumerConfigDoc) -> ConsumerConfig {
    let mut c = ConsumerConfig::defaults(client);
    doc.overlay(&mut c);
    c
}

/// The document's form of a resolved consumer configuration.
pub(crate) fn consumer_doc(c: &ConsumerConfig) -> ConsumerConfigDoc {
    ConsumerConfigDoc::differences(c, &ConsumerConfig::defaults(c.client))
}

/// Broker settings: the document's, else Kafka's defaults.
pub(crate) fn resolve_cluster(doc: &ClusterConfigDoc) -> ClusterConfig {
    let mut c = ClusterConfig::default();
    doc.overlay(&mut c);
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resolved_configuration_goes_back_to_the_document_that_gave_it() {
        let doc = ProducerConfigDoc {
            acks: Some(Acks::Leader),
            linger_ms: Some(20),
            retries: Some(3),
            ..ProducerConfigDoc::default()
        };
        for client in Client::ALL {
            let c = resolve_producer(client, &doc);
            assert_eq!(producer_doc(&c), doc, "{client}");
            assert_eq!(resolve_producer(client, &producer_doc(&c)), c, "{client}");
        }
        let doc = ConsumerConfigDoc {
            group_instance_id: Some("static-1".into()),
            isolation_level: Some(IsolationLevel::ReadCommitted),
            ..ConsumerConfigDoc::default()
        };
        let c = resolve_consumer(Client::Java, &doc);
        assert_eq!(c.group_instance_id.as_deref(), Some("static-1"));
        assert_eq!(consumer_doc(&c), doc);
        // librdkafka reads committed by default: the document need not say it.
        let c = resolve_consumer(Client::Dotnet, &doc);
        assert_eq!(consumer_doc(&c).isolation_level, None);
    }

    #[test]
    fn defaults_that_follow_other_settings_follow_the_document() {
        // KafkaProducer (KAFKA-13673): idempotence is on by default only with acks=all.
        let acks1 = ProducerConfigDoc {
            acks: Some(Acks::Leader),
            ..ProducerConfigDoc::default()
        };
        assert!(!resolve_producer(Client::Java, &acks1).enable_idempotence);
        assert!(resolve_producer(Client::Java, &ProducerConfigDoc::default()).enable_idempotence);
        // librdkafka: sticky.partitioning.linger.ms defaults to 2 x linger.ms.
        let linger = ProducerConfigDoc {
            linger_ms: Some(50),
            ..ProducerConfigDoc::default()
        };
        assert_eq!(
            resolve_producer(Client::Dotnet, &linger).sticky_partitioning_linger_ms,
            100
        );
    }
}
