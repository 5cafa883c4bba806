// Idle cost: the default page, paused by the learner, doing nothing, for SECONDS (10) after it settled.
// Prints the main thread's busy time per wall second from Chromium's own counters
// (Performance.getMetrics: tasks, script, style, layout) and how many animation frames
// the page asked for. A paused playground embedded in a course page should cost close to
// nothing: the goal is no frames at all while nothing moves.
//
//   node e2e/perf/idle.mjs        (after `trunk build --release --public-url ./`)

import { PlaygroundPage } from '../pages/playground-page.mjs';
import { envNumber, medianOfRuns, saveResult } from './common.mjs';

const RUNS = envNumber('RUNS', 3);
const SECONDS = envNumber('SECONDS', 10);
const SETTLE_MS = 3000;

const KEYS = ['TaskDuration', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration'];

async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

async function oneRun(session) {
  const page = await session.browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Counts the frames the page itself asks for (wrapping requestAnimationFrame).
  await page.addInitScript(() => {
    window.__frames = 0;
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => raf((ts) => {
      window.__frames += 1;
      cb(ts);
    });
  });
  const playground = new PlaygroundPage(page, session.baseUrl);
  await playground.open();
  // The default preset plays when it opens: the learner pauses it.
  await playground.pause();
  const t0 = await playground.timeMs();
  await page.waitForTimeout(SETTLE_MS);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const before = await metrics(cdp);
  const framesBefore = await page.evaluate(() => window.__frames);
  await page.waitForTimeout(SECONDS * 1000);
  const after = await metrics(cdp);
  const frames = (await page.evaluate(() => window.__frames)) - framesBefore;
  if ((await playground.timeMs()) !== t0) throw new Error('the clock moved while paused');
  await page.close();
  const perSecond = (k) => ((after[k] - before[k]) * 1000) / SECONDS;
  return {
    busyMsPerS: perSecond('TaskDuration'),
    scriptMsPerS: perSecond('ScriptDuration'),
    styleMsPerS: perSecond('RecalcStyleDuration'),
    layoutMsPerS: perSecond('LayoutDuration'),
    framesPerS: frames / SECONDS,
  };
}

const { runs, median: summary } = await medianOfRuns(
  RUNS,
  oneRun,
  (r) =>
    `main thread busy ${r.busyMsPerS.toFixed(1)} ms/s (script ${r.scriptMsPerS.toFixed(1)}, ` +
    `style ${r.styleMsPerS.toFixed(1)}, layout ${r.layoutMsPerS.toFixed(1)}), ` +
    `${r.framesPerS.toFixed(1)} animation frames/s`,
);
console.log(
  `median of ${RUNS}: busy ${summary.busyMsPerS.toFixed(1)} ms/s, ` +
    `${summary.framesPerS.toFixed(1)} frames/s while paused and idle`,
);
const file = await saveResult('idle', { seconds: SECONDS, runs, median: summary });
console.log(`saved ${file}`);
