//! A scenario being played: the document so far, the simulation at the current moment,
//! checkpoints to go back in time quickly, and forking when something new happens at an
//! earlier moment. This is what the page drives; it is pure and runs anywhere.

use super::run::command_for;
use super::{CostWalker, Scenario, ScenarioError, Step};
use crate::command::Command;
use crate::error::CommandError;
use crate::limits;
use crate::sim::{Applied, SimOptions, Simulation};

/// How often (in simulated time) a copy of the simulation is kept for seeking.
const CHECKPOINT_EVERY_MS: u64 = 5_000;
/// At most this many copies are kept; when full, every other one is dropped.
const MAX_CHECKPOINTS: usize = 32;

/// A copy of the simulation after `steps_done` steps and `into_step_ms` of the next one
/// (when that one is an `advance_ms`).
#[derive(Clone, Debug)]
struct Checkpoint {
    steps_done: usize,
    into_step_ms: u64,
    sim: Simulation,
}

/// A moment of a recording, taken by [`Timeline::mark`].
#[derive(Clone, Debug)]
pub struct Mark {
    steps_done: usize,
    into_step_ms: u64,
    sim: Simulation,
    cut_short: bool,
}

/// A scenario with a current moment that can move forward (recording) and back (replay).
#[derive(Clone, Debug)]
pub struct Timeline {
    doc: Scenario,
    options: SimOptions,
    sim: Simulation,
    /// Steps fully applied to `sim`.
    steps_done: usize,
    /// Milliseconds of step `steps_done` (an `advance_ms`) already applied.
    into_step_ms: u64,
    checkpoints: Vec<Checkpoint>,
    checkpoint_every_ms: u64,
    /// Whether a bounded seek stopped in the middle of an instant: what is still due at
    /// the current moment happens before anything else does.
    cut_short: bool,
    /// The cost of the steps before the trailing `advance_ms` being recorded, and how
    /// many steps that is: what a recording may still add before it could not be saved.
    cost: Option<(usize, CostWalker)>,
    /// At least the size of the document as exported (`Scenario::to_json`), kept so that
    /// a recording never grows past what an import accepts (`limits::MAX_DOCUMENT_BYTES`).
    doc_bytes: usize,
}

/// At least what `step` adds to the exported document, with the `advance_ms` after it
/// (a step alone is indented less than inside the document: twice covers it).
fn step_bytes(step: &Step) -> usize {
    serde_json::to_string_pretty(step).map_or(0, |j| j.len()) * 2 + 64
}

impl Timeline {
    /// The scenario's set-up at time zero; none of its steps applied yet.
    pub fn new(doc: Scenario, options: SimOptions) -> Result<Timeline, Vec<ScenarioError>> {
        let sim = Simulation::new(&doc.setup(), options).map_err(|e| {
            vec![ScenarioError {
                path: String::new(),
                message: e.to_string(),
            }]
        })?;
        let start = Checkpoint {
            steps_done: 0,
            into_step_ms: 0,
            sim: sim.clone(),
        };
        Ok(Timeline {
            doc,
            options,
            sim,
            steps_done: 0,
            into_step_ms: 0,
            checkpoints: vec![start],
            checkpoint_every_ms: CHECKPOINT_EVERY_MS,
            cut_short: false,
            cost: None,
            doc_bytes: 0,
        })
        .map(|mut tl| {
            tl.doc_bytes = tl.doc.to_json().len();
            tl
        })
    }

    /// The scenario as recorded so far (its steps up to the current moment and beyond,
    /// if the current moment is in the past).
    pub fn scenario(&self) -> &Scenario {
        &self.doc
    }

    /// The scenario up to the current moment: what a share link or an export holds.
    pub fn scenario_until_now(&self) -> Scenario {
        let mut doc = self.doc.clone();
        doc.steps.truncate(self.steps_done);
        if self.into_step_ms > 0 {
            doc.steps.push(Step::AdvanceMs(self.into_step_ms));
        }
        doc
    }

    /// The simulation at the current moment.
    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    /// The current moment, in simulated ms.
    pub fn now_ms(&self) -> u64 {
        self.sim.now().0
    }

    /// How long the recorded scenario lasts.
    pub fn end_ms(&self) -> u64 {
        self.doc
            .steps
            .iter()
            .map(|s| match s {
                Step::AdvanceMs(ms) => *ms,
                _ => 0,
            })
            .sum()
    }

