// Shared by the performance benchmarks (scripts/perf). These measure and print; they
// assert nothing, and `node --test e2e/` does not pick them up (no .test. in the name).

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ARTIFACTS, startSession } from '../support/browser.mjs';
import { PlaygroundPage } from '../pages/playground-page.mjs';
import { shareFragment } from '../support/scenarios.mjs';

export const PERF_DIR = join(ARTIFACTS, 'perf');

/** Chromium flags for measuring: exact heap sizes, no background throttling. */
export const PERF_ARGS = [
  '--enable-precise-memory-info',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** A number from the environment, or the default. */
export function envNumber(name, fallback) {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number(v);
}

/**
 * The load of the smoothness and memory benchmarks: 12 brokers, one topic of 64
 * partitions with replication factor 3, and a producer sending `rate` records per
 * simulated second over 16 keys from the start.
 */
export function loadScenario({ rate = 500, brokers = 12, partitions = 64 } = {}) {
  return {
    version: 1,
    seed: 1,
    cluster: { brokers },
    topics: [
      {
        name: 'orders',
        partitions,
        replication_factor: 3,
        config: { 'min.insync.replicas': 2 },
      },
    ],
    producers: [{ id: 'load', client: 'java', config: { acks: 'all' } }],
    steps: [{ auto_produce: { producer: 'load', topic: 'orders', rate_per_sec: rate, keys: 16 } }],
  };
}

/**
 * A browser session and a page opened on `doc` through a share link, with the wasm
 * module's memory reachable as `window.__wasmMemory` (Trunk's start event hands over
 * the module's exports). `query` goes into the address before the link (`?prof`).
 */
export async function openLoaded(doc, { viewport = { width: 1280, height: 900 }, query = '' } = {}) {
  const session = await startSession({ args: PERF_ARGS });
  const page = await session.browser.newPage({ viewport });
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => {
      window.__wasmMemory = e.detail?.wasm?.memory ?? null;
    });
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const playground = new PlaygroundPage(page, session.baseUrl + query);
  await playground.open(shareFragment(doc));
  return { session, page, playground, errors };
}

/** Sorted-sample percentile (nearest rank). */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarize(values) {
  const s = [...values].sort((a, b) => a - b);
  return {
    n: s.length,
    median: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s[s.length - 1],
  };
}

export function median(values) {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
export const ms = (x) => `${x.toFixed(1)} ms`;
export const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;

/** Writes a result as JSON under e2e/artifacts/perf/ (scripts/perf prints them). */
export async function saveResult(name, result) {
  await mkdir(PERF_DIR, { recursive: true });
  const file = join(PERF_DIR, `${name}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/**
 * Runs `oneRun(session)` `count` times in one browser session and prints `describe(result)`
 * after each; returns every run and, per field, the median over the runs.
 */
export async function medianOfRuns(count, oneRun, describe) {
  const session = await startSession({ args: PERF_ARGS });
  try {
    const runs = [];
    for (let i = 0; i < count; i++) {
      const r = await oneRun(session);
      runs.push(r);
      console.log(`run ${i + 1}: ${describe(r)}`);
    }
    const medians = Object.fromEntries(
      Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k]))]),
    );
    return { runs, median: medians };
  } finally {
    await session.close();
  }
}
