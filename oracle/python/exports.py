"""`kafka-sim export` checked with the real tools, against a real cluster (the oracle's):

- topics: the commands run through Kafka's own kafka-topics (org.apache.kafka.tools.TopicCommand
  from the kafka-tools jar); --describe then shows the partitions, replicas and settings;
- java: KafkaPlayground.java compiles with javac against kafka-clients and, run against
  the cluster, puts each keyed record in the partition `kafka-sim run` gives;
- librdkafka: every producer and consumer object is accepted by real librdkafka
  (confluent-kafka's Producer(conf), Consumer(conf)), and records produced through the
  producer objects land where `kafka-sim run` says;
- dotnet: each C# file parses with tree-sitter's C# grammar without an error node, and the
  properties of every ProducerConfig / ConsumerConfig initializer, turned back into
  librdkafka names, are accepted by real librdkafka;
- compose: valid YAML, the apache/kafka image of the modelled version, and every KAFKA_*
  setting a name of Kafka's own broker configuration (KafkaConfig) by the image's rule.

Run from the venv (oracle/.venv/bin/python). Last line: "N passed, N failed".
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from confluent_kafka import Consumer, Producer

REPO = Path(__file__).resolve().parents[2]
ORACLE = REPO / "oracle"
KAFKA_SIM = REPO / "target" / "debug" / "kafka-sim"
CLASSPATH = (ORACLE / "target" / "classpath.txt").read_text().strip()
JAVA = ["java", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-XX:TieredStopAtLevel=1"]

# Scenarios exported; their topics get a prefix so that they can share one cluster (a
# topic's name does not enter any partitioner).
SCENARIOS = [
    "groups/two-consumers-share-a-topic",  # .NET producer: librdkafka's crc32, 4 partitions
    "groups/redelivery-after-a-crash-without-commit",  # Java producer: murmur2, 2 partitions
    "examples/format-example",  # replica assignment, min.insync.replicas, broker settings
    "groups/eager-versus-cooperative-rebalance",  # sticky and cooperative-sticky consumers
    "failures/2-acks-all-min-isr-2",  # acks, timeouts, retries, idempotence off
]

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))


def tagged(name, doc):
    """The scenario with its topics renamed `<prefix>-<topic>`."""
    prefix = name.split("/")[-1][:12]
    ren = {t["name"]: f"{prefix}-{t['name']}" for t in doc.get("topics", [])}
    doc = json.loads(json.dumps(doc))
    for t in doc.get("topics", []):
        t["name"] = ren[t["name"]]
    for s in doc.get("steps", []):
        if "produce" in s:
            s["produce"]["topic"] = ren[s["produce"]["topic"]]
        if "join_group" in s:
            s["join_group"]["topics"] = [ren[x] for x in s["join_group"]["topics"]]
    return doc


def kafka_sim(*args, stdin=None):
    r = subprocess.run([str(KAFKA_SIM), *args], input=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"kafka-sim {' '.join(args)}: {r.stderr}")
    return r.stdout


def export(doc, fmt, out_dir=None):
    args = ["export", "--to", fmt]
    if out_dir:
        args += ["--out", str(out_dir)]
    return kafka_sim(*args, "-", stdin=json.dumps(doc))


def engine_partitions(doc):
    run = json.loads(kafka_sim("run", "-", stdin=json.dumps(doc)))
    return {p["step"]: p["partition"] for p in run["produced"] if p["key"] not in (None, "")}


def start_cluster(brokers):
    proc = subprocess.Popen(
        [*JAVA, f"-Doracle.root={ORACLE}", "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=error",
         "-cp", f"{ORACLE}/target/classes:{CLASSPATH}", "playground.oracle.Main", "--cluster", str(brokers)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line.startswith("bootstrap="):
        proc.kill()
        raise RuntimeError("the oracle's cluster did not start")
    return proc, line.strip().split("=", 1)[1]


def topic_command(bootstrap, *args):
    return subprocess.run([*JAVA, "-cp", CLASSPATH, "org.apache.kafka.tools.TopicCommand",
                           "--bootstrap-server", bootstrap, *args], capture_output=True, text=True)


def test_topics(name, doc, bootstrap, work):
    script = work / "create-topics.sh"
    script.write_text(export(doc, "topics"))
    shim = work / "bin"
    shim.mkdir(exist_ok=True)
    (shim / "kafka-topics.sh").write_text(
        "#!/bin/sh\nexec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -XX:TieredStopAtLevel=1 "
        f"-cp '{CLASSPATH}' org.apache.kafka.tools.TopicCommand \"$@\"\n")
    (shim / "kafka-topics.sh").chmod(0o755)
    env = dict(os.environ, PATH=f"{shim}:{os.environ['PATH']}", BOOTSTRAP=bootstrap)
    r = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True)
    check(f"{name}: kafka-topics accepts the topics export", r.returncode == 0, r.stderr[-500:])
    for t in doc["topics"]:
        d = topic_command(bootstrap, "--describe", "--topic", t["name"]).stdout
        parts = re.findall(r"Partition: (\d+)\s+Leader: \S+\s+Replicas: ([\d,]+)", d)
        ok = len(parts) == t.get("partitions", 1)
        if "replica_assignment" in t:
            ok = ok and [list(map(int, r.split(","))) for _, r in sorted(parts, key=lambda p: int(p[0]))] \
                == t["replica_assignment"]
        for k, v in t.get("config", {}).items():
            ok = ok and f"{k}={str(v).lower()}" in d
        rf = {len(r.split(",")) for _, r in parts}
        ok = ok and rf == {t.get("replication_factor", 1)}
        check(f"{name}: topic {t['name']} as the scenario says", ok, d)


def test_java(name, doc, bootstrap, work):
    (work / "java").mkdir(exist_ok=True)
    src = work / "java" / "KafkaPlayground.java"
    src.write_text(export(doc, "java"))
    clients = ":".join(p for p in CLASSPATH.split(":") if "kafka-clients" in p or "slf4j" in p)
    r = subprocess.run(["javac", "-cp", clients, "-d", str(work / "java"), str(src)], capture_output=True, text=True)
    check(f"{name}: javac compiles the java export against kafka-clients", r.returncode == 0, r.stderr[-800:])
    if r.returncode != 0 or not doc.get("producers"):
        return
    run = subprocess.run([*JAVA, "-cp", f"{clients}:{CLASSPATH}:{work / 'java'}", "KafkaPlayground", "produce", bootstrap],
                         capture_output=True, text=True, timeout=120)
    sent = [json.loads(l) for l in run.stdout.splitlines() if l.startswith("{")]
    expected = engine_partitions(doc)
    got = {s["step"]: s.get("partition") for s in sent if s["step"] in expected}
    check(f"{name}: the java export puts each keyed record where the playground does ({len(expected)})",
          run.returncode == 0 and got == expected and bool(expected), f"engine {expected}, Kafka {got} {run.stderr[-300:]}")


def librdkafka_conf(obj, bootstrap):
    return {**obj, "bootstrap.servers": bootstrap}


def test_librdkafka(name, doc, bootstrap):
    conf = json.loads(export(doc, "librdkafka"))
    ok, detail = True, ""
    producers = {}
    try:
        for pid, c in conf["producers"].items():
            producers[pid] = Producer(librdkafka_conf(c, bootstrap))
        for cid, c in conf["consumers"].items():
            Consumer(librdkafka_conf(c, bootstrap)).close()
    except Exception as e:  # a KafkaException names the refused property
        ok, detail = False, str(e)
    check(f"{name}: librdkafka accepts every producer and consumer object", ok, detail)
    if not ok or not producers:
        return
    expected = engine_partitions(doc)
    got = {}
    for i, s in enumerate(doc["steps"]):
        p = s.get("produce")
        if p is None or i not in expected:
            continue

        def report(err, msg, i=i):
            got[i] = None if err else msg.partition()
        producers[p["producer"]].produce(p["topic"], key=p["key"].encode(), value=(p.get("value") or "").encode(),
                                         on_delivery=report)
    for pr in producers.values():
        pr.flush(30)
    check(f"{name}: records through the librdkafka objects land where the playground says ({len(expected)})",
          got == expected and bool(expected), f"engine {expected}, librdkafka {got}")


PASCAL_ENUM = re.compile(r"^(Acks|Partitioner|AutoOffsetReset|IsolationLevel|PartitionAssignmentStrategy)\.(\w+)$")


def dotted(pascal):
    return re.sub(r"(?<!^)(?=[A-Z])", ".", pascal).lower()


def cs_value(text):
    m = PASCAL_ENUM.match(text)
    if m:
        kind, member = m.groups()
        if kind == "Acks":
            return {"All": "all", "Leader": "1", "None": "0"}[member]
        word = dotted(member).replace(".", "-" if kind == "PartitionAssignmentStrategy" else "_")
        return word
    if text.startswith('"'):
        return json.loads(text)
    return text


def test_dotnet(name, doc, work, bootstrap):
    import tree_sitter
    import tree_sitter_c_sharp
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_c_sharp.language()))
    out = work / "dotnet"
    export(doc, "dotnet", out)
    configs = []
    for cs in sorted(out.rglob("*.cs")):
        src = cs.read_bytes()
        tree = parser.parse(src)
        bad = []

        def walk(n):
            if n.type == "ERROR" or n.is_missing:
                bad.append(f"{n.type} at {n.start_point}")
            if n.type == "object_creation_expression":
                t = n.child_by_field_name("type")
                init = next((c for c in n.children if c.type == "initializer_expression"), None)
                if t is not None and init is not None and t.text.decode() in ("ProducerConfig", "ConsumerConfig"):
                    conf = {}
                    for a in init.children:
                        if a.type == "assignment_expression":
                            left = a.child_by_field_name("left").text.decode()
                            right = a.child_by_field_name("right").text.decode()
                            conf[dotted(left)] = bootstrap if right == "bootstrap" else cs_value(right)
                    configs.append((t.text.decode(), conf))
            for c in n.children:
                walk(c)
        walk(tree.root_node)
        check(f"{name}: {cs.relative_to(out)} parses as C# (tree-sitter)", not bad, ", ".join(bad[:5]))
    ok, detail = bool(configs), "no ProducerConfig/ConsumerConfig found"
    for kind, conf in configs:
        try:
            (Producer(conf) if kind == "ProducerConfig" else Consumer(conf).close())
        except Exception as e:
            ok, detail = False, f"{kind} {conf}: {e}"
    check(f"{name}: the dotnet project's {len(configs)} client configs use only properties librdkafka accepts", ok, detail)


def test_compose(name, doc, config_names):
    text = export(doc, "compose")
    try:
        y = yaml.safe_load(text)
    except yaml.YAMLError as e:
        check(f"{name}: the compose export is valid YAML", False, str(e))
        return
    services = y.get("services", {})
    n = doc["cluster"]["brokers"]
    ok = set(services) == {"controller", *(f"broker-{i}" for i in range(1, n + 1))}
    unknown = []
    for s in services.values():
        ok = ok and s["image"] == "apache/kafka:4.4.0"
        for k in s["environment"]:
            if k == "CLUSTER_ID":
                continue
            # The image's rule: KAFKA_ stripped, ___ -> '-', __ -> '_', _ -> '.', lower case.
            key = k[len("KAFKA_"):].replace("___", "\0").replace("__", "\1").replace("_", ".")
            key = key.replace("\0", "-").replace("\1", "_").lower()
            if not k.startswith("KAFKA_") or key not in config_names:
                unknown.append(k)
    check(f"{name}: the compose export is valid YAML with the image's setting names", ok and not unknown,
          f"unknown settings {unknown}")


def main():
    t0 = time.time()
    config_names = set(subprocess.run(
        [*JAVA, "-cp", f"{ORACLE}/target/classes:{CLASSPATH}", "playground.oracle.Main", "--config-names"],
        capture_output=True, text=True, check=True).stdout.split())
    r = subprocess.run([str(KAFKA_SIM), "export", "--to", "compose", "-"], input='{"version": 1, "cluster": {"brokers": 1}}',
                       capture_output=True, text=True)
    check("a scenario without topics: a clear error, exit 2, nothing written",
          r.returncode == 2 and r.stdout == "" and "nothing to export" in r.stderr, r.stderr)
    proc, bootstrap = start_cluster(3)
    print(f"cluster ready in {time.time() - t0:.1f} s")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name in SCENARIOS:
                doc = tagged(name, json.loads((REPO / "scenarios" / f"{name}.json").read_text()))
                work = Path(tmp) / name.replace("/", "__")
                work.mkdir(parents=True)
                test_compose(name, doc, config_names)
                test_topics(name, doc, bootstrap, work)
                test_java(name, doc, bootstrap, work)
                test_librdkafka(name, doc, bootstrap)
                test_dotnet(name, doc, work, bootstrap)
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
    passed = sum(results)
    print(f"exports step: {time.time() - t0:.1f} s wall")
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