    /// Whether the current moment is the end of the recording (new actions append).
    pub fn at_end(&self) -> bool {
        self.steps_done == self.doc.steps.len() && self.into_step_ms == 0
            || self.steps_done + 1 == self.doc.steps.len()
                && matches!(self.doc.steps[self.steps_done], Step::AdvanceMs(ms) if ms == self.into_step_ms)
    }

    /// Changes the set-up (cluster settings, producers, ...) and replays the recorded
    /// steps with it up to the current moment. The changed document is validated like any
    /// document (through its JSON form); on error nothing changes.
    pub fn reconfigure(
        &mut self,
        change: impl FnOnce(&mut Scenario),
    ) -> Result<(), Vec<ScenarioError>> {
        let now = self.now_ms();
        let mut fresh = self.reconfigured(change)?;
        fresh.seek(now).map_err(|e| {
            vec![ScenarioError {
                path: String::new(),
                message: e.to_string(),
            }]
        })?;
        *self = fresh;
        Ok(())
    }

    /// The recording with a changed set-up, validated like any document (through its JSON
    /// form), at time zero: a caller replays it to the moment it wants, at its own pace.
    pub fn reconfigured(
        &self,
        change: impl FnOnce(&mut Scenario),
    ) -> Result<Timeline, Vec<ScenarioError>> {
        let mut doc = self.doc.clone();
        change(&mut doc);
        let doc = super::parse(&doc.to_json())?;
        Timeline::new(doc, self.options)
    }

    /// The current moment, to come back to with [`Timeline::restore`] (one copy of the
    /// simulation, not of the checkpoints).
    pub fn mark(&self) -> Mark {
        Mark {
            steps_done: self.steps_done,
            into_step_ms: self.into_step_ms,
            sim: self.sim.clone(),
            cut_short: self.cut_short,
        }
    }

    /// Comes back to a moment [`Timeline::mark`] took of this recording (it must not
    /// have forked since).
    pub fn restore(&mut self, mark: Mark) {
        self.steps_done = mark.steps_done;
        self.into_step_ms = mark.into_step_ms;
        self.sim = mark.sim;
        self.cut_short = mark.cut_short;
    }

    /// Jumps back to the latest checkpoint at or before `t` without replaying anything;
    /// returns the time it is at. Seeking on from there to `t` replays at most one
    /// checkpoint interval, which a caller may do in slices.
    pub fn rewind(&mut self, t: u64) -> u64 {
        if t < self.now_ms()
            && let Some(cp) = self
                .checkpoints
                .iter()
                .filter(|c| c.sim.now().0 <= t)
                .max_by_key(|c| c.sim.now().0)
                .cloned()
        {
            self.sim = cp.sim;
            self.steps_done = cp.steps_done;
            self.into_step_ms = cp.into_step_ms;
            self.cut_short = false;
        }
        self.now_ms()
    }

    /// Applies the recorded steps until the end of the recording.
    pub fn play_to_end(&mut self) -> Result<(), CommandError> {
        let end = self.end_ms();
        self.seek(end)
    }

    /// Drops the recorded future after the current moment (something new happens here).
    fn fork(&mut self) {
        self.cost = None;
        if self.steps_done < self.doc.steps.len() {
            if self.into_step_ms > 0 {
                self.doc.steps[self.steps_done] = Step::AdvanceMs(self.into_step_ms);
                self.steps_done += 1;
                self.into_step_ms = 0;
            }
            self.doc.steps.truncate(self.steps_done);
            self.doc_bytes = self.doc.to_json().len();
        }
        let (steps_done, into) = (self.steps_done, self.into_step_ms);
        self.checkpoints
            .retain(|c| (c.steps_done, c.into_step_ms) <= (steps_done, into));
    }

