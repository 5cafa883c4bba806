//! The scenarios the page offers, built into the wasm from `scenarios/`.
//!
//! A preset is a scenario document as written; the engine parses and plays it. The page
//! never interprets the document itself.

use kafka_sim::scenario::{self, Scenario};

/// A scenario the page offers.
#[derive(Debug, PartialEq, Eq)]
pub struct Preset {
    /// Its file name without `.json`; the `<option>` value.
    pub id: &'static str,
    /// What the user picks from the list.
    pub title: &'static str,
    /// The scenario document (JSON).
    pub source: &'static str,
}

/// Every preset, the playground first.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "playground",
        title: "Empty playground: 3 brokers, topic orders",
        source: include_str!("../scenarios/presets/playground.json"),
    },
    Preset {
        id: "format-example",
        title: "A broker stops and rejoins",
        source: include_str!("../scenarios/examples/format-example.json"),
    },
    Preset {
        id: "1-acks1-leader-dies-before-replicating",
        title: "acks=1: the leader dies before replicating",
        source: include_str!("../scenarios/failures/1-acks1-leader-dies-before-replicating.json"),
    },
    Preset {
        id: "2-acks-all-min-isr-2",
        title: "acks=all with min.insync.replicas=2",
        source: include_str!("../scenarios/failures/2-acks-all-min-isr-2.json"),
    },
    Preset {
        id: "3a-unclean-disabled-partition-goes-offline",
        title: "Unclean election disabled: the partition goes offline",
        source: include_str!(
            "../scenarios/failures/3a-unclean-disabled-partition-goes-offline.json"
        ),
    },
    Preset {
        id: "3b-unclean-enabled-loses-acked-records",
        title: "Unclean election enabled: acknowledged records are lost",
        source: include_str!("../scenarios/failures/3b-unclean-enabled-loses-acked-records.json"),
    },
    Preset {
        id: "4-slow-follower-holds-back-the-high-watermark",
        title: "A slow follower holds back the high watermark",
        source: include_str!(
            "../scenarios/failures/4-slow-follower-holds-back-the-high-watermark.json"
        ),
    },
    Preset {
        id: "eager-versus-cooperative-rebalance",
        title: "Consumer groups: eager versus cooperative rebalance",
        source: include_str!("../scenarios/groups/eager-versus-cooperative-rebalance.json"),
    },
    Preset {
        id: "redelivery-after-a-crash-without-commit",
        title: "Consumer groups: redelivery after a crash without commit",
        source: include_str!("../scenarios/groups/redelivery-after-a-crash-without-commit.json"),
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
    /// The parsed document, or every problem the engine reports as `path: reason`.
    pub fn scenario(&self) -> Result<Scenario, Vec<String>> {
        scenario::parse(self.source)
            .map_err(|errors| errors.iter().map(ToString::to_string).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parses() {
        for p in PRESETS {
            assert!(p.scenario().is_ok(), "{} does not parse", p.id);
        }
        assert_eq!(default_preset().id, "playground");
        assert!(find("2-acks-all-min-isr-2").is_some());
    }
}
