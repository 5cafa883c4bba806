//! Running a lesson headless: its goals evaluated after every delivery, timer and step
//! (what `kafka-sim lesson check|solve` prints and the lesson tests assert).

use serde::Serialize;

use super::{Lesson, Progress};
use crate::scenario::{Moment, Scenario, ScenarioError, run_observed};
use crate::sim::SimOptions;

/// One goal's outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GoalResult {
    /// The goal's id.
    pub id: String,
    /// Whether it was met.
    pub met: bool,
    /// The index of the step during (or after) which it was first met.
    #[serde(skip)]
    pub met_at_step: Option<usize>,
}

/// Every goal's outcome, in the lesson's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The lesson's name.
    pub lesson: String,
    /// Its goals.
    pub goals: Vec<GoalResult>,
}

/// The goals on the lesson's scenario as it stands (its own steps).
pub fn check(lesson: &Lesson) -> Result<Report, Vec<ScenarioError>> {
    evaluate(lesson, &lesson.scenario())
}

/// The goals after the solution played after the steps.
pub fn solve(lesson: &Lesson) -> Result<Report, Vec<ScenarioError>> {
    evaluate(lesson, &lesson.with_solution())
}

/// The lesson's goals on any scenario `doc` (a solution with a step removed, in tests).
pub fn evaluate(lesson: &Lesson, doc: &Scenario) -> Result<Report, Vec<ScenarioError>> {
    let mut progress = Progress::new(lesson);
    let mut met_at: Vec<Option<usize>> = vec![None; lesson.goals().len()];
    let mut step = 0;
    run_observed(doc, SimOptions::default(), &mut |moment, sim| {
        for g in progress.observe(sim) {
            met_at[g] = Some(step);
        }
        if let Moment::AfterStep(i) = moment {
            step = i + 1;
        }
    })?;
    Ok(Report {
        lesson: lesson.slug().to_string(),
        goals: lesson
            .goals()
            .iter()
            .zip(progress.met())
            .zip(met_at)
            .map(|((g, met), at)| GoalResult {
                id: g.id.clone(),
                met: *met,
                met_at_step: at,
            })
            .collect(),
    })
}
