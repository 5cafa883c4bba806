// Behaviour: the page's code arrives in parts (src/on_demand.rs, scripts/split-wasm). The
// first screen fetches only its own module; a dock tab, the share menu's sections, the
// create-topic form and the lesson rules are fetched when first shown and then work as
// before; a part that fails to load says so where it would be, and "Try again" fetches it
// once the network is back, with the rest of the page working throughout. The sticky
// assignors come with what can first bring a group that uses one (here the add-consumer
// form) and assign as the engine's CLI does; a preset is fetched when loaded.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { runScenario } from './support/cli.mjs';
import { cliGroups } from './support/compare.mjs';
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

test('cooperative-sticky consumers added from the form are assigned as the engine assigns them', async () => {
  const { page, playground, finish } = await open();
  const parts = partsFetched(page);
  await playground.pause();
  // The form's part brings the sticky assignors: the first screen has range and round
  // robin only (src/session/assignors.rs).
  for (const name of ['c1', 'c2']) {
    await playground.addConsumer({ group: 'billing', name, assignor: 'cooperative-sticky' });
  }
  assert.ok(parts.includes('split_consumer_form'), `the form fetched its part: ${parts}`);
  await playground.playUntil(
    async () => {
      const { consumers } = await playground.state();
      return ['c1', 'c2'].every((c) => consumers[c]?.assignment.length > 0);
    },
    { what: 'both consumers assigned' },
  );
  await playground.pause();
  const state = await playground.state();
  const { text } = await playground.export();
  const doc = JSON.parse(text);
  assert.equal(
    doc.steps.filter((s) => s.join_group?.config?.['partition.assignment.strategy'] === 'cooperative-sticky')
      .length,
    2,
    'both joined with cooperative-sticky',
  );
  const expected = cliGroups(runScenario(doc));
  assert.deepEqual(
    { consumers: state.consumers, groups: state.groups },
    expected,
    'the page assigns as kafka-sim run does',
  );
  const assigned = Object.values(state.consumers).flatMap((c) => c.assignment);
  assert.equal(assigned.length, 3, `every partition of orders is assigned once: ${assigned}`);
  await finish('on-demand-sticky');
});

test('a preset that does not load is refused with a notice, and nothing changes', async () => {
  const { page, playground } = await open();
  await playground.pause();
  const before = await playground.state();
  const blocked = /\/scenarios\/failures\/2-acks-all-min-isr-2\.json$/;
  await page.route(blocked, (route) => route.abort('internetdisconnected'));
  await page.getByLabel('Scenario', { exact: true }).selectOption('2-acks-all-min-isr-2');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  const notice = page.getByRole('alert').filter({ hasText: 'could not be loaded; nothing changed' });
  await notice.waitFor();
  assert.deepEqual(await playground.state(), before, 'the playground is as it was');

  await page.unroute(blocked);
  await playground.loadPreset('2-acks-all-min-isr-2');
  assert.ok(
    Object.keys((await playground.state()).partitions).some((p) => p.startsWith('payments-')),
    'the preset opened once it could be fetched',
  );
  await page.close();
});
