// Behaviour: long work (a share link played to its end, a seek, a replay with new
// settings) runs in slices, so the page keeps answering; past half a second it shows how
// far it got with a Cancel, and Cancel leaves the playground as it was before.
// (Issue 14: "no task exceeds 100 ms"; a trivial evaluation answers within 200 ms.)

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { runScenario, validationMessages } from './support/cli.mjs';
import { cliView, pageView } from './support/compare.mjs';
import { usePlayground } from './support/fixtures.mjs';
import { shareFragment } from './support/scenarios.mjs';
import { eventually } from './support/wait.mjs';

const open = usePlayground();

/** Two minutes of 500 records a second into six partitions on three brokers. */
const busyTopic = {
  version: 1,
  seed: 3,
  cluster: { brokers: 3 },
  topics: [{ name: 'clicks', partitions: 6, replication_factor: 3 }],
  producers: [{ id: 'web', client: 'java', config: { acks: 'all' } }],
  steps: [
    { auto_produce: { producer: 'web', topic: 'clicks', rate_per_sec: 500 } },
    { advance_ms: 120_000 },
  ],
};

/** The big cluster: 64 brokers, 256 partitions of 64 replicas, for a minute
 * (about six seconds of work natively, far more in the page). */
const bigCluster = {
  version: 1,
  seed: 1,
  cluster: { brokers: 64 },
  topics: [{ name: 'wide', partitions: 256, replication_factor: 64 }],
  steps: [{ advance_ms: 60_000 }],
};

/** Opens `fragment` in the page already open (as a pasted link does), and measures how
 * long trivial evaluations take until `done()` holds. */
async function whileOpening(page, fragment, done, { timeout = 60_000 } = {}) {
  await page.evaluate((f) => {
    location.hash = f;
  }, fragment);
  const started = Date.now();
  let worst = 0;
  let evaluations = 0;
  for (;;) {
    const t0 = Date.now();
    await page.evaluate(() => 1);
    worst = Math.max(worst, Date.now() - t0);
    evaluations += 1;
    if (await done()) break;
    assert.ok(Date.now() - started < timeout, 'the work ends');
    await page.waitForTimeout(40);
  }
  return { worst, evaluations };
}

async function longTasks(page) {
  return page.evaluate(() => window.__longTasks ?? []);
}

async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask' });
  });
}

test('A long link plays to its end in slices: the page answers throughout and ends at the link state', async () => {
  const expected = cliView(runScenario(busyTopic));
  const { page, playground, finish } = await open();
  await watchLongTasks(page);
  const { worst, evaluations } = await whileOpening(
    page,
    shareFragment(busyTopic),
    async () => (await playground.timeMs()) === expected.timeMs && !(await page.locator('.busy-layer').count()),
  );
  assert.ok(evaluations >= 2, `measured while it worked (${evaluations} evaluations)`);
  assert.ok(worst < 200, `a trivial evaluation answered within 200 ms (worst ${worst} ms)`);
  // The page shows the newest records of each log; the CLI prints them all.
  const withoutRecords = (v) => ({
    ...v,
    logs: Object.fromEntries(Object.entries(v.logs).map(([k, l]) => [k, l.leo])),
  });
  assert.deepEqual(withoutRecords(pageView(await playground.state())), withoutRecords(expected));
  const long = await longTasks(page);
  console.log(`long tasks while opening: ${JSON.stringify(long)}`);
  await finish('long-link');
});

test('Past half a second the work shows its progress, and Cancel leaves everything as it was', async () => {
  const { page, playground, problems, finish } = await open();
  const before = pageView(await playground.state());
  const busy = page.locator('.busy');
  const { worst } = await whileOpening(page, shareFragment(bigCluster), async () => busy.isVisible());
  assert.ok(worst < 200, `a trivial evaluation answered within 200 ms (worst ${worst} ms)`);
  await eventually(async () => {
    const text = await busy.innerText();
    assert.match(text, /Playing the scenario to its end/);
    assert.match(text, /[\d.]+ s of 60\.000 s simulated/);
  });
  // Everything else takes no input meanwhile; the Cancel has the focus.
  assert.equal(await page.locator('main.workspace').evaluate((m) => m.closest('[inert]') !== null), true);
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel');
  await page.keyboard.press('Enter');
  await page.locator('.busy-layer').waitFor({ state: 'detached' });
  assert.deepEqual(pageView(await playground.state()), before, 'the playground as it was');
  assert.equal(await page.locator('main.workspace').evaluate((m) => m.closest('[inert]') === null), true);
  // The playground goes on from there.
  await playground.step();
  assert.ok((await playground.timeMs()) > before.timeMs);
  assert.deepEqual(problems, []);
  await finish('long-link-cancelled');
});

/** The 187-byte document: 10,000 records a second for a day (864 million). */
const dayAtFullRate = {
  version: 1,
  cluster: { brokers: 1 },
  topics: [{ name: 't' }],
  producers: [{ id: 'p' }],
  steps: [
    { auto_produce: { producer: 'p', topic: 't', rate_per_sec: 10000 } },
    { advance_ms: 86_400_000 },
  ],
};

test('A link that would run without bound is refused at once, naming its rate, and nothing changes', async () => {
  const { page, playground, finish } = await open();
  const before = pageView(await playground.state());
  const { worst } = await whileOpening(page, shareFragment(dayAtFullRate), async () =>
    (await playground.alerts()).some((a) => a.includes('steps[0].auto_produce.rate_per_sec')),
  );
  assert.ok(worst < 200, `a trivial evaluation answered within 200 ms (worst ${worst} ms)`);
  assert.match((await playground.alerts()).join('\n'), /864000000 records; a document may send at most 20000000/);
  assert.deepEqual(pageView(await playground.state()), before, 'the playground as it was');
  await finish('hostile-link-refused');
});

test('A recording past one day exports as valid steps and re-imports to the same state', async () => {
  // A day already recorded (idle brokers replay fast), then the learner plays on.
  const day = { version: 1, cluster: { brokers: 3 }, steps: [{ advance_ms: 86_400_000 }] };
  const { page, playground, finish } = await open();
  await page.evaluate((f) => {
    location.hash = f;
  }, shareFragment(day));
  await eventually(async () => assert.equal(await playground.timeMs(), 86_400_000), {
    timeout: 60_000,
    what: 'the day replayed',
  });
  await page.locator('.busy-layer').waitFor({ state: 'detached' });
  await playground.stopBroker(2);
  await playground.playUntil(async () => (await playground.timeMs()) >= 86_402_000, { what: 'past one day' });
  await playground.pause();
  const state = pageView(await playground.state());
  const file = await playground.export();
  const doc = JSON.parse(file.text);
  const advances = doc.steps.filter((s) => 'advance_ms' in s).map((s) => s.advance_ms);
  assert.ok(advances.every((ms) => ms <= 86_400_000), `every advance_ms within a day: ${advances}`);
  assert.equal(advances.reduce((a, b) => a + b, 0), state.timeMs);
  assert.deepEqual(validationMessages(file.text), [], 'the export is a valid scenario');
  await playground.addBroker();
  await playground.import(file.name, file.text);
  await eventually(async () => assert.deepEqual(pageView(await playground.state()), state), {
    timeout: 60_000,
    what: 'the re-imported state',
  });
  await finish('past-one-day');
});
