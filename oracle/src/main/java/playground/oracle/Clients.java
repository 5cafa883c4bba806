package playground.oracle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringSerializer;

/** The real clients a scenario's producers and consumers become. */
final class Clients {
    static final ObjectMapper JSON = new ObjectMapper();

    private Clients() {}

    /** What became of one produced record: the fields of the `produced` output. */
    static final class Outcome {
        volatile Integer partition;
        volatile String status = "pending";
        volatile Long offset;
        volatile String error;
        private volatile Outcome frozen;

        /** From now on this outcome reads as it is now. */
        void freeze() {
            Outcome f = new Outcome();
            f.partition = partition;
            f.status = status;
            f.offset = offset;
            f.error = error;
            frozen = f;
        }

        Outcome view() {
            return frozen != null ? frozen : this;
        }
    }

    interface Producer extends AutoCloseable {
        void warm(List<String> topics) throws Exception;

        void send(String topic, String key, String value, Outcome out) throws Exception;

        @Override
        void close();
    }

    /** Producer settings a scenario may give, each as both clients name it. */
    static final List<String> PRODUCER_KEYS = List.of(
            "acks", "enable.idempotence", "delivery.timeout.ms", "request.timeout.ms", "retries",
            "retry.backoff.ms", "retry.backoff.max.ms", "linger.ms", "batch.size");

    /** The Apache Kafka Java producer. */
    static final class JavaProducer implements Producer {
        private final KafkaProducer<String, String> producer;

