// Behaviour: every scenario the page offers loads from the list and, played past the end
// of its recording, shows the brokers, leaders, epochs, ISRs, high watermarks, log end
// offsets, the records drawn in each log and consumer groups (members, assignments, generations, committed offsets, lag)
// that `kafka-sim run` computes for the same moment, with no console errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from './support/cli.mjs';
import { cliGroups, cliView, pageView } from './support/compare.mjs';
import { usePlayground } from './support/fixtures.mjs';
import { durationMs, presetScenarios } from './support/scenarios.mjs';

const open = usePlayground();

/** What both sides show of the cluster, without the records (the page draws a few). */
function cluster(view) {
  return {
    timeMs: view.timeMs,
    brokers: view.brokers,
    partitions: view.partitions,
    leo: Object.fromEntries(Object.entries(view.logs).map(([k, l]) => [k, l.leo])),
  };
}

test('every scenario in the list loads and plays as the engine runs it', async () => {
  const { playground, finish } = await open();
  const presets = presetScenarios();
  assert.deepEqual(
    await playground.presetIds(),
    presets.map((p) => p.id),
    'the list offers the scenarios of src/presets.rs',
  );
  let recordsCompared = 0;
  for (const { id, doc } of presets) {
    await playground.loadPreset(id);
    const end = durationMs(doc);
    assert.equal(await playground.timeMs(), 0, `${id}: loaded at time zero`);
    assert.equal(await playground.timelineEndMs(), end, `${id}: the whole recording is there`);
    // To the recording's end on the timeline, then a little further: the page records
    // what happens next.
    await playground.seek(end);
    await playground.playUntil(async () => (await playground.timeMs()) > end + 300, {
      what: `the end of ${id}`,
    });
    const state = await playground.state();
    const shown = cluster(pageView(state));
    const out = runScenario({ ...doc, steps: [...(doc.steps ?? []), { advance_ms: shown.timeMs - end }] });
    const expected = cliView(out);
    assert.deepEqual(shown, cluster(expected), `${id} at ${shown.timeMs} ms`);
    // The records a row draws (its latest few) are the log's records at those offsets.
    for (const [log, { records }] of Object.entries(pageView(state).logs)) {
      const held = new Map(expected.logs[log].records.map((r) => [r.offset, r]));
      for (const r of records) {
        assert.deepEqual(r, held.get(r.offset), `${id}: ${log} offset ${r.offset}`);
        recordsCompared += 1;
      }
    }
    assert.deepEqual(
      { consumers: state.consumers, groups: state.groups },
      cliGroups(out),
      `${id}: consumer groups at ${shown.timeMs} ms`,
    );
  }
  assert.ok(recordsCompared > 0, 'the presets draw records to compare');
  await finish('presets');
});
