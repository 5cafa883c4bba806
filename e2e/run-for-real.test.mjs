// Behaviour: "Run this on a real cluster" in the share menu writes the scenario as it is
// now in each format of `kafka-sim export` (issue 12, part 4), the same files the CLI
// writes for the page's own Export; each file copies and downloads; a scenario without a
// topic says why there is nothing to run.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { exportFiles } from './support/cli.mjs';
import { usePlayground } from './support/fixtures.mjs';
import { shareFragment } from './support/scenarios.mjs';

const open = usePlayground();

async function openRunForReal(playground) {
  await playground.openShare();
  await playground.openFold('details.run-for-real');
}

async function shownFiles(page) {
  return page.locator('details.run-for-real .exported-file').evaluateAll((files) =>
    files.map((f) => ({ path: f.dataset.path, text: f.querySelector('textarea').value })),
  );
}

test('Each format shows the files kafka-sim export writes for the same scenario', async () => {
  const { page, playground, problems, finish } = await open();
  await playground.produce({ key: 'user-42', value: 'for real' });
  await playground.stopBroker(2);
  await playground.playUntil(async () => (await playground.timeMs()) >= 1_000, { what: '1 s' });
  await playground.pause();
  const scenario = (await playground.export()).text;
  await openRunForReal(playground);
  const picker = page.locator('#export-format');
  const formats = await picker.locator('option').evaluateAll((o) => o.map((x) => x.value));
  assert.deepEqual(formats, ['compose', 'topics', 'java', 'dotnet', 'librdkafka']);
  for (const format of formats) {
    await picker.selectOption(format);
    await page.locator('details.run-for-real code', { hasText: `--to ${format}` }).waitFor();
    const shown = await shownFiles(page);
    assert.deepEqual(shown, exportFiles(format, scenario), `${format}: the CLI's files`);
  }
  await page.screenshot({ path: 'e2e/artifacts/run-for-real.png' });
  assert.deepEqual(problems, []);
  await finish('run-for-real');
});

test('A file downloads under a flat name with the text shown, and copies', async () => {
  const { page, playground, finish } = await open();
  await openRunForReal(playground);
  await page.locator('#export-format').selectOption('dotnet');
  const first = page.locator('details.run-for-real .exported-file').first();
  const path = await first.getAttribute('data-path');
  assert.match(path, /\//, `a .NET file sits in a folder: ${path}`);
  const shown = await first.locator('textarea').inputValue();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    first.getByRole('button', { name: `Download ${path}` }).click(),
  ]);
  assert.equal(download.suggestedFilename(), path.replaceAll('/', '-'));
  const chunks = [];
  for await (const c of await download.createReadStream()) chunks.push(c);
  assert.equal(Buffer.concat(chunks).toString('utf8'), shown);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await first.getByRole('button', { name: `Copy ${path}` }).click();
  await page.locator('.toast', { hasText: `${path} copied.` }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shown);
  await finish('run-for-real-download');
});

test('A scenario without a topic says there is nothing to run, and offers no file', async () => {
  const { page, playground, finish } = await open();
  await page.evaluate((f) => {
    location.hash = f;
  }, shareFragment({ version: 1, cluster: { brokers: 2 } }));
  await page.locator('[data-testid=broker-2]').waitFor();
  await page.locator('[data-testid^="partition-"]').first().waitFor({ state: 'detached' });
  await openRunForReal(playground);
  await page.locator('details.run-for-real .export-refused', { hasText: 'nothing to export' }).waitFor();
  assert.equal(await page.locator('details.run-for-real .exported-file').count(), 0);
  await finish('run-for-real-nothing');
});
