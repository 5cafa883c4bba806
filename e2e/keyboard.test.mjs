// Behaviour: a learner who uses only the keyboard reaches every control with Tab, sees
// where the focus is, and operates the playground: add a broker, produce a keyed record,
// stop a broker. Controls carry Kafka's words as their accessible names.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { usePlayground } from './support/fixtures.mjs';
import { eventually } from './support/wait.mjs';

const open = usePlayground();

/** Whether the focused element shows a focus ring (an outline or a box shadow). */
function focusRing(page) {
  return page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  });
}

/**
 * Presses Tab until the focus is on the control with this role and accessible name (as
 * a screen reader announces it); fails after `limit` presses. Returns whether it shows a
 * focus ring.
 */
async function tabTo(page, role, name, limit = 400) {
  const target = page.getByRole(role, { name, exact: true });
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return focusRing(page);
  }
  throw new Error(`Tab never reached the ${role} "${name}"`);
}

test('Keyboard only: every step of a first session, with a visible focus ring', async () => {
  const { page, playground, finish } = await open();
  const brokersBefore = (await playground.state()).brokers.length;

  assert.ok(await tabTo(page, 'button', 'Add broker'), '"Add broker" shows a focus ring');
  await page.keyboard.press('Enter');
  await eventually(async () => {
    assert.equal((await playground.state()).brokers.length, brokersBefore + 1);
  }, { what: 'Enter on "Add broker" adds a broker' });

  // Back to the top, then into the producer form.
  await page.evaluate(() => document.activeElement?.blur());
  assert.ok(await tabTo(page, 'textbox', 'Key'), 'the Key field shows a focus ring');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('kb-key');
  assert.ok(await tabTo(page, 'textbox', 'Value'), 'the Value field shows a focus ring');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('typed');
  assert.ok(await tabTo(page, 'button', 'Produce'), '"Produce" shows a focus ring');
  await page.keyboard.press('Enter');
  await playground.playUntil(
    async () =>
      Object.values((await playground.state()).logs).some((l) =>
        l.records.some((r) => r.key === 'kb-key' && r.value === 'typed'),
      ),
    { what: 'the typed record in a log' },
  );

  await page.evaluate(() => document.activeElement?.blur());
  assert.ok(await tabTo(page, 'button', 'Stop broker 2'), '"Stop broker 2" shows a focus ring');
  await page.keyboard.press('Space');
  await eventually(async () => {
    assert.equal(await playground.brokerStatus(2), 'stopped');
  }, { what: 'Space on "Stop broker 2" stops it' });
  await finish('keyboard');
});
