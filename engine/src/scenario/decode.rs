//! Strict decoding of a scenario document: every unknown field, wrong type or value out
//! of range is reported with its path, all of them at once, before anything runs.

use crate::collections::Set;

use serde_json::Value;

use super::read::{Decoder, index, join, json_without_repeated_keys, shown};
use super::{
    ClusterConfigDoc, ClusterDoc, ConsumerConfigDoc, Empty, JoinGroupDoc, NetworkDoc, ProduceDoc,
    ProducerConfigDoc, ProducerDoc, Scenario, ScenarioError, Step, TopicConfigDoc, TopicDoc,
};
use crate::client::Client;
use crate::limits;
use crate::sim::{
    validate_client_name, validate_group_name, validate_latency, validate_topic_name,
};

/// Reads and validates a scenario document. On error, every problem found, each with
/// its path; nothing runs.
pub fn parse(text: &str) -> Result<Scenario, Vec<ScenarioError>> {
    // Before any work that grows with the text.
    if text.len() > limits::MAX_DOCUMENT_BYTES {
        return Err(vec![ScenarioError {
            path: String::new(),
            message: format!(
                "the document is {} bytes long; at most {} bytes (4 MiB) are allowed",
                text.len(),
                limits::MAX_DOCUMENT_BYTES
            ),
        }]);
    }
    let (value, repeated) = json_without_repeated_keys(text).map_err(|e| {
        vec![ScenarioError {
            path: String::new(),
            message: format!(
                "not valid JSON: {} (line {}, column {})",
                strip_position(&e.to_string()),
                e.line(),
                e.column()
            ),
        }]
    })?;
    let mut d = Decoder::default();
    for e in repeated {
        d.err(e.path, e.message);
    }
    let scenario = d.scenario(&value);
    if d.errors.is_empty()
        && let Some(s) = scenario
    {
        super::run::check_steps(&s, &mut d.errors);
        if d.errors.is_empty() {
            super::cost::check(&s, &mut d.errors);
        }
        if d.errors.is_empty() {
            return Ok(s);
        }
    }
    Err(at_most_reported(d.errors, d.more))
}

/// The first [`limits::MAX_REPORTED_ERRORS`] problems, and a line saying how many more:
/// a document of a million bad steps is refused in a few lines.
fn at_most_reported(mut errors: Vec<ScenarioError>, more: usize) -> Vec<ScenarioError> {
    let max = limits::MAX_REPORTED_ERRORS;
    if errors.len() > max || more > 0 {
        let more = more + errors.len().saturating_sub(max);
        errors.truncate(max);
        errors.push(ScenarioError {
            path: String::new(),
            message: format!(
                "the document has {more} more problem{} (only the first {max} are listed)",
                if more == 1 { "" } else { "s" }
            ),
        });
    }
    errors
}

fn strip_position(msg: &str) -> &str {
    msg.split(" at line ").next().unwrap_or(msg)
}

impl Decoder {
    fn scenario(&mut self, v: &Value) -> Option<Scenario> {
        let map = self.object(
            v,
            "",
            &[
                "version",
                "seed",
                "network",
                "cluster",
                "topics",
                "producers",
                "steps",
            ],
        )?;
        let version = match self.required(map, "", "version") {
            Some(v) if v.as_u64() == Some(1) => Some(1),
            Some(v) => {
                let v = shown(v);
                self.err("version", format!("only version 1 is supported, found {v}"));
                None
            }
            None => None,
        };
        let seed = match map.get("seed") {
            Some(v) => self.uint(v, "seed", 0, u64::MAX),
            None => Some(0),
        };
        let network = match map.get("network") {
            Some(v) => self.network(v),
            None => Some(NetworkDoc::default()),
        };
        let cluster = match self.required(map, "", "cluster") {
            Some(v) => self.cluster(v),
            None => None,
        };
        let topics = self.list(
            map.get("topics"),
            "topics",
            limits::MAX_TOPICS,
            |d, v, p| d.topic(v, p),
        );
        let producers = self.list(
            map.get("producers"),
            "producers",
            limits::MAX_PRODUCERS,
            |d, v, p| d.producer(v, p),
        );
        let steps = self.list(map.get("steps"), "steps", limits::MAX_STEPS, |d, v, p| {
            d.step(v, p)
        });
        Some(Scenario {
            version: version?,
            seed: seed?,
            network: network?,
            cluster: cluster?,
            topics: topics?,
            producers: producers?,
            steps: steps?,
        })
    }

