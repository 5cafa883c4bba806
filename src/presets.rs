//! The scenarios the page can run, built into the wasm from `scenarios/`.
//!
//! A preset is a scenario document as written; the engine parses and runs it. The page
//! never interprets the document itself.

use kafka_sim::{SimOptions, Snapshot, scenario};

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

/// Every preset, the default first.
pub const PRESETS: &[Preset] = &[
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
        id: "3c-unclean-election-meets-an-idempotent-producer",
        title: "Unclean election meets an idempotent producer",
        source: include_str!(
            "../scenarios/failures/3c-unclean-election-meets-an-idempotent-producer.json"
        ),
    },
    Preset {
        id: "4-slow-follower-holds-back-the-high-watermark",
        title: "A slow follower holds back the high watermark",
        source: include_str!(
            "../scenarios/failures/4-slow-follower-holds-back-the-high-watermark.json"
        ),
    },
    Preset {
        id: "5-last-isr-member-fails-and-returns",
        title: "The last in-sync replica fails and returns",
        source: include_str!("../scenarios/failures/5-last-isr-member-fails-and-returns.json"),
    },
];

/// The preset the page runs when it opens.
pub fn default_preset() -> &'static Preset {
    &PRESETS[0]
}

/// The preset with this id.
pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

impl Preset {
    /// Parses and runs the scenario to its end; on failure, every problem the engine
    /// reports, as `path: reason`.
    pub fn run(&self) -> Result<Snapshot, Vec<String>> {
        let messages = |errors: Vec<scenario::ScenarioError>| {
            errors.iter().map(ToString::to_string).collect::<Vec<_>>()
        };
        let doc = scenario::parse(self.source).map_err(messages)?;
        let run = scenario::run(&doc, SimOptions::default()).map_err(messages)?;
        Ok(run.sim.snapshot())
    }
}
