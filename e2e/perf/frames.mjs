// Smoothness: 12 brokers, 64 partitions with RF 3, a producer sending 500 records per
// simulated second, playing at 1x in headless Chromium. Records requestAnimationFrame
// timestamps for SECONDS (20) and prints the frame times' median, p95 and p99 per run
// and over RUNS (3) runs; goal p95 <= 16.7 ms. Then the same on a blank page, for the
// share of intervals that read above 16.7 ms with nothing drawn. Also the simulated time that passed per
// wall second (playback keeping up) and long tasks (> 50 ms).
//
//   node e2e/perf/frames.mjs        (after `trunk build --release --public-url ./`)
//
// PROFILE=1 also records a CPU profile of the measured seconds and prints where the main
// thread's time went: wasm, the JS glue (DOM calls), garbage collection, and "(program)"
// (the browser's own work: style, layout, paint). TRACE=1 records a Chromium trace instead
// and prints the main thread's time per kind of work (style, layout, paint, script);
// TRACE_FILE=path also saves each run's trace as path.RUN.json (for chrome://tracing).
// PROF=1 opens the page with `?prof` and prints the playback loop's own breakdown
// (src/playback.rs: mean/worst milliseconds per frame of each phase, every 120 frames).

import { writeFile } from 'node:fs/promises';

import { startSession } from '../support/browser.mjs';
import { PERF_ARGS, envNumber, loadScenario, median, ms, openLoaded, saveResult, summarize } from './common.mjs';

const RUNS = envNumber('RUNS', 3);
const SECONDS = envNumber('SECONDS', 20);
const RATE = envNumber('RATE', 500);
const SPEED = process.env.SPEED ?? '1';
const PROFILE = process.env.PROFILE === '1';
const TRACE = process.env.TRACE === '1';
const PROF = process.env.PROF === '1';
const VSYNC_MS = 1000 / 60;

// The browser coarsens rAF timestamps to 0.1 ms, so a frame on time reads 16.6, 16.7 or,
// with the coarsening's jitter, 16.8 ms (a few percent of intervals even on a blank page),
// and the difference of two timestamps carries floating-point noise (16.700000000000728).
// The goal is compared at the timestamps' resolution.
const atTimerResolution = (x) => Math.round(x * 10) / 10;

/** Main-thread time per kind of browser work in a Chromium trace (top-level slices). */
function traceSummary(events) {
  const kinds = {
    UpdateLayoutTree: 'style recalculation',
    Layout: 'layout',
    PrePaint: 'pre-paint',
    Paint: 'paint',
    Layerize: 'layerize',
    CompositeLayers: 'composite',
    FunctionCall: 'script (callbacks)',
    FireAnimationFrame: 'requestAnimationFrame callbacks',
    EventDispatch: 'event handlers',
    MajorGC: 'GC',
    MinorGC: 'GC',
    'V8.GC_SCAVENGER': 'GC',
    HitTest: 'hit test',
    ParseHTML: 'parse HTML',
  };
  // The renderer's main thread: where the rAF callbacks run.
  const main = events.find((e) => e.name === 'FireAnimationFrame');
  const totals = {};
  for (const e of events) {
    if (e.ph !== 'X' || !kinds[e.name] || (main && (e.pid !== main.pid || e.tid !== main.tid))) continue;
    totals[kinds[e.name]] = (totals[kinds[e.name]] ?? 0) + (e.dur ?? 0) / 1000;
  }
  return totals;
}

/** Self time per category (and the top functions) of a CDP CPU profile. */
function profileSummary(profile) {
  const dt = new Map();
  const { samples, timeDeltas, nodes } = profile;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (let i = 0; i < samples.length; i++) {
    dt.set(samples[i], (dt.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0) / 1000);
  }
  const categories = {};
  const functions = {};
  for (const [id, msSelf] of dt) {
    const f = byId.get(id).callFrame;
    const name = f.functionName || '(anonymous)';
    let cat;
    if (name.startsWith('(')) cat = name;
    else if (f.url.endsWith('.wasm') || name.startsWith('$') || f.url.startsWith('wasm://')) cat = 'wasm';
    else if (f.url.endsWith('.js')) cat = 'js glue';
    else if (f.url === '') cat = 'browser built-ins (DOM, TextDecoder, ...)';
    else cat = 'other js';
    categories[cat] = (categories[cat] ?? 0) + msSelf;
    const key = `${cat}: ${name}`;
    functions[key] = (functions[key] ?? 0) + msSelf;
  }
  const top = Object.entries(functions)
    .sort((a, b) => b[1] - a[1])
    .slice(0, +(process.env.TOPN ?? 15));
  return { categories, top };
}

/** requestAnimationFrame timestamps for `seconds`. */
function frameStamps(page, seconds) {
  return page.evaluate(
    (duration) =>
      new Promise((resolve) => {
        const ts = [];
        const step = (t) => {
          ts.push(t);
          if (t - ts[0] < duration) requestAnimationFrame(step);
          else resolve(ts);
        };
        requestAnimationFrame(step);
      }),
    seconds * 1000,
  );
}

/** Intervals above one vsync at the timestamps' resolution (share), and late ones. */
function overruns(deltas) {
  const above = deltas.filter((d) => atTimerResolution(d) > 16.7).length;
  return { above_share: above / deltas.length, late: deltas.filter((d) => d > 1.5 * VSYNC_MS).length };
}

