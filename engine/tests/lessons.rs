//! Every lesson under `scenarios/lessons/`: valid, listed in `index.json`, no goal met at
//! its start, every goal met after its solution, and no goal trivially true (removing
//! the solution's last acting step before a goal is met leaves it unmet). Then the
//! validation of lesson documents, each problem at its path.

use std::path::{Path, PathBuf};

use kafka_sim::lesson::{self, CHAPTERS, Lesson, acts};
use serde_json::{Value, json};

fn lessons_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/lessons")
}

fn lessons() -> Vec<Lesson> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(lessons_dir())
        .expect("scenarios/lessons")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n != "index.json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let slug = p.file_stem().and_then(|s| s.to_str()).expect("a name");
            let text = std::fs::read_to_string(p).expect("readable");
            Lesson::parse(&text, slug).unwrap_or_else(|e| panic!("{slug}: {e:?}"))
        })
        .collect()
}

#[test]
fn there_is_a_lesson_per_chapter_and_the_index_lists_them_all_in_order() {
    let all = lessons();
    for chapter in CHAPTERS {
        assert!(
            all.iter().any(|l| l.chapter() == *chapter),
            "no lesson teaches {chapter}"
        );
    }
    assert!(all.iter().filter(|l| l.chapter() == "durability").count() >= 4);
    let index: Value = serde_json::from_str(
        &std::fs::read_to_string(lessons_dir().join("index.json")).expect("index.json"),
    )
    .expect("JSON");
    let listed: Vec<(String, String, String)> = index
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| {
            let f = |k: &str| e[k].as_str().expect(k).to_string();
            (f("slug"), f("title"), f("chapter"))
        })
        .collect();
    let files: Vec<(String, String, String)> = all
        .iter()
        .map(|l| {
            (
                l.slug().to_string(),
                l.title().to_string(),
                l.chapter().to_string(),
            )
        })
        .collect();
    assert_eq!(listed, files);
}

#[test]
fn no_goal_is_met_at_the_start_of_a_lesson() {
    for l in lessons() {
        let report = lesson::check(&l).expect("runs");
        for g in &report.goals {
            assert!(
                !g.met,
                "{}: goal {} is met before the learner acts",
                l.slug(),
                g.id
            );
        }
    }
}

#[test]
fn every_goal_is_met_after_the_solution() {
    for l in lessons() {
        let report = lesson::solve(&l).expect("runs");
        for g in &report.goals {
            assert!(
                g.met,
                "{}: goal {} is not met by the solution",
                l.slug(),
                g.id
            );
        }
    }
}

#[test]
fn no_goal_is_met_without_the_last_step_that_acted_before_it() {
    for l in lessons() {
        let solved = l.with_solution();
        let own = l.scenario().steps.len();
        let report = lesson::solve(&l).expect("runs");
        for (i, g) in report.goals.iter().enumerate() {
            let at = g.met_at_step.expect("met");
            assert!(
                at >= own,
                "{}: {} is met by the lesson's own steps",
                l.slug(),
                g.id
            );
            let last = (own..=at.min(solved.steps.len() - 1))
                .rev()
                .find(|&k| acts(&solved.steps[k]))
                .unwrap_or_else(|| panic!("{}: {} met with no step acting", l.slug(), g.id));
            let mut without = solved.clone();
            without.steps.remove(last);
            let r = lesson::evaluate(&l, &without).expect("runs");
            assert!(
                !r.goals[i].met,
                "{}: {} is still met without solution step {} ({:?})",
                l.slug(),
                g.id,
                last - own,
                solved.steps[last]
            );
        }
    }
}

#[test]
fn the_lesson_teaches_the_partitioners_as_the_clients_behave() {
    // The tutorial's "round-robin" is only the RoundRobinPartitioner; the Java client's
    // default is sticky (BuiltInPartitioner, KIP-794) and librdkafka's consistent_random
    // picks a random partition for a record without key (rdkafka_msg.c,
    // rd_kafka_msg_partitioner_consistent_random).
    let all = lessons();
    let l = all
        .iter()
        .find(|l| l.chapter() == "partitioning-without-key")
        .expect("the lesson");
    let ids: Vec<&str> = l.goals().iter().map(|g| g.id.as_str()).collect();
    assert_eq!(ids, ["round-robin", "sticky", "random"]);
}

// ---- validation -------------------------------------------------------------------

fn doc(lesson: Value) -> String {
    json!({
        "version": 1,
        "cluster": { "brokers": 3 },
        "topics": [{ "name": "orders", "partitions": 3, "replication_factor": 3 }],
        "producers": [{ "id": "web-api", "client": "dotnet" }],
        "lesson": lesson
    })
    .to_string()
}

fn valid_section() -> Value {
    json!({
        "title": "Keys",
        "chapter": "partitioning-with-key",
        "stages": [{ "text": "Produce.", "goals": ["same-key"] }],
        "goals": [{ "id": "same-key", "text": "Two with one key",
                    "when": { "same_key_one_partition": { "topic": "orders", "at_least": 2 } } }],
        "solution": [
            { "produce": { "producer": "web-api", "topic": "orders", "key": "k", "value": "1" } },
            { "produce": { "producer": "web-api", "topic": "orders", "key": "k", "value": "2" } },
            { "advance_ms": 100 }
        ]
    })
}

