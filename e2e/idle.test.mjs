// Behaviour: a paused playground sleeps (asks the browser for no animation frames, so an
// embedded page costs nothing while the learner reads), and wakes at once when the
// learner acts: a step redraws the messages in flight, play moves the clock again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePlayground } from './support/fixtures.mjs';

const open = usePlayground();

test('paused and idle, the page asks for no frames; acting wakes it', async () => {
  const { page, playground, finish } = await open();
  // Paused with messages on their way (stepping on to a moment that has some).
  await playground.playUntil(async () => (await playground.timeMs()) >= 1_000, {
    what: 'a simulated second',
  });
  const inFlight = async () =>
    playground.inFlightCount();
  for (let i = 0; i < 50 && (await inFlight()) === 0; i++) await playground.step();
  assert.ok((await inFlight()) > 0, 'messages are in flight');
  await playground.waitUntilNoFrames();
  const t0 = await playground.timeMs();
  const before = await playground.flightsPicture();
  assert.notEqual(before, '', 'messages are drawn in flight while paused');

  // A step moves the clock to the next event: the sleeping loop wakes and redraws.
  await playground.step();
  await page.waitForFunction((t0) => {
    const t = Number(document.querySelector('[data-testid="clock"]')?.getAttribute('data-time-ms'));
    return t > t0;
  }, t0);
  const deadline = Date.now() + 5_000;
  while ((await playground.flightsPicture()) === before && Date.now() < deadline) {
    await page.waitForTimeout(50);
  }
  assert.notEqual(await playground.flightsPicture(), before, 'the step is drawn');
  await playground.waitUntilNoFrames();

  // Play wakes it too; pausing lets it sleep again.
  const t1 = await playground.timeMs();
  await playground.play();
  await playground.playUntil(async () => (await playground.timeMs()) > t1 + 500, {
    what: 'half a simulated second of playback',
  });
  await playground.pause();
  await playground.waitUntilNoFrames();
  await finish('idle');
});