const runs = [];
for (let run = 0; run < RUNS; run++) {
  const { session, page, playground, errors } = await openLoaded(loadScenario({ rate: RATE }), {
    query: PROF ? '?prof' : '',
  });
  try {
    if (PROF) page.on('console', (m) => m.text().startsWith('frames ') && console.log(`  ${m.text()}`));
    await playground.setSpeed(SPEED);
    await page.evaluate(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    const sim0 = await playground.timeMs();
    await playground.play();
    // Let the first frames (layout of the new state) pass before measuring.
    await page.waitForTimeout(1_000);
    const simStart = await playground.timeMs();
    let cdp = null;
    if (PROFILE) {
      cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    if (TRACE) {
      await session.browser.startTracing(page, {
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8'],
      });
    }
    const stamps = await frameStamps(page, SECONDS);
    const simEnd = await playground.timeMs();
    let trace = null;
    if (TRACE) {
      const buffer = await session.browser.stopTracing();
      if (process.env.TRACE_FILE) await writeFile(`${process.env.TRACE_FILE}.${run}.json`, buffer);
      trace = traceSummary(JSON.parse(buffer.toString('utf8')).traceEvents);
      const wallMs = SECONDS * 1000;
      console.log(`  main thread of run ${run}, by kind of work (overlapping; share of ${SECONDS} s):`);
      for (const [k, t] of Object.entries(trace).sort((a, b) => b[1] - a[1])) {
        console.log(`    ${k.padEnd(34)} ${(t / 1000).toFixed(2)} s  ${((100 * t) / wallMs).toFixed(0)} %`);
      }
    }
    let profile = null;
    if (cdp) {
      profile = profileSummary((await cdp.send('Profiler.stop')).profile);
      const total = Object.values(profile.categories).reduce((a, b) => a + b, 0);
      console.log(`  CPU profile of run ${run} (self time, ${(total / 1000).toFixed(1)} s sampled):`);
      for (const [c, t] of Object.entries(profile.categories).sort((a, b) => b[1] - a[1])) {
        console.log(`    ${c.padEnd(24)} ${(t / 1000).toFixed(2)} s  ${((100 * t) / total).toFixed(0)} %`);
      }
      console.log('  top functions:');
      for (const [f, t] of profile.top) console.log(`    ${(t / 1000).toFixed(2)} s  ${f}`);
    }
    const longTasks = await page.evaluate(() => window.__longTasks);
    const state = await playground.state();
    await playground.pause();
    const deltas = stamps.slice(1).map((t, i) => t - stamps[i]);
    const wall = (stamps[stamps.length - 1] - stamps[0]) / 1000;
    const s = summarize(deltas);
    // Intervals of two vsyncs or more: a frame was not ready in time.
    const { late, above_share: aboveShare } = overruns(deltas);
    const records = Object.values(state.partitions).reduce((sum, p) => sum + (p.hw ?? 0), 0);
    const result = {
      run,
      frames: s.n,
      fps: s.n / wall,
      ...s,
      sim_ms_per_wall_s: (simEnd - simStart) / wall,
      sim_started_ms: sim0,
      records_committed: records,
      long_tasks: longTasks.length,
      long_task_max_ms: longTasks.length ? Math.max(...longTasks) : 0,
      late_frames: late,
      above_16_7_share: aboveShare,
      profile,
      trace,
      errors,
    };
    runs.push(result);
    console.log(
      `run ${run}: ${s.n} frames (${result.fps.toFixed(1)} fps), median ${ms(s.median)}, ` +
        `p95 ${ms(s.p95)}, p99 ${ms(s.p99)}, max ${ms(s.max)}; ` +
        `${(100 * aboveShare).toFixed(1)} % of intervals above 16.7 ms, ${late} frames late; ` +
        `${result.sim_ms_per_wall_s.toFixed(0)} simulated ms per wall s; ` +
        `${records} records below the high watermarks; ${longTasks.length} long tasks` +
        (errors.length ? `; ERRORS: ${errors.join(' | ')}` : ''),
    );
  } finally {
    await session.close();
  }
}
// The same measurement on a blank page in the same browser: how many intervals read above
// 16.7 ms when nothing at all is drawn (the timestamps' own jitter). BASELINE=0 skips it.
let baseline = null;
if (process.env.BASELINE !== '0') {
  const session = await startSession({ args: PERF_ARGS });
  try {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.setContent('<!doctype html><title>blank</title><p>blank</p>');
    const stamps = await frameStamps(page, SECONDS);
    const deltas = stamps.slice(1).map((t, i) => t - stamps[i]);
    baseline = { ...summarize(deltas), ...overruns(deltas) };
    console.log(
      `blank page, same browser: p95 ${ms(baseline.p95)}; ` +
        `${(100 * baseline.above_share).toFixed(1)} % of intervals above 16.7 ms, ${baseline.late} frames late`,
    );
  } finally {
    await session.close();
  }
}

const summary = {
  baseline,
  scenario: { brokers: 12, partitions: 64, replication_factor: 3, rate_per_sec: RATE, speed: SPEED },
  seconds: SECONDS,
  runs,
  median_of_medians: median(runs.map((r) => r.median)),
  median_p95: median(runs.map((r) => r.p95)),
  median_p99: median(runs.map((r) => r.p99)),
  goal_p95_ms: 16.7,
};
console.log(
  `Frame times over ${RUNS} runs of ${SECONDS} s (median of the runs): median ${ms(summary.median_of_medians)}, ` +
    `p95 ${ms(summary.median_p95)}, p99 ${ms(summary.median_p99)}; goal p95 <= 16.7 ms: ` +
    (atTimerResolution(summary.median_p95) <= summary.goal_p95_ms ? 'met' : 'NOT met'),
);
await saveResult('frames', summary);
