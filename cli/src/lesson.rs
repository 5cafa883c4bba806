//! `kafka-sim lesson check|solve FILE`: a lesson's goals, evaluated by the engine on its
//! scenario as it stands, or after its solution.

use std::io::Read;

use kafka_sim::lesson::{self, Lesson};

use super::{Outcome, error_lines, one_file, read_input};

pub(crate) fn cmd_lesson(args: &[String], stdin: &mut dyn Read) -> Outcome {
    let (solve, rest) = match args.first().map(String::as_str) {
        Some("check") => (false, &args[1..]),
        Some("solve") => (true, &args[1..]),
        _ => {
            return Outcome::refused([
                "lesson: expected 'check FILE' or 'solve FILE'".to_string(),
                super::USAGE.into(),
            ]);
        }
    };
    let path = match one_file(rest, "lesson") {
        Ok(p) => p,
        Err(o) => return o,
    };
    let text = match read_input(path, stdin) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let parsed = Lesson::parse(&text, &slug_of(path));
    let lesson = match parsed {
        Ok(l) => l,
        Err(errors) => return Outcome::refused(error_lines(&errors)),
    };
    let report = if solve {
        lesson::solve(&lesson)
    } else {
        lesson::check(&lesson)
    };
    match report {
        Ok(r) => Outcome::ok(format!(
            "{}\n",
            serde_json::to_string_pretty(&r).unwrap_or_default()
        )),
        Err(errors) => Outcome::refused(error_lines(&errors)),
    }
}

/// The lesson's name: its file name without `.json` (`lesson` for standard input).
fn slug_of(path: &str) -> String {
    if path == "-" {
        return "lesson".into();
    }
    let name = std::path::Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(path);
    name.strip_suffix(".json").unwrap_or(name).to_string()
}