    /// Lets `ms` of simulated time pass. At the end of the recording this records an
    /// `advance_ms`; in the past it replays the recording (forking only if `ms` goes past
    /// its end).
    pub fn advance(&mut self, ms: u64) -> Result<(), CommandError> {
        let target = self.now_ms().saturating_add(ms);
        if target > limits::MAX_TOTAL_TIME_MS {
            // A recording longer than a document may be could not be saved or reopened.
            return Err(CommandError::Limit {
                what: "simulated time (ms) of one recording",
                limit: limits::MAX_TOTAL_TIME_MS,
            });
        }
        let end = self.end_ms();
        if target <= end {
            return self.replay_to(target, &mut { usize::MAX }).map(|_| ());
        }
        self.replay_to(end, &mut { usize::MAX })?;
        self.fork();
        // Record: the trailing `advance_ms` grows slice by slice as time passes, so that
        // checkpoints taken meanwhile know how far into it they are.
        if !matches!(self.doc.steps.last(), Some(Step::AdvanceMs(_))) {
            self.doc.steps.push(Step::AdvanceMs(0));
        }
        self.steps_done = self.doc.steps.len() - 1;
        self.into_step_ms = match self.doc.steps.last() {
            Some(Step::AdvanceMs(ms)) => *ms,
            _ => 0,
        };
        let extra = target - self.now_ms();
        self.check_cost(extra)?;
        self.advance_sim(extra, true, &mut { usize::MAX })
            .map(|_| ())
    }

    /// Refuses to record `ms` more if the document would then cost more than a document
    /// may (`cost.rs`): what the page records, it can always save and reopen.
    fn check_cost(&mut self, ms: u64) -> Result<(), CommandError> {
        let n = self.doc.steps.len() - 1;
        if self.cost.as_ref().is_none_or(|(k, _)| *k != n) {
            let mut w = CostWalker::new(&self.doc);
            for s in &self.doc.steps[..n] {
                // A document that was valid when loaded stays within its limits.
                let _ = w.step(s);
            }
            self.cost = Some((n, w));
        }
        let Some((_, w)) = &self.cost else {
            return Ok(());
        };
        let mut w = w.clone();
        let last = match self.doc.steps.last() {
            Some(Step::AdvanceMs(ms)) => *ms,
            _ => 0,
        };
        match w.step(&Step::AdvanceMs(last + ms)) {
            Ok(()) => Ok(()),
            Err(_) if w.records() > limits::MAX_RECORDS_PER_DOCUMENT => Err(CommandError::Limit {
                what: "records one recording may send (limits::MAX_RECORDS_PER_DOCUMENT)",
                limit: limits::MAX_RECORDS_PER_DOCUMENT,
            }),
            Err(_) => Err(CommandError::Limit {
                what: "replica fetches one recording may take (limits::MAX_REPLICA_FETCHES_PER_DOCUMENT)",
                limit: limits::MAX_REPLICA_FETCHES_PER_DOCUMENT,
            }),
        }
    }

    /// Lets up to `ms` pass, at most `budget` scheduled things happening; returns the
    /// milliseconds it got through (less than `ms` only when the budget ran out).
    fn advance_sim(
        &mut self,
        ms: u64,
        recording: bool,
        budget: &mut usize,
    ) -> Result<u64, CommandError> {
        // Advance in slices so that checkpoints fall at regular times.
        let mut left = ms;
        while left > 0 {
            let next_cp = (self.now_ms() / self.checkpoint_every_ms + 1) * self.checkpoint_every_ms;
            let slice = left.min(next_cp - self.now_ms());
            let before = self.now_ms();
            let whole = self.sim.advance_at_most(slice, budget)?;
            let done = self.now_ms() - before;
            left -= done;
            if recording {
                self.record_time(done);
            }
            if !whole {
                self.cut_short = true;
                return Ok(ms - left);
            }
            if self.now_ms().is_multiple_of(self.checkpoint_every_ms) {
                self.checkpoint();
            }
        }
        Ok(ms)
    }

    /// Adds `ms` to the trailing `advance_ms`, starting a new one at the format's limit
    /// of one step (a day), so that the recording always stays a valid document.
    fn record_time(&mut self, mut ms: u64) {
        while ms > 0 {
            match self.doc.steps.last_mut() {
                Some(Step::AdvanceMs(last)) if *last < limits::MAX_ADVANCE_MS => {
                    let add = ms.min(limits::MAX_ADVANCE_MS - *last);
                    *last += add;
                    self.into_step_ms += add;
                    ms -= add;
                }
                _ => {
                    self.doc.steps.push(Step::AdvanceMs(0));
                    self.steps_done = self.doc.steps.len() - 1;
                    self.into_step_ms = 0;
                }
            }
        }
    }

