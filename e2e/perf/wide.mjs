// A wide cluster from a share link: TOPICS (8) topics of 256 partitions, replication factor
// 3, on 12 brokers, with a producer sending 500 records/s to the first. Prints, as medians
// of RUNS (3) loads: the time from navigation until the cluster shows, the DOM nodes and
// log rows drawn, and the animation frames per second while it plays. A link like this
// (the engine's limits allow 64 such topics) must leave the page usable: each broker draws
// a bounded number of log rows (view::broker::ROWS_AT_ONCE).
//
//   node e2e/perf/wide.mjs        (after `trunk build --release --public-url ./`)

import { PlaygroundPage } from '../pages/playground-page.mjs';
import { shareFragment } from '../support/scenarios.mjs';
import { envNumber, medianOfRuns, saveResult } from './common.mjs';

const RUNS = envNumber('RUNS', 3);
const TOPICS = envNumber('TOPICS', 8);
const PARTITIONS = 256;

const doc = {
  version: 1,
  seed: 1,
  cluster: { brokers: 12 },
  topics: Array.from({ length: TOPICS }, (_, i) => ({
    name: `t${i}`,
    partitions: PARTITIONS,
    replication_factor: 3,
  })),
  producers: [{ id: 'load', client: 'java' }],
  steps: [
    { auto_produce: { producer: 'load', topic: 't0', rate_per_sec: 500, keys: 16 } },
    { advance_ms: 2000 },
  ],
};

async function oneRun(session) {
  const page = await session.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const playground = new PlaygroundPage(page, session.baseUrl);
  const t0 = Date.now();
  await playground.open(shareFragment(doc));
  const openMs = Date.now() - t0;
  const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  const rows = await page.locator('article.broker .log').count();
  await playground.play();
  await page.waitForTimeout(1000);
  const fps = (await playground.animationFramesDuring(3000)) / 3;
  await playground.pause();
  await page.close();
  return { openMs, nodes, rows, fps };
}

const { runs, median: summary } = await medianOfRuns(
  RUNS,
  oneRun,
  (r) =>
    `shown after ${r.openMs} ms, ${r.nodes} DOM nodes, ${r.rows} log rows, ` +
    `${r.fps.toFixed(0)} frames/s playing`,
);
console.log(
  `median of ${RUNS} (${TOPICS} topics × ${PARTITIONS} partitions, RF 3, 12 brokers): ` +
    `shown after ${summary.openMs} ms, ${summary.nodes} DOM nodes, ${summary.rows} log rows, ` +
    `${summary.fps.toFixed(0)} frames/s`,
);
const file = await saveResult('wide', { topics: TOPICS, partitions: PARTITIONS, runs, median: summary });
console.log(`saved ${file}`);
