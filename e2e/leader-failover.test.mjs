// Behaviour: stopping the broker that leads a partition makes the controller elect
// another leader once the broker's session times out: the leader moves and the leader
// epoch goes up, to the leader the engine elects.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { runScenario } from './support/cli.mjs';
import { usePlayground } from './support/fixtures.mjs';
import { playgroundScenario } from './support/scenarios.mjs';

const open = usePlayground();
const scenario = playgroundScenario();

test('Stop the leader: after the session timeout another broker leads', async () => {
  const { playground, finish } = await open();
  const before = await playground.partitionState('orders', 0);
  assert.notEqual(before.leader, null, 'orders-0 has a leader');
  // The engine, given the same stop, elects this leader with this epoch.
  const out = runScenario({
    ...scenario,
    steps: [...(scenario.steps ?? []), { stop_broker: before.leader }, { advance_ms: 30_000 }],
  });
  const want = out.topics.find((t) => t.name === 'orders').partitions[0];
  assert.notEqual(want.leader, before.leader);

  await playground.stopBroker(before.leader);
  assert.equal(await playground.brokerStatus(before.leader), 'stopped');

  await playground.playUntil(
    async () => {
      const p = await playground.partitionState('orders', 0);
      return p.leader !== null && p.leader !== before.leader;
    },
    { what: 'a new leader of orders-0' },
  );
  const after = await playground.partitionState('orders', 0);
  assert.equal(after.leader, want.leader, 'the leader the engine elects');
  assert.ok(after.epoch > before.epoch, `epoch ${after.epoch} > ${before.epoch}`);
  assert.equal(after.epoch, want.leader_epoch);
  assert.ok(!after.isr.includes(before.leader), 'the stopped broker left the ISR');
  await finish('leader-failover');
});
