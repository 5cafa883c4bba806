// Behaviour: consumers in a group split the partitions as the group's assignor does;
// when one crashes, the coordinator notices after session.timeout.ms and the other
// takes its partitions. The expected assignments come from `kafka-sim run`.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { runScenario } from './support/cli.mjs';
import { cliAssignments } from './support/compare.mjs';
import { usePlayground } from './support/fixtures.mjs';
import { playgroundScenario, shareFragment } from './support/scenarios.mjs';

const open = usePlayground();
const base = playgroundScenario();
const GROUP = 'billing';

const join = (consumer) => ({ join_group: { group: GROUP, consumer, topics: ['orders'] } });

test('Two consumers split the partitions; a crash moves them to the survivor', async () => {
  const split = cliAssignments(
    runScenario({ ...base, steps: [...(base.steps ?? []), join('c1'), join('c2'), { advance_ms: 10_000 }] }),
    GROUP,
  );
  const afterCrash = cliAssignments(
    runScenario({
      ...base,
      steps: [
        ...(base.steps ?? []),
        join('c1'),
        join('c2'),
        { advance_ms: 10_000 },
        { stop_consumer: 'c1' },
        { advance_ms: 60_000 },
      ],
    }),
    GROUP,
  );
  assert.ok(split.c1.length > 0 && split.c2.length > 0, 'the engine gives both a share');
  const { playground, finish } = await open();

  await playground.addConsumer({ group: GROUP, name: 'c1' });
  await playground.addConsumer({ group: GROUP, name: 'c2' });
  await playground.playUntil(
    async () => {
      const s = await playground.state();
      return (
        JSON.stringify(s.consumers.c1?.assignment) === JSON.stringify(split.c1) &&
        JSON.stringify(s.consumers.c2?.assignment) === JSON.stringify(split.c2)
      );
    },
    { what: `the split ${JSON.stringify(split)}` },
  );
  await playground.playUntil(
    async () => (await playground.assignmentLines()) === split.c1.length + split.c2.length,
    { what: 'a line from each consumer to each partition it reads' },
  );
  const generation = (await playground.state()).groups[GROUP]?.generation;
  assert.ok(generation >= 1, `group ${GROUP} shows its generation`);

  await playground.crashConsumer('c1');
  await playground.playUntil(
    async () =>
      JSON.stringify(await playground.consumerAssignment('c2')) === JSON.stringify(afterCrash.c2),
    { what: `c2 takes ${afterCrash.c2}`, timeout: 60_000 },
  );
  await playground.playUntil(
    async () => (await playground.assignmentLines()) === afterCrash.c2.length,
    { what: 'lines only from the survivor' },
  );
  const s = await playground.state();
  assert.notEqual(s.consumers.c1.status, 'running', 'c1 is not running');
  assert.ok(s.groups[GROUP].generation > generation, 'a new generation after the rebalance');
  await finish('consumer-group');
});

test('A consumer of partitions whose rows are not drawn still has a line to each', async () => {
  // RF 3 on 3 brokers: every broker holds all 40 replicas and draws its first 32, so no
  // row of partitions 32 to 39 is drawn; their lines end at the leader's broker.
  const doc = {
    version: 1,
    seed: 1,
    cluster: { brokers: 3 },
    topics: [{ name: 'wide', partitions: 40, replication_factor: 3 }],
    steps: [{ join_group: { group: 'g', consumer: 'c1', topics: ['wide'] } }, { advance_ms: 10_000 }],
  };
  const owned = cliAssignments(runScenario(doc), 'g').c1 ?? [];
  assert.equal(owned.length, 40, 'the engine gives c1 every partition');
  const { page, playground, finish } = await open(shareFragment(doc));
  assert.equal(await page.locator('[data-testid^="log-wide-39-"]').count(), 0);
  assert.deepEqual(await playground.consumerAssignment('c1'), owned);
  await playground.playUntil(async () => (await playground.assignmentLines()) === 40, {
    what: 'a line to each of the 40 partitions',
  });
  await finish('consumer-group-wide');
});
