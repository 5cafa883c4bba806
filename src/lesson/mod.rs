//! Lessons in the page: one of `scenarios/lessons/` (fetched when asked for, so that the
//! first load carries none of them) on the stage, its goals checked by the engine
//! ([`kafka_sim::lesson::Progress`]) after every snapshot, each goal met told in the
//! narration, kept in `localStorage` and, embedded, told to the host page
//! (`kafka-playground:goal`). "Show me" plays the lesson's solution; "Start again" opens
//! it afresh.

mod storage;
pub mod view;

use std::rc::Rc;

use kafka_sim::lesson::{Lesson, Progress};

use kafka_sim::scenario::Scenario;
use leptos::prelude::*;
use serde_json::{Value, json};

use crate::fetch;
use crate::session::{DockTab, Notice, Session};

/// Wall time without a goal met after which the next hint shows by itself.
const HINT_AFTER_MS: u64 = 60_000;

/// A lesson of the list (`lessons/index.json`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its name in addresses (`04-keys-pick-the-partition`).
    pub slug: String,
    /// Its title.
    pub title: String,
    /// The idea it teaches.
    pub chapter: String,
}

/// A goal as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoalView {
    /// Its id (in the host message and the stored progress).
    pub id: String,
    /// What to make happen.
    pub text: String,
    /// Whether it is met in this run of the lesson.
    pub met: bool,
}

/// The lesson on the stage, as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Active {
    /// Its name.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// The idea it teaches.
    pub chapter: String,
    /// The text of each stage.
    pub stages: Vec<String>,
    /// The stage the learner is at (`stages.len()` when every goal is met).
    pub stage: usize,
    /// Its goals.
    pub goals: Vec<GoalView>,
    /// Its hints, and how many are shown.
    pub hints: Vec<String>,
    /// How many hints show.
    pub hints_shown: usize,
    /// Whether the solution plays ("Show me").
    pub showing: bool,
}

impl Active {
    fn of(lesson: &Lesson, progress: &Progress, showing: bool) -> Active {
        Active {
            slug: lesson.slug().to_string(),
            title: lesson.title().to_string(),
            chapter: lesson.chapter().to_string(),
            stages: lesson.stages().iter().map(|s| s.text.clone()).collect(),
            stage: progress.stage(),
            goals: lesson
                .goals()
                .iter()
                .zip(progress.met())
                .map(|(g, met)| GoalView {
                    id: g.id.clone(),
                    text: g.text.clone(),
                    met: *met,
                })
                .collect(),
            hints: lesson.hints().to_vec(),
            hints_shown: 0,
            showing,
        }
    }
}

/// The page's lessons: the list, the one on the stage, the progress kept.
#[derive(Clone, Copy, Debug)]
pub struct Learn {
    session: Session,
    /// Whether the page is embedded (goals are told to the host page).
    embedded: bool,
    /// The lesson on the stage.
    pub active: RwSignal<Option<Active>>,
    /// The list, once fetched (or why it could not be).
    pub index: RwSignal<Option<Result<Vec<Entry>, String>>>,
    /// Goals met so far, per lesson, as kept in `localStorage` (read by [`Learn::read_kept`]).
    pub kept: RwSignal<storage::Kept>,
    kept_read: StoredValue<bool>,
    lesson: StoredValue<Option<Lesson>, LocalStorage>,
    progress: StoredValue<Option<Progress>, LocalStorage>,
    /// The engine's lesson rules, fetched with the first lesson opened.
    rules: StoredValue<Option<LessonRules>>,
    /// Counts goals met and restarts, so that a hint timer set earlier knows it is stale.
    generation: StoredValue<u64>,
}

