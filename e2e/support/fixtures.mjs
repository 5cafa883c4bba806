// What every spec does around its test: one browser per spec file, a fresh page per
// test, problems collected, a screenshot saved to e2e/artifacts/.

import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { ARTIFACTS, collectProblems, startSession } from './browser.mjs';
import { PlaygroundPage } from '../pages/playground-page.mjs';

/**
 * Registers before/after hooks for a spec file and returns `open(fragment, options)`,
 * which opens the playground in a fresh page. The playground starts playing; `open`
 * pauses it so that a spec decides when time passes (`{ playing: true }` keeps it
 * playing).
 */
export function usePlayground() {
  let session;
  before(async () => {
    session = await startSession();
  });
  after(async () => {
    await session?.close();
  });

  return async function open(
    fragment = '',
    { viewport, colorScheme = 'light', reducedMotion = 'no-preference', playing = false } = {},
  ) {
    const page = await session.browser.newPage({
      viewport: viewport ?? { width: 1280, height: 900 },
      colorScheme,
      reducedMotion,
      acceptDownloads: true,
    });
    // Actions wait at most this long for their element (the page is local and fast).
    page.setDefaultTimeout(10_000);
    const problems = collectProblems(page);
    const playground = new PlaygroundPage(page, session.baseUrl);
    await playground.open(fragment);
    if (!playing) await playground.pause();
    return {
      page,
      playground,
      problems,
      /** Saves the screenshot, checks that nothing went wrong, closes the page. */
      async finish(name) {
        await playground.screenshot(join(ARTIFACTS, `${name}.png`));
        assert.deepEqual(problems, [], 'no console errors or warnings, page errors or failed requests');
        await page.close();
      },
    };
  };
}
