// Behaviour: the page opens on the playground's default scenario and shows the cluster
// the engine computes for it, in light and dark mode, with no console errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from './support/cli.mjs';
import { cliView, pageView } from './support/compare.mjs';
import { usePlayground } from './support/fixtures.mjs';
import { playgroundScenario } from './support/scenarios.mjs';

const open = usePlayground();
const scenario = playgroundScenario();
/** What the engine gives for the default scenario played for `ms`. */
const expectedAt = (ms) =>
  cliView(runScenario({ ...scenario, steps: [...(scenario.steps ?? []), { advance_ms: ms }] }));

test('the page opens on the default scenario, playing, as the engine runs it', async () => {
  const { playground, finish } = await open('', { playing: true });
  assert.ok(await playground.heading.isVisible(), 'the page heading is visible');
  assert.ok(await playground.isPlaying(), 'the playground plays from the start');
  // Paused wherever playback got to, it shows what the engine computes for that moment.
  await playground.playUntil(async () => (await playground.timeMs()) >= 1_000, {
    what: '1 s of simulated time',
  });
  const shown = pageView(await playground.state());
  assert.equal(shown.brokers.length, scenario.cluster.brokers);
  assert.deepEqual(shown, expectedAt(shown.timeMs));
  // At 1280 px every column of the topics table is in view, "Read by" included.
  await playground.openTab('Topics');
  const hidden = await playground.page.evaluate(() =>
    [...document.querySelectorAll('.topics .table-scroll')].map((el) => el.scrollWidth - el.clientWidth),
  );
  assert.ok(hidden.length > 0 && hidden.every((px) => px <= 0), `topics tables scroll sideways by ${hidden} px`);

  await finish('page-loads');
});

test('the page renders in dark mode without errors', async () => {
  const { playground, finish } = await open('', { colorScheme: 'dark' });
  const shown = pageView(await playground.state());
  assert.deepEqual(shown, expectedAt(shown.timeMs));
  await finish('page-loads-dark');
});

test('the page fits a phone-sized screen without errors', async () => {
  const { page, playground, finish } = await open('', { viewport: { width: 390, height: 844 } });
  const shown = pageView(await playground.state());
  assert.deepEqual(shown, expectedAt(shown.timeMs));
  // Nothing makes the whole page scroll sideways (wide parts scroll in their own box).
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.equal(overflow, 0, 'the page does not scroll horizontally');
  await finish('page-loads-phone');
});
