package playground.oracle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.MetadataResponseData;

import static playground.oracle.Clients.JSON;

/**
 * Plays one scenario document (format v1) against a running {@link Cluster} and returns
 * what {@code kafka-sim run} prints for it, read from the cluster: metadata from a broker,
 * the high watermark from ListOffsets, each replica's log from its broker's directory,
 * produced records from the clients' callbacks, groups from the Admin client and consumed
 * records from the consumers.
 *
 * <p>Simulated time becomes wall time: {@code advance_ms} waits until that many
 * milliseconds after the first step have passed (steps that take wall time, such as
 * starting a broker process, do not shift the later ones).
 *
 * <p>Topic and group names get a prefix ({@code tag}) so that scenarios can share a
 * cluster; the output gives the scenario's own names back.
 */
final class Player {
    /** SIGSTOP brokers before step {@code from} and SIGCONT them after step {@code to}. */
    /**
     * Holds the cluster in a situation real timing passes through too fast, from before
     * step {@code from} to after step {@code to}: {@code stop} SIGSTOPs the brokers'
     * processes (then SIGCONT); {@code replication} or {@code clients} holds the answers
     * the brokers send through that listener's gate (then drops them, see {@link Gate}).
     * Before step {@code to} it can wait (up to 10 s) for what the engine's scenario has
     * reached by then: {@code acked}, until every record produced so far has its answer;
     * {@code replicated}, until every running replica of every partition holds as many
     * records as the fullest one.
     */
    record Hold(int from, int to, List<Integer> brokers, String kind, String await) {
        static Hold parse(String s) {
            String[] parts = s.split(":");
            boolean ok = parts.length >= 4 && parts.length <= 5
                    && List.of("stop", "replication", "clients").contains(parts[3])
                    && (parts.length == 4 || List.of("acked", "replicated").contains(parts[4]));
            if (!ok) {
                throw new IllegalArgumentException("--hold: expected FROM:TO:BROKER[,BROKER...]:stop|replication|clients"
                        + "[:acked|:replicated], found '" + s + "'");
            }
            List<Integer> b = new ArrayList<>();
            for (String x : parts[2].split(",")) {
                b.add(Integer.parseInt(x));
            }
            return new Hold(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), b, parts[3],
                    parts.length == 5 ? parts[4] : "");
        }

        void begin(Cluster c) throws Exception {
            for (int b : brokers) {
                if (kind.equals("stop")) {
                    c.signal(b, "STOP");
                } else {
                    c.gate(b, kind).hold();
                }
            }
        }

