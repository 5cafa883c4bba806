// Behaviour: a keyed record lands in the partition that client's partitioner picks
// (`kafka-sim partition`), in that partition's leader log, and its journey names it.
// The key is chosen (by the CLI) so that Java and .NET disagree: each client's own
// arithmetic is what is checked.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { partitionsFor } from './support/cli.mjs';
import { usePlayground } from './support/fixtures.mjs';
import { playgroundScenario } from './support/scenarios.mjs';

const open = usePlayground();
const scenario = playgroundScenario();
const topic = scenario.topics.find((t) => t.name === 'orders') ?? scenario.topics[0];

const candidates = ['user-42', ...Array.from({ length: 30 }, (_, i) => `user-${i}`)];
const java = partitionsFor('java', topic.partitions, candidates);
const dotnet = partitionsFor('dotnet', topic.partitions, candidates);
const key = candidates.find((k) => java.get(k) !== dotnet.get(k));

for (const [client, where] of [
  ['java', java],
  ['dotnet', dotnet],
]) {
  test(`Produce with ${client}: the record lands where ${client}'s partitioner puts it`, async () => {
    assert.ok(key, 'a key on which the two clients disagree');
    const expected = where.get(key);
    const value = `paid-by-${client}`;
    const { playground, finish } = await open();

    await playground.produce({ topic: topic.name, client, key, value });

    const leader = (await playground.partitionState(topic.name, expected)).leader;
    assert.notEqual(leader, null, `${topic.name}-${expected} has a leader`);
    const cell = playground
      .recordsIn(topic.name, expected, leader)
      .and(playground.page.locator(`[data-key="${key}"][data-value="${value}"]`));
    await playground.playUntil(async () => (await cell.count()) === 1, {
      what: `the record in ${topic.name}-${expected}'s leader log (broker ${leader})`,
    });
    // In no other partition.
    const state = await playground.state();
    for (const [k, log] of Object.entries(state.logs)) {
      if (k.startsWith(`${topic.name}-${expected}-b`)) continue;
      assert.ok(!log.records.some((r) => r.value === value), `not in ${k}`);
    }

    // Producing opened its journey; closed, a click on the cell opens it again.
    if (await playground.journeyPanel.count()) await playground.closeJourney();
    await playground.openJourneyOf(cell);
    assert.equal(await playground.journeyPartition(), expected, 'the journey panel shows it');
    await finish(`produce-${client}`);
  });
}
