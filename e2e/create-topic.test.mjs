// Behaviour: "Create topic" creates a topic whose partitions appear with the replicas
// and leaders the engine places; invalid input shows the reason beside the field and
// changes nothing.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { runScenario, validationMessages } from './support/cli.mjs';
import { cliView } from './support/compare.mjs';
import { usePlayground } from './support/fixtures.mjs';
import { playgroundScenario } from './support/scenarios.mjs';
import { eventually } from './support/wait.mjs';

const open = usePlayground();
const scenario = playgroundScenario();

const withStep = (step) => ({ ...scenario, steps: [...(scenario.steps ?? []), step] });
/** The reason the engine gives for a step, without its path. */
function reasonFor(step) {
  const messages = validationMessages(JSON.stringify(withStep(step)));
  assert.equal(messages.length, 1, `one problem: ${messages.join(' | ')}`);
  return messages[0].replace(/^[^:]*: /, '');
}

test('Create topic: its partitions appear, placed as the engine places them', async () => {
  const topic = { name: 'payments', partitions: 4, replication_factor: 2 };
  const expected = cliView(runScenario(withStep({ create_topic: topic })));
  const { playground, finish } = await open();
  assert.equal(await playground.partitionsOf(topic.name).count(), 0);

  await playground.createTopic({
    name: topic.name,
    partitions: topic.partitions,
    replicationFactor: topic.replication_factor,
  });

  await eventually(async () => {
    assert.equal(await playground.partitionsOf(topic.name).count(), topic.partitions);
  }, { what: 'the new partitions appear' });
  const shown = await playground.state();
  for (let p = 0; p < topic.partitions; p++) {
    const want = expected.partitions[`${topic.name}-${p}`];
    const got = shown.partitions[`${topic.name}-${p}`];
    assert.equal(got.leader, want.leader, `${topic.name}-${p} leader`);
    assert.deepEqual([...got.isr].sort(), want.isr, `${topic.name}-${p} ISR`);
    // One replica log per replica, on the brokers the engine chose.
    const replicas = Object.keys(expected.logs).filter((k) => k.startsWith(`${topic.name}-${p}-b`));
    assert.equal(replicas.length, topic.replication_factor);
    for (const k of replicas) assert.ok(k in shown.logs, `replica log ${k} is shown`);
  }
  await finish('create-topic');
});

test('Create topic: a replication factor above the broker count is refused beside the field', async () => {
  const topic = { name: 'too-wide', partitions: 2, replication_factor: scenario.cluster.brokers + 1 };
  const reason = reasonFor({ create_topic: topic });
  const { playground, finish } = await open();
  const before = await playground.state();

  await playground.createTopic({
    name: topic.name,
    partitions: topic.partitions,
    replicationFactor: topic.replication_factor,
  });

  const error = await eventually(async () => {
    const e = await playground.fieldError('Replication factor');
    assert.ok(e, 'an alert beside "Replication factor"');
    return e;
  });
  assert.ok(error.includes(reason), `"${error}" gives the engine's reason "${reason}"`);
  assert.equal(await playground.partitionsOf(topic.name).count(), 0);
  assert.deepEqual(await playground.state(), before, 'nothing changed');
  await finish('create-topic-rf-too-high');
});

test('Create topic: an empty name is refused beside the field', async () => {
  const reason = reasonFor({ create_topic: { name: '', partitions: 1, replication_factor: 1 } });
  const { playground, finish } = await open();
  const before = await playground.state();

  await playground.createTopic({ name: '', partitions: 1, replicationFactor: 1 });

  const error = await eventually(async () => {
    const e = await playground.fieldError('Topic name');
    assert.ok(e, 'an alert beside "Topic name"');
    return e;
  });
  assert.ok(error.includes(reason), `"${error}" gives the engine's reason "${reason}"`);
  assert.deepEqual(await playground.state(), before, 'nothing changed');
  await finish('create-topic-empty-name');
});
