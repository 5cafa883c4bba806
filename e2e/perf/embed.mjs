// An embedded playground scrolled out of view: the example course page, scrolled so that
// its three frames are off screen, for SECONDS (10). Prints, per frame, the main thread's busy
// time per wall second (Chromium's Performance.getMetrics of the frame's target) and the
// animation frames it asked for. The goal: at most 1 ms/s and no frames at all.
//
//   node e2e/perf/embed.mjs        (after `trunk build --release --public-url ./`)

import { envNumber, medianOfRuns, saveResult } from './common.mjs';

const RUNS = envNumber('RUNS', 3);
const SECONDS = envNumber('SECONDS', 10);
const SETTLE_MS = 2000;

async function oneRun(session) {
  const page = await session.browser.newPage({ viewport: { width: 900, height: 760 } });
  await page.addInitScript(() => {
    window.__frames = 0;
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => raf((ts) => {
      window.__frames += 1;
      cb(ts);
    });
  });
  await page.goto(new URL('embed-example.html', session.baseUrl).href);
  // Every frame of the course page has said it is ready.
  await page.waitForFunction(
    () =>
      window.received?.filter((m) => m.type === 'kafka-playground:ready').length ===
      document.querySelectorAll('iframe').length,
  );
  // In view and playing for a moment, then out of view.
  await page.waitForTimeout(1000);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForTimeout(SETTLE_MS);
  const frames = page.frames().filter((f) => f.url().includes('index.html'));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () =>
    Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const before = await metrics();
  const framesBefore = await Promise.all(frames.map((f) => f.evaluate(() => window.__frames)));
  await page.waitForTimeout(SECONDS * 1000);
  const after = await metrics();
  const framesAfter = await Promise.all(frames.map((f) => f.evaluate(() => window.__frames)));
  await page.close();
  // Same-site frames share the page's renderer: the page's counters include every frame
  // and the (idle) course page around them.
  const perSecond = (k) => ((after[k] - before[k]) * 1000) / SECONDS;
  return {
    busyMsPerS: perSecond('TaskDuration'),
    scriptMsPerS: perSecond('ScriptDuration'),
    framesPerS: framesAfter.reduce((a, n, i) => a + n - framesBefore[i], 0) / SECONDS,
  };
}

{
  const { runs, median } = await medianOfRuns(
    RUNS,
    oneRun,
    (r) =>
      `three embedded playgrounds out of view: main thread busy ${r.busyMsPerS.toFixed(2)} ms/s ` +
      `(script ${r.scriptMsPerS.toFixed(2)}), ${r.framesPerS.toFixed(1)} animation frames/s`,
  );
  console.log(
    `median of ${RUNS}: busy ${median.busyMsPerS.toFixed(2)} ms/s, ${median.framesPerS.toFixed(1)} frames/s`,
  );
  console.log(`saved ${await saveResult('embed-offscreen', { seconds: SECONDS, runs, median })}`);
}
