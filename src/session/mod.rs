//! A learner's session: the engine's [`Timeline`] (the recording and the current
//! moment) and the signals the views read.
//!
//! Every change goes through the engine: commands through `Timeline::apply`, time through
//! `Timeline::advance`/`seek`, set-up changes through `Timeline::reconfigure`. After each,
//! [`Session::refresh`] takes a bounded snapshot and publishes it; views pick what they need
//! with memos, so a refresh only touches the DOM that changed.

use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;

use kafka_sim::collections::Map;
use kafka_sim::journey::RecordJourney;
use kafka_sim::scenario::{ProducerConfigDoc, Scenario, ScenarioError, Timeline};
use kafka_sim::snapshot::ConsumedRecord;
use kafka_sim::snapshot::RecordId;
use kafka_sim::snapshot::{InFlightMessage, Snapshot};
use kafka_sim::{
    Applied, Client, Command, CommandError, ProducerConfig, ProducerSpec, SimOptions,
    SnapshotOptions,
};
use leptos::prelude::*;

use crate::feed::{Feed, Line};

pub mod assignors;
mod long_work;
use crate::text;
use long_work::Target;
pub use long_work::{Busy, BusyLayer};

/// Most record cells a log row can show (the engine is asked for no more).
pub const RECORDS_PER_LOG: usize = 12;
/// Lines kept per consumer console.
pub const CONSOLE_LINES: usize = 30;
/// Points kept per lag chart.
pub const LAG_POINTS: usize = 120;
/// Simulated time between two points of a lag chart.
pub const LAG_EVERY_MS: u64 = 500;
/// Log rows and partition rows are updated in this many slices, one per frame after a
/// snapshot, so that no single frame re-renders every log of a large cluster.
pub const SLICES: usize = 6;

/// How much the simulation keeps for display. Every timeline checkpoint holds a copy of
/// all of it (up to 33 copies), so it is sized to what the page shows: a log row shows
/// at most [`RECORDS_PER_LOG`] records, consoles 30 lines each, the narration reads the
/// trace at every refresh, and a journey needs the outcome of a record still on screen.
/// With 12 brokers, 64 partitions and 500 records/s a copy is under 2 MB
/// (`cargo run --release -p kafka-sim --example memory_probe`).
fn sim_options() -> SimOptions {
    SimOptions {
        records_kept_per_log: 48,
        consumed_kept: 2_000,
        trace_capacity: 4_000,
        produced_kept: 4_000,
        assign: assignors::assign,
    }
}

/// One line of a consumer's console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleLine {
    /// The delivery's position in the engine's whole list of deliveries (the list key).
    pub seq: u64,
    /// What a .NET console consumer would print.
    pub text: String,
    /// Whether the group had delivered this offset before.
    pub redelivered: bool,
}

/// A consumer's console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Console {
    /// The consumer.
    pub consumer: Arc<str>,
    /// Its latest lines, oldest first.
    pub lines: Vec<ConsoleLine>,
}

/// A group's total lag over simulated time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LagSeries {
    /// The group.
    pub group: Arc<str>,
    /// `(time_ms, lag)`, oldest first.
    pub points: Vec<(u64, u64)>,
}

/// The dock's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DockTab {
    /// The lessons, or the lesson on the stage.
    Learn,
    /// The narration.
    Narration,
    /// The journey of the selected record.
    Record,
    /// Topics and creating one.
    Topics,
    /// Cluster settings.
    Settings,
    /// Messages in flight and the key to the picture.
    Messages,
}

/// A message for the whole page (a link or a file that could not be loaded, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// One sentence.
    pub title: String,
    /// Details, one per line (the validator's `path: reason`).
    pub lines: Vec<String>,
}

/// An auto-produce schedule that runs, as the snapshot shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AutoProduce {
    /// The producer.
    pub producer: String,
    /// The topic.
    pub topic: String,
    /// Records per simulated second.
    pub rate_per_sec: u32,
    /// Distinct keys (0: no keys).
    pub keys: u32,
}

/// What is told of every snapshot published.
type PublishHook = Rc<dyn Fn(&Timeline)>;

/// Lag points per group: `(time_ms, lag)`, oldest first.
type LagHistory = Map<Arc<str>, VecDeque<(u64, u64)>>;