/// A lesson's name as it may appear in an address: what `scenarios/lessons/` holds.
pub fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 80
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Learn {
    /// The page's lessons; checks the lesson on the stage after every snapshot.
    pub fn new(session: Session, embedded: bool) -> Learn {
        let learn = Learn {
            session,
            embedded,
            active: RwSignal::new(None),
            index: RwSignal::new(None),
            kept: RwSignal::new(storage::Kept::default()),
            kept_read: StoredValue::new(false),
            lesson: StoredValue::new_local(None),
            progress: StoredValue::new_local(None),
            rules: StoredValue::new(None),
            generation: StoredValue::new(0),
        };
        session.add_on_publish(Rc::new(move |tl| learn.observe(tl.sim())));
        learn
    }

    /// Reads the goals `localStorage` keeps, once, before they are shown or added to.
    /// Only code fetched on demand calls it (the list, the lesson rules): the JSON reader
    /// stays out of the first load.
    pub fn read_kept(&self) {
        if !self.kept_read.get_value() {
            self.kept_read.set_value(true);
            self.kept.set(storage::read());
        }
    }

    /// Fetches the list, once.
    pub fn load_index(&self) {
        if self.index.get_untracked().is_some_and(|r| r.is_ok()) {
            return;
        }
        let learn = *self;
        leptos::task::spawn_local(async move {
            let result = fetch::text("lessons/index.json")
                .await
                .and_then(|t| parse_index(&t));
            learn.index.set(Some(result));
        });
    }

    /// Opens the lesson `slug` (fetched), paused at its start.
    pub fn open(&self, slug: &str) {
        if !valid_slug(slug) {
            self.session.notice.set(Some(Notice {
                title: "No such lesson.".into(),
                lines: vec![format!(
                    "lesson: a lesson's name has lowercase letters, digits and '-' (at most 80): got {}",
                    // Quoted with control characters escaped, and cut short.
                    format!("{:?}", slug.chars().take(40).collect::<String>())
                )],
            }));
            return;
        }
        let (learn, slug) = (*self, slug.to_string());
        leptos::task::spawn_local(async move {
            let Ok(rules) = lesson_rules().await else {
                learn.session.notice.set(Some(Notice {
                    title: format!("The lesson “{slug}” could not be opened."),
                    lines: vec!["The code that checks lessons did not load: check the connection and open the lesson again.".into()],
                }));
                return;
            };
            learn.rules.set_value(Some(rules));
            (rules.read_kept)(&learn);
            let parsed = fetch::text(&format!("lessons/{slug}.json"))
                .await
                .map_err(|e| vec![e])
                .and_then(|text| (rules.parse)(&text, &slug));
            match parsed {
                Ok(lesson) => learn.start(lesson, false),
                Err(lines) => learn.session.notice.set(Some(Notice {
                    title: format!("The lesson “{slug}” could not be opened."),
                    lines,
                })),
            }
        });
    }

    /// Opens the lesson on the stage afresh.
    pub fn start_again(&self) {
        if let Some(lesson) = self.lesson.get_value() {
            self.start(lesson, false);
        }
    }

    /// Plays the lesson's solution from its start, the goals ticking as they are met.
    pub fn show_me(&self) {
        if let Some(lesson) = self.lesson.get_value() {
            self.start(lesson, true);
        }
    }

    /// Leaves the lesson (the stage stays as it is).
    pub fn leave(&self) {
        self.lesson.set_value(None);
        self.progress.set_value(None);
        self.active.set(None);
        self.generation.update_value(|g| *g += 1);
    }

    /// Shows the next hint.
    pub fn hint(&self) {
        self.active.update(|a| {
            if let Some(a) = a.as_mut() {
                a.hints_shown = (a.hints_shown + 1).min(a.hints.len());
            }
        });
    }

    /// Forgets every goal met, in every lesson.
    pub fn clear_kept(&self) {
        storage::clear();
        self.kept.set(storage::Kept::default());
    }

    fn start(&self, lesson: Lesson, solution: bool) {
        let doc: Scenario = if solution {
            lesson.with_solution()
        } else {
            lesson.scenario().clone()
        };
        let learn = *self;
        let started = move |session: Session| {
            let (Some(lesson), Some(rules)) = (learn.lesson.get_value(), learn.rules.get_value())
            else {
                return;
            };
            let progress = (rules.start)(&lesson);
            learn
                .active
                .set(Some(Active::of(&lesson, &progress, solution)));
            learn.progress.set_value(Some(progress));
            session.dock_tab.set(DockTab::Learn);
            session.playing.set(solution);
            session.status.set(if solution {
                format!("Showing “{}”: watch each goal being met.", lesson.title())
            } else {
                format!("Lesson “{}”: {}", lesson.title(), first_stage(&lesson))
            });
            learn.restart_hint_timer();
        };
        self.lesson.set_value(Some(lesson.clone()));
        self.progress.set_value(None);
        if let Err(lines) = self.session.load(doc, false, started) {
            self.lesson.set_value(None);
            self.session.notice.set(Some(Notice {
                title: format!("The lesson “{}” could not be opened.", lesson.title()),
                lines,
            }));
        }
    }

    /// Checks the goals against the simulation (after every snapshot published).
    fn observe(&self, sim: &kafka_sim::Simulation) {
        let Some(rules) = self.rules.try_get_value().flatten() else {
            return;
        };
        let Some(newly) = self
            .progress
            .try_update_value(|p| p.as_mut().map(|p| (rules.observe)(p, sim)))
            .flatten()
        else {
            return;
        };
        let (newly, stage) = newly;
        if newly.is_empty() {
            return;
        }
        let learn = *self;
        // Told once the snapshot is published (the narration is being written now).
        set_timeout(move || learn.met(&newly, stage), std::time::Duration::ZERO);
    }

    fn met(&self, newly: &[usize], stage: usize) {
        let Some(mut active) = self.active.get_untracked() else {
            return;
        };
        active.stage = stage;
        for &i in newly {
            let Some(goal) = active.goals.get_mut(i) else {
                continue;
            };
            goal.met = true;
            self.session.tell(format!("Goal met: {}", goal.text));
            self.kept.update(|k| k.add(&active.slug, &goal.id));
            if self.embedded {
                crate::embed::host::post(&goal_message(&active.slug, &goal.id));
            }
        }
        if active.goals.iter().all(|g| g.met) {
            self.session
                .tell(format!("Every goal of “{}” is met.", active.title));
        }
        storage::write(&self.kept.get_untracked());
        self.active.set(Some(active));
        // The tick is what the learner worked for: the lesson comes back to the front.
        self.session.dock_tab.set(DockTab::Learn);
        self.restart_hint_timer();
    }

    fn restart_hint_timer(&self) {
        self.generation.update_value(|g| *g += 1);
        let generation = self.generation.get_value();
        let learn = *self;
        set_timeout(
            move || {
                if learn.generation.try_get_value() == Some(generation) {
                    learn.hint();
                }
            },
            std::time::Duration::from_millis(HINT_AFTER_MS),
        );
    }
}

