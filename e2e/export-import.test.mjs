// Behaviour: "Export" downloads the scenario so far as JSON, which `kafka-sim run`
// accepts and which imports back to the same state; importing an invalid file shows the
// validator's messages and keeps the state.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { runScenario, validationMessages } from './support/cli.mjs';
import { cliView, pageView } from './support/compare.mjs';
import { usePlayground } from './support/fixtures.mjs';
import { eventually } from './support/wait.mjs';

const open = usePlayground();

test('Export downloads JSON that re-imports to the same state', async () => {
  const { playground, finish } = await open();
  await playground.produce({ key: 'user-42', value: 'exported' });
  await playground.stopBroker(2);
  await playground.playUntil(async () => (await playground.timeMs()) >= 1_000, {
    what: '1 s of simulated time',
  });
  const state = pageView(await playground.state());

  const file = await playground.export();
  assert.match(file.name, /\.json$/);
  assert.deepEqual(validationMessages(file.text), [], 'the export is a valid scenario');
  assert.deepEqual(cliView(runScenario(JSON.parse(file.text))), state, 'the CLI gives the same state');

  // Change the state, then import the export: the exported state comes back.
  await playground.addBroker();
  await playground.startBroker(2);
  assert.notDeepEqual(pageView(await playground.state()), state);
  await playground.import(file.name, file.text);
  await eventually(async () => {
    assert.deepEqual(pageView(await playground.state()), state);
  }, { what: 'the imported state' });
  await finish('export-import');
});

test('Importing an invalid file shows the messages and keeps the state', async () => {
  const { playground, finish } = await open();
  await playground.stopBroker(3);
  const state = await playground.state();

  const text = JSON.stringify({
    version: 1,
    cluster: { brokers: 2 },
    topics: [{ name: 'orders', partitions: 3, replication_factor: 3 }],
  });
  const messages = validationMessages(text);
  assert.equal(messages.length, 1, messages.join(' | '));
  await playground.import('too-wide.json', text);
  await eventually(async () => {
    const a = (await playground.alerts()).join('\n');
    for (const m of messages) assert.ok(a.includes(m), `"${m}" is shown in: ${a}`);
  });
  assert.deepEqual(await playground.state(), state, 'the state is kept');

  await playground.import('broken.json', '{"version": 1,');
  const broken = validationMessages('{"version": 1,');
  await eventually(async () => {
    const a = (await playground.alerts()).join('\n');
    for (const m of broken) assert.ok(a.includes(m), `"${m}" is shown in: ${a}`);
  });
  assert.deepEqual(await playground.state(), state, 'the state is kept');
  await finish('export-import-invalid');
});