/// The playground: a handle (`Copy`) to the timeline and the signals the views read.
#[derive(Clone, Copy, Debug)]
pub struct Session {
    tl: StoredValue<Option<Timeline>>,
    feed: StoredValue<Feed>,
    lag_history: StoredValue<LagHistory>,
    consumed_seen: StoredValue<Option<u64>>,
    dirty: StoredValue<bool>,
    refreshes: StoredValue<u64>,
    /// The latest snapshot (bounded: a few records per log).
    pub snap: RwSignal<Snapshot>,
    /// The simulated clock, updated every frame.
    pub clock: RwSignal<u64>,
    /// The end of the recording.
    pub end_ms: RwSignal<u64>,
    /// Whether the current moment is the end of the recording.
    pub at_end: RwSignal<bool>,
    /// Whether playback runs.
    pub playing: RwSignal<bool>,
    /// Simulated milliseconds per wall-clock millisecond.
    pub speed: RwSignal<f64>,
    /// Whether heartbeats and metadata messages are drawn.
    pub show_heartbeats: RwSignal<bool>,
    /// Whether the narration tells record-level events.
    pub record_events: RwSignal<bool>,
    /// The record whose journey is shown.
    pub selected: RwSignal<Option<RecordId>>,
    /// Its journey, as the engine tells it.
    pub journey: RwSignal<Option<RecordJourney>>,
    /// Narration lines, newest first.
    pub lines: RwSignal<Vec<Line>>,
    /// Consoles, one per consumer that read something.
    pub consoles: RwSignal<Vec<Console>>,
    /// Lag history per group.
    pub lag: RwSignal<Vec<LagSeries>>,
    /// A page-wide message, if any.
    pub notice: RwSignal<Option<Notice>>,
    /// The dock's tab shown.
    pub dock_tab: RwSignal<DockTab>,
    /// A short status for screen readers and sighted users ("Link copied").
    pub status: RwSignal<String>,
    /// Bumped whenever the set-up is replaced (forms re-read their defaults).
    pub setup_rev: RwSignal<u32>,
    /// Bumped after every command, step, seek and load (the host page hears of it).
    pub revision: RwSignal<u32>,
    /// The preset the playground was loaded from (its id); `None` for a shared link or an
    /// imported file.
    pub preset: RwSignal<Option<&'static str>>,
    /// How many record cells fit in a log row at the current layout.
    pub cells: RwSignal<usize>,
    /// One tick per slice of partition rows: a row re-reads the snapshot when it ticks.
    pub ticks: [RwSignal<u32>; SLICES],
    /// One tick per broker (by id): its log rows re-read the snapshot when it ticks.
    /// Reference-counted, as row ticks are: a tick owned by the row that asked first would
    /// be disposed with that row (a topic gone after a seek or a load).
    broker_ticks: StoredValue<Vec<ArcRwSignal<u32>>>,
    /// One tick per log row (by its `data-testid`): the row re-reads the snapshot when it
    /// ticks. Reference-counted rather than owned by the row that asked first, so that a
    /// row mounted again gets the same tick.
    row_ticks: StoredValue<Map<String, ArcRwSignal<u32>>>,
    /// Wakes the playback loop when it sleeps (set by [`crate::playback::start`]).
    waker: StoredValue<Option<Rc<dyn Fn()>>, LocalStorage>,
    /// Told of every snapshot published, with the timeline it came from (the host-page
    /// API reads the trace there).
    on_publish: StoredValue<Vec<PublishHook>, LocalStorage>,
    /// Long work in progress (a load played to its end, a seek, a replay), done in slices.
    work: StoredValue<Option<long_work::Work>, LocalStorage>,
    /// What the page shows of it.
    pub busy: RwSignal<Option<Busy>>,
}

fn empty_snapshot() -> Snapshot {
    Snapshot {
        time_ms: 0,
        brokers: Vec::new(),
        topics: Vec::new(),
        producers: Vec::new(),
        produced: Vec::new(),
        groups: Vec::new(),
        consumed: Vec::new(),
        in_flight: Vec::new(),
        events_total: 0,
    }
}

fn messages(errors: &[ScenarioError]) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}

