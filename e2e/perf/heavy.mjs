// Heavy links (issue 14): the work a share link asks for, played by the page in slices.
// Each case is pasted into a page already open, as a learner pastes a link, and measured
// RUNS (3) times: the wall time until the page shows the link's end state, the longest
// long task (Chromium's longtask entries, over 50 ms), and the slowest answer to a
// trivial evaluation meanwhile (how long the page could not react). Prints medians; the
// native figures for the same documents come from `scripts/bench` (engine/benches).
//
//   node e2e/perf/heavy.mjs        (after `trunk build --release --public-url ./`)

import { PlaygroundPage } from '../pages/playground-page.mjs';
import { shareFragment } from '../support/scenarios.mjs';
import { startSession } from '../support/browser.mjs';
import { envNumber, median, PERF_ARGS, saveResult } from './common.mjs';

const RUNS = envNumber('RUNS', 3);

const CASES = [
  {
    name: 'idle day (3 brokers, one topic of 3 partitions, RF 3)',
    endMs: 86_400_000,
    doc: {
      version: 1,
      seed: 1,
      cluster: { brokers: 3 },
      topics: [{ name: 'idle', partitions: 3, replication_factor: 3 }],
      steps: [{ advance_ms: 86_400_000 }],
    },
  },
  {
    name: '64 brokers x 256 partitions x RF 64, one minute',
    endMs: 60_000,
    doc: {
      version: 1,
      seed: 1,
      cluster: { brokers: 64 },
      topics: [{ name: 'wide', partitions: 256, replication_factor: 64 }],
      steps: [{ advance_ms: 60_000 }],
    },
  },
];

async function oneRun(session, c) {
  const page = await session.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const playground = new PlaygroundPage(page, session.baseUrl);
  await playground.open();
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
  });
  const t0 = Date.now();
  await page.evaluate((f) => {
    location.hash = f;
  }, shareFragment(c.doc));
  let worstAnswerMs = 0;
  for (;;) {
    const a = Date.now();
    await page.evaluate(() => 1);
    worstAnswerMs = Math.max(worstAnswerMs, Date.now() - a);
    const done =
      (await playground.timeMs()) === c.endMs && (await page.locator('.busy-layer').count()) === 0;
    if (done) break;
    if (Date.now() - t0 > 600_000) throw new Error(`${c.name}: not done after 10 minutes`);
    await page.waitForTimeout(50);
  }
  const wallMs = Date.now() - t0;
  const longTasks = await page.evaluate(() => window.__longTasks);
  await page.close();
  return {
    wallMs,
    longestTaskMs: Math.round(Math.max(0, ...longTasks)),
    longTasks: longTasks.length,
    worstAnswerMs,
  };
}

const session = await startSession({ args: PERF_ARGS });
const results = {};
try {
  for (const c of CASES) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await oneRun(session, c);
      runs.push(r);
      console.log(
        `${c.name}, run ${i + 1}: at its end after ${(r.wallMs / 1000).toFixed(2)} s; ` +
          `longest task ${r.longestTaskMs} ms (${r.longTasks} over 50 ms); slowest answer ${r.worstAnswerMs} ms`,
      );
    }
    const med = Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k]))]));
    results[c.name] = { runs, median: med };
    console.log(
      `${c.name}: median of ${RUNS}: ${(med.wallMs / 1000).toFixed(2)} s, longest task ${med.longestTaskMs} ms, ` +
        `slowest answer ${med.worstAnswerMs} ms`,
    );
  }
} finally {
  await session.close();
}
await saveResult('heavy', results);
