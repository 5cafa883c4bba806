// Waiting for the page to reach a state. The page animates simulated time, so a spec
// waits for what it expects instead of sleeping. A timeout here means the state never
// came: the last failure is reported, not the time it took.

/**
 * Calls `check` until it returns without throwing; returns what it returned.
 * @template T
 * @param {() => Promise<T> | T} check an assertion (throws while not yet true)
 * @param {{ timeout?: number, interval?: number, what?: string }} [options]
 * @returns {Promise<T>}
 */
export async function eventually(check, { timeout = 15_000, interval = 50, what = '' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const prefix = what ? `${what}: ` : '';
      last.message = `${prefix}still failing after ${timeout} ms: ${last.message}`;
      throw last;
    }
    await new Promise((ok) => setTimeout(ok, interval));
  }
}