/// The producer's name for a combination of client, acks and partitioner, so that each
/// combination the learner uses is one readable producer: `dotnet-all`,
/// `java-1-round_robin`.
pub fn producer_id(config: &ProducerConfig) -> String {
    let mut id = String::from(config.client.name());
    id.push('-');
    id.push_str(config.acks.name());
    if config.partitioner != kafka_sim::Partitioner::default_for(config.client) {
        id.push('-');
        id.push_str(config.partitioner.name());
    }
    id
}

impl Session {
    /// Whether the dock's tab `t` has been chosen at least once (what is mounted on first
    /// showing stays mounted).
    pub fn tab_ever_chosen(&self, t: DockTab) -> Memo<bool> {
        let chosen = self.dock_tab;
        Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || chosen.get() == t)
    }

    /// An empty playground (nothing loaded yet).
    pub fn new() -> Session {
        Session {
            tl: StoredValue::new(None),
            feed: StoredValue::new(Feed::default()),
            lag_history: StoredValue::new(Map::new()),
            consumed_seen: StoredValue::new(None),
            dirty: StoredValue::new(false),
            refreshes: StoredValue::new(0),
            snap: RwSignal::new(empty_snapshot()),
            clock: RwSignal::new(0),
            end_ms: RwSignal::new(0),
            at_end: RwSignal::new(true),
            playing: RwSignal::new(false),
            speed: RwSignal::new(1.0),
            show_heartbeats: RwSignal::new(true),
            record_events: RwSignal::new(true),
            selected: RwSignal::new(None),
            journey: RwSignal::new(None),
            lines: RwSignal::new(Vec::new()),
            consoles: RwSignal::new(Vec::new()),
            lag: RwSignal::new(Vec::new()),
            notice: RwSignal::new(None),
            dock_tab: RwSignal::new(DockTab::Narration),
            status: RwSignal::new(String::new()),
            setup_rev: RwSignal::new(0),
            revision: RwSignal::new(0),
            preset: RwSignal::new(None),
            cells: RwSignal::new(8),
            ticks: std::array::from_fn(|_| RwSignal::new(0)),
            broker_ticks: StoredValue::new(Vec::new()),
            row_ticks: StoredValue::new(Map::new()),
            waker: StoredValue::new_local(None),
            on_publish: StoredValue::new_local(Vec::new()),
            work: StoredValue::new_local(None),
            busy: RwSignal::new(None),
        }
    }

    /// Reads the timeline, if one is loaded and the page still lives.
    pub fn with_tl<R>(&self, f: impl FnOnce(&Timeline) -> R) -> Option<R> {
        self.tl.try_with_value(|t| t.as_ref().map(f)).flatten()
    }

    fn update_tl<R>(&self, f: impl FnOnce(&mut Timeline) -> R) -> Option<R> {
        self.tl.try_update_value(|t| t.as_mut().map(f)).flatten()
    }

    /// Whether the page still lives (the playback loop stops when it does not).
    pub fn alive(&self) -> bool {
        self.tl.try_with_value(|_| ()).is_some()
    }

    // ---- loading --------------------------------------------------------------------

    /// Replaces the playground with `doc` at time zero (`to_end`: played to the end of its
    /// recording, as a share link or an import is, in slices), then calls `then`. A
    /// document refused is `Err` at once and nothing changes; one that fails while it
    /// plays leaves everything as it was and says why in a notice.
    pub fn load(
        &self,
        doc: Scenario,
        to_end: bool,
        then: impl FnOnce(Session) + 'static,
    ) -> Result<(), Vec<String>> {
        let tl = Timeline::new(doc, sim_options()).map_err(|e| messages(&e))?;
        let installed = move |session: Session| {
            session.selected.set(None);
            session.lag_history.set_value(Map::new());
            session.preset.set(None);
            session.setup_rev.update(|r| *r += 1);
            session.after_jump();
            then(session);
        };
        if !to_end {
            self.cancel_work();
            self.tl.set_value(Some(tl));
            installed(*self);
            return Ok(());
        }
        let end = tl.end_ms();
        self.start_work(
            Target::Fresh(Box::new(tl)),
            end,
            "Playing the scenario to its end",
            Box::new(move |session, result| match result {
                Ok(()) => installed(session),
                Err(e) => session.notice.set(Some(Notice {
                    title: "The scenario could not be played; nothing changed.".into(),
                    lines: vec![e],
                })),
            }),
        );
        Ok(())
    }

    /// Something replaced the history shown: narration, consoles and charts start over
    /// from the moment now shown.
    fn after_jump(&self) {
        self.bump_revision();
        self.feed.update_value(Feed::reset);
        self.consumed_seen.set_value(None);
        let now = self.with_tl(Timeline::now_ms).unwrap_or(0);
        self.lag_history.update_value(|h| {
            for (_, points) in h.iter_mut() {
                points.retain(|(t, _)| *t <= now);
            }
        });
        self.refresh();
    }

    // ---- commands -------------------------------------------------------------------

    /// Does `cmd` now (on error nothing changes) and shows the result at once.
    pub fn apply(&self, cmd: Command) -> Result<Applied, CommandError> {
        let result = self
            .update_tl(|tl| tl.apply(cmd))
            .unwrap_or(Ok(Applied::Done));
        if result.is_ok() {
            self.refresh();
            self.bump_revision();
        }
        result
    }

    /// The id of the producer with `config`, added first if it does not exist yet.
    pub fn ensure_producer(&self, config: ProducerConfig) -> Result<String, CommandError> {
        let id = producer_id(&config);
        // Every command refreshes the snapshot at once: it knows every producer.
        let exists = self
            .snap
            .with_untracked(|s| s.producers.iter().any(|p| *p.id == *id));
        if !exists {
            self.apply(Command::AddProducer(ProducerSpec {
                id: id.clone(),
                config,
            }))?;
        }
        Ok(id)
    }

    /// Changes the set-up and replays the recording with it up to now (in slices), then
    /// calls `then`. A set-up refused is `Err` at once and nothing changes.
    pub fn reconfigure(
        &self,
        change: impl FnOnce(&mut Scenario),
        then: impl FnOnce(Session) + 'static,
    ) -> Result<(), Vec<ScenarioError>> {
        let Some(fresh) = self.with_tl(|tl| tl.reconfigured(change)) else {
            return Ok(());
        };
        let fresh = fresh?;
        let now = self.with_tl(Timeline::now_ms).unwrap_or(0);
        self.start_work(
            Target::Fresh(Box::new(fresh)),
            now,
            "Replaying the recording with the new settings",
            Box::new(move |session, result| match result {
                Ok(()) => {
                    session.setup_rev.update(|r| *r += 1);
                    session.after_jump();
                    then(session);
                }
                Err(e) => session.notice.set(Some(Notice {
                    title:
                        "The recording could not be replayed with these settings; nothing changed."
                            .into(),
                    lines: vec![e],
                })),
            }),
        );
        Ok(())
    }

    /// The auto-produce schedule that runs (the first producer's that has one), tracked.
    pub fn auto_produce(&self) -> Option<AutoProduce> {
        self.snap.with(|s| {
            s.producers.iter().find_map(|p| {
                let a = p.auto_produce.as_ref()?;
                Some(AutoProduce {
                    producer: p.id.to_string(),
                    topic: a.topic.to_string(),
                    rate_per_sec: a.rate_per_sec,
                    keys: a.keys,
                })
            })
        })
    }

    /// The scenario up to the current moment, as JSON (share links, export).
    pub fn scenario_json(&self) -> Option<String> {
        self.with_tl(|tl| tl.scenario_until_now().to_json())
    }

    // ---- time -----------------------------------------------------------------------

    /// Whether long work (a load played to its end, a seek, a replay) is under way.
    pub fn is_working(&self) -> bool {
        self.work.with_value(Option::is_some)
    }

    /// Lets `ms` of simulated time pass (the playback loop). On error playback pauses.
    pub fn advance(&self, ms: u64) {
        if let Some(Err(e)) = self.update_tl(|tl| tl.advance(ms)) {
            self.pause();
            let mut lines = vec![e.to_string()];
            if matches!(e, kafka_sim::CommandError::Limit { .. }) {
                lines.push(
                    "Everything recorded so far is kept, and Copy link or Export saves it. Stop auto-produce, or start again, to go on."
                        .into(),
                );
            }
            self.notice.set(Some(Notice {
                title: "Playback stopped".into(),
                lines,
            }));
        }
    }

    /// Plays, or pauses.
    pub fn toggle_playing(&self) {
        if self.playing.get_untracked() {
            self.pause();
        } else {
            self.playing.set(true);
        }
    }

    /// Pauses and shows the moment it paused at, every row, on screen or not, at once
    /// (while playing, the clock and the rows follow snapshots taken now and then).
    pub fn pause(&self) {
        self.playing.set(false);
        self.refresh();
    }

    /// Moves to the next moment something happens (a message arrives, a timer fires).
    pub fn step(&self) {
        self.playing.set(false);
        let gap = self
            .with_tl(|tl| {
                let now = tl.now_ms();
                tl.sim().next_event_time().map(|t| t.0.saturating_sub(now))
            })
            .flatten();
        if let Some(gap) = gap {
            // At least a millisecond: what is due now happens, and the clock moves (at
            // the end of the recording `advance(0)` records nothing).
            self.advance(gap.max(1));
        }
        self.refresh();
        self.bump_revision();
    }

    /// Goes to `t` (clamped to the recording): the recording replays up to there (from
    /// the checkpoint before it, in slices), and anything done there forks a new future.
    pub fn seek(&self, t: u64) {
        self.playing.set(false);
        self.cancel_work();
        let Some(back) = self.with_tl(Timeline::mark) else {
            return;
        };
        let t = self.with_tl(|tl| t.min(tl.end_ms())).unwrap_or(t);
        self.update_tl(|tl| tl.rewind(t));
        self.start_work(
            Target::Live {
                back: Box::new(back),
            },
            t,
            "Going to the moment chosen",
            Box::new(|session, result| {
                if let Err(e) = result {
                    session.notice.set(Some(Notice {
                        title: "Could not go there".into(),
                        lines: vec![e],
                    }));
                }
                session.after_jump();
            }),
        );
    }

    /// The current moment and the messages in flight (the flights layer, every frame).
    pub fn in_flight(&self) -> Option<(u64, Vec<InFlightMessage>)> {
        self.with_tl(|tl| (tl.now_ms(), tl.sim().in_flight()))
    }

    /// Asks the playback loop to refresh at its next frame.
    pub fn mark_dirty(&self) {
        self.dirty.set_value(true);
        self.wake();
    }

    /// Whether a refresh was asked for and not taken yet.
    pub fn dirty(&self) -> bool {
        self.dirty.try_get_value().unwrap_or(false)
    }

    /// Adds something told of every snapshot published (the host-page API, a lesson's
    /// goals).
    pub fn add_on_publish(&self, f: PublishHook) {
        self.on_publish.update_value(|hooks| hooks.push(f));
    }

    /// Tells `text` in the narration now (a lesson's goal met), after what the
    /// simulation told.
    pub fn tell(&self, text: String) {
        let now = self.clock.get_untracked();
        if let Some(Some(lines)) = self.feed.try_update_value(|f| {
            f.tell(now, text);
            f.take_lines()
        }) {
            self.lines.set(lines);
        }
    }

    /// Says that something changed at this moment (the host page hears of it).
    pub fn bump_revision(&self) {
        self.revision.update(|r| *r = r.wrapping_add(1));
    }

    /// Sets what wakes the playback loop (it sleeps while nothing moves).
    pub fn set_waker(&self, wake: Rc<dyn Fn()>) {
        self.waker.set_value(Some(wake));
    }

    /// Wakes the playback loop if it sleeps: something changed that it draws.
    pub fn wake(&self) {
        if let Some(wake) = self.waker.try_get_value().flatten() {
            wake();
        }
    }

    /// Whether a refresh was asked for (and clears the request).
    pub fn take_dirty(&self) -> bool {
        self.dirty.try_update_value(std::mem::take).unwrap_or(false)
    }

    /// How many refreshes happened (the playback loop redraws after each).
    pub fn refresh_count(&self) -> u64 {
        self.refreshes.try_get_value().unwrap_or(0)
    }

    /// Shows the journey of record `id` (in the dock's Record tab).
    pub fn select_record(&self, id: RecordId) {
        self.selected.set(Some(id));
        self.dock_tab.set(DockTab::Record);
        self.refresh();
    }

    /// Turns the narration of record-level events on or off.
    pub fn set_record_events(&self, on: bool) {
        self.record_events.set(on);
        self.feed.update_value(|f| f.include_records = on);
    }

    // ---- publishing -----------------------------------------------------------------

    /// The tick that rows of slice `n` follow.
    pub fn tick(&self, n: usize) -> RwSignal<u32> {
        self.ticks[n % SLICES]
    }

    /// Lets the rows of slice `n` re-read the snapshot.
    pub fn bump(&self, n: usize) {
        self.ticks[n % SLICES].update(|t| *t = t.wrapping_add(1));
    }

    /// The tick that the log rows of broker `id` follow.
    pub fn broker_tick(&self, id: u32) -> ArcRwSignal<u32> {
        let i = id as usize;
        self.broker_ticks
            .try_update_value(|v| {
                while v.len() <= i {
                    v.push(ArcRwSignal::new(0));
                }
                v[i].clone()
            })
            .unwrap_or_default()
    }

    /// Lets the log rows of broker `id` re-read the snapshot.
    pub fn bump_broker(&self, id: u32) {
        let tick = self
            .broker_ticks
            .try_with_value(|v| v.get(id as usize).cloned())
            .flatten();
        if let Some(t) = tick {
            t.update(|t| *t = t.wrapping_add(1));
        }
    }

    /// The tick that the log row `row` (its `data-testid`) follows besides its broker's.
    pub fn row_tick(&self, row: &str) -> ArcRwSignal<u32> {
        self.row_ticks
            .try_update_value(|m| m.entry(row.to_string()).or_default().clone())
            .unwrap_or_default()
    }

    /// Lets the log row `row` (its `data-testid`) re-read the snapshot.
    pub fn bump_row(&self, row: &str) {
        let tick = self
            .row_ticks
            .try_with_value(|m| m.get(row).cloned())
            .flatten();
        if let Some(t) = tick {
            t.update(|t| *t = t.wrapping_add(1));
        }
    }

    /// Takes a snapshot and shows all of it at once (after a command, a seek, a step).
    pub fn refresh(&self) {
        self.wake();
        self.publish();
        for n in 0..SLICES {
            self.bump(n);
        }
        let ticks = self.broker_ticks.try_get_value().unwrap_or_default();
        for t in ticks {
            t.update(|t| *t = t.wrapping_add(1));
        }
    }

    /// Takes a snapshot of the current moment and publishes it, with the journey of the
    /// selected record, new narration, consoles and lag points. Log rows follow when
    /// they or their broker tick ([`Session::bump_row`], [`Session::bump_broker`]), partition rows
    /// when their slice ticks ([`Session::bump`]): the playback loop spreads them over frames,
    /// and updates what is off screen only now and then.
    pub fn publish(&self) {
        let selected = self.selected.get_untracked();
        let feed = self.feed;
        let seen = self.consumed_seen.get_value();
        let on_publish = self.on_publish.try_get_value().unwrap_or_default();
        let Some(r) = self.with_tl(|tl| {
            let sim = tl.sim();
            let now = tl.now_ms();
            let snap = sim.snapshot_with(SnapshotOptions {
                records_per_log: RECORDS_PER_LOG,
                produced: 0,
            });
            let journey = selected.and_then(|id| sim.journey(id));
            let lines = feed
                .try_update_value(|f| {
                    f.absorb(sim.trace(), now);
                    f.take_lines()
                })
                .flatten();
            let total = sim.consumed().total();
            let consoles = (seen != Some(total)).then(|| consoles(sim.consumed().iter(), total));
            for f in &on_publish {
                f(tl);
            }
            Refreshed {
                snap,
                journey,
                lines,
                consoles,
                total,
                now,
                end: tl.end_ms(),
                at_end: tl.at_end(),
            }
        }) else {
            return;
        };
        self.refreshes.update_value(|n| *n += 1);
        self.consumed_seen.set_value(Some(r.total));
        self.sample_lag(&r.snap, r.now);
        if self.journey.with_untracked(|j| j != &r.journey) {
            self.journey.set(r.journey);
        }
        if let Some(lines) = r.lines {
            self.lines.set(lines);
        }
        if let Some(consoles) = r.consoles {
            self.consoles.set(consoles);
        }
        self.snap.set(r.snap);
        if self.clock.get_untracked() != r.now {
            self.clock.set(r.now);
        }
        if self.end_ms.get_untracked() != r.end {
            self.end_ms.set(r.end);
        }
        if self.at_end.get_untracked() != r.at_end {
            self.at_end.set(r.at_end);
        }
    }

    fn sample_lag(&self, snap: &Snapshot, now: u64) {
        let mut changed = false;
        let series = self
            .lag_history
            .try_update_value(|h| {
                for g in &snap.groups {
                    let total: u64 = g.lag.0.iter().map(|(_, l)| *l).sum();
                    let points = h.entry(g.group.clone()).or_default();
                    let due = points
                        .back()
                        .is_none_or(|(t, _)| now >= t.saturating_add(LAG_EVERY_MS));
                    if due {
                        if points.len() == LAG_POINTS {
                            points.pop_front();
                        }
                        points.push_back((now, total));
                        changed = true;
                    }
                }
                h.retain(|g, _| snap.groups.iter().any(|s| &s.group == g));
                h.iter()
                    .map(|(g, p)| LagSeries {
                        group: g.clone(),
                        points: p.iter().copied().collect(),
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        if changed || self.lag.with_untracked(|l| l.len() != series.len()) {
            self.lag.set(series);
        }
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

/// What one refresh read from the engine.
struct Refreshed {
    snap: Snapshot,
    journey: Option<RecordJourney>,
    lines: Option<Vec<Line>>,
    consoles: Option<Vec<Console>>,
    total: u64,
    now: u64,
    end: u64,
    at_end: bool,
}

/// The latest deliveries of each consumer, as console lines.
fn consoles<'a>(deliveries: impl Iterator<Item = &'a ConsumedRecord>, total: u64) -> Vec<Console> {
    type Lines<'a> = VecDeque<(u64, &'a ConsumedRecord)>;
    let mut per: Vec<(Arc<str>, Lines<'a>)> = Vec::new();
    let mut kept = 0u64;
    for (i, d) in deliveries.enumerate() {
        kept += 1;
        let idx = match per.iter().position(|(c, _)| *c == d.consumer) {
            Some(idx) => idx,
            None => {
                per.push((d.consumer.clone(), VecDeque::new()));
                per.len() - 1
            }
        };
        let lines = &mut per[idx].1;
        if lines.len() == CONSOLE_LINES {
            lines.pop_front();
        }
        lines.push_back((i as u64, d));
    }
    // Index i of the kept deliveries is delivery number `total - kept + i` overall.
    let first = total.saturating_sub(kept);
    per.into_iter()
        .map(|(consumer, lines)| Console {
            consumer,
            lines: lines
                .into_iter()
                .map(|(i, d)| ConsoleLine {
                    seq: first + i,
                    text: console_text(d),
                    redelivered: d.redelivered,
                })
                .collect(),
        })
        .collect()
}

/// `Consumed 'paid' from orders [1] @ 5`, as the .NET tutorial's console consumer prints.
fn console_text(d: &ConsumedRecord) -> String {
    let mut s = String::from("Consumed ");
    if d.record.is_none() && d.value.is_none() {
        // The page keeps the contents of recent records only.
        s.push_str("a record (contents no longer kept)");
    } else {
        s.push_str(&text::quoted(d.value.as_deref()));
    }
    s.push_str(" from ");
    s.push_str(&d.topic);
    s.push_str(" [");
    s.push_str(&d.partition.0.to_string());
    s.push_str("] @ ");
    s.push_str(&d.offset.0.to_string());
    s
}

/// A producer configuration resolved as a scenario document would resolve it.
pub fn producer_config(
    client: Client,
    acks: kafka_sim::Acks,
    partitioner: kafka_sim::Partitioner,
) -> Result<ProducerConfig, (&'static str, String)> {
    kafka_sim::scenario::producer_config(
        client,
        &ProducerConfigDoc {
            acks: Some(acks),
            partitioner: Some(partitioner),
            ..ProducerConfigDoc::default()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use kafka_sim::{Acks, Partitioner};

    #[test]
    fn producers_are_named_for_what_differs() {
        let c = producer_config(Client::Dotnet, Acks::All, Partitioner::ConsistentRandom)
            .expect("valid");
        assert_eq!(producer_id(&c), "dotnet-all");
        let c =
            producer_config(Client::Java, Acks::Leader, Partitioner::RoundRobin).expect("valid");
        assert_eq!(producer_id(&c), "java-1-round_robin");
    }
}