    fn checkpoint(&mut self) {
        let now = self.now_ms();
        if self.checkpoints.iter().any(|c| c.sim.now().0 == now) {
            return;
        }
        self.checkpoints.push(Checkpoint {
            steps_done: self.steps_done,
            into_step_ms: self.into_step_ms,
            sim: self.sim.clone(),
        });
        if self.checkpoints.len() > MAX_CHECKPOINTS {
            // Keep time zero, then every other one.
            let mut i = 0;
            self.checkpoints.retain(|_| {
                i += 1;
                i == 1 || i % 2 == 0
            });
            self.checkpoint_every_ms *= 2;
        }
    }

    /// Does `cmd` now. At an earlier moment, the recorded future is dropped first (the
    /// future forks). On error nothing changes.
    pub fn apply(&mut self, cmd: Command) -> Result<Applied, CommandError> {
        if self.cut_short {
            // What is still due at this instant happens before the command, as it would
            // have in one seek.
            self.sim.advance(0)?;
            self.cut_short = false;
        }
        let step = step_for(&cmd);
        let added = step.as_ref().map_or(0, step_bytes);
        if self.doc_bytes + added > limits::MAX_DOCUMENT_BYTES {
            return Err(CommandError::Limit {
                what: "bytes one recording's document may hold (limits::MAX_DOCUMENT_BYTES)",
                limit: limits::MAX_DOCUMENT_BYTES as u64,
            });
        }
        let cmd_copy = cmd.clone();
        // A refused command changes nothing in the simulation (its one door for change),
        // so it leaves no trace here either: the recording forks only once it is done.
        let applied = self.sim.apply(cmd)?;
        self.fork();
        if let Command::AddProducer(spec) = &cmd_copy {
            // An idle producer from the start is the same as one added now: it goes into
            // the set-up, so that the document replays it.
            self.doc.producers.push(super::ProducerDoc {
                id: spec.id.clone(),
                client: spec.config.client,
                config: super::settings::producer_doc(&spec.config),
            });
            for cp in &mut self.checkpoints {
                let _ = cp.sim.apply(cmd_copy.clone());
            }
        }
        if let Some(step) = step {
            self.doc_bytes += added;
            self.doc.steps.push(step);
            self.steps_done = self.doc.steps.len();
            self.into_step_ms = 0;
        }
        Ok(applied)
    }

    /// Moves the current moment to `t` (clamped to the recording), replaying from the
    /// nearest earlier checkpoint. The state at `t` includes every step recorded at `t`.
    pub fn seek(&mut self, t: u64) -> Result<(), CommandError> {
        self.replay_to(t.min(self.end_ms()), &mut { usize::MAX })
            .map(|_| ())
    }

    /// Like [`Timeline::seek`] forward, but stops once `budget` scheduled things have
    /// happened, possibly in the middle of an instant: returns whether it reached `t`.
    /// Called again, it goes on as one seek would have; a page spreads a long replay over
    /// many calls this way. Only seeking on (or [`Timeline::restore`]) may follow a call
    /// that returned `false`.
    pub fn seek_at_most(&mut self, t: u64, budget: usize) -> Result<bool, CommandError> {
        self.replay_to(t.min(self.end_ms()), &mut { budget })
    }

    fn replay_to(&mut self, t: u64, budget: &mut usize) -> Result<bool, CommandError> {
        self.rewind(t);
        if self.cut_short {
            // Finish the instant a bounded seek stopped in.
            if !self.sim.advance_at_most(0, budget)? {
                return Ok(false);
            }
            self.cut_short = false;
        }
        while self.now_ms() < t || self.pending_instant_step() {
            let Some(step) = self.doc.steps.get(self.steps_done).cloned() else {
                break;
            };
            match step {
                Step::AdvanceMs(ms) => {
                    let left = ms - self.into_step_ms;
                    if left == 0 {
                        if self.steps_done + 1 < self.doc.steps.len() {
                            self.steps_done += 1;
                            self.into_step_ms = 0;
                            continue;
                        }
                        break;
                    }
                    let take = left.min(t.saturating_sub(self.now_ms()));
                    if take == 0 {
                        break;
                    }
                    let done = self.advance_sim(take, false, budget)?;
                    self.into_step_ms += done;
                    if self.into_step_ms == ms && self.steps_done + 1 < self.doc.steps.len() {
                        self.steps_done += 1;
                        self.into_step_ms = 0;
                    }
                    if done < take || self.cut_short {
                        return Ok(false);
                    }
                }
                other => {
                    // A step recorded while it was valid stays valid on replay (the engine
                    // is deterministic); a refusal here is tolerated like the CLI does.
                    if let Some(cmd) = command_for(&other) {
                        let _ = self.sim.apply(cmd);
                    }
                    self.steps_done += 1;
                }
            }
        }
        Ok(true)
    }

