// Behaviour: "Add broker" adds a running broker with the next free id, as the engine's
// add_broker step does, and leaves the others as they were.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { runScenario } from './support/cli.mjs';
import { usePlayground } from './support/fixtures.mjs';
import { playgroundScenario } from './support/scenarios.mjs';
import { eventually } from './support/wait.mjs';

const open = usePlayground();
const scenario = playgroundScenario();

test('Add broker: a new broker box appears, running', async () => {
  const expected = runScenario({
    ...scenario,
    steps: [...(scenario.steps ?? []), { add_broker: {} }],
  }).brokers;
  const { playground, finish } = await open();
  const before = (await playground.state()).brokers;
  assert.equal(before.length, expected.length - 1);

  await playground.addBroker();

  const added = expected[expected.length - 1];
  await eventually(async () => {
    assert.equal(await playground.brokerStatus(added.id), added.status);
  }, { what: `broker ${added.id} appears` });
  const after = (await playground.state()).brokers;
  assert.deepEqual(
    after.map((b) => ({ id: b.id, status: b.status })),
    expected.map((b) => ({ id: b.id, status: b.status })),
  );
  assert.ok(await playground.broker(added.id).isVisible());
  await finish('add-broker');
});
