// The README's picture: the playground at a busy moment, as a learner sees it at
// 1280x800. Two consumers share topic orders, a handful of keyed records have landed and
// replicated, and one record's journey is open. Run by scripts/screenshot after a build.
//
//   node e2e/tools/readme-screenshot.mjs docs/screenshot.png

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

import { startSession } from '../support/browser.mjs';
import { PlaygroundPage } from '../pages/playground-page.mjs';

const out = process.argv[2] ?? 'docs/screenshot.png';
const session = await startSession();
try {
  const page = await session.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const playground = new PlaygroundPage(page, session.baseUrl);
  await playground.open('');
  await playground.pause();
  await playground.addConsumer({ group: 'billing', name: 'c1' });
  await playground.addConsumer({ group: 'billing', name: 'c2' });
  for (const [key, value] of [
    ['alice', 'paid'],
    ['bob', 'shipped'],
    ['carol', 'paid'],
    ['dave', 'new'],
    ['erin', 'paid'],
    ['frank', 'new'],
  ]) {
    await playground.produce({ key, value, client: 'java' });
  }
  await playground.setSpeed('1');
  await playground.play();
  // Long enough for the group to settle and the records to replicate, short enough
  // that messages are still flying.
  await page.waitForTimeout(12_000);
  await playground.pause();
  await mkdir(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`Wrote ${out}`);
} finally {
  await session.close();
}
