//! Strict reading of a lesson document: the scenario as for any scenario (with the
//! solution's steps checked as if they followed the scenario's own), then the `lesson`
//! section, then every name a goal uses against the scenario.

use serde_json::Value;

use super::predicate;
use super::{CHAPTERS, Goal, Lesson, Stage};
use crate::collections::Set;
use crate::scenario::read::{self, Decoder, join};
use crate::scenario::{self, Scenario, ScenarioError, Step};

const MAX_GOALS: usize = 32;
const MAX_STAGES: usize = 16;
const MAX_HINTS: usize = 16;
const MAX_TEXT_CHARS: usize = 1_000;
const MAX_ID_CHARS: usize = 40;

pub(super) fn parse(text: &str, slug: &str) -> Result<Lesson, Vec<ScenarioError>> {
    if text.len() > crate::limits::MAX_DOCUMENT_BYTES {
        return Err(vec![ScenarioError {
            path: String::new(),
            message: format!(
                "the lesson is {} bytes; a document may be at most {} (the playground's limit)",
                text.len(),
                crate::limits::MAX_DOCUMENT_BYTES
            ),
        }]);
    }
    let (mut value, repeated) = read::json_without_repeated_keys(text).map_err(|e| {
        vec![ScenarioError {
            path: String::new(),
            message: format!("not valid JSON: {e}"),
        }]
    })?;
    if !repeated.is_empty() {
        return Err(repeated);
    }
    let Some(map) = value.as_object_mut() else {
        return Err(vec![ScenarioError {
            path: String::new(),
            message: "expected an object: a scenario with a \"lesson\" section".into(),
        }]);
    };
    let Some(section) = map.remove("lesson") else {
        return Err(vec![ScenarioError {
            path: "lesson".into(),
            message: "required field is missing: a lesson is a scenario with a \"lesson\" \
                      section"
                .into(),
        }]);
    };
    let own_steps = map
        .get("steps")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let mut d = Decoder::default();
    let body = d.object(
        &section,
        "lesson",
        &["title", "chapter", "stages", "goals", "hints", "solution"],
    );
    let solution = body.and_then(|b| match b.get("solution") {
        Some(Value::Array(steps)) if !steps.is_empty() => Some(steps.clone()),
        Some(Value::Array(_)) | None => {
            d.err(
                "lesson.solution",
                "a lesson needs a solution: the steps that meet every goal",
            );
            None
        }
        Some(_) => {
            d.err("lesson.solution", "expected an array of steps");
            None
        }
    });
    // The solution's steps are checked as the scenario's next steps, so a solution that
    // stops a broker already stopped, or produces to a topic not yet created, is refused.
    let solved = solution.map(|steps| {
        let mut doc = map.clone();
        let all = doc
            .entry("steps")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = all {
            list.extend(steps);
        }
        match scenario::parse(&Value::Object(doc).to_string()) {
            Ok(s) => Some(s),
            Err(errors) => {
                d.errors
                    .extend(errors.into_iter().map(|e| in_solution(e, own_steps)));
                None
            }
        }
    });
    let lesson = body.and_then(|b| section_of(&mut d, b));
    let Some((title, chapter, stages, goals, hints)) = lesson else {
        return Err(d.errors);
    };
    let Some(Some(solved)) = solved else {
        return Err(d.errors);
    };
    check_names(&mut d, &goals, &solved);
    if !d.errors.is_empty() {
        return Err(d.errors);
    }
    Ok(Lesson {
        slug: slug.to_string(),
        title,
        chapter,
        stages,
        goals,
        hints,
        solved,
        own_steps,
    })
}

/// An error of the combined document, placed where the learner wrote it.
fn in_solution(mut e: ScenarioError, own_steps: usize) -> ScenarioError {
    if let Some(rest) = e.path.strip_prefix("steps[") {
        let (n, tail) = rest.split_once(']').unwrap_or((rest, ""));
        if let Ok(i) = n.parse::<usize>()
            && i >= own_steps
        {
            e.path = format!("lesson.solution[{}]{tail}", i - own_steps);
        }
    }
    e
}

type Section = (String, String, Vec<Stage>, Vec<Goal>, Vec<String>);