    fn network(&mut self, v: &Value) -> Option<NetworkDoc> {
        let map = self.object(v, "network", &["latency_ms"])?;
        let path = "network.latency_ms";
        let latency_ms = match map.get("latency_ms") {
            Some(v) => {
                let ms = self.uint(v, path, 0, u64::MAX)?;
                if let Err(reason) = validate_latency(ms) {
                    self.err(path, reason);
                    return None;
                }
                Some(ms)
            }
            None => None,
        };
        Some(NetworkDoc { latency_ms })
    }

    fn cluster(&mut self, v: &Value) -> Option<ClusterDoc> {
        let map = self.object(v, "cluster", &["brokers", "config"])?;
        let brokers = match self.required(map, "cluster", "brokers") {
            Some(v) => self.uint(v, "cluster.brokers", 1, u64::from(limits::MAX_BROKERS)),
            None => None,
        };
        let config = match map.get("config") {
            Some(v) => self.cluster_config(v),
            None => Some(ClusterConfigDoc::default()),
        };
        Some(ClusterDoc {
            brokers: brokers? as u32,
            config: config?,
        })
    }

    fn cluster_config(&mut self, v: &Value) -> Option<ClusterConfigDoc> {
        let path = "cluster.config";
        let map = self.object(v, path, ClusterConfigDoc::KEYS)?;
        let doc = ClusterConfigDoc::decode(self, map, path, Client::Java)?;
        if let Err(errors) = super::run::cluster_config(&doc) {
            for (key, reason) in errors {
                self.err(join(path, key), reason);
            }
            return None;
        }
        Some(doc)
    }

    fn topic(&mut self, v: &Value, path: &str) -> Option<TopicDoc> {
        let map = self.object(
            v,
            path,
            &[
                "name",
                "partitions",
                "replication_factor",
                "config",
                "replica_assignment",
            ],
        )?;
        let name = match self.required(map, path, "name") {
            Some(v) => {
                let p = join(path, "name");
                self.string(v, &p)
                    .and_then(|n| match validate_topic_name(&n) {
                        Ok(()) => Some(n),
                        Err(reason) => {
                            self.err(p, reason);
                            None
                        }
                    })
            }
            None => None,
        };
        let partitions = match map.get("partitions") {
            Some(v) => self.uint(
                v,
                &join(path, "partitions"),
                1,
                u64::from(limits::MAX_PARTITIONS_PER_TOPIC),
            ),
            None => Some(1),
        };
        let replication_factor = match map.get("replication_factor") {
            Some(v) => self.uint(
                v,
                &join(path, "replication_factor"),
                1,
                u64::from(limits::MAX_BROKERS),
            ),
            None => Some(1),
        };
        let config = match map.get("config") {
            Some(v) => self.topic_config(v, &join(path, "config")),
            None => Some(TopicConfigDoc::default()),
        };
        let replica_assignment = match map.get("replica_assignment") {
            None | Some(Value::Null) => Some(None),
            Some(v) => self
                .assignment(v, &join(path, "replica_assignment"))
                .map(Some),
        };
        let (partitions, replication_factor) = (partitions? as u32, replication_factor? as u32);
        let replica_assignment = replica_assignment?;
        if let Some(a) = &replica_assignment {
            let p = join(path, "replica_assignment");
            if map.contains_key("partitions") && a.len() != partitions as usize {
                self.err(
                    &p,
                    format!(
                        "lists {} partitions but partitions is {partitions}",
                        a.len()
                    ),
                );
            }
            for (i, r) in a.iter().enumerate() {
                if map.contains_key("replication_factor") && r.len() != replication_factor as usize
                {
                    self.err(
                        index(&p, i),
                        format!(
                            "lists {} replicas but replication_factor is {replication_factor}",
                            r.len()
                        ),
                    );
                }
                let mut seen = Set::new();
                for b in r {
                    if !seen.insert(*b) {
                        self.err(index(&p, i), format!("broker {b} is listed twice"));
                    }
                }
            }
        }
        // Without explicit counts, the assignment says how many partitions and replicas.
        let (partitions, replication_factor) = match &replica_assignment {
            Some(a) if !a.is_empty() => (
                if map.contains_key("partitions") {
                    partitions
                } else {
                    a.len() as u32
                },
                if map.contains_key("replication_factor") {
                    replication_factor
                } else {
                    a[0].len() as u32
                },
            ),
            _ => (partitions, replication_factor),
        };
        Some(TopicDoc {
            name: name?,
            partitions,
            replication_factor,
            config: config?,
            replica_assignment,
        })
    }

