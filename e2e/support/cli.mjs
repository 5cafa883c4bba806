// The headless command line (`kafka-sim`, crate kafka-sim-cli) as the specs' oracle:
// what the page shows must be what the same engine computes without a browser.
//
// The binary is built once per process with cargo (a no-op when it is up to date).
// Set KAFKA_SIM to a built binary to skip cargo.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { REPO } from './browser.mjs';

let binary = process.env.KAFKA_SIM ?? null;

function kafkaSim() {
  if (binary) return binary;
  execFileSync('cargo', ['build', '-q', '--locked', '-p', 'kafka-sim-cli'], {
    cwd: REPO,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const target = process.env.CARGO_TARGET_DIR ?? join(REPO, 'target');
  binary = join(target, 'debug', 'kafka-sim');
  return binary;
}

function run(args) {
  // A long run's output (every record produced) is tens of megabytes.
  return execFileSync(kafkaSim(), args, { cwd: REPO, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
}

/**
 * Where each key lands with that client's default partitioner.
 * @returns {Promise<Map<string, number>>} key → partition
 */
export function partitionsFor(client, partitions, keys) {
  const out = JSON.parse(
    run(['partition', '--client', client, '--partitions', String(partitions), '--', ...keys]),
  );
  return new Map(out.map((o) => [o.key, o.partition]));
}

/** `kafka-sim run` of a scenario document (an object): the normative output. */
export function runScenario(doc) {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-e2e-'));
  try {
    const file = join(dir, 'scenario.json');
    writeFileSync(file, JSON.stringify(doc));
    return JSON.parse(run(['run', file]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The validator's messages for a document (text), one per problem, as `kafka-sim
 * validate` prints them (exit 2); an empty list when it is valid.
 */
export function validationMessages(text) {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-e2e-'));
  try {
    const file = join(dir, 'scenario.json');
    writeFileSync(file, text);
    try {
      execFileSync(kafkaSim(), ['validate', file], { cwd: REPO, encoding: 'utf8', stdio: 'pipe' });
      return [];
    } catch (err) {
      if (err.status !== 2) throw err;
      return err.stderr
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `kafka-sim export --to FORMAT --out DIR` of a scenario document (text): each file it
 * writes, as { path, text }, in the order it lists them.
 */
export function exportFiles(format, text) {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-e2e-'));
  try {
    const file = join(dir, 'scenario.json');
    writeFileSync(file, text);
    const out = join(dir, 'out');
    const listing = run(['export', '--to', format, '--out', out, file]);
    return listing
      .split('\n')
      .filter(Boolean)
      .map((p) => ({ path: p.slice(out.length + 1), text: readFileSync(p, 'utf8') }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
