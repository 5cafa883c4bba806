//! The client libraries the playground models: their names as scenario documents spell
//! them, and what a learner reads beside them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Which client library a producer or consumer is (serde: `"java"` / `"dotnet"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Client {
    /// The Apache Kafka Java client (`KafkaProducer`, `KafkaConsumer`).
    Java,
    /// Confluent.Kafka for .NET, a wrapper around librdkafka.
    Dotnet,
}

impl Client {
    /// Every client, in the order pickers list them.
    pub const ALL: [Client; 2] = [Client::Java, Client::Dotnet];

    /// The scenario-format name (`"java"`, `"dotnet"`); the same as serde's.
    pub fn name(self) -> &'static str {
        match self {
            Client::Java => "java",
            Client::Dotnet => "dotnet",
        }
    }

    /// The client with this scenario-format name; names are matched exactly.
    pub fn parse(name: &str) -> Option<Client> {
        Client::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The library, as a learner knows it.
    pub fn library(self) -> &'static str {
        match self {
            Client::Java => "Java (Apache Kafka client)",
            Client::Dotnet => ".NET (Confluent.Kafka, librdkafka)",
        }
    }
}

impl fmt::Display for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for c in Client::ALL {
            assert_eq!(Client::parse(c.name()), Some(c));
            assert_eq!(
                serde_json::to_string(&c).expect("serializes"),
                format!("\"{}\"", c.name())
            );
        }
        assert_eq!(Client::parse("Java"), None);
    }
}
