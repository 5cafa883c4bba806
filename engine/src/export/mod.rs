//! "Run it for real": a scenario written out for a real cluster and real clients, with the
//! scenario's own settings under Kafka's names (`kafka-sim export --to FORMAT FILE`, and
//! the page's Export). Pure string building: no new dependency weighs on the page.
//!
//! | format | what |
//! | --- | --- |
//! | `compose` | a Docker Compose file: a KRaft controller and the scenario's brokers (`apache/kafka`) |
//! | `topics` | `kafka-topics.sh --create` commands |
//! | `java` | a Java producer and consumer (`KafkaPlayground.java`, on `kafka-clients`) |
//! | `dotnet` | a minimal Web API producer and a console consumer on Confluent.Kafka |
//! | `librdkafka` | the producers' and consumers' properties, librdkafka's names |

mod clients;
mod cluster;

use std::fmt;

use serde_json::{Map, Value};

use super::scenario::{JoinGroupDoc, ProduceDoc, ProducerDoc, Scenario, Step, TopicDoc};

/// The Kafka version the exports name (images, jars, packages): the one the engine models
/// and the oracle runs.
pub const KAFKA_VERSION: &str = "4.4.0";

/// One of the export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A Docker Compose file.
    Compose,
    /// `kafka-topics.sh --create` commands.
    Topics,
    /// A Java producer and consumer.
    Java,
    /// A .NET Web API producer and console consumer.
    Dotnet,
    /// librdkafka properties (JSON).
    Librdkafka,
}

impl Format {
    /// Every format, by its name.
    pub const ALL: [(&'static str, Format); 5] = [
        ("compose", Format::Compose),
        ("topics", Format::Topics),
        ("java", Format::Java),
        ("dotnet", Format::Dotnet),
        ("librdkafka", Format::Librdkafka),
    ];

    /// The format named `name`.
    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
    }
}

/// One file of an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    /// Where it goes, relative (`Producer/Program.cs`).
    pub path: String,
    /// Its text.
    pub contents: String,
}

/// Why a scenario cannot be exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportError {
    /// No topic in `topics` nor in a `create_topic` step: nothing would run.
    NoTopic,
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::NoTopic => f.write_str(
                "nothing to export: the scenario has no topic (add one to \"topics\" or a \"create_topic\" step)",
            ),
        }
    }
}

/// The scenario written out in `format`.
pub fn render(doc: &Scenario, format: Format) -> Result<Vec<ExportFile>, ExportError> {
    let view = View::of(doc);
    if view.topics.is_empty() {
        return Err(ExportError::NoTopic);
    }
    Ok(match format {
        Format::Compose => vec![file("compose.yaml", cluster::compose(&view))],
        Format::Topics => vec![file("create-topics.sh", cluster::topics(&view))],
        Format::Java => vec![file("KafkaPlayground.java", clients::java(&view))],
        Format::Dotnet => clients::dotnet(&view),
        Format::Librdkafka => vec![file("librdkafka.json", clients::librdkafka(&view))],
    })
}

fn file(path: &str, contents: String) -> ExportFile {
    ExportFile {
        path: path.into(),
        contents,
    }
}

/// What the exports read from a scenario.
struct View<'a> {
    doc: &'a Scenario,
    topics: Vec<&'a TopicDoc>,
    records: Vec<(usize, &'a ProduceDoc)>,
    consumers: Vec<&'a JoinGroupDoc>,
}

impl<'a> View<'a> {
    fn of(doc: &'a Scenario) -> View<'a> {
        let mut topics: Vec<&TopicDoc> = doc.topics.iter().collect();
        let mut records = Vec::new();
        let mut consumers = Vec::new();
        for (i, step) in doc.steps.iter().enumerate() {
            match step {
                Step::CreateTopic(t) => topics.push(t),
                Step::Produce(p) => records.push((i, p)),
                Step::JoinGroup(j) => consumers.push(j),
                _ => {}
            }
        }
        View {
            doc,
            topics,
            records,
            consumers,
        }
    }

    fn producers(&self) -> &'a [ProducerDoc] {
        &self.doc.producers
    }
}

/// A config block's settings as Kafka names them, with their values as text.
fn settings<T: serde::Serialize>(config: &T) -> Vec<(String, String)> {
    let Ok(Value::Object(map)) = serde_json::to_value(config) else {
        return Vec::new();
    };
    text_values(map)
}

fn text_values(map: Map<String, Value>) -> Vec<(String, String)> {
    map.into_iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            (k, text)
        })
        .collect()
}

/// A string literal for Java, C#, JSON and YAML double-quoted strings alike.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests;
