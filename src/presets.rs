//! The scenarios the page offers, from `scenarios/`.
//!
//! A preset is a scenario document as written; the engine parses and plays it. The page
//! never interprets the document itself. The others are fetched when the learner loads
//! one (index.html copies their folders beside the page), so neither their JSON nor the
//! engine's reader of documents is part of the first load. The playground the page
//! opens with is written here as the document it reads to (a test holds them equal).

use kafka_sim::scenario::{
    ClusterConfigDoc, ClusterDoc, NetworkDoc, Scenario, TopicConfigDoc, TopicDoc,
};

/// A scenario the page offers.
#[derive(Debug, PartialEq, Eq)]
pub struct Preset {
    /// Its file name without `.json`; the `<option>` value.
    pub id: &'static str,
    /// What the user picks from the list.
    pub title: &'static str,
    /// Its file under `scenarios/`, which is also where the page fetches it from.
    pub file: &'static str,
}

/// Every preset, the playground first.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "playground",
        title: "Empty playground: 3 brokers, topic orders",
        file: "presets/playground.json",
    },
    Preset {
        id: "format-example",
        title: "A broker stops and rejoins",
        file: "examples/format-example.json",
    },
    Preset {
        id: "1-acks1-leader-dies-before-replicating",
        title: "acks=1: the leader dies before replicating",
        file: "failures/1-acks1-leader-dies-before-replicating.json",
    },
    Preset {
        id: "2-acks-all-min-isr-2",
        title: "acks=all with min.insync.replicas=2",
        file: "failures/2-acks-all-min-isr-2.json",
    },
    Preset {
        id: "3a-unclean-disabled-partition-goes-offline",
        title: "Unclean election disabled: the partition goes offline",
        file: "failures/3a-unclean-disabled-partition-goes-offline.json",
    },
    Preset {
        id: "3b-unclean-enabled-loses-acked-records",
        title: "Unclean election enabled: acknowledged records are lost",
        file: "failures/3b-unclean-enabled-loses-acked-records.json",
    },
    Preset {
        id: "4-slow-follower-holds-back-the-high-watermark",
        title: "A slow follower holds back the high watermark",
        file: "failures/4-slow-follower-holds-back-the-high-watermark.json",
    },
    Preset {
        id: "eager-versus-cooperative-rebalance",
        title: "Consumer groups: eager versus cooperative rebalance",
        file: "groups/eager-versus-cooperative-rebalance.json",
    },
    Preset {
        id: "redelivery-after-a-crash-without-commit",
        title: "Consumer groups: redelivery after a crash without commit",
        file: "groups/redelivery-after-a-crash-without-commit.json",
    },
];

/// The preset the page opens with.
pub fn default_preset() -> &'static Preset {
    &PRESETS[0]
}

/// The preset with this id.
pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

impl Preset {
    /// Where the page fetches the document from (relative to the page).
    pub fn url(&self) -> String {
        format!("scenarios/{}", self.file)
    }

    /// The document, read by the engine (the default one is built in), or every problem
    /// as `path: reason`.
    pub async fn scenario(&self) -> Result<Scenario, Vec<String>> {
        if self.id == default_preset().id {
            return Ok(default_scenario());
        }
        let text = crate::fetch::text(&self.url()).await.map_err(|e| vec![e])?;
        crate::share::read_scenario(text).await
    }
}

/// `scenarios/presets/playground.json`, as the engine reads it: what the first screen
/// shows before anything could be fetched.
pub fn default_scenario() -> Scenario {
    Scenario {
        version: 1,
        seed: 1,
        network: NetworkDoc {
            latency_ms: Some(200),
        },
        cluster: ClusterDoc {
            brokers: 3,
            config: ClusterConfigDoc {
                broker_session_timeout_ms: Some(6000),
                broker_heartbeat_interval_ms: Some(1500),
                replica_lag_time_max_ms: Some(10_000),
                unclean_leader_election_enable: Some(false),
                ..ClusterConfigDoc::default()
            },
        },
        topics: vec![TopicDoc {
            name: "orders".into(),
            partitions: 3,
            replication_factor: 3,
            config: TopicConfigDoc {
                min_insync_replicas: Some(2),
                ..TopicConfigDoc::default()
            },
            replica_assignment: None,
        }],
        producers: Vec::new(),
        steps: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use kafka_sim::scenario;

    use super::*;

    fn file(p: &Preset) -> String {
        let path = format!("{}/scenarios/{}", env!("CARGO_MANIFEST_DIR"), p.file);
        std::fs::read_to_string(&path).expect("the preset's file is there")
    }

    #[test]
    fn every_preset_parses() {
        for p in PRESETS {
            assert!(scenario::parse(&file(p)).is_ok(), "{} does not parse", p.id);
        }
        assert_eq!(default_preset().id, "playground");
        assert!(find("2-acks-all-min-isr-2").is_some());
    }

    #[test]
    fn the_built_in_default_is_its_file_as_the_engine_reads_it() {
        let read = scenario::parse(&file(default_preset())).expect("it parses");
        assert_eq!(default_scenario(), read);
    }

    #[test]
    fn every_fetched_preset_lies_in_a_folder_the_page_copies() {
        // index.html's copy-dir links put these folders beside the page.
        let html = include_str!("../index.html");
        for p in PRESETS.iter().filter(|p| p.id != default_preset().id) {
            let folder = p.file.rsplit_once('/').map_or("", |(d, _)| d);
            let link =
                format!(r#"href="scenarios/{folder}" data-target-path="scenarios/{folder}""#);
            assert!(
                html.contains(&link),
                "{}: index.html copies no scenarios/{folder}",
                p.id
            );
        }
    }
}
