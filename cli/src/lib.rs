//! The `kafka-sim` command line: runs scenario files headlessly, checks them, and answers
//! "which partition does this key land in".

use std::io::Read;

mod lesson;

use kafka_sim::limits;
use kafka_sim::partitioner::{self, PartitionChoice, Partitioner, StickySettings, TopicView};
use kafka_sim::rng::SimRng;
use kafka_sim::scenario::{self, ScenarioError};
use kafka_sim::{Client, SimOptions};

/// The most partitions `kafka-sim partition` accepts: the most one topic can be created
/// with in Kafka. KRaft's controller refuses a CreateTopics request whose partitions add up
/// to more than `MAX_PARTITIONS_PER_BATCH` (10,000) with "Excessively large number of
/// partitions per request." (`ReplicationControlManager.validateTotalNumberOfPartitions`,
/// Kafka 4.4.0). A key's partition is a pure function, so this is not the engine's
/// simulated limit (`limits::MAX_PARTITIONS_PER_TOPIC`).
pub const KAFKA_MAX_PARTITIONS_PER_TOPIC: u32 = 10_000;

/// What a command printed and how it ended.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Exit code: 0 success, 2 refused input.
    pub code: i32,
}

impl Outcome {
    fn ok(stdout: String) -> Outcome {
        Outcome {
            stdout,
            stderr: String::new(),
            code: 0,
        }
    }

    fn refused(lines: impl IntoIterator<Item = String>) -> Outcome {
        let mut stderr = String::new();
        for l in lines {
            stderr.push_str(&l);
            stderr.push('\n');
        }
        Outcome {
            stdout: String::new(),
            stderr,
            code: 2,
        }
    }
}

const USAGE: &str = "usage:
  kafka-sim --version                   the Kafka and client versions the simulation models
  kafka-sim run [--trace] FILE|-        run a scenario; print its final state (or, with --trace, its events as JSON lines)
  kafka-sim validate FILE|-             check a scenario without running it
  kafka-sim partition --client java|dotnet --partitions N [--] KEY...
                                        the partition each key lands in with that client's default partitioner
  kafka-sim assign FILE|-               run one consumer-group assignor
  kafka-sim export --to compose|topics|java|dotnet|librdkafka [--out DIR] FILE|-
                                        write the scenario out for a real cluster and real clients
                                        (to standard output, or as files under DIR)
  kafka-sim lesson check|solve FILE|-   a lesson's goals, met or not, on its steps (check) or after its solution (solve)";

/// Runs the command line `args` (without the program name); `stdin` is read for `-`.
pub fn main_with(args: &[String], stdin: &mut dyn Read) -> Outcome {
    match args.first().map(String::as_str) {
        Some("run") => cmd_run(&args[1..], stdin),
        Some("validate") => cmd_validate(&args[1..], stdin),
        Some("partition") => cmd_partition(&args[1..]),
        Some("assign") => cmd_assign(&args[1..], stdin),
        Some("export") => cmd_export(&args[1..], stdin),
        Some("lesson") => lesson::cmd_lesson(&args[1..], stdin),
        Some("--help" | "-h" | "help") => Outcome::ok(format!("{USAGE}\n")),
        Some("--version" | "-V") => Outcome::ok(format!(
            "kafka-sim {}: models {}\n",
            env!("CARGO_PKG_VERSION"),
            kafka_sim::modelled::MODELLED
        )),
        Some(other) => Outcome::refused([format!("unknown command '{other}'"), USAGE.into()]),
        None => Outcome::refused([USAGE.to_string()]),
    }
}

fn read_input(path: &str, stdin: &mut dyn Read) -> Result<String, Outcome> {
    let mut text = String::new();
    let result = if path == "-" {
        stdin.read_to_string(&mut text).map(|_| text)
    } else {
        std::fs::read_to_string(path)
    };
    result.map_err(|e| Outcome::refused([format!("{path}: cannot read: {e}")]))
}

fn one_file<'a>(args: &'a [String], cmd: &str) -> Result<&'a str, Outcome> {
    match args {
        [f] => Ok(f),
        _ => Err(Outcome::refused([format!(
            "{cmd} takes exactly one FILE (or - for standard input)"
        )])),
    }
}

fn error_lines(errors: &[ScenarioError]) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}