    /// Whether the next step takes no time (it happens at the current moment).
    fn pending_instant_step(&self) -> bool {
        self.into_step_ms == 0
            && self
                .doc
                .steps
                .get(self.steps_done)
                .is_some_and(|s| !matches!(s, Step::AdvanceMs(_)))
    }
}

/// The step that records `cmd`, if it is one a scenario can hold.
fn step_for(cmd: &Command) -> Option<Step> {
    Some(match cmd {
        Command::Produce {
            producer,
            topic,
            key,
            value,
        } => Step::Produce(super::ProduceDoc {
            producer: producer.clone(),
            topic: topic.clone(),
            key: key.as_deref().map(str::to_string),
            value: value.as_deref().map(str::to_string),
        }),
        Command::StopBroker(b) => Step::StopBroker(b.0),
        Command::StartBroker(b) => Step::StartBroker(b.0),
        Command::AddBroker => Step::AddBroker(super::Empty {}),
        Command::AutoProduce {
            producer,
            topic,
            rate_per_sec,
            keys,
        } => Step::AutoProduce(super::AutoProduceDoc {
            producer: producer.clone(),
            topic: topic.clone(),
            rate_per_sec: *rate_per_sec,
            keys: *keys,
        }),
        Command::CreateTopic(t) => Step::CreateTopic(super::TopicDoc {
            name: t.name.clone(),
            partitions: t.partitions,
            replication_factor: t.replication_factor,
            config: super::TopicConfigDoc::of(t),
            replica_assignment: t
                .replica_assignment
                .as_ref()
                .map(|a| a.iter().map(|r| r.iter().map(|b| b.0).collect()).collect()),
        }),
        Command::JoinGroup {
            group,
            consumer,
            topics,
            config,
        } => Step::JoinGroup(super::JoinGroupDoc {
            group: group.clone(),
            consumer: consumer.clone(),
            topics: topics.clone(),
            client: Some(config.client),
            config: super::settings::consumer_doc(config),
        }),
        Command::LeaveGroup(c) => Step::LeaveGroup(c.clone()),
        Command::StopConsumer(c) => Step::StopConsumer(c.clone()),
        Command::Commit(c) => Step::Commit(c.clone()),
        Command::AddProducer(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::BrokerId;
    use crate::scenario::parse;

    fn timeline() -> Timeline {
        let doc = parse(
            r#"{"version": 1, "seed": 3, "cluster": {"brokers": 3},
                "topics": [{"name": "orders", "partitions": 2, "replication_factor": 3}],
                "producers": [{"id": "p", "client": "java"}]}"#,
        )
        .expect("valid");
        Timeline::new(doc, SimOptions::default()).expect("builds")
    }

    fn produce(v: &str) -> Command {
        Command::Produce {
            producer: "p".into(),
            topic: "orders".into(),
            key: Some("k".into()),
            value: Some(v.into()),
        }
    }

    /// A broker, topic `t` and producer `p`, recording from time zero.
    fn one_broker_one_topic() -> Timeline {
        let doc = crate::scenario::parse(
            r#"{"version":1,"cluster":{"brokers":1},
                "topics":[{"name":"t","partitions":1}],
                "producers":[{"id":"p"}]}"#,
        )
        .expect("valid");
        Timeline::new(doc, SimOptions::default()).expect("starts")
    }

    fn state(sim: &Simulation) -> String {
        serde_json::to_string(&sim.snapshot()).expect("json")
    }

    #[test]
    fn a_recording_past_one_day_is_split_into_valid_steps_and_reopens_to_the_same_state() {
        let mut tl = one_broker_one_topic();
        let hour = 3_600_000;
        for h in 0..30 {
            tl.advance(hour).expect("time passes");
            if h == 2 {
                tl.apply(Command::Produce {
                    producer: "p".into(),
                    topic: "t".into(),
                    key: Some("k".into()),
                    value: Some("v".into()),
                })
                .expect("produces");
            }
        }
        let saved = tl.scenario_until_now();
        let days: Vec<u64> = saved
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::AdvanceMs(ms) => Some(*ms),
                _ => None,
            })
            .collect();
        assert!(
            days.iter().all(|ms| *ms <= limits::MAX_ADVANCE_MS),
            "{days:?}"
        );
        assert_eq!(days.iter().sum::<u64>(), 30 * hour);
        // Saved as JSON and read back: valid, and the same state at its end.
        let reopened = crate::scenario::parse(&saved.to_json()).expect("the export re-imports");
        let mut again = Timeline::new(reopened, SimOptions::default()).expect("starts");
        again.play_to_end().expect("plays");
        assert_eq!(again.now_ms(), tl.now_ms());
        assert_eq!(again.sim().snapshot(), tl.sim().snapshot());
        // Past the format's total, the recording refuses to grow instead.
        let mut long = Timeline::new(saved, SimOptions::default()).expect("starts");
        long.play_to_end().expect("plays");
        assert!(long.advance(limits::MAX_TOTAL_TIME_MS).is_err());
        assert_eq!(long.now_ms(), 30 * hour);
    }

    #[test]
    fn a_recording_refuses_time_that_would_make_it_too_expensive_to_reopen() {
        let mut tl = one_broker_one_topic();
        tl.apply(Command::AutoProduce {
            producer: "p".into(),
            topic: "t".into(),
            rate_per_sec: 10_000,
            keys: 0,
        })
        .expect("auto-produces");
        tl.advance(100).expect("a moment passes");
        // 10,000 a second for 2,001 s would be 20,010,000 records: past the limit.
        let err = tl.advance(2_001_000).expect_err("refused");
        assert!(
            err.to_string().contains("MAX_RECORDS_PER_DOCUMENT"),
            "{err}"
        );
        assert_eq!(tl.now_ms(), 100, "nothing ran");
        // What was recorded still saves and reopens.
        crate::scenario::parse(&tl.scenario_until_now().to_json()).expect("re-imports");
        tl.advance(100).expect("time within the limit still passes");
    }

    #[test]
    fn a_recording_refuses_a_command_that_would_make_it_too_big_to_import() {
        let mut tl = one_broker_one_topic();
        let value: std::sync::Arc<str> = "v".repeat(4000).into();
        let mut refused = None;
        for i in 0..2_000 {
            let produce = Command::Produce {
                producer: "p".into(),
                topic: "t".into(),
                key: Some(value.clone()),
                value: Some(value.clone()),
            };
            if let Err(e) = tl.apply(produce) {
                refused = Some((i, e));
                break;
            }
            tl.advance(1).expect("time passes");
        }
        let (i, e) = refused.expect("refused before 2,000 records of 8 KB");
        assert!(e.to_string().contains("MAX_DOCUMENT_BYTES"), "{e}");
        let json = tl.scenario_until_now().to_json();
        assert!(
            json.len() <= limits::MAX_DOCUMENT_BYTES,
            "{} bytes",
            json.len()
        );
        // Not refused far too early either: at least half the limit was used.
        assert!(
            json.len() > limits::MAX_DOCUMENT_BYTES / 2,
            "{} bytes after {i}",
            json.len()
        );
        crate::scenario::parse(&json).expect("what was recorded re-imports");
    }

    #[test]
    fn recording_gives_a_scenario_that_replays_to_the_same_state() {
        let mut t = timeline();
        t.apply(produce("a")).expect("produce");
        t.advance(700).expect("advance");
        t.advance(300).expect("advance");
        t.apply(Command::StopBroker(BrokerId(1))).expect("stop");
        t.advance(12_000).expect("advance");
        let doc = t.scenario_until_now();
        assert_eq!(doc.steps.len(), 4, "{:?}", doc.steps);
        assert_eq!(doc.steps[1], Step::AdvanceMs(1_000));
        let reparsed = parse(&doc.to_json()).expect("the recording is a valid document");
        let run = crate::scenario::run(&reparsed, SimOptions::default()).expect("runs");
        assert_eq!(state(&run.sim), state(t.sim()));
    }

    #[test]
    fn seeking_back_and_forth_reproduces_each_moment() {
        let mut t = timeline();
        t.apply(produce("a")).expect("produce");
        t.advance(6_000).expect("advance");
        t.apply(Command::StopBroker(BrokerId(2))).expect("stop");
        let at_6s = state(t.sim());
        t.advance(20_000).expect("advance");
        let at_end = state(t.sim());
        t.seek(6_000).expect("seek");
        assert_eq!(state(t.sim()), at_6s);
        assert!(!t.at_end());
        t.seek(0).expect("seek");
        assert_eq!(t.now_ms(), 0);
        t.play_to_end().expect("play");
        assert_eq!(state(t.sim()), at_end);
        assert_eq!(t.end_ms(), 26_000);
    }

    #[test]
    fn acting_in_the_past_forks_the_future() {
        let mut t = timeline();
        t.advance(1_000).expect("advance");
        t.apply(Command::StopBroker(BrokerId(1))).expect("stop");
        t.advance(10_000).expect("advance");
        t.seek(500).expect("seek");
        t.apply(produce("b")).expect("produce");
        assert_eq!(t.end_ms(), 500);
        assert_eq!(
            t.scenario().steps,
            vec![
                Step::AdvanceMs(500),
                step_for(&produce("b")).expect("a step")
            ]
        );
        // Broker 1 never stopped in this future.
        t.advance(20_000).expect("advance");
        assert!(t.sim().broker(BrokerId(1)).is_some_and(|b| b.is_running()));
    }

    #[test]
    fn producers_and_consumers_added_while_playing_replay_from_the_exported_document() {
        use crate::client::Client;
        use crate::config::{Acks, ProducerConfig};
        use crate::consumer::ConsumerConfig;
        let mut t = timeline();
        t.advance(2_000).expect("advance");
        let mut config = ProducerConfig::defaults(Client::Dotnet);
        config.acks = Acks::Leader;
        t.apply(Command::AddProducer(crate::command::ProducerSpec {
            id: "dotnet-1".into(),
            config,
        }))
        .expect("add producer");
        t.apply(Command::JoinGroup {
            group: "g".into(),
            consumer: "c1".into(),
            topics: vec!["orders".into()],
            config: ConsumerConfig::defaults(Client::Dotnet),
        })
        .expect("join");
        t.apply(Command::AutoProduce {
            producer: "dotnet-1".into(),
            topic: "orders".into(),
            rate_per_sec: 50,
            keys: 3,
        })
        .expect("auto-produce");
        t.advance(10_000).expect("advance");
        let doc = parse(&t.scenario_until_now().to_json()).expect("valid document");
        assert_eq!(doc.producers.len(), 2);
        let run = crate::scenario::run(&doc, SimOptions::default()).expect("runs");
        assert_eq!(state(&run.sim), state(t.sim()));
        // 50 records per second for 10 s.
        assert_eq!(t.sim().produced().total(), 501);
        t.seek(5_000).expect("seek");
        t.play_to_end().expect("replay");
        assert_eq!(state(&run.sim), state(t.sim()));
    }

    #[test]
    fn a_refused_command_changes_nothing() {
        let mut t = timeline();
        t.advance(100).expect("advance");
        let before = (t.scenario().clone(), state(t.sim()));
        assert!(t.apply(Command::StartBroker(BrokerId(1))).is_err());
        assert!(t.apply(Command::StopBroker(BrokerId(9))).is_err());
        assert_eq!((t.scenario().clone(), state(t.sim())), before);
    }

    /// A recording with busy instants: replicas fetching, a broker stopping and coming
    /// back, records produced at once.
    fn busy_recording() -> Scenario {
        let mut t = timeline();
        for v in ["a", "b", "c"] {
            t.apply(produce(v)).expect("produce");
        }
        t.advance(2_000).expect("advance");
        t.apply(Command::StopBroker(BrokerId(1))).expect("stop");
        t.advance(10_000).expect("advance");
        t.apply(produce("d")).expect("produce");
        t.apply(Command::StartBroker(BrokerId(1))).expect("start");
        t.advance(9_000).expect("advance");
        t.scenario_until_now()
    }

    fn trace(sim: &Simulation) -> Vec<(u64, u64)> {
        sim.trace().entries().map(|e| (e.seq, e.time_ms)).collect()
    }

    #[test]
    fn a_seek_spread_over_many_small_budgets_reaches_what_one_seek_reaches() {
        let doc = busy_recording();
        let mut whole = Timeline::new(doc.clone(), SimOptions::default()).expect("builds");
        whole.play_to_end().expect("plays");
        let mut sliced = Timeline::new(doc, SimOptions::default()).expect("builds");
        let end = sliced.end_ms();
        let mut calls = 0;
        while !sliced.seek_at_most(end, 3).expect("a slice") {
            calls += 1;
            assert!(calls < 1_000_000, "it gets there");
        }
        assert!(
            calls > 100,
            "three events at a time takes many calls: {calls}"
        );
        assert_eq!(state(sliced.sim()), state(whole.sim()));
        assert_eq!(trace(sliced.sim()), trace(whole.sim()));
    }

    #[test]
    fn a_command_after_a_seek_cut_short_comes_after_everything_due_at_that_instant() {
        let doc = busy_recording();
        let boundaries: Vec<u64> = doc
            .steps
            .iter()
            .scan(0, |t, s| {
                if let Step::AdvanceMs(ms) = s {
                    *t += ms;
                }
                Some(*t)
            })
            .collect();
        let mut instants = 0;
        for budget in 1..400 {
            let mut cut = Timeline::new(doc.clone(), SimOptions::default()).expect("builds");
            assert!(!cut.seek_at_most(cut.end_ms(), budget).expect("a slice"));
            // Only a stop in the middle of an instant (more due there) is of interest, and
            // not at the end of an `advance_ms`: a seek there also does the steps recorded
            // at that moment, which a command here would fork away.
            if cut.sim.next_event_time() != Some(cut.sim.now())
                || boundaries.contains(&cut.now_ms())
            {
                continue;
            }
            instants += 1;
            let at = cut.now_ms();
            let mut whole = Timeline::new(doc.clone(), SimOptions::default()).expect("builds");
            whole.seek(at).expect("seek");
            // A broker stopping at once: what was due to it at that instant reached it
            // first.
            for t in [&mut cut, &mut whole] {
                t.apply(Command::StopBroker(BrokerId(2))).expect("stop");
                t.apply(produce("late")).expect("produce");
                t.advance(3_000).expect("advance");
            }
            assert_eq!(state(cut.sim()), state(whole.sim()), "budget {budget}");
            assert_eq!(cut.scenario().to_json(), whole.scenario().to_json());
        }
        assert!(
            instants > 10,
            "stops in the middle of an instant: {instants}"
        );
    }

    #[test]
    fn rewinding_then_seeking_in_slices_reaches_the_moment_a_seek_reaches() {
        let mut t = timeline();
        t.apply(produce("a")).expect("produce");
        t.advance(12_000).expect("advance");
        t.apply(Command::StopBroker(BrokerId(2))).expect("stop");
        t.advance(9_000).expect("advance");
        let mut sliced = t.clone();
        t.seek(13_500).expect("seek");
        let at = sliced.rewind(13_500);
        assert!(
            (10_000..=13_500).contains(&at),
            "the checkpoint before: {at}"
        );
        while sliced.now_ms() < 13_500 {
            let next = (sliced.now_ms() + 700).min(13_500);
            sliced.seek(next).expect("a slice");
        }
        assert_eq!(state(sliced.sim()), state(t.sim()));
        // A mark taken before comes back whole.
        let mark = sliced.mark();
        let before = state(sliced.sim());
        sliced.seek(20_000).expect("seek on");
        sliced.restore(mark);
        assert_eq!(state(sliced.sim()), before);
        assert_eq!(sliced.now_ms(), 13_500);
    }

    #[test]
    fn reconfiguring_replays_the_recording_with_the_new_settings() {
        let mut t = timeline();
        t.apply(Command::StopBroker(BrokerId(1))).expect("stop");
        t.advance(5_000).expect("advance");
        let fenced = |t: &Timeline| t.sim().controller().is_fenced(BrokerId(1));
        assert!(!fenced(&t), "9 s session timeout: not fenced yet at 5 s");
        t.reconfigure(|d| d.cluster.config.broker_session_timeout_ms = Some(3_000))
            .expect("valid settings");
        assert_eq!(t.now_ms(), 5_000);
        assert!(fenced(&t), "3 s session timeout: fenced by 5 s");
        let err = t
            .reconfigure(|d| d.cluster.config.broker_heartbeat_interval_ms = Some(60_000))
            .expect_err("heartbeat above the session timeout");
        assert!(err[0].path.contains("broker.heartbeat.interval.ms"));
        assert!(fenced(&t), "a refused change keeps the state");
    }
}