        void end(Cluster c) throws Exception {
            for (int b : brokers) {
                if (kind.equals("stop")) {
                    c.signal(b, "CONT");
                } else {
                    c.gate(b, kind).cut();
                }
            }
        }
    }

    record Tools(Path python, Path librdkafkaScript) {}

    private static final long SETTLE_MS = 1000;

    private final Cluster cluster;
    private final JsonNode doc;
    private final JsonNode engine;
    private final String tag;
    private final List<Hold> holds;
    private final Tools tools;

    private final Map<String, Clients.Producer> producers = new LinkedHashMap<>();
    private final Map<String, Clients.ConsumerProcess> consumers = new LinkedHashMap<>();
    private final Map<String, String> consumerGroup = new HashMap<>();
    private final Map<String, String> groupAssignor = new LinkedHashMap<>();
    private final Map<Integer, Clients.Outcome> produced = new LinkedHashMap<>();
    private final List<ObjectNode> consumed = new CopyOnWriteArrayList<>();
    private final List<JsonNode> topics = new ArrayList<>();
    private final Map<Integer, Boolean> brokerUp = new LinkedHashMap<>();
    private final java.util.Set<String> producedTo = new java.util.HashSet<>();

    Player(Cluster cluster, JsonNode doc, JsonNode engineOutput, String tag, List<Hold> holds, Tools tools) {
        this.cluster = cluster;
        this.doc = doc;
        this.engine = engineOutput;
        this.tag = tag;
        this.holds = holds;
        this.tools = tools;
    }

    private String t(String name) {
        return tag + name;
    }

    private String untag(String name) {
        return name.startsWith(tag) ? name.substring(tag.length()) : name;
    }

    ObjectNode play() throws Exception {
        try {
            for (int id : cluster.brokerIds()) {
                brokerUp.put(id, true);
            }
            JsonNode unclean = doc.path("cluster").path("config").path(Main.UNCLEAN);
            if (!unclean.isMissingNode()) {
                cluster.setClusterDefault(Main.UNCLEAN, unclean.asText());
            }
            for (JsonNode topic : doc.path("topics")) {
                createTopic(topic);
            }
            startClients();
            if (!topics.isEmpty()) {
                // The engine's followers fetch from time 0. A real follower of a new topic
                // joins its fetcher's session at its next fetch, up to
                // replica.fetch.wait.max.ms (500) after the leader is known: start the clock
                // once that has passed.
                Thread.sleep(SETTLE_MS);
            }
            long t0 = System.nanoTime();
            long simulated = 0;
            JsonNode steps = doc.path("steps");
            for (int i = 0; i < steps.size(); i++) {
                for (Hold h : holds) {
                    if (h.from() == i) {
                        h.begin(cluster);
                    }
                }
                for (Hold h : holds) {
                    if (h.to() == i && !h.await().isEmpty()) {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        while (!(h.await().equals("acked") ? allAnswered() : allReplicated())
                                && System.nanoTime() < deadline) {
                            Thread.sleep(1);
                        }
                    }
                }
                JsonNode step = steps.get(i);
                String kind = step.fieldNames().next();
                JsonNode body = step.get(kind);
                switch (kind) {
                    case "advance_ms" -> {
                        simulated += body.asLong();
                        long wait = t0 + TimeUnit.MILLISECONDS.toNanos(simulated) - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                    }
                    case "produce" -> produce(i, body);
                    case "stop_broker" -> {
                        cluster.stopBroker(body.asInt());
                        brokerUp.put(body.asInt(), false);
                    }
                    case "start_broker" -> {
                        cluster.startBroker(body.asInt());
                        brokerUp.put(body.asInt(), true);
                    }
                    case "add_broker" -> brokerUp.put(cluster.addBroker(), true);
                    case "create_topic" -> createTopic(body);
                    case "join_group" -> join(body);
                    case "leave_group" -> {
                        Clients.ConsumerProcess c = consumers.get(body.asText());
                        c.proc.send(JSON.createObjectNode().put("op", "leave"));
                        // The engine's consumer leaves at this instant: what the next steps
                        // produce must not reach it. Without the wait, a loaded machine let
                        // the consumer poll on and read them (stop 16's fresh-clone run).
                        c.proc.await("left", Duration.ofSeconds(30));
                        c.status = "left";
                    }
                    case "stop_consumer" -> {
                        Clients.ConsumerProcess c = consumers.get(body.asText());
                        c.proc.kill();
                        c.status = "stopped";
                    }
                    case "commit" -> consumers.get(body.asText()).proc.send(JSON.createObjectNode().put("op", "commit"));
                    default -> throw new IllegalArgumentException("steps[" + i + "]: the oracle cannot play '" + kind + "'");
                }
                for (Hold h : holds) {
                    if (h.to() == i) {
                        h.end(cluster);
                    }
                }
            }
            // The end of the script: freeze what the clients report (no answer or commit
            // after time_ms changes the output), then read the cluster.
            for (Clients.Outcome o : produced.values()) {
                o.freeze();
            }
            for (Clients.ConsumerProcess c : consumers.values()) {
                c.proc.kill();
            }
            return output(simulated);
        } finally {
            for (Clients.Producer p : producers.values()) {
                p.close();
            }
            for (Clients.ConsumerProcess c : consumers.values()) {
                c.proc.kill();
            }
        }
    }

    private boolean allAnswered() {
        return produced.values().stream().noneMatch(o -> o.status.equals("pending"));
    }

    private boolean allReplicated() throws Exception {
        MetadataResponseData md = metadata();
        for (var tm : md.topics()) {
            for (var p : tm.partitions()) {
                long max = -1;
                long min = Long.MAX_VALUE;
                for (int b : p.replicaNodes()) {
                    if (cluster.running(b)) {
                        long leo = LogFiles.read(cluster.logDir(b).resolve(tm.name() + "-" + p.partitionIndex()))
                                .logEndOffset();
                        max = Math.max(max, leo);
                        min = Math.min(min, leo);
                    }
                }
                if (min < max) {
                    return false;
                }
                Integer key = p.partitionIndex();
                boolean written = produced.values().stream()
                        .anyMatch(o -> key.equals(o.partition) || o.partition == null);
                if (written && max == 0 && producedTo.contains(tm.name())) {
                    return false; // a record on its way: not even the leader has it yet
                }
            }
        }
        return true;
    }

    private void createTopic(JsonNode topic) throws Exception {
        String name = topic.get("name").asText();
        Map<Integer, List<Integer>> assignment = new LinkedHashMap<>();
        JsonNode given = topic.get("replica_assignment");
        if (given == null) {
            given = engineReplicas(name);
        }
        for (int p = 0; p < given.size(); p++) {
            List<Integer> replicas = new ArrayList<>();
            given.get(p).forEach(r -> replicas.add(r.asInt()));
            assignment.put(p, replicas);
        }
        NewTopic nt = new NewTopic(t(name), assignment);
        Map<String, String> configs = new LinkedHashMap<>();
        topic.path("config").fields().forEachRemaining(e -> configs.put(e.getKey(), e.getValue().asText()));
        nt.configs(configs);
        cluster.admin().createTopics(List.of(nt)).all().get(30, TimeUnit.SECONDS);
        topics.add(topic);
        awaitLeaders(t(name), assignment.size());
    }

    /** The engine's placement, from its `kafka-sim run` output, for a topic the scenario places nowhere. */
    private JsonNode engineReplicas(String name) {
        if (engine == null) {
            throw new IllegalArgumentException("topic " + name + " has no replica_assignment: pass the engine's output (--engine FILE)");
        }
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode topic : engine.path("topics")) {
            if (topic.get("name").asText().equals(name)) {
                for (JsonNode p : topic.get("partitions")) {
                    out.add(p.get("replicas"));
                }
                return out;
            }
        }
        throw new IllegalArgumentException("topic " + name + " is not in the engine's output");
    }

    /** Until every running broker knows a leader for every partition. */
    private void awaitLeaders(String topic, int partitions) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        outer:
        while (System.nanoTime() < deadline) {
            for (int b : cluster.brokerIds()) {
                if (!cluster.running(b)) {
                    continue;
                }
                MetadataResponseData md = RawMetadata.fetch(cluster.port(b), List.of(topic));
                var tm = md.topics().find(topic);
                if (tm == null || tm.errorCode() != 0 || tm.partitions().size() != partitions
                        || tm.partitions().stream().anyMatch(p -> p.leaderId() < 0)) {
                    Thread.sleep(20);
                    continue outer;
                }
            }
            return;
        }
        throw new IllegalStateException("topic " + topic + " got no leaders within 30 s");
    }

    private void startClients() throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode topic : doc.path("topics")) {
            names.add(t(topic.get("name").asText()));
        }
        for (JsonNode p : doc.path("producers")) {
            String id = p.get("id").asText();
            String client = p.path("client").asText("java");
            JsonNode config = p.path("config");
            Clients.Producer prod = client.equals("dotnet")
                    ? new Clients.LibrdkafkaProducer(cluster.bootstrap(), id, config, tools.python(),
                            tools.librdkafkaScript(), cluster.dir().resolve("producer-" + tag + id + ".log"))
                    : new Clients.JavaProducer(cluster.bootstrap(), id, config);
            producers.put(id, prod);
            prod.warm(names);
        }
        for (JsonNode step : doc.path("steps")) {
            JsonNode join = step.get("join_group");
            if (join == null) {
                continue;
            }
            if (join.path("client").asText("java").equals("dotnet")) {
                throw new IllegalArgumentException("the oracle has no librdkafka consumer yet: " + join.get("consumer"));
            }
            String name = join.get("consumer").asText();
            Clients.ConsumerProcess c = new Clients.ConsumerProcess(name,
                    cluster.dir().resolve("consumer-" + tag + name + ".log"), this::consumedEvent);
            consumers.put(name, c);
            ObjectNode cmd = JSON.createObjectNode().put("op", "prepare").put("bootstrap", cluster.bootstrap());
            cmd.put("group", t(join.get("group").asText())).put("consumer", name);
            ArrayNode ts = cmd.putArray("topics");
            join.get("topics").forEach(x -> ts.add(t(x.asText())));
            cmd.set("config", join.path("config").isMissingNode() ? JSON.createObjectNode() : join.get("config"));
            c.proc.send(cmd);
        }
        for (Clients.ConsumerProcess c : consumers.values()) {
            c.proc.await("ready", Duration.ofSeconds(60));
        }
    }

    private void consumedEvent(JsonNode n) {
        // Filled in by the process's reader thread; the consumer's name is added by join().
        consumed.add((ObjectNode) n);
    }

    private void join(JsonNode body) throws Exception {
        String name = body.get("consumer").asText();
        Clients.ConsumerProcess c = consumers.get(name);
        ObjectNode cmd = JSON.createObjectNode().put("op", "join");
        String group = body.get("group").asText();
        consumerGroup.put(name, group);
        groupAssignor.putIfAbsent(group, body.path("config").path("partition.assignment.strategy").asText("range"));
        c.status = "running";
        c.proc.send(cmd);
    }

    private void produce(int step, JsonNode body) throws Exception {
        Clients.Outcome out = new Clients.Outcome();
        produced.put(step, out);
        String key = body.hasNonNull("key") ? body.get("key").asText() : null;
        String value = body.hasNonNull("value") ? body.get("value").asText() : null;
        producedTo.add(t(body.get("topic").asText()));
        producers.get(body.get("producer").asText()).send(t(body.get("topic").asText()), key, value, out);
    }

    // ---- the output, read from the cluster ----

    private ObjectNode output(long timeMs) throws Exception {
        ObjectNode out = JSON.createObjectNode();
        out.put("time_ms", timeMs);
        ArrayNode brokers = out.putArray("brokers");
        // From the process, not from the steps: a broker can stop by itself (one that cannot
        // register within initial.broker.registration.timeout.ms shuts down).
        brokerUp.forEach((id, up) ->
            brokers.addObject().put("id", id).put("status", up && cluster.running(id) ? "running" : "stopped"));
        Map<TopicPartition, Long> hw = new HashMap<>();
        ArrayNode topicsOut = out.putArray("topics");
        MetadataResponseData md = metadata();
        for (JsonNode topic : topics) {
            String name = topic.get("name").asText();
            ObjectNode to = topicsOut.addObject().put("name", name);
            ArrayNode parts = to.putArray("partitions");
            var tm = md.topics().find(t(name));
            List<MetadataResponseData.MetadataResponsePartition> ps = new ArrayList<>(tm.partitions());
            ps.sort((a, b) -> Integer.compare(a.partitionIndex(), b.partitionIndex()));
            for (var p : ps) {
                TopicPartition tp = new TopicPartition(t(name), p.partitionIndex());
                long h = highWatermark(tp, p);
                hw.put(tp, h);
                ObjectNode po = parts.addObject();
                po.put("partition", p.partitionIndex());
                if (p.leaderId() >= 0) {
                    po.put("leader", p.leaderId());
                } else {
                    po.putNull("leader");
                }
                po.put("leader_epoch", p.leaderEpoch());
                ArrayNode replicas = po.putArray("replicas");
                p.replicaNodes().forEach(replicas::add);
                ArrayNode isr = po.putArray("isr");
                p.isrNodes().forEach(isr::add);
                po.put("high_watermark", h);
                ArrayNode logs = po.putArray("logs");
                for (int b : p.replicaNodes()) {
                    LogFiles.Log log = LogFiles.read(cluster.logDir(b).resolve(t(name) + "-" + p.partitionIndex()));
                    ObjectNode lo = logs.addObject().put("broker", b).put("log_end_offset", log.logEndOffset());
                    ArrayNode recs = lo.putArray("records");
                    for (LogFiles.Rec r : log.records()) {
                        recs.addObject().put("offset", r.offset()).put("key", r.key()).put("value", r.value())
                                .put("leader_epoch", r.leaderEpoch());
                    }
                }
            }
        }
        ArrayNode producedOut = out.putArray("produced");
        JsonNode steps = doc.get("steps");
        produced.forEach((step, live) -> {
            Clients.Outcome o = live.view();
            JsonNode body = steps.get(step).get("produce");
            ObjectNode po = producedOut.addObject().put("step", step);
            po.put("producer", body.get("producer").asText()).put("topic", body.get("topic").asText());
            po.set("key", body.path("key").isMissingNode() ? JSON.nullNode() : body.get("key"));
            po.set("value", body.path("value").isMissingNode() ? JSON.nullNode() : body.get("value"));
            if (o.partition == null) {
                po.putNull("partition");
            } else {
                po.put("partition", o.partition);
            }
            po.put("status", o.status);
            if (o.offset == null) {
                po.putNull("offset");
            } else {
                po.put("offset", o.offset);
            }
            po.put("error", o.error);
        });
        out.set("groups", groups(hw));
        ArrayNode consumedOut = out.putArray("consumed");
        for (ObjectNode n : consumed) {
            ObjectNode c = consumedOut.addObject();
            c.put("consumer", n.path("consumer").asText(null));
            c.put("topic", untag(n.get("topic").asText())).put("partition", n.get("partition").asInt())
                    .put("offset", n.get("offset").asLong());
            c.set("key", n.get("key"));
            c.set("value", n.get("value"));
        }
        return out;
    }

    private MetadataResponseData metadata() throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode topic : topics) {
            names.add(t(topic.get("name").asText()));
        }
        Exception last = null;
        for (int b : cluster.brokerIds()) {
            if (!cluster.running(b)) {
                continue;
            }
            try {
                return RawMetadata.fetch(cluster.port(b), names);
            } catch (Exception e) {
                last = e;
            }
        }
        throw new IllegalStateException("no running broker answered a Metadata request", last);
    }

    /**
     * ListOffsets(latest, read_uncommitted) from the leader is the high watermark. An
     * offline partition has no leader to ask: its last ISR member's checkpoint file holds
     * the value it had (written every 500 ms here, see Cluster).
     */
    private long highWatermark(TopicPartition tp, MetadataResponseData.MetadataResponsePartition p) throws Exception {
        if (p.leaderId() >= 0) {
            try {
                return cluster.admin()
                        .listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                        .partitionResult(tp).get(5, TimeUnit.SECONDS).offset();
            } catch (Exception e) {
                // Fall back to the file below.
            }
        }
        long best = 0;
        List<Integer> from = p.isrNodes().isEmpty() ? p.replicaNodes() : p.isrNodes();
        for (int b : from) {
            Path f = cluster.logDir(b).resolve("replication-offset-checkpoint");
            if (!Files.exists(f)) {
                continue;
            }
            for (String line : Files.readAllLines(f)) {
                String[] parts = line.split(" ");
                if (parts.length == 3 && parts[0].equals(tp.topic()) && Integer.parseInt(parts[1]) == tp.partition()) {
                    best = Math.max(best, Long.parseLong(parts[2]));
                }
            }
        }
        return best;
    }

    private ArrayNode groups(Map<TopicPartition, Long> hw) throws Exception {
        ArrayNode out = JSON.createArrayNode();
        if (groupAssignor.isEmpty()) {
            return out;
        }
        List<String> tagged = groupAssignor.keySet().stream().map(this::t).toList();
        Map<String, ConsumerGroupDescription> described =
                cluster.admin().describeConsumerGroups(tagged).all().get(10, TimeUnit.SECONDS);
        for (String group : groupAssignor.keySet()) {
            ConsumerGroupDescription d = described.get(t(group));
            ObjectNode g = out.addObject().put("group", group);
            Integer written = GroupGenerations.read(cluster.bootstrap(), t(group));
            int generation = written != null ? written : consumers.values().stream()
                    .filter(c -> group.equals(consumerGroup.get(c.name)))
                    .mapToInt(c -> c.generation).max().orElse(0);
            g.put("generation", generation);
            String assignor = d != null && d.partitionAssignor() != null && !d.partitionAssignor().isEmpty()
                    ? d.partitionAssignor() : groupAssignor.get(group);
            g.put("assignor", assignor);
            Map<String, List<String>> byClient = new HashMap<>();
            if (d != null) {
                for (MemberDescription m : d.members()) {
                    List<String> a = new ArrayList<>();
                    m.assignment().topicPartitions().stream()
                            .sorted((x, y) -> x.topic().equals(y.topic())
                                    ? Integer.compare(x.partition(), y.partition()) : x.topic().compareTo(y.topic()))
                            .forEach(tp -> a.add(untag(tp.topic()) + "-" + tp.partition()));
                    byClient.put(m.clientId(), a);
                }
            }
            ArrayNode members = g.putArray("members");
            for (Clients.ConsumerProcess c : consumers.values()) {
                if (!group.equals(consumerGroup.get(c.name))) {
                    continue;
                }
                ObjectNode m = members.addObject().put("consumer", c.name).put("status", c.status);
                ArrayNode a = m.putArray("assignment");
                if (c.status.equals("running")) {
                    byClient.getOrDefault(c.name, c.assignment.stream().map(this::untagPartition).toList())
                            .forEach(a::add);
                }
            }
            Map<TopicPartition, OffsetAndMetadata> committed = cluster.admin()
                    .listConsumerGroupOffsets(t(group)).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            ObjectNode co = g.putObject("committed");
            ObjectNode lag = g.putObject("lag");
            committed.entrySet().stream()
                    .filter(e -> e.getValue() != null)
                    .sorted((x, y) -> x.getKey().topic().equals(y.getKey().topic())
                            ? Integer.compare(x.getKey().partition(), y.getKey().partition())
                            : x.getKey().topic().compareTo(y.getKey().topic()))
                    .forEach(e -> {
                        String name = untag(e.getKey().topic()) + "-" + e.getKey().partition();
                        co.put(name, e.getValue().offset());
                        lag.put(name, Optional.ofNullable(hw.get(e.getKey())).orElse(0L) - e.getValue().offset());
                    });
        }
        return out;
    }

    private String untagPartition(String tp) {
        return untag(tp);
    }
}