fn section_of(d: &mut Decoder, b: &serde_json::Map<String, Value>) -> Option<Section> {
    let title = text(d, b.get("title"), "lesson.title", 120);
    let chapter = match b.get("chapter") {
        None => {
            d.err("lesson.chapter", "required field is missing");
            None
        }
        Some(v) => d.string(v, "lesson.chapter").and_then(|c| {
            if CHAPTERS.contains(&c.as_str()) {
                Some(c)
            } else {
                d.err(
                    "lesson.chapter",
                    format!("'{c}' is not a chapter; one of: {}", CHAPTERS.join(", ")),
                );
                None
            }
        }),
    };
    let goals = match b.get("goals") {
        None => {
            d.err("lesson.goals", "a lesson needs at least one goal");
            None
        }
        Some(v) => d.list(Some(v), "lesson.goals", MAX_GOALS, goal),
    };
    if goals.as_ref().is_some_and(Vec::is_empty) {
        d.err("lesson.goals", "a lesson needs at least one goal");
    }
    let stages = match b.get("stages") {
        None => {
            d.err("lesson.stages", "required field is missing");
            None
        }
        Some(v) => d.list(Some(v), "lesson.stages", MAX_STAGES, stage),
    };
    if stages.as_ref().is_some_and(Vec::is_empty) {
        d.err("lesson.stages", "a lesson needs at least one stage");
    }
    let hints = d.list(b.get("hints"), "lesson.hints", MAX_HINTS, |d, v, p| {
        text(d, Some(v), p, MAX_TEXT_CHARS)
    });
    let (goals, stages) = (goals?, stages?);
    let mut ids = Set::new();
    for (i, g) in goals.iter().enumerate() {
        if !ids.insert(g.id.as_str()) {
            d.err(
                format!("lesson.goals[{i}].id"),
                format!("another goal has the id '{}'", g.id),
            );
        }
    }
    for (i, s) in stages.iter().enumerate() {
        for (k, id) in s.goals.iter().enumerate() {
            if !ids.contains(&id.as_str()) {
                d.err(
                    format!("lesson.stages[{i}].goals[{k}]"),
                    format!("no goal has the id '{id}'"),
                );
            }
        }
    }
    Some((title?, chapter?, stages, goals, hints?))
}

fn text(d: &mut Decoder, v: Option<&Value>, path: &str, max: usize) -> Option<String> {
    let Some(v) = v else {
        d.err(path, "required field is missing");
        return None;
    };
    let s = d.string(v, path)?;
    let chars = s.chars().count();
    if s.trim().is_empty() {
        d.err(path, "may not be empty");
        None
    } else if chars > max {
        d.err(path, format!("is {chars} characters long; at most {max}"));
        None
    } else if s.chars().any(|c| c.is_control() && c != '\n') {
        d.err(
            path,
            "may not hold control characters other than a line break",
        );
        None
    } else {
        Some(s)
    }
}

fn goal(d: &mut Decoder, v: &Value, path: &str) -> Option<Goal> {
    let map = d.object(v, path, &["id", "text", "when"])?;
    let id = text(d, map.get("id"), &join(path, "id"), MAX_ID_CHARS).and_then(|id| {
        let ok = id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Some(id)
        } else {
            d.err(
                join(path, "id"),
                format!("'{id}' must hold only lowercase letters, digits and '-'"),
            );
            None
        }
    });
    let text = text(d, map.get("text"), &join(path, "text"), MAX_TEXT_CHARS);
    let when = match map.get("when") {
        Some(w) => predicate::decode(d, w, &join(path, "when")),
        None => {
            d.err(join(path, "when"), "required field is missing");
            None
        }
    };
    Some(Goal {
        id: id?,
        text: text?,
        when: when?,
    })
}

fn stage(d: &mut Decoder, v: &Value, path: &str) -> Option<Stage> {
    let map = d.object(v, path, &["text", "goals"])?;
    let text = text(d, map.get("text"), &join(path, "text"), MAX_TEXT_CHARS);
    let goals = d.list(
        map.get("goals"),
        &join(path, "goals"),
        MAX_GOALS,
        |d, v, p| d.string(v, p),
    );
    Some(Stage {
        text: text?,
        goals: goals?,
    })
}

/// Every topic, producer, consumer, group and broker a goal names must exist in the
/// scenario (its own steps or the solution's).
fn check_names(d: &mut Decoder, goals: &[Goal], s: &Scenario) {
    let mut topics: Vec<&str> = s.topics.iter().map(|t| t.name.as_str()).collect();
    let mut consumers: Vec<&str> = Vec::new();
    let mut groups: Vec<&str> = Vec::new();
    let mut brokers = s.cluster.brokers;
    for step in &s.steps {
        match step {
            Step::CreateTopic(t) => topics.push(&t.name),
            Step::JoinGroup(j) => {
                consumers.push(&j.consumer);
                groups.push(&j.group);
            }
            Step::AddBroker(_) => brokers += 1,
            _ => {}
        }
    }
    let producers: Vec<&str> = s.producers.iter().map(|p| p.id.as_str()).collect();
    for (i, g) in goals.iter().enumerate() {
        let refs = g.when.refs();
        let at = |field: &str| format!("lesson.goals[{i}].when.{}.{field}", g.when.name());
        let mut need = |field: &str, what: &str, name: Option<&str>, known: &[&str]| {
            if let Some(n) = name
                && !known.contains(&n)
            {
                let listed = if known.is_empty() {
                    format!("it has no {what}")
                } else {
                    format!("it has {}", known.join(", "))
                };
                d.errors
                    .push(predicate::unknown_name(&at(field), what, n, &listed));
            }
        };
        need("topic", "topic", refs.topic, &topics);
        need("producer", "producer", refs.producer, &producers);
        need("consumer", "consumer", refs.consumer, &consumers);
        need("group", "group", refs.group, &groups);
        if let Some(b) = refs.broker
            && b > brokers
        {
            d.err(
                at("broker"),
                format!("broker {b} does not exist (the lesson has brokers 1 to {brokers})"),
            );
        }
    }
}
