// Behaviour: with the system's "reduce motion" preference the page shows steps without
// movement: a message in flight stands still (halfway along its way) while time passes,
// and the list of messages in words is open from the start. Without the preference the
// same message moves.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePlayground } from './support/fixtures.mjs';
import { shareFragment } from './support/scenarios.mjs';

const open = usePlayground();

// One broker, slow messages: a produce request takes half a simulated second to arrive.
const doc = {
  version: 1,
  seed: 1,
  network: { latency_ms: 500 },
  cluster: { brokers: 1 },
  topics: [{ name: 'orders', partitions: 1, replication_factor: 1 }],
};

/** Two pictures of the messages in flight, 300 ms of wall time apart, playing at 0.1x. */
async function picturesWhilePlaying(page, playground) {
  assert.deepEqual(
    (await playground.state()).brokers.map((b) => b.id),
    [1],
    'the link opened (one broker)',
  );
  await playground.showHeartbeats(false);
  await playground.produce({ key: 'k', value: 'v' });
  // The producer asks for metadata first; play until the produce request itself flies.
  await playground.setSpeed('0.1');
  await playground.play();
  await page.waitForFunction(
    () => document.querySelectorAll('.flights .msg.produce.req.carries:not([hidden])').length === 1,
    null,
    { timeout: 15_000 },
  );
  const first = await playground.flightsPicture();
  await page.waitForTimeout(300);
  const second = await playground.flightsPicture();
  await playground.pause();
  return [first, second];
}

test('with reduced motion, a message in flight stands still and the list is open', async () => {
  const { page, playground, finish } = await open(shareFragment(doc), { reducedMotion: 'reduce' });
  await playground.openTab('Messages');
  assert.ok(await page.locator('details.inflight').evaluate((d) => d.open), 'the list in words is open');
  const [first, second] = await picturesWhilePlaying(page, playground);
  assert.match(first, /produce/);
  assert.equal(second, first, 'nothing moved while time passed');
  await finish('reduced-motion');
});

test('without it, the same message moves', async () => {
  const { page, playground, finish } = await open(shareFragment(doc));
  await playground.openTab('Messages');
  assert.ok(!(await page.locator('details.inflight').evaluate((d) => d.open)), 'the list is closed');
  const [first, second] = await picturesWhilePlaying(page, playground);
  assert.match(first, /produce/);
  assert.notEqual(second, first, 'the message moved');
  await finish('motion');
});