        JavaProducer(String bootstrap, String id, JsonNode config) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, id);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.fields().forEachRemaining(e -> {
                String k = e.getKey();
                String v = e.getValue().asText();
                if (k.equals("partitioner")) {
                    switch (v) {
                        case "murmur2_random" -> { } // the Java client's own default
                        case "round_robin" -> p.put(ProducerConfig.PARTITIONER_CLASS_CONFIG,
                                "org.apache.kafka.clients.producer.RoundRobinPartitioner");
                        default -> throw new IllegalArgumentException(
                                "producer " + id + ": the Java client has no partitioner '" + v + "'");
                    }
                } else if (k.equals("sticky.partitioning.linger.ms")) {
                    // librdkafka's setting; the Java client has none.
                } else if (k.equals("acks") && v.equals("-1")) {
                    p.put(k, "all");
                } else {
                    p.put(k, v);
                }
            });
            producer = new KafkaProducer<>(p);
        }

        @Override
        public void warm(List<String> topics) {
            for (String t : topics) {
                producer.partitionsFor(t);
            }
        }

        @Override
        public void send(String topic, String key, String value, Outcome out) {
            producer.send(new ProducerRecord<>(topic, key, value), (md, e) -> {
                if (md != null && md.partition() >= 0) {
                    out.partition = md.partition();
                }
                if (e == null) {
                    out.offset = md.hasOffset() ? md.offset() : null;
                    out.status = "acked";
                } else {
                    out.error = Errors.forException(e).name();
                    out.status = "failed";
                }
            });
        }

        @Override
        public void close() {
            producer.close(Duration.ZERO);
        }
    }

    /** A child process whose standard output is JSON lines, read into a queue. */
    static class LineProcess implements AutoCloseable {
        final Process process;
        private final OutputStream stdin;
        final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

        LineProcess(List<String> cmd, Path log, Consumer<JsonNode> onEvent) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            process = pb.start();
            stdin = process.getOutputStream();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        JsonNode n = JSON.readTree(line);
                        if (onEvent != null) {
                            onEvent.accept(n);
                        }
                        events.add(n);
                    }
                } catch (IOException ignored) {
                    // The process ended.
                }
            }, "reader-" + process.pid());
            t.setDaemon(true);
            t.start();
        }

        synchronized void send(ObjectNode cmd) throws IOException {
            stdin.write((cmd.toString() + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        /** The next event named `ev`, skipping others; fails after the timeout. */
        JsonNode await(String ev, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode n = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (n == null) {
                    throw new IllegalStateException("no '" + ev + "' from process " + process.pid() + " within " + timeout);
                }
                if (n.path("ev").asText().equals("error")) {
                    throw new IllegalStateException("client failed: " + n.path("message").asText());
                }
                if (n.path("ev").asText().equals(ev)) {
                    return n;
                }
            }
        }

        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            kill();
        }
    }

    /** librdkafka, the library Confluent.Kafka for .NET wraps, through confluent-kafka (Python). */
    static final class LibrdkafkaProducer implements Producer {
        private final LineProcess proc;
        private final Map<Long, Outcome> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        private long next;

        LibrdkafkaProducer(String bootstrap, String id, JsonNode config, Path python, Path script, Path log)
                throws Exception {
            ObjectNode conf = JSON.createObjectNode();
            conf.put("bootstrap.servers", bootstrap);
            conf.put("client.id", id);
            config.fields().forEachRemaining(e -> conf.put(e.getKey(), e.getValue().asText()));
            proc = new LineProcess(List.of(python.toString(), script.toString(), conf.toString()), log, n -> {
                if (n.path("ev").asText().equals("delivery")) {
                    Outcome o = outcomes.get(n.get("id").asLong());
                    if (!n.get("partition").isNull()) {
                        o.partition = n.get("partition").asInt();
                    }
                    if (n.get("error").isNull()) {
                        o.offset = n.get("offset").isNull() ? null : n.get("offset").asLong();
                        o.status = "acked";
                    } else {
                        o.error = errorName(n.get("error").asText());
                        o.status = "failed";
                    }
                }
            });
            proc.await("ready", Duration.ofSeconds(30));
        }

        /** librdkafka's local delivery timeout is reported as Kafka's REQUEST_TIMED_OUT, as the engine does. */
        static String errorName(String librdkafka) {
            return librdkafka.equals("_MSG_TIMED_OUT") ? "REQUEST_TIMED_OUT" : librdkafka;
        }

        @Override
        public void warm(List<String> topics) throws Exception {
            ObjectNode cmd = JSON.createObjectNode().put("op", "metadata");
            var arr = cmd.putArray("topics");
            topics.forEach(arr::add);
            proc.send(cmd);
            proc.await("metadata", Duration.ofSeconds(30));
        }

        @Override
        public void send(String topic, String key, String value, Outcome out) throws Exception {
            long id = next++;
            outcomes.put(id, out);
            proc.send(JSON.createObjectNode().put("op", "produce").put("id", id).put("topic", topic)
                    .put("key", key).put("value", value));
        }

        @Override
        public void close() {
            proc.kill();
        }
    }

    /** A Java consumer in a process of its own (ConsumerMain). */
    static final class ConsumerProcess {
        final String name;
        final LineProcess proc;
        volatile List<String> assignment = List.of();
        volatile int generation = -1;
        volatile String status = "not started";

        ConsumerProcess(String name, Path log, Consumer<JsonNode> onConsumed) throws IOException {
            this.name = name;
            List<String> cmd = new ArrayList<>(Cluster.javaCommand());
            // Commits and rebalances in the consumer's log, for reading a mismatch.
            cmd.add(cmd.size() - 2, "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.consumer.internals.ConsumerCoordinator=debug");
            cmd.add(ConsumerMain.class.getName());
            this.proc = new LineProcess(cmd, log, n -> {
                switch (n.path("ev").asText()) {
                    case "assigned" -> {
                        List<String> a = new ArrayList<>();
                        for (Iterator<JsonNode> it = n.get("partitions").elements(); it.hasNext(); ) {
                            a.add(it.next().asText());
                        }
                        assignment = a;
                        generation = n.get("generation").asInt();
                    }
                    case "consumed" -> onConsumed.accept(n);
                    default -> { }
                }
            });
        }
    }
}
