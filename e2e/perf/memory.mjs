// Memory: the load of frames.mjs auto-produced for SIM_MINUTES (10) of simulated time
// at SPEED (10x: one minute of wall time). Samples the JS heap
// (performance.memory.usedJSHeapSize, precise with --enable-precise-memory-info), the
// wasm module's linear memory (WebAssembly.Memory buffer size), the DOM node count and
// CDP's Performance metrics every SAMPLE_S seconds; prints the curve (start, middle,
// end) and whether it levels off. The real-time variant: SPEED=1 WALL_S=600 (ten minutes
// of wall time, or ten simulated minutes if playback keeps up).
//
//   node e2e/perf/memory.mjs        (after `trunk build --release --public-url ./`)

import { envNumber, loadScenario, median, mib, openLoaded, saveResult } from './common.mjs';

const SPEED = process.env.SPEED ?? '10';
const SIM_MINUTES = envNumber('SIM_MINUTES', 10);
const SAMPLE_S = envNumber('SAMPLE_S', 5);
const RATE = envNumber('RATE', 500);
const NAME = process.env.NAME ?? `memory-${SPEED}x`;
// Wall-clock limit (0: none, beyond a safety margin): the real-time variant runs for ten
// minutes of wall time even when playback falls behind real time.
const WALL_S = envNumber('WALL_S', 0);

const { session, page, playground, errors } = await openLoaded(loadScenario({ rate: RATE }));
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');

async function sample(t0) {
  const [inPage, metrics, heap] = await Promise.all([
    page.evaluate(() => ({
      jsHeapUsed: performance.memory?.usedJSHeapSize ?? null,
      jsHeapTotal: performance.memory?.totalJSHeapSize ?? null,
      wasmMemory: window.__wasmMemory?.buffer?.byteLength ?? null,
      domNodes: document.getElementsByTagName('*').length,
      simMs: Number(document.querySelector('[data-testid="clock"]')?.dataset.timeMs ?? NaN),
    })),
    cdp.send('Performance.getMetrics'),
    cdp.send('Runtime.getHeapUsage'),
  ]);
  const m = Object.fromEntries(metrics.metrics.map((x) => [x.name, x.value]));
  return {
    wallS: (Date.now() - t0) / 1000,
    ...inPage,
    cdpJsHeapUsed: m.JSHeapUsedSize,
    cdpNodes: m.Nodes,
    cdpListeners: m.JSEventListeners,
    heapUsage: heap.usedSize,
  };
}

const samples = [];
try {
  await playground.setSpeed(SPEED);
  const t0 = Date.now();
  samples.push(await sample(t0));
  await playground.play();
  const targetSimMs = SIM_MINUTES * 60_000;
  const wallLimitMs =
    WALL_S > 0 ? WALL_S * 1000 : (targetSimMs / Math.max(Number(SPEED) || 1, 0.1)) * 3 + 60_000;
  for (;;) {
    await page.waitForTimeout(SAMPLE_S * 1000);
    const s = await sample(t0);
    samples.push(s);
    process.stdout.write(
      `  t=${s.wallS.toFixed(0)} s sim=${(s.simMs / 1000).toFixed(0)} s heap=${mib(s.jsHeapUsed ?? s.cdpJsHeapUsed)} ` +
        `wasm=${s.wasmMemory === null ? 'n/a' : mib(s.wasmMemory)} dom=${s.domNodes}\n`,
    );
    if (s.simMs >= targetSimMs || Date.now() - t0 > wallLimitMs) break;
  }
  await playground.pause();
} finally {
  await session.close();
}

const at = (f) => samples[Math.min(samples.length - 1, Math.round(f * (samples.length - 1)))];
const points = { start: at(0), quarter: at(0.25), middle: at(0.5), end: at(1) };
const heap = (s) => s.jsHeapUsed ?? s.cdpJsHeapUsed;
const wasm = (s) => s.wasmMemory;
const dom = (s) => s.domNodes;
const wasmKnown = samples.every((s) => s.wasmMemory !== null);
// Growth: the median of the last quarter of the samples over that of the second quarter
// (medians, because the JS heap saws up and down with garbage collection). About 1 means
// it levelled off; the simulated time doubles between the two, so a size that grows with
// the records produced shows about 2.
const quarterMedian = (f, q) => {
  const n = samples.length;
  const part = samples.slice(Math.floor((q * n) / 4), Math.max(Math.floor(((q + 1) * n) / 4), Math.floor((q * n) / 4) + 1));
  return median(part.map(f));
};
const growth = (f) => quarterMedian(f, 3) / quarterMedian(f, 1);
const curve = (f) => Object.fromEntries(Object.entries(points).map(([k, s]) => [k, f(s)]));
const result = {
  speed: SPEED,
  sim_minutes: SIM_MINUTES,
  reached_sim_ms: samples[samples.length - 1].simMs,
  wall_s: samples[samples.length - 1].wallS,
  samples,
  js_heap: curve(heap),
  wasm_memory: wasmKnown ? curve(wasm) : null,
  dom_nodes: curve(dom),
  js_heap_growth: growth(heap),
  wasm_growth: wasmKnown ? growth(wasm) : null,
  dom_growth: growth(dom),
  errors,
};
const verdict = (g) => `last/second quarter x${g.toFixed(2)}: ${g <= 1.1 ? 'levels off' : 'STILL GROWING'}`;
console.log(
  `Memory at ${SPEED}x, ${(result.reached_sim_ms / 60000).toFixed(1)} simulated minutes in ` +
    `${(samples[samples.length - 1].wallS / 60).toFixed(1)} wall minutes (start / middle / end):`,
);
console.log(
  `  JS heap   ${mib(result.js_heap.start)} / ${mib(result.js_heap.middle)} / ${mib(result.js_heap.end)}` +
    `  (${verdict(result.js_heap_growth)})`,
);
if (wasmKnown) {
  console.log(
    `  wasm      ${mib(result.wasm_memory.start)} / ${mib(result.wasm_memory.middle)} / ${mib(result.wasm_memory.end)}` +
      `  (${verdict(result.wasm_growth)})`,
  );
} else {
  console.log('  wasm      not reachable (no TrunkApplicationStarted detail)');
}
console.log(
  `  DOM nodes ${result.dom_nodes.start} / ${result.dom_nodes.middle} / ${result.dom_nodes.end}` +
    `  (${verdict(result.dom_growth)})`,
);
if (errors.length) console.log(`  ERRORS: ${errors.join(' | ')}`);
await saveResult(NAME, result);
