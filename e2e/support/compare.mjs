// What the page shows versus what `kafka-sim run` prints, in one shape, so that a spec
// can compare them with one deepEqual and get a readable diff.

/** The CLI's normative output as the page object's `state()` shape (without consumers). */
export function cliView(out) {
  const partitions = {};
  const logs = {};
  for (const t of out.topics) {
    for (const p of t.partitions) {
      partitions[`${t.name}-${p.partition}`] = {
        topic: t.name,
        partition: p.partition,
        leader: p.leader,
        epoch: p.leader_epoch,
        isr: [...p.isr].sort((a, b) => a - b),
        hw: p.high_watermark,
      };
      for (const log of p.logs) {
        logs[`${t.name}-${p.partition}-b${log.broker}`] = {
          leo: log.log_end_offset,
          records: log.records.map((r) => ({ offset: r.offset, key: r.key, value: r.value })),
        };
      }
    }
  }
  return {
    timeMs: out.time_ms,
    brokers: out.brokers.map((b) => ({ id: b.id, status: b.status })),
    partitions,
    logs,
  };
}

/** The page's state reduced to what the CLI prints. */
export function pageView(state) {
  const partitions = {};
  for (const [k, p] of Object.entries(state.partitions)) {
    partitions[k] = { ...p, isr: [...p.isr].sort((a, b) => a - b) };
  }
  const logs = {};
  for (const [k, l] of Object.entries(state.logs)) {
    logs[k] = {
      leo: l.leo,
      // Records a replica lost (truncated away) are shown too, marked; the CLI lists
      // only what the log holds.
      records: l.records
        .filter((r) => !r.lost)
        .map((r) => ({ offset: r.offset, key: r.key, value: r.value })),
    };
  }
  return {
    timeMs: state.timeMs,
    brokers: state.brokers.map((b) => ({ id: b.id, status: b.status })),
    partitions,
    logs,
  };
}

/** The CLI's consumer groups as `{ consumer: sorted assignment }`. */
export function cliAssignments(out, group) {
  const g = (out.groups ?? []).find((x) => x.group === group);
  if (!g) return {};
  return Object.fromEntries(g.members.map((m) => [m.consumer, [...m.assignment].sort()]));
}

/** The CLI's consumer groups in the page object's `state()` shape: `consumers` (status and
 * sorted assignment of every member) and `groups` (generation, committed offsets, lag). */
export function cliGroups(out) {
  const consumers = {};
  const groups = {};
  for (const g of out.groups ?? []) {
    for (const m of g.members) {
      consumers[m.consumer] = { status: m.status, assignment: [...m.assignment].sort() };
    }
    groups[g.group] = { generation: g.generation, committed: g.committed, lag: g.lag };
  }
  return { consumers, groups };
}
