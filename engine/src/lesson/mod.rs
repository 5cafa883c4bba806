//! Lessons: a scenario document with a `lesson` section (title, chapter, stages, goals,
//! hints, solution). The goals are predicates the engine checks ([`Progress`]); the
//! solution is steps that meet them all, which "Show me" plays and the tests run.
//!
//! ```
//! use kafka_sim::lesson::{Lesson, solve};
//! let text = r#"{
//!   "version": 1,
//!   "cluster": { "brokers": 1 },
//!   "topics": [{ "name": "orders", "partitions": 3 }],
//!   "producers": [{ "id": "web-api", "client": "dotnet" }],
//!   "lesson": {
//!     "title": "Keys pick the partition",
//!     "chapter": "partitioning-with-key",
//!     "stages": [{ "text": "Send two records with one key.", "goals": ["same-key"] }],
//!     "goals": [{ "id": "same-key", "text": "Two records with one key, in one partition",
//!                 "when": { "same_key_one_partition": { "topic": "orders", "at_least": 2 } } }],
//!     "solution": [
//!       { "produce": { "producer": "web-api", "topic": "orders", "key": "user-42", "value": "a" } },
//!       { "produce": { "producer": "web-api", "topic": "orders", "key": "user-42", "value": "b" } },
//!       { "advance_ms": 100 }
//!     ]
//!   }
//! }"#;
//! let lesson = Lesson::parse(text, "keys").expect("a valid lesson");
//! let report = solve(&lesson).expect("it runs");
//! assert!(report.goals[0].met);
//! ```

mod check;
mod decode;
pub mod predicate;
mod progress;

use crate::collections::Map;
use crate::scenario::{Scenario, ScenarioError, Step};

pub use check::{GoalResult, Report, check, evaluate, solve};
pub use predicate::Predicate;
pub use progress::Progress;

/// The ideas a lesson can teach: the tutorial's chapters, and durability.
pub const CHAPTERS: &[&str] = &[
    "events",
    "topics",
    "partitioning-without-key",
    "partitioning-with-key",
    "brokers",
    "cluster",
    "replication",
    "producer",
    "consumer",
    "durability",
];

/// One stage of a lesson: what to look at, and the goals it asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    /// Plain words, with Kafka's names.
    pub text: String,
    /// The ids of its goals.
    pub goals: Vec<String>,
}

/// Something the learner must make happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Goal {
    /// Its id (`same-key`), as the host page is told.
    pub id: String,
    /// What to do, in plain words.
    pub text: String,
    /// When it is met.
    pub when: Predicate,
}

/// A lesson, checked: every name its goals use exists in its scenario, and its solution
/// runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lesson {
    slug: String,
    title: String,
    chapter: String,
    stages: Vec<Stage>,
    goals: Vec<Goal>,
    hints: Vec<String>,
    /// The scenario with the solution's steps after its own.
    solved: Scenario,
    /// How many of `solved.steps` are the scenario's own.
    own_steps: usize,
}

impl Lesson {
    /// Reads a lesson document; `slug` names it (its file name without `.json`). On
    /// error, every problem found, each with its path (`lesson.goals[0].when`).
    pub fn parse(text: &str, slug: &str) -> Result<Lesson, Vec<ScenarioError>> {
        decode::parse(text, slug)
    }

    /// Its name (`04-keys-pick-the-partition`).
    pub fn slug(&self) -> &str {
        &self.slug
    }

    /// Its title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The idea it teaches, one of [`CHAPTERS`].
    pub fn chapter(&self) -> &str {
        &self.chapter
    }

    /// Its stages, in order.
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    /// Its goals, in order.
    pub fn goals(&self) -> &[Goal] {
        &self.goals
    }

    /// Its hints, in the order they are shown.
    pub fn hints(&self) -> &[String] {
        &self.hints
    }

    /// The scenario the learner starts from (its own steps, without the solution).
    pub fn scenario(&self) -> Scenario {
        let mut s = self.solved.clone();
        s.steps.truncate(self.own_steps);
        s
    }

    /// The scenario with the solution played after its steps ("Show me").
    pub fn with_solution(&self) -> Scenario {
        self.solved.clone()
    }

    /// The solution's steps.
    pub fn solution(&self) -> &[Step] {
        &self.solved.steps[self.own_steps..]
    }

    /// The consumers of each group, as the lesson's `join_group` steps name them.
    pub fn consumers_by_group(&self) -> Map<String, Vec<String>> {
        let mut out: Map<String, Vec<String>> = Map::new();
        for step in &self.solved.steps {
            if let Step::JoinGroup(j) = step {
                match out.get_mut(j.group.as_str()) {
                    Some(members) => members.push(j.consumer.clone()),
                    None => {
                        out.insert(j.group.clone(), vec![j.consumer.clone()]);
                    }
                }
            }
        }
        out
    }
}

/// Whether a step acts on the cluster (everything but time passing).
pub fn acts(step: &Step) -> bool {
    !matches!(step, Step::AdvanceMs(_))
}
