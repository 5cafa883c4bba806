// Behaviour: the stage comes first. At 1280x800 the default scenario with a consumer
// group shows every broker, every partition log, the consumer and the narration without
// scrolling; at 390x844 the stage comes first and fits the width. axe finds no violation,
// in light and dark, before and after records are produced, in every tab of the dock.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { axeViolations } from './support/a11y.mjs';
import { usePlayground } from './support/fixtures.mjs';
import { eventually } from './support/wait.mjs';

const open = usePlayground();

/** The boxes of what `selector` finds, as plain numbers. */
function boxes(page, selector) {
  return page.evaluate(
    (s) =>
      [...document.querySelectorAll(s)].map((el) => {
        const r = el.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
      }),
    selector,
  );
}

/** Fails unless every box is inside the viewport's first screen. */
function allOnScreen(found, { width, height }, what) {
  assert.ok(found.length > 0, `${what}: none found`);
  for (const b of found) {
    assert.ok(
      b.top >= 0 && b.left >= 0 && b.bottom <= height && b.right <= width,
      `${what} at ${JSON.stringify(b)} is outside the ${width}x${height} first screen`,
    );
  }
}

test('1280x800: every broker, every log, the consumer and the narration on the first screen', async () => {
  const viewport = { width: 1280, height: 800 };
  const { page, playground, finish } = await open('', { viewport });
  await playground.addConsumer({ group: 'billing', name: 'c1' });
  await playground.produce({ key: 'alice', value: 'paid' });
  await playground.openNarration();
  await playground.playUntil(async () => (await playground.consumerAssignment('c1')).length === 3, {
    what: 'c1 owns the three partitions',
  });
  await page.evaluate(() => window.scrollTo(0, 0));
  allOnScreen(await boxes(page, 'article.broker'), viewport, 'a broker');
  const logs = await boxes(page, '.log');
  assert.equal(logs.length, 9, 'three partitions on each of three brokers');
  allOnScreen(logs, viewport, 'a partition log');
  allOnScreen(await boxes(page, '[data-testid="consumer-c1"] .consumer-head'), viewport, 'the consumer');
  allOnScreen(await boxes(page, '[role="log"]'), viewport, 'the narration');
  allOnScreen(await boxes(page, '.produce-bar'), viewport, 'the produce bar');
  await finish('stage-desktop');
});

test('390x844: the stage comes first, fits the width, and the page scrolls only down', async () => {
  const viewport = { width: 390, height: 844 };
  const { page, finish } = await open('', { viewport });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.equal(overflow, 0, 'the page does not scroll sideways');
  // The first broker and its logs are on the first screen, before the dock.
  const [firstBroker] = await boxes(page, 'article.broker');
  allOnScreen([firstBroker], viewport, 'the first broker');
  allOnScreen(await boxes(page, '[data-testid="broker-1"] .log'), viewport, "broker 1's logs");
  const [dock] = await boxes(page, '.dock');
  assert.ok(dock.top > firstBroker.bottom, 'the dock comes after the stage');
  await finish('stage-phone');
});

for (const colorScheme of ['light', 'dark']) {
  test(`axe finds no violation (${colorScheme}), before and after producing, in every tab`, async () => {
    const { page, playground, finish } = await open('', { colorScheme });
    assert.deepEqual(await axeViolations(page), [], 'at first');
    await playground.addConsumer({ group: 'billing', name: 'c1' });
    for (const key of ['alice', 'bob', 'carol']) await playground.produce({ key, value: 'paid' });
    await playground.playUntil(
      async () => Object.values((await playground.state()).logs).some((l) => l.records.length >= 3),
      { what: 'records in a log' },
    );
    await playground.pause();
    for (const tab of ['Events', 'Record', 'Topics', 'Settings', 'Messages']) {
      await playground.openTab(tab);
      assert.deepEqual(await axeViolations(page), [], `after producing, with the ${tab} tab`);
    }
    await playground.openShare();
    assert.deepEqual(await axeViolations(page), [], 'with the share menu open');
    await playground.closeShare();
    await finish(`stage-axe-${colorScheme}`);
  });
}

test('the dock is a keyboard tab list: arrows move between tabs and the panel follows', async () => {
  const { page, finish } = await open('');
  await page.getByRole('tab', { name: 'Events', exact: true }).focus();
  await page.keyboard.press('ArrowRight');
  const focused = await page.evaluate(() => document.activeElement?.textContent);
  assert.equal(focused, 'Record');
  assert.equal(
    await page.getByRole('tab', { name: 'Record', exact: true }).getAttribute('aria-selected'),
    'true',
  );
  assert.ok(await page.locator('#panel-record').isVisible(), 'the Record panel shows');
  assert.ok(!(await page.locator('#panel-narration').isVisible()), 'the Events panel hides');
  await page.keyboard.press('End');
  assert.ok(await page.locator('#panel-messages').isVisible(), 'End shows the last tab');
  await page.keyboard.press('Home');
  assert.ok(await page.locator('#panel-learn').isVisible(), 'Home shows the first tab (Learn)');
  await finish('stage-tabs');
});

test('the share menu writes the embed code of the scenario as it is, with the options chosen', async () => {
  const { page, playground, finish } = await open('');
  await playground.addBroker();
  await playground.openShare();
  await playground.openFold('details.embed-snippet');
  const code = () => page.getByLabel('Embed code', { exact: true }).inputValue();
  // The section takes the scenario when it opens (its toggle event comes a moment later).
  await eventually(async () => {
    assert.match(await code(), /^<iframe src="[^"]*\?embed#scenario=[A-Za-z0-9_-]+" width="720" height="480"/);
  }, { what: 'the embed code' });
  await page.getByLabel('theme', { exact: true }).selectOption('dark');
  await page.getByLabel('controls', { exact: true }).selectOption('none');
  const second = await code();
  assert.match(second, /\?embed&controls=none&theme=dark#scenario=/);
  // The preview is the same address, and the scenario it carries has the added broker.
  const src = await page.locator('.embed-preview iframe').getAttribute('src');
  assert.equal(`<iframe src="${src}"`, second.slice(0, second.indexOf('" width') + 1));
  const fragment = decodeURIComponent(src.slice(src.indexOf('#scenario=') + '#scenario='.length));
  const doc = JSON.parse(Buffer.from(fragment, 'base64url').toString('utf8'));
  assert.ok(doc.steps.some((s) => 'add_broker' in s), 'the embedded scenario has the broker added');
  await playground.closeShare();
  await finish('stage-embed-code');
});
