// Behaviour: the timeline goes back in time (the earlier state comes back, the
// recording is kept), and acting in the past forks the future (the recording ends now).

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { usePlayground } from './support/fixtures.mjs';
import { eventually } from './support/wait.mjs';

const open = usePlayground();

test('Drag the timeline back, then act: the earlier state, then a new future', async () => {
  const { playground, finish } = await open();
  // Some history before the stop.
  await playground.playUntil(async () => (await playground.timeMs()) >= 2_000, {
    what: '2 s of simulated time',
  });
  const stoppedAt = await playground.timeMs();
  const earlier = await playground.state();
  const victim = earlier.partitions['orders-0'].leader;
  await playground.stopBroker(victim);
  await playground.playUntil(
    async () => (await playground.partitionState('orders', 0)).leader !== victim,
    { what: 'a new leader of orders-0' },
  );
  const end = await playground.timeMs();
  // Paused: the timeline's end is where the clock stopped (after the page's last redraw).
  await eventually(async () => {
    assert.equal(await playground.timelineEndMs(), end, 'the recording ends now');
  }, { timeout: 2_000 });

  // Back to before the stop.
  const target = Math.floor(stoppedAt / 2);
  await playground.seek(target);
  const seekTo = await playground.timelineValueMs();
  assert.ok(seekTo < stoppedAt, `the timeline went back (${seekTo} ms)`);
  await eventually(async () => {
    assert.equal(await playground.timeMs(), seekTo, 'the clock shows the earlier time');
    assert.equal(await playground.brokerStatus(victim), 'running', `broker ${victim} runs again`);
  });
  assert.equal(await playground.timelineEndMs(), end, 'the recorded future is kept while replaying');
  assert.equal((await playground.partitionState('orders', 0)).leader, victim);

  // Acting in the past forks: the recorded future is gone, the recording ends now.
  await playground.addBroker();
  await eventually(async () => {
    assert.equal(await playground.timelineEndMs(), await playground.timeMs());
  });
  assert.equal(await playground.timeMs(), seekTo);
  assert.equal(await playground.brokerStatus(victim), 'running', 'the stop is no longer recorded');
  await finish('timeline-fork');
});
