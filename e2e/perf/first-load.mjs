// First load: every file the page fetches (html, js, wasm, css), raw and gzip -9, and
// the total against the 400 KB budget; plus the wall time until the cluster shows
// (median of RUNS loads, informational: it depends on the machine).
//
//   node e2e/perf/first-load.mjs        (after `trunk build --release --public-url ./`)

import { gzipSync } from 'node:zlib';

import { startSession } from '../support/browser.mjs';
import { PlaygroundPage } from '../pages/playground-page.mjs';
import { PERF_ARGS, envNumber, kb, median, ms, saveResult } from './common.mjs';

const BUDGET = 400 * 1024;
const RUNS = envNumber('RUNS', 5);

const session = await startSession({ args: PERF_ARGS });
try {
  const files = new Map();
  const shown = [];
  for (let run = 0; run < RUNS; run++) {
    const page = await session.browser.newPage();
    const pending = [];
    page.on('response', (res) => {
      const url = res.url();
      if (!url.startsWith('http')) return;
      pending.push(
        res.body().then((body) => {
          const name = new URL(url).pathname.split('/').pop() || 'index.html';
          files.set(name, {
            name,
            type: res.headers()['content-type'] ?? '',
            raw: body.length,
            gzip: gzipSync(body, { level: 9 }).length,
          });
        }),
      );
    });
    const playground = new PlaygroundPage(page, session.baseUrl);
    const t0 = Date.now();
    await playground.open();
    shown.push(Date.now() - t0);
    await page.waitForLoadState('networkidle');
    await Promise.all(pending);
    await page.close();
  }
  const list = [...files.values()].sort((a, b) => b.gzip - a.gzip);
  const total = list.reduce((s, f) => s + f.gzip, 0);
  const raw = list.reduce((s, f) => s + f.raw, 0);
  console.log('First load: what the page fetches (gzip -9)');
  for (const f of list) {
    console.log(`  ${f.name.padEnd(48)} ${kb(f.raw).padStart(10)} raw ${kb(f.gzip).padStart(10)} gzip`);
  }
  console.log(`  ${'total'.padEnd(48)} ${kb(raw).padStart(10)} raw ${kb(total).padStart(10)} gzip`);
  const verdict = total <= BUDGET ? 'within' : 'OVER';
  console.log(`  budget 400.0 KB gzip: ${verdict} (${((100 * total) / BUDGET).toFixed(0)} %)`);
  console.log(`  cluster shown after ${ms(median(shown))} (median of ${RUNS} loads; ${shown.join(', ')} ms)`);
  await saveResult('first-load', {
    files: list,
    total_gzip: total,
    total_raw: raw,
    budget: BUDGET,
    within_budget: total <= BUDGET,
    shown_ms: shown,
    shown_median_ms: median(shown),
  });
} finally {
  await session.close();
}
