// Screenshots of what learners see, for looking at before calling UI work done:
// the full page at 1280x800 (light and dark) and 390x844, and the example course page
// with its 720x480 frame. Run after a build:
//
//   node e2e/tools/shots.mjs OUT_DIR [PATH_AND_QUERY]

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { startSession } from '../support/browser.mjs';

const out = process.argv[2] ?? 'e2e/artifacts/shots';
const extra = process.argv[3] ?? '';
// BUSY=1: two consumers and six keyed records first, as the README's picture has them.
const busy = process.env.BUSY === '1';

async function act(page) {
  if (!busy) return;
  const { PlaygroundPage } = await import('../pages/playground-page.mjs');
  const playground = new PlaygroundPage(page, session.baseUrl);
  await playground.addConsumer({ group: 'billing', name: 'c1' });
  await playground.addConsumer({ group: 'billing', name: 'c2' });
  for (const [key, value] of [['alice', 'paid'], ['bob', 'shipped'], ['carol', 'paid'], ['dave', 'new'], ['erin', 'paid'], ['frank', 'new']]) {
    await playground.produce({ key, value });
  }
}
await mkdir(out, { recursive: true });
const session = await startSession();
try {
  const shots = [
    ['desktop-light', { width: 1280, height: 800 }, 'light', `index.html${extra}`],
    ['desktop-dark', { width: 1280, height: 800 }, 'dark', `index.html${extra}`],
    ['phone', { width: 390, height: 844 }, 'light', `index.html${extra}`],
  ];
  for (const [name, viewport, scheme, path] of shots) {
    const page = await session.browser.newPage({ viewport, colorScheme: scheme });
    await page.goto(new URL(path, session.baseUrl).href);
    await act(page);
    await page.waitForTimeout(6000);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(out, `${name}.png`) });
    await page.close();
  }
  const host = await session.browser.newPage({ viewport: { width: 900, height: 700 } });
  await host.setContent(
    `<!doctype html><body style="font-family:sans-serif"><h1>Lesson 3: brokers</h1>` +
      `<iframe src="${new URL(`index.html?embed${extra.replace(/^\?/, '&')}`, session.baseUrl).href}" width="720" height="480"></iframe></body>`,
  );
  await host.waitForTimeout(6000);
  await host.screenshot({ path: join(out, 'frame-720x480.png') });
  console.log(`Wrote ${out}`);
} finally {
  await session.close();
}
