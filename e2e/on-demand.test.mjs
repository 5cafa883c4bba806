// Behaviour: the page's code arrives in parts (src/on_demand.rs, scripts/split-wasm). The
// first screen fetches only its own module; a dock tab, the share menu's sections, the
// create-topic form and the lesson rules are fetched when first shown and then work as
// before; a part that fails to load says so where it would be, and "Try again" fetches it
// once the network is back, with the rest of the page working throughout.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { usePlayground } from './support/fixtures.mjs';

const open = usePlayground();

/** The on-demand parts (`<main>-split_<name>.wasm`, `<main>-chunk_<n>.wasm`) fetched. */
function partsFetched(page) {
  const parts = [];
  page.on('request', (req) => {
    const m = /-(split_[a-z_]+|chunk_\d+)\.wasm$/.exec(new URL(req.url()).pathname);
    if (m) parts.push(m[1]);
  });
  return parts;
}

test('the first screen fetches none of the parts; each comes with what shows it', async () => {
  const { page, playground, finish } = await open();
  const parts = partsFetched(page);
  await page.waitForLoadState('networkidle');
  assert.deepEqual(parts, [], 'nothing fetched on demand before anything is shown');

  await playground.openTab('Settings');
  await page.getByRole('heading', { name: 'Cluster settings' }).waitFor();
  assert.ok(parts.includes('split_dock_settings'), `Settings fetched its part: ${parts}`);

  await playground.openTab('Learn');
  await page.getByRole('heading', { name: 'Lessons' }).waitFor();
  assert.ok(parts.includes('split_learn'), `Learn fetched its part: ${parts}`);

  await playground.openShare();
  await page.getByText('Embed in a course page').waitFor();
  await page.getByText('Run this on a real cluster').waitFor();
  assert.ok(parts.includes('split_share_embed') && parts.includes('split_share_real'), `${parts}`);

  // Once fetched, a part is not fetched again.
  const before = parts.length;
  await playground.closeShare();
  await playground.openTab('Events');
  await playground.openTab('Settings');
  await playground.openShare();
  assert.equal(parts.length, before, 'nothing fetched twice');
  await finish('on-demand-parts');
});

test('a part that does not load says so, and "Try again" brings it once the network is back', async () => {
  const { page, playground } = await open();
  const blocked = /-split_dock_settings\.wasm$/;
  await page.route(blocked, (route) => route.abort('internetdisconnected'));
  await playground.openTab('Settings');
  const failed = page.getByRole('alert').filter({ hasText: 'did not load' });
  await failed.waitFor();
  assert.match(await failed.innerText(), /Try again/);

  // The rest of the page still works: the simulation steps and the stage follows.
  const t0 = await playground.timeMs();
  await playground.step();
  assert.ok((await playground.timeMs()) > t0, 'the simulation still steps');

  await page.unroute(blocked);
  await failed.getByRole('button', { name: 'Try again', exact: true }).click();
  await page.getByRole('heading', { name: 'Cluster settings' }).waitFor();
  assert.equal(await failed.count(), 0, 'the notice is gone once the part is there');
  await page.close();
});

test('a lesson whose rules do not load is refused with a notice, and opens once they do', async () => {
  const { page, playground } = await open();
  const blocked = /-split_lessons\.wasm$/;
  await page.route(blocked, (route) => route.abort('internetdisconnected'));
  await playground.openTab('Learn');
  await page.getByRole('link', { name: 'A key picks the partition', exact: true }).click();
  const notice = page.getByRole('alert').filter({ hasText: 'could not be opened' });
  await notice.waitFor();
  assert.match(await notice.innerText(), /did not load/);

  await page.unroute(blocked);
  await page.getByRole('link', { name: 'A key picks the partition', exact: true }).click();
  await page.locator('section.lesson h3', { hasText: 'A key picks the partition' }).waitFor();
  await page.close();
});