fn first_stage(lesson: &Lesson) -> String {
    lesson
        .stages()
        .first()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// The host message for a goal met.
pub fn goal_message(slug: &str, goal: &str) -> Value {
    json!({ "type": "kafka-playground:goal", "slug": slug, "goal": goal, "met": true })
}

/// `lessons/index.json`: `[{slug, title, chapter}, ...]`.
fn parse_index(text: &str) -> Result<Vec<Entry>, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("lessons/index.json: {e}"))?;
    let list = value
        .as_array()
        .ok_or("lessons/index.json: expected a list of lessons")?;
    list.iter()
        .enumerate()
        .map(|(i, v)| {
            let field = |name: &str| {
                v.get(name)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or(format!(
                        "lessons/index.json [{i}].{name}: expected a string"
                    ))
            };
            Ok(Entry {
                slug: field("slug")?,
                title: field("title")?,
                chapter: field("chapter")?,
            })
        })
        .collect()
}

/// The engine's lesson rules as the page calls them once fetched: reading a lesson, and
/// checking its goals after every snapshot (synchronously, so through pointers).
#[derive(Clone, Copy, Debug)]
pub struct LessonRules {
    /// Reads a lesson file (`Lesson::parse`), its errors as lines.
    pub parse: fn(&str, &str) -> Result<Lesson, Vec<String>>,
    /// The progress of a lesson just started.
    pub start: fn(&Lesson) -> Progress,
    /// The goals newly met and the stage reached, after a snapshot.
    pub observe: fn(&mut Progress, &kafka_sim::Simulation) -> (Vec<usize>, usize),
    /// [`Learn::read_kept`], before goals are added to what is kept.
    pub read_kept: fn(&Learn),
}

crate::on_demand::on_demand!(
    lessons,
    /// The lesson rules, with the code they reach.
    fn lesson_rules() -> LessonRules {
        // A lesson may bring groups that use them.
        crate::session::assignors::install();
        LessonRules {
            parse: |text, slug| {
                Lesson::parse(text, slug)
                    .map_err(|errors| errors.iter().map(ToString::to_string).collect())
            },
            start: Progress::new,
            observe: |progress, sim| (progress.observe(sim), progress.stage()),
            read_kept: Learn::read_kept,
        }
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_of_lesson_files_are_fetched() {
        assert!(valid_slug("04-keys-pick-the-partition"));
        for bad in ["", "../secrets", "a/b", "A", "x?y", "a b", &"a".repeat(81)] {
            assert!(!valid_slug(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_index_is_read_with_the_place_of_each_problem() {
        let ok = parse_index(r#"[{"slug":"a","title":"A","chapter":"events"}]"#).expect("ok");
        assert_eq!(ok[0].slug, "a");
        let err = parse_index(r#"[{"slug":"a","title":"A"}]"#).expect_err("no chapter");
        assert!(err.contains("[0].chapter"), "{err}");
    }
}
