// Behaviour: the page loads, runs the default preset in the browser and shows its
// brokers and partitions, with no console errors.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { ARTIFACTS, REPO, collectProblems, startSession } from './support/browser.mjs';
import { PlaygroundPage } from './pages/playground-page.mjs';

// The default preset, read as written: the expectations come from the document.
const scenario = JSON.parse(
  await readFile(join(REPO, 'scenarios/examples/format-example.json'), 'utf8'),
);
const simulatedMs = scenario.steps.reduce((sum, s) => sum + (s.advance_ms ?? 0), 0);

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

async function openPlayground(colorScheme) {
  const page = await session.browser.newPage({
    viewport: { width: 1200, height: 900 },
    colorScheme,
  });
  const problems = collectProblems(page);
  const playground = new PlaygroundPage(page, session.baseUrl);
  await playground.open();
  return { page, playground, problems };
}

test('the page shows the brokers and partitions the default preset ends with', async () => {
  const { page, playground, problems } = await openPlayground('light');

  assert.ok(await playground.heading.isVisible(), 'the page heading is visible');
  assert.equal(await playground.simulatedTime.textContent(), `${simulatedMs} ms`);

  assert.equal(await playground.brokerRows.count(), scenario.cluster.brokers);
  for (let id = 1; id <= scenario.cluster.brokers; id++) {
    const broker = await playground.broker(id);
    assert.equal(broker.name, `Broker ${id}`);
    assert.match(broker.status, /^(running|stopped)$/);
  }

  for (const topic of scenario.topics) {
    assert.ok(await playground.partitionsTable(topic.name).isVisible());
    assert.equal(await playground.partitionRows(topic.name).count(), topic.partitions);
    for (let p = 0; p < topic.partitions; p++) {
      const row = await playground.partition(topic.name, p);
      const replicas = topic.replica_assignment[p].join(', ');
      assert.equal(row.replicas, replicas, `partition ${p} lists its assigned replicas`);
      assert.ok(replicas.split(', ').includes(row.leader), `partition ${p} has a leader`);
    }
  }

  await playground.screenshot(join(ARTIFACTS, 'page-loads.png'));
  // scripts/screenshot sets this to refresh the README's picture.
  if (process.env.README_SCREENSHOT) {
    await mkdir(dirname(process.env.README_SCREENSHOT), { recursive: true });
    await copyFile(join(ARTIFACTS, 'page-loads.png'), process.env.README_SCREENSHOT);
  }
  assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');
  await page.close();
});

test('the page renders in dark mode without errors', async () => {
  const { page, playground, problems } = await openPlayground('dark');
  assert.equal(await playground.brokerRows.count(), scenario.cluster.brokers);
  await playground.screenshot(join(ARTIFACTS, 'page-loads-dark.png'));
  assert.deepEqual(problems, []);
  await page.close();
});