fn cmd_validate(args: &[String], stdin: &mut dyn Read) -> Outcome {
    let path = match one_file(args, "validate") {
        Ok(p) => p,
        Err(o) => return o,
    };
    let text = match read_input(path, stdin) {
        Ok(t) => t,
        Err(o) => return o,
    };
    match scenario::parse(&text) {
        Ok(s) => Outcome::ok(format!(
            "ok: {} broker(s), {} topic(s), {} producer(s), {} step(s)\n",
            s.cluster.brokers,
            s.topics.len(),
            s.producers.len(),
            s.steps.len()
        )),
        Err(errors) => Outcome::refused(error_lines(&errors)),
    }
}

fn cmd_run(args: &[String], stdin: &mut dyn Read) -> Outcome {
    let (trace, rest): (bool, Vec<String>) = {
        let trace = args.iter().any(|a| a == "--trace");
        (
            trace,
            args.iter().filter(|a| *a != "--trace").cloned().collect(),
        )
    };
    let path = match one_file(&rest, "run") {
        Ok(p) => p,
        Err(o) => return o,
    };
    let text = match read_input(path, stdin) {
        Ok(t) => t,
        Err(o) => return o,
    };
    run_text(&text, trace)
}

/// Runs a scenario document; prints its output (or its trace as JSON lines).
pub fn run_text(text: &str, trace: bool) -> Outcome {
    let doc = match scenario::parse(text) {
        Ok(s) => s,
        Err(errors) => return Outcome::refused(error_lines(&errors)),
    };
    let options = SimOptions {
        trace_capacity: if trace { limits::MAX_TRACE_CAPACITY } else { 0 },
        records_kept_per_log: limits::CLI_RECORDS_KEPT_PER_LOG,
        produced_kept: limits::CLI_PRODUCED_KEPT,
        consumed_kept: limits::CLI_CONSUMED_KEPT,
        ..SimOptions::default()
    };
    let run = match scenario::run(&doc, options) {
        Ok(r) => r,
        Err(errors) => return Outcome::refused(error_lines(&errors)),
    };
    if trace {
        let mut out = String::new();
        for e in run.sim.trace().entries() {
            out.push_str(&serde_json::to_string(e).unwrap_or_default());
            out.push('\n');
        }
        let mut o = Outcome::ok(out);
        if run.sim.trace().dropped() > 0 {
            o.stderr = format!(
                "note: the first {} events were dropped (the trace keeps {})\n",
                run.sim.trace().dropped(),
                limits::MAX_TRACE_CAPACITY
            );
        }
        return o;
    }
    let output = scenario::run_output(&doc, &run);
    match serde_json::to_string_pretty(&output) {
        Ok(s) => Outcome::ok(s + "\n"),
        Err(e) => Outcome::refused([format!("cannot print the output: {e}")]),
    }
}

fn cmd_partition(args: &[String]) -> Outcome {
    let mut client = None;
    let mut partitions = None;
    let mut keys: Vec<String> = Vec::new();
    let mut i = 0;
    let mut errors = Vec::new();
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "--" => {
                keys.extend(args[i + 1..].iter().cloned());
                break;
            }
            "--client" | "--partitions" => {
                let Some(v) = args.get(i + 1) else {
                    errors.push(format!("{a}: needs a value"));
                    break;
                };
                if a == "--client" {
                    match Client::parse(v) {
                        Some(c) => client = Some(c),
                        None => {
                            errors.push(format!("--client: expected java or dotnet, found '{v}'"))
                        }
                    }
                } else {
                    match v.parse::<u32>() {
                        Ok(n) if (1..=KAFKA_MAX_PARTITIONS_PER_TOPIC).contains(&n) => {
                            partitions = Some(n)
                        }
                        _ => errors.push(format!(
                            "--partitions: expected a whole number from 1 to {KAFKA_MAX_PARTITIONS_PER_TOPIC} \
                             (Kafka's most partitions for one topic), found '{v}'"
                        )),
                    }
                }
                i += 2;
                continue;
            }
            s if s.starts_with("--") => errors.push(format!("unknown option '{s}'")),
            _ => keys.push(a.clone()),
        }
        i += 1;
    }
    if client.is_none() && !errors.iter().any(|e| e.starts_with("--client")) {
        errors.push("--client: required (java or dotnet)".into());
    }
    if partitions.is_none() && !errors.iter().any(|e| e.starts_with("--partitions")) {
        errors.push("--partitions: required".into());
    }
    if keys.is_empty() {
        errors.push("KEY: give at least one key".into());
    }
    let (Some(client), Some(n), true) = (client, partitions, errors.is_empty()) else {
        errors.push(USAGE.into());
        return Outcome::refused(errors);
    };
    let available: Vec<u32> = (0..n).collect();
    let view = TopicView::new(n, &available);
    let mut rng = SimRng::stream(0, "cli/partition");
    let mut state = partitioner::PartitionerState::default();
    let out: Vec<serde_json::Value> = keys
        .iter()
        .map(|k| {
            let choice = state.choose(
                Partitioner::default_for(client),
                "t",
                Some(k.as_bytes()),
                0,
                &view,
                &StickySettings::for_client(client),
                0,
                &mut rng,
            );
            match choice {
                PartitionChoice::Murmur2 {
                    hash,
                    positive,
                    partition,
                    ..
                } => serde_json::json!({"key": k, "partition": partition, "hash": hash, "positive": positive, "method": "murmur2"}),
                PartitionChoice::Crc32 { hash, partition, .. } => {
                    serde_json::json!({"key": k, "partition": partition, "hash": hash, "method": "crc32"})
                }
                // librdkafka's consistent_random treats an empty key like no key.
                _ => serde_json::json!({"key": k, "partition": null, "method": "random"}),
            }
        })
        .collect();
    Outcome::ok(serde_json::Value::Array(out).to_string() + "\n")
}