    fn assignment(&mut self, v: &Value, path: &str) -> Option<Vec<Vec<u32>>> {
        self.list(
            Some(v),
            path,
            limits::MAX_PARTITIONS_PER_TOPIC as usize,
            |d, v, p| {
                d.list(Some(v), p, limits::MAX_BROKERS as usize, |d, v, p| {
                    d.uint(v, p, 1, u64::from(limits::MAX_BROKERS))
                        .map(|b| b as u32)
                })
                .and_then(|r| {
                    if r.is_empty() {
                        d.err(p, "a partition needs at least one replica");
                        None
                    } else {
                        Some(r)
                    }
                })
            },
        )
        .and_then(|a| {
            if a.is_empty() {
                self.err(path, "needs at least one partition");
                None
            } else {
                Some(a)
            }
        })
    }

    fn topic_config(&mut self, v: &Value, path: &str) -> Option<TopicConfigDoc> {
        let map = self.object(v, path, TopicConfigDoc::KEYS)?;
        TopicConfigDoc::decode(self, map, path, Client::Java)
    }

    fn producer(&mut self, v: &Value, path: &str) -> Option<ProducerDoc> {
        let map = self.object(v, path, &["id", "client", "config"])?;
        let id = match self.required(map, path, "id") {
            Some(v) => {
                let p = join(path, "id");
                self.string(v, &p)
                    .and_then(|s| match validate_client_name("a producer id", &s) {
                        Ok(()) => Some(s),
                        Err(reason) => {
                            self.err(p, reason);
                            None
                        }
                    })
            }
            None => None,
        };
        let client = match map.get("client") {
            None => Client::Java,
            Some(v) => self.client(v, &join(path, "client"))?,
        };
        let config = match map.get("config") {
            Some(v) => self.producer_config(v, &join(path, "config"), client),
            None => Some(ProducerConfigDoc::default()),
        };
        Some(ProducerDoc {
            id: id?,
            client,
            config: config?,
        })
    }

    fn producer_config(
        &mut self,
        v: &Value,
        path: &str,
        client: Client,
    ) -> Option<ProducerConfigDoc> {
        let map = self.object(v, path, ProducerConfigDoc::KEYS)?;
        let doc = ProducerConfigDoc::decode(self, map, path, client)?;
        if let Err((key, reason)) = super::run::producer_config(client, &doc) {
            self.err(join(path, key), reason);
            return None;
        }
        Some(doc)
    }

    fn step(&mut self, v: &Value, path: &str) -> Option<Step> {
        const STEPS: &[&str] = &[
            "produce",
            "advance_ms",
            "stop_broker",
            "start_broker",
            "add_broker",
            "auto_produce",
            "create_topic",
            "join_group",
            "leave_group",
            "stop_consumer",
            "commit",
        ];
        let map = self.object(v, path, STEPS)?;
        if map.len() != 1 {
            self.err(
                path,
                format!(
                    "a step is an object with exactly one of: {}",
                    STEPS.join(", ")
                ),
            );
            return None;
        }
        let (k, v) = map.iter().next()?;
        let p = join(path, k);
        match k.as_str() {
            "produce" => {
                let m = self.object(v, &p, &["producer", "topic", "key", "value"])?;
                let producer = self
                    .required(m, &p, "producer")
                    .and_then(|v| self.string(v, &join(&p, "producer")));
                let topic = self
                    .required(m, &p, "topic")
                    .and_then(|v| self.string(v, &join(&p, "topic")));
                let key = self.nullable_string(m, &p, "key");
                let value = self.nullable_string(m, &p, "value");
                if m.get("value").is_none() {
                    self.err(
                        join(&p, "value"),
                        "required field is missing (use null for a tombstone)",
                    );
                    return None;
                }
                Some(Step::Produce(ProduceDoc {
                    producer: producer?,
                    topic: topic?,
                    key,
                    value,
                }))
            }
            "advance_ms" => self
                .uint(v, &p, 0, limits::MAX_ADVANCE_MS)
                .map(Step::AdvanceMs),
            "stop_broker" => self
                .uint(v, &p, 1, u64::from(limits::MAX_BROKERS))
                .map(|b| Step::StopBroker(b as u32)),
            "start_broker" => self
                .uint(v, &p, 1, u64::from(limits::MAX_BROKERS))
                .map(|b| Step::StartBroker(b as u32)),
            "add_broker" => self.object(v, &p, &[]).map(|_| Step::AddBroker(Empty {})),
            "create_topic" => self.topic(v, &p).map(Step::CreateTopic),
            "auto_produce" => {
                let m = self.object(v, &p, &["producer", "topic", "rate_per_sec", "keys"])?;
                let producer = self
                    .required(m, &p, "producer")
                    .and_then(|v| self.string(v, &join(&p, "producer")));
                let topic = self
                    .required(m, &p, "topic")
                    .and_then(|v| self.string(v, &join(&p, "topic")));
                let rate = self.required(m, &p, "rate_per_sec").and_then(|v| {
                    self.uint(
                        v,
                        &join(&p, "rate_per_sec"),
                        0,
                        u64::from(limits::MAX_AUTO_PRODUCE_RATE),
                    )
                });
                let keys = match m.get("keys") {
                    Some(v) => self.uint(v, &join(&p, "keys"), 0, 1_000_000),
                    None => Some(0),
                };
                Some(Step::AutoProduce(super::AutoProduceDoc {
                    producer: producer?,
                    topic: topic?,
                    rate_per_sec: rate? as u32,
                    keys: keys? as u32,
                }))
            }
            "join_group" => self.join_group(v, &p).map(Step::JoinGroup),
            "leave_group" => self.consumer_name(v, &p).map(Step::LeaveGroup),
            "stop_consumer" => self.consumer_name(v, &p).map(Step::StopConsumer),
            "commit" => self.consumer_name(v, &p).map(Step::Commit),
            _ => None,
        }
    }
}

