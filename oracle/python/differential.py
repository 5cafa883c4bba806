"""Differential test: every timing-independent scenario under scenarios/, run by the engine
(`kafka-sim run`) and by a real Apache Kafka cluster (the oracle, scripts/kafka-oracle),
compared on the fields that must agree.

A mismatch fails the test unless oracle/known-divergences.json lists it (scenario, field,
engine value, Kafka value) with its reason and Kafka's source; a listed divergence that no
longer shows up fails too, so the list stays true. The last line is "N passed, N failed".

Usage: python3 oracle/python/differential.py [--lanes N] [--keep DIR] [SCENARIO...]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
KNOWN = REPO / "oracle" / "known-divergences.json"

# Scenarios left out, each because its outcome depends on timing that a real cluster on
# one machine does not reproduce.
TIMING_DEPENDENT = {
    "groups/slow-heartbeat-answers-do-not-spin":
        "its point is a 600 ms network latency (network.latency_ms) between the consumer and "
        "the coordinator; loopback answers in well under a millisecond and the oracle adds no "
        "latency, so the heartbeat timing it checks does not arise",
}

# Real timing passes through some situations too fast to hit with wall-clock steps: on
# loopback an answer arrives within a millisecond, where the engine's crash comes while it
# travels (10 ms of simulated latency). The oracle holds the cluster there
# (FROM:TO:BROKERS:KIND[:acked], Player.Hold): from before step FROM to after step TO the
# answers a broker sends through one listener's gate (Gate.java) are held, then dropped
# as the crash drops them. Step TO can first wait for what the engine has reached by then:
# ":acked", every record produced so far has its answer; ":replicated", every running
# replica holds as many records as the fullest (on a loaded machine 50 ms may not do).
HOLDS = {
    # "Leader dies before followers fetch": a follower's fetch is a long poll that the
    # leader answers the moment R is appended. Broker 1's answers to its followers are held
    # from the produce (step 1) until it is killed (step 3); its acks=1 answer to the
    # producer is not, and the kill waits for it (librdkafka's first send to a topic may
    # take longer than the scenario's 45 ms).
    "failures/1-acks1-leader-dies-before-replicating": ["1:3:1:replication:acked"],
    # "The leader crashes after appending and replicating, before its acks=all answer
    # arrives": broker 1's answers to clients are held from the produce (step 0) until it
    # is killed (step 2); its followers fetch the record as usual, and the kill waits until
    # they have it.
    "producers/retry-duplicates-without-idempotence": ["0:2:1:clients:replicated"],
    "producers/idempotence-prevents-the-duplicate": ["0:2:1:clients:replicated"],
}

# Fields compared: brokers[].status; per record produced: partition, status, offset, error;
# per partition: leader, leader_epoch, replicas, isr, high_watermark, and each replica's
# log end offset and records (offset, key, value, leader epoch); per group: generation,
# assignor, committed, lag, each member's status and assignment; consumed. Left out, or
# compared loosely (why):
# - time_ms: the sum of advance_ms on both sides by construction.
# - isr is compared as a set: see known-divergences.json for its order.
# - consumed is compared per consumer and partition (offsets, keys, values in order): the
#   interleaving of partitions within one consumer, and of consumers, is fetch timing.
# - groups[].generation: compared; a mismatch means a different number of rebalances.
# - groups[].lag: high watermark minus committed, both compared already.


def scenario_files(selected):
    out = []
    for p in sorted((REPO / "scenarios").rglob("*.json")):
        if p.name.endswith(".expect.json") or "lessons" in p.parts:
            continue
        name = str(p.relative_to(REPO / "scenarios"))[: -len(".json")]
        if selected and name not in selected:
            continue
        out.append((name, p))
    return out


def not_playable(doc):
    """Why the oracle (oracle/src, Player.java) cannot play `doc` yet, or None."""
    for i, step in enumerate(doc.get("steps", [])):
        if not isinstance(step, dict):
            continue
        if "auto_produce" in step:
            return f"steps[{i}] is auto_produce, which the oracle cannot play yet"
        join = step.get("join_group")
        if join and join.get("client", "java") == "dotnet":
            return f"steps[{i}] joins a librdkafka (dotnet) consumer, which the oracle has not yet"
    return None


def duration_ms(doc):
    return sum(s.get("advance_ms", 0) for s in doc.get("steps", []) if isinstance(s, dict))


def shape_key(doc):
    cluster = doc["cluster"]
    cfg = {k: v for k, v in cluster.get("config", {}).items() if k != "unclean.leader.election.enable"}
    return (cluster["brokers"], json.dumps(cfg, sort_keys=True))


def plan_lanes(runs, lanes):
    """Longest first onto the least loaded lane; a lane pays a cluster start (~15 s) per shape."""
    loads = [[0.0, set(), []] for _ in range(lanes)]
    for run in sorted(runs, key=lambda r: -r["duration"]):
        def cost(lane):
            return lane[0] + run["duration"] + (0 if run["shape"] in lane[1] else 15.0)
        lane = min(loads, key=cost)
        lane[0] = cost(lane)
        lane[1].add(run["shape"])
        lane[2].append(run)
    return [sorted(l[2], key=lambda r: r["shape"]) for l in loads if l[2]]


def engine_run(kafka_sim, path):
    r = subprocess.run([kafka_sim, "run", str(path)], capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


# ---- comparison ----

def by(items, key):
    return {key(x): x for x in items}


def compare(engine, kafka):
    """The mismatches between two run outputs: (field, engine value, Kafka value)."""
    out = []

    def check(field, e, k):
        if e != k:
            out.append((field, e, k))

    for b in engine["brokers"]:
        k = by(kafka["brokers"], lambda x: x["id"]).get(b["id"], {})
        check(f"brokers[{b['id']}].status", b["status"], k.get("status"))

    for step, e in by(engine["produced"], lambda p: p["step"]).items():
        k = by(kafka["produced"], lambda p: p["step"]).get(step, {})
        for f in ("partition", "status", "offset", "error"):
            check(f"produced[step {step}].{f}", e.get(f), k.get(f))

    ktopics = by(kafka["topics"], lambda t: t["name"])
    for t in engine["topics"]:
        kt = ktopics.get(t["name"])
        if kt is None:
            check(f"topics.{t['name']}", "present", None)
            continue
        kparts = by(kt["partitions"], lambda p: p["partition"])
        for p in t["partitions"]:
            kp = kparts.get(p["partition"], {})
            where = f"topics.{t['name']}[{p['partition']}]"
            for f in ("leader", "leader_epoch", "replicas", "high_watermark"):
                check(f"{where}.{f}", p.get(f), kp.get(f))
            check(f"{where}.isr (as a set)", sorted(p["isr"]), sorted(kp.get("isr", [])))
            klogs = by(kp.get("logs", []), lambda l: l["broker"])
            for log in p["logs"]:
                kl = klogs.get(log["broker"], {})
                check(f"{where}.logs[broker {log['broker']}].log_end_offset",
                      log["log_end_offset"], kl.get("log_end_offset"))
                check(f"{where}.logs[broker {log['broker']}].records",
                      log["records"], kl.get("records"))

    kgroups = by(kafka.get("groups", []), lambda g: g["group"])
    for g in engine.get("groups", []):
        kg = kgroups.get(g["group"], {})
        where = f"groups.{g['group']}"
        for f in ("generation", "assignor", "committed", "lag"):
            check(f"{where}.{f}", g.get(f), kg.get(f))
        kmembers = by(kg.get("members", []), lambda m: m["consumer"])
        for m in g["members"]:
            km = kmembers.get(m["consumer"], {})
            check(f"{where}.members.{m['consumer']}.status", m["status"], km.get("status"))
            check(f"{where}.members.{m['consumer']}.assignment", m["assignment"], km.get("assignment"))

    def per_partition(consumed):
        acc = {}
        for c in consumed:
            acc.setdefault(f"{c['consumer']} {c['topic']}-{c['partition']}", []).append(
                [c["offset"], c["key"], c["value"]])
        return acc

    ec, kc = per_partition(engine.get("consumed", [])), per_partition(kafka.get("consumed", []))
    for key in sorted(set(ec) | set(kc)):
        check(f"consumed[{key}]", ec.get(key, []), kc.get(key, []))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lanes", type=int, default=int(os.environ.get("ORACLE_LANES", "3")))
    ap.add_argument("--keep", help="write every engine and Kafka output into this folder")
    ap.add_argument("scenarios", nargs="*")
    args = ap.parse_args()

    t_start = time.time()
    subprocess.run(["cargo", "build", "-q", "--locked", "-p", "kafka-sim-cli"], cwd=REPO, check=True)
    # Once, before the lanes start their oracles (each would otherwise check the build).
    subprocess.run([str(REPO / "scripts" / "kafka-oracle"), "--build"], cwd=REPO, check=True)
    kafka_sim = str(REPO / "target" / "debug" / "kafka-sim")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="differential-"))
    work.mkdir(parents=True, exist_ok=True)
    known = json.loads(KNOWN.read_text())["divergences"]

    runs, skipped = [], []
    for i, (name, path) in enumerate(scenario_files(set(args.scenarios))):
        if name in TIMING_DEPENDENT:
            skipped.append(name)
            continue
        doc = json.loads(path.read_text())
        why = not_playable(doc)
        if why:
            TIMING_DEPENDENT[name] = why
            skipped.append(name)
            continue
        slug = name.replace("/", "__")
        engine_file = work / f"{slug}.engine.json"
        engine_file.write_text(json.dumps(engine_run(kafka_sim, path), indent=2))
        runs.append({"name": name, "scenario": str(path), "engine": str(engine_file),
                     "out": str(work / f"{slug}.kafka.json"), "holds": HOLDS.get(name, []),
                     "tag": f"s{i}-", "duration": duration_ms(doc) / 1000.0, "shape": shape_key(doc)})

    lanes = plan_lanes(runs, max(1, args.lanes))
    results, threads = {}, []

    def lane_worker(n, lane):
        plan = work / f"lane-{n}.plan.json"
        plan.write_text(json.dumps([{k: r[k] for k in ("scenario", "engine", "out", "holds", "tag")} for r in lane]))
        log = work / f"lane-{n}.log"
        t0 = time.time()
        with open(log, "w") as f:
            rc = subprocess.run([str(REPO / "scripts" / "kafka-oracle"), "--batch", str(plan)],
                                stdout=f, stderr=subprocess.STDOUT, cwd=REPO).returncode
        results[n] = (rc, time.time() - t0, log)

    for n, lane in enumerate(lanes):
        th = threading.Thread(target=lane_worker, args=(n, lane))
        th.start()
        threads.append(th)
    for th in threads:
        th.join()

    passed = failed = 0
    for n, lane in enumerate(lanes):
        rc, secs, log = results[n]
        print(f"lane {n}: {len(lane)} scenario(s) in {secs:.1f} s (exit {rc}); log {log}")
        for line in log.read_text().splitlines():
            if line.startswith("oracle: "):
                print("   ", line[len("oracle: "):])
        if rc != 0:
            sys.stdout.write(log.read_text()[-3000:])
    for run in runs:
        name = run["name"]
        out = Path(run["out"])
        if not out.exists():
            print(f"FAIL {name}: the oracle wrote no output")
            failed += 1
            continue
        engine = json.loads(Path(run["engine"]).read_text())
        kafka = json.loads(out.read_text())
        mismatches = compare(engine, kafka)
        mine = [d for d in known if d["scenario"] == name]
        unexplained, seen = [], set()
        for field, e, k in mismatches:
            match = next((i for i, d in enumerate(mine) if d["field"] == field and d["engine"] == e
                          and (d.get("kafka_varies") or d.get("kafka") == k)), None)
            if match is None:
                unexplained.append((field, e, k))
            else:
                seen.add(match)
        stale = [d for i, d in enumerate(mine) if i not in seen and not d.get("kafka_varies")]
        if unexplained or stale:
            failed += 1
            print(f"FAIL {name}")
            for field, e, k in unexplained:
                print(f"    {field}: engine {json.dumps(e)} / Kafka {json.dumps(k)}")
            for d in stale:
                print(f"    listed in known-divergences.json but not seen: {d['field']}")
        else:
            passed += 1
            note = f" ({len(seen)} known divergence(s))" if seen else ""
            print(f"ok   {name}{note}")
    for name in skipped:
        print(f"skip {name}: {TIMING_DEPENDENT[name]}")
    print(f"differential step: {time.time() - t_start:.1f} s wall")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