fn cmd_assign(args: &[String], stdin: &mut dyn Read) -> Outcome {
    let path = match one_file(args, "assign") {
        Ok(p) => p,
        Err(o) => return o,
    };
    let text = match read_input(path, stdin) {
        Ok(t) => t,
        Err(o) => return o,
    };
    match kafka_sim::assignor::assign_document(&text) {
        Ok(json) => Outcome::ok(json + "\n"),
        Err(errors) => Outcome::refused(errors),
    }
}

fn cmd_export(args: &[String], stdin: &mut dyn Read) -> Outcome {
    use kafka_sim::export::{self, Format};
    let mut format = None;
    let mut out_dir = None;
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let names: Vec<&str> = Format::ALL.iter().map(|(n, _)| *n).collect();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--to" | "--out" => {
                let Some(v) = args.get(i + 1) else {
                    errors.push(format!("{}: needs a value", args[i]));
                    break;
                };
                if args[i] == "--to" {
                    match Format::parse(v) {
                        Some(f) => format = Some(f),
                        None => errors.push(format!(
                            "--to: expected one of {}, found '{v}'",
                            names.join(", ")
                        )),
                    }
                } else {
                    out_dir = Some(v.clone());
                }
                i += 2;
                continue;
            }
            s if s.starts_with("--") => errors.push(format!("unknown option '{s}'")),
            s => files.push(s.to_string()),
        }
        i += 1;
    }
    if format.is_none() && !errors.iter().any(|e| e.starts_with("--to")) {
        errors.push(format!("--to: required ({})", names.join(", ")));
    }
    if files.len() != 1 {
        errors.push("export takes exactly one FILE (or - for standard input)".into());
    }
    let (Some(format), true) = (format, errors.is_empty()) else {
        errors.push(USAGE.into());
        return Outcome::refused(errors);
    };
    let text = match read_input(&files[0], stdin) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let doc = match scenario::parse(&text) {
        Ok(s) => s,
        Err(errors) => return Outcome::refused(error_lines(&errors)),
    };
    let rendered = match export::render(&doc, format) {
        Ok(r) => r,
        Err(e) => return Outcome::refused([format!("{}: {e}", files[0])]),
    };
    match out_dir {
        Some(dir) => {
            let mut listing = String::new();
            for f in &rendered {
                let path = std::path::Path::new(&dir).join(&f.path);
                let written = path
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&path, &f.contents));
                if let Err(e) = written {
                    return Outcome::refused([format!("{}: cannot write: {e}", path.display())]);
                }
                listing.push_str(&format!("{}\n", path.display()));
            }
            Outcome::ok(listing)
        }
        None if rendered.len() == 1 => Outcome::ok(rendered[0].contents.clone()),
        None => {
            let mut all = String::new();
            for f in &rendered {
                all.push_str(&format!("// ==> {} <==\n{}\n", f.path, f.contents));
            }
            Outcome::ok(all)
        }
    }
}