impl Decoder {
    fn client(&mut self, v: &Value, path: &str) -> Option<Client> {
        let client = v.as_str().and_then(Client::parse);
        if client.is_none() {
            let [a, b] = Client::ALL.map(Client::name);
            let v = shown(v);
            self.err(path, format!("expected \"{a}\" or \"{b}\", found {v}"));
        }
        client
    }

    fn consumer_name(&mut self, v: &Value, path: &str) -> Option<String> {
        let s = self.string(v, path)?;
        if let Err(reason) = validate_client_name("a consumer name", &s) {
            self.err(path, reason);
            return None;
        }
        Some(s)
    }

    fn join_group(&mut self, v: &Value, path: &str) -> Option<JoinGroupDoc> {
        let map = self.object(
            v,
            path,
            &["group", "consumer", "topics", "client", "config"],
        )?;
        let group = self.required(map, path, "group").and_then(|v| {
            let p = join(path, "group");
            let g = self.string(v, &p)?;
            if let Err(reason) = validate_group_name(&g) {
                self.err(p, reason);
                return None;
            }
            Some(g)
        });
        let consumer = self
            .required(map, path, "consumer")
            .and_then(|v| self.consumer_name(v, &join(path, "consumer")));
        let topics = match self.required(map, path, "topics") {
            Some(v) => {
                let p = join(path, "topics");
                self.list(Some(v), &p, limits::MAX_SUBSCRIBED_TOPICS, |d, v, p| {
                    d.string(v, p)
                })
                .and_then(|t| {
                    if t.is_empty() {
                        self.err(p, "subscribe to at least one topic");
                        None
                    } else {
                        Some(t)
                    }
                })
            }
            None => None,
        };
        let client = match map.get("client") {
            None => None,
            Some(v) => Some(self.client(v, &join(path, "client"))?),
        };
        let config = match map.get("config") {
            Some(v) => {
                self.consumer_config(v, &join(path, "config"), client.unwrap_or(Client::Java))
            }
            None => Some(ConsumerConfigDoc::default()),
        };
        Some(JoinGroupDoc {
            group: group?,
            consumer: consumer?,
            topics: topics?,
            client,
            config: config?,
        })
    }

    fn consumer_config(
        &mut self,
        v: &Value,
        path: &str,
        client: Client,
    ) -> Option<ConsumerConfigDoc> {
        let map = self.object(v, path, ConsumerConfigDoc::KEYS)?;
        let doc = ConsumerConfigDoc::decode(self, map, path, client)?;
        if let Err((key, reason)) = super::run::consumer_config(client, &doc) {
            self.err(join(path, key), reason);
            return None;
        }
        Some(doc)
    }
}
