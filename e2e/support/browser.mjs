// Launches the system Chromium (Debian's /usr/bin/chromium) with playwright-core, which
// never downloads a browser. Set CHROMIUM to use another binary.

import { chromium } from 'playwright-core';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdir } from 'node:fs/promises';

import { serveDirectory } from './server.mjs';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = join(REPO, 'e2e', 'artifacts');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Starts what a spec needs: the page's server (unless BASE_URL points at one, such as
 * `trunk serve`) and a browser. Register `close` with `after`.
 * @param {{ args?: string[] }} [options] more Chromium flags (the perf scripts add some)
 */
export async function startSession({ args = [] } = {}) {
  const server = process.env.BASE_URL ? null : await serveDirectory(join(REPO, 'dist'));
  const baseUrl = process.env.BASE_URL ?? server.url;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [...ARGS, ...args],
  });
  await mkdir(ARTIFACTS, { recursive: true });
  return {
    baseUrl,
    browser,
    async close() {
      await browser.close();
      await server?.close();
    },
  };
}

/**
 * Collects everything that went wrong while a page ran: console errors and warnings,
 * uncaught exceptions, failed requests and HTTP errors. Warnings count because a learner
 * who opens the console should find it clean.
 * @returns {string[]} filled as the page runs
 */
export function collectProblems(page) {
  const problems = [];
  // A frame given a new address also drops a part of the page it was fetching on demand:
  // the dying frame's part loader logs the aborted fetch or compilation, and the page the
  // part it did not get (the same browser's doing as the aborted request below).
  let frameReplaced = false;
  const droppedPart = (text) =>
    (text.includes('Failed to fetch') && /-split\.js/.test(text)) ||
    text.includes('WebAssembly compilation aborted') ||
    text.includes('the host-page API did not load');
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') {
      const text = `console ${msg.type()}: ${msg.text()}`;
      if (!(frameReplaced && droppedPart(text))) problems.push(text);
    }
  });
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  page.on('requestfailed', (req) => {
    const error = req.failure()?.errorText ?? '';
    // A frame given a new address (the embed preview when an option changes) drops what
    // it was still fetching: that is the browser's doing, not a failure of the page.
    const replacedFrame = error === 'net::ERR_ABORTED' && req.frame() !== page.mainFrame();
    if (!replacedFrame) problems.push(`request failed: ${req.url()} ${error}`);
    else {
      frameReplaced = true;
      for (let i = problems.length - 1; i >= 0; i--) if (droppedPart(problems[i])) problems.splice(i, 1);
    }
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return problems;
}
