// Behaviour: a share link (`#scenario=` + base64url of a scenario document) opens the
// state that running the document gives (`kafka-sim run`); a broken link shows the
// validator's messages and keeps the default state.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { partitionsFor, runScenario, validationMessages } from './support/cli.mjs';
import { cliView, pageView } from './support/compare.mjs';
import { usePlayground } from './support/fixtures.mjs';
import { durationMs, playgroundScenario, shareFragment } from './support/scenarios.mjs';
import { eventually } from './support/wait.mjs';

const open = usePlayground();
const base = playgroundScenario();

/** The default scenario as the engine has it after `ms` of simulated time. */
const defaultAt = (ms) =>
  cliView(runScenario({ ...base, steps: [...(base.steps ?? []), { advance_ms: ms }] }));

/** A document with records produced by both clients and a broker stopped. */
function sharedScenario() {
  const orders = base.topics.find((t) => t.name === 'orders');
  // Stop the broker that leads the partition of "user-42" with .NET, after the record.
  const p = partitionsFor('dotnet', orders.partitions, ['user-42']).get('user-42');
  const leader = runScenario(base).topics.find((t) => t.name === 'orders').partitions[p].leader;
  return {
    ...base,
    producers: [
      ...(base.producers ?? []),
      { id: 'web-api', client: 'dotnet', config: { acks: 'all' } },
      { id: 'billing', client: 'java', config: { acks: '1' } },
    ],
    steps: [
      ...(base.steps ?? []),
      { produce: { producer: 'web-api', topic: 'orders', key: 'user-42', value: 'paid' } },
      { produce: { producer: 'billing', topic: 'orders', key: 'ключ', value: '🧾 invoice' } },
      { produce: { producer: 'billing', topic: 'orders', key: null, value: 'no key' } },
      { advance_ms: 200 },
      { stop_broker: leader },
      { advance_ms: 15_000 },
      { produce: { producer: 'web-api', topic: 'orders', key: 'user-7', value: 'after failover' } },
      { advance_ms: 1_000 },
    ],
  };
}

test('A share link opens the state that running its scenario gives', async () => {
  const doc = sharedScenario();
  const expected = cliView(runScenario(doc));
  assert.equal(expected.timeMs, durationMs(doc));
  assert.ok(expected.brokers.some((b) => b.status === 'stopped'));
  const { playground, finish } = await open(shareFragment(doc));

  await eventually(async () => {
    assert.equal(await playground.timeMs(), expected.timeMs, 'played to the end of the link');
  });
  assert.deepEqual(pageView(await playground.state()), expected);
  assert.equal(await playground.shownPreset(), '', 'the scenario list names no preset');
  await finish('share-link');
});

test('A link to an invalid scenario shows the validator messages and keeps the default', async () => {
  const invalid = {
    ...base,
    colour: 'blue',
    topics: [...base.topics, { name: '', partitions: 0, replication_factor: 1 }],
  };
  const messages = validationMessages(JSON.stringify(invalid));
  assert.ok(messages.length >= 2, `several problems: ${messages.join(' | ')}`);
  const { playground, finish } = await open(shareFragment(invalid));
  const alerts = await eventually(async () => {
    const a = (await playground.alerts()).join('\n');
    for (const m of messages) assert.ok(a.includes(m), `"${m}" is shown`);
    return a;
  });
  assert.ok(alerts.length > 0);
  const shown = pageView(await playground.state());
  assert.deepEqual(shown, defaultAt(shown.timeMs), 'the default scenario opened instead');
  assert.equal(await playground.shownPreset(), 'playground', 'the list names the default');
  await finish('share-link-invalid');
});

test('A link that is not base64url says where it breaks and keeps the default', async () => {
  const { playground, finish } = await open('#scenario=eyJ2ZXJzaW9uIjox*');
  await eventually(async () => {
    const a = (await playground.alerts()).join('\n');
    assert.ok(a.includes('not valid base64url at character 17'), a);
  });
  const shown = pageView(await playground.state());
  assert.deepEqual(shown, defaultAt(shown.timeMs), 'the default scenario opened instead');
  await finish('share-link-not-base64');
});