fn errors_of(section: Value) -> Vec<String> {
    Lesson::parse(&doc(section), "t")
        .expect_err("refused")
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn with(path: &[&str], value: Value) -> Value {
    let mut s = valid_section();
    let mut at = &mut s;
    for (i, p) in path.iter().enumerate() {
        let next = if let Ok(n) = p.parse::<usize>() {
            &mut at[n]
        } else {
            &mut at[*p]
        };
        if i == path.len() - 1 {
            *next = value.clone();
            break;
        }
        at = next;
    }
    s
}

fn assert_refused(section: Value, path: &str, why: &str) {
    let errors = errors_of(section);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(path) && e.contains(why)),
        "expected {path}: …{why}…, got {errors:?}"
    );
}

#[test]
fn a_valid_lesson_is_read() {
    let l = Lesson::parse(&doc(valid_section()), "t").expect("valid");
    assert_eq!(l.goals().len(), 1);
    assert_eq!(l.solution().len(), 3);
    assert!(l.scenario().steps.is_empty());
}

#[test]
fn a_scenario_without_lesson_or_with_bad_sections_is_refused_at_the_path() {
    let plain = r#"{"version":1,"cluster":{"brokers":1}}"#;
    let e = Lesson::parse(plain, "t").expect_err("no lesson");
    assert_eq!(e[0].path, "lesson");
    assert_refused(
        with(&["goals"], json!([])),
        "lesson.goals",
        "at least one goal",
    );
    assert_refused(
        with(&["solution"], json!([])),
        "lesson.solution",
        "needs a solution",
    );
    let mut no_solution = valid_section();
    no_solution
        .as_object_mut()
        .expect("object")
        .remove("solution");
    assert_refused(no_solution, "lesson.solution", "needs a solution");
    assert_refused(
        with(&["chapter"], json!("kafka")),
        "lesson.chapter",
        "not a chapter",
    );
    assert_refused(
        with(&["tittle"], json!("x")),
        "lesson.tittle",
        "did you mean \"title\"",
    );
    assert_refused(
        with(&["stages", "0", "goals", "0"], json!("nope")),
        "lesson.stages[0].goals[0]",
        "no goal has the id 'nope'",
    );
}

#[test]
fn an_unknown_predicate_or_a_name_that_does_not_exist_is_refused_at_the_path() {
    assert_refused(
        with(
            &["goals", "0", "when"],
            json!({ "same_key_everywhere": {} }),
        ),
        "lesson.goals[0].when.same_key_everywhere",
        "unknown field",
    );
    assert_refused(
        with(
            &["goals", "0", "when"],
            json!({ "leader_moved": { "topic": "payments" } }),
        ),
        "lesson.goals[0].when.leader_moved.topic",
        "no topic is named 'payments'",
    );
    assert_refused(
        with(
            &["goals", "0", "when"],
            json!({ "replica_left_isr": { "broker": 4 } }),
        ),
        "lesson.goals[0].when.replica_left_isr.broker",
        "broker 4 does not exist",
    );
    assert_refused(
        with(
            &["goals", "0", "when"],
            json!({ "records_consumed": { "consumer": "c9", "at_least": 1 } }),
        ),
        "lesson.goals[0].when.records_consumed.consumer",
        "no consumer is named 'c9'",
    );
    assert_refused(
        with(
            &["goals", "0", "when"],
            json!({ "produce_rejected": { "error": "NOT_ENOUGH_REPLICA" } }),
        ),
        "lesson.goals[0].when.produce_rejected.error",
        "not an error the simulation produces",
    );
    assert_refused(
        with(
            &["goals", "0", "when"],
            json!({ "records_acked": { "producer": "app", "at_least": 1 } }),
        ),
        "lesson.goals[0].when.records_acked.producer",
        "no producer is named 'app'",
    );
    assert_refused(
        with(
            &["goals", "0", "when"],
            json!({ "same_key_one_partition": { "at_least": 1 } }),
        ),
        "lesson.goals[0].when.same_key_one_partition.at_least",
        "not between 2",
    );
}

#[test]
fn a_repeated_key_in_the_lesson_section_is_refused_with_its_path() {
    let text = doc(valid_section()).replacen(
        "\"title\":\"Keys\"",
        "\"title\":\"Keys\",\"title\":\"Other\"",
        1,
    );
    let errors = Lesson::parse(&text, "t").expect_err("refused");
    assert!(
        errors
            .iter()
            .any(|e| e.path == "lesson.title" && e.message.contains("twice")),
        "{errors:?}"
    );
}

#[test]
fn a_solution_step_is_refused_at_its_place_in_the_solution() {
    assert_refused(
        with(&["solution", "1"], json!({ "stop_broker": 7 })),
        "lesson.solution[1].stop_broker",
        "broker 7 does not exist",
    );
}
