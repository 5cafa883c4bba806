// Scenario documents for the specs, and share links made from them.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO } from './browser.mjs';

/** A scenario file of the repository, parsed. */
export function readScenario(relativePath) {
  return JSON.parse(readFileSync(join(REPO, relativePath), 'utf8'));
}

/** The playground's default scenario (what the page shows when it opens). */
export function playgroundScenario() {
  return readScenario('scenarios/presets/playground.json');
}

/** The fragment of a share link: base64url (no padding) of the document's JSON. */
export function shareFragment(docOrText) {
  const text = typeof docOrText === 'string' ? docOrText : JSON.stringify(docOrText);
  return `#scenario=${Buffer.from(text, 'utf8').toString('base64url')}`;
}

/** Total simulated time of a document's steps. */
export function durationMs(doc) {
  return (doc.steps ?? []).reduce((sum, s) => sum + (s.advance_ms ?? 0), 0);
}

/**
 * The scenarios the page offers (src/presets.rs, read as text so that the list has one
 * source): `{ id, path, doc }` in the page's order.
 */
export function presetScenarios() {
  const source = readFileSync(join(REPO, 'src', 'presets.rs'), 'utf8');
  const found = [...source.matchAll(/id: "([^"]+)",[\s\S]*?file: "([^"]+)"/g)];
  return found.map(([, id, file]) => ({ id, path: `scenarios/${file}`, doc: readScenario(`scenarios/${file}`) }));
}
