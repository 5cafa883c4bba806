package playground.oracle;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One consumer of a scenario, in a process of its own so that {@code stop_consumer} is a
 * real process death (SIGKILL: no LeaveGroup, no last commit; the group notices after
 * {@code session.timeout.ms}). Started ahead of its {@code join_group} step so that the
 * JVM's start does not shift the scenario's clock.
 *
 * <p>Standard input, one JSON object a line: {@code {"op":"prepare",...}} (its settings), {@code {"op":"join"}} (builds and subscribes), {@code {"op":"commit"}},
 * {@code {"op":"leave"}}; end of input (the oracle is gone) halts the process. Standard
 * output, one JSON object a line: {@code ready}, {@code assigned}, {@code consumed},
 * {@code committed}, {@code left}, {@code error}.
 */
public final class ConsumerMain {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private ConsumerMain() {}

    /** Scenario assignor names (as in `partition.assignment.strategy`) to Kafka's classes. */
    static String assignorClass(String name) {
        return switch (name) {
            case "range" -> "org.apache.kafka.clients.consumer.RangeAssignor";
            case "roundrobin" -> "org.apache.kafka.clients.consumer.RoundRobinAssignor";
            case "sticky" -> "org.apache.kafka.clients.consumer.StickyAssignor";
            case "cooperative-sticky" -> "org.apache.kafka.clients.consumer.CooperativeStickyAssignor";
            default -> throw new IllegalArgumentException("unknown assignor " + name);
        };
    }

    static synchronized void emit(ObjectNode n) {
        OUT.println(n.toString());
    }

    public static void main(String[] args) throws Exception {
        System.setOut(new PrintStream(System.err, true, StandardCharsets.UTF_8));
        LinkedBlockingQueue<JsonNode> commands = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    commands.add(JSON.readTree(line));
                }
            } catch (Exception ignored) {
                // Same as end of input.
            }
            Runtime.getRuntime().halt(1);
        }, "commands");
        reader.setDaemon(true);
        reader.start();
        // The consumer is built before the scenario starts ("prepare"); "join" only subscribes.
        JsonNode join = commands.take();
        String group = join.get("group").asText();
        String name = join.get("consumer").asText();
        Properties p = baseProps(join.get("bootstrap").asText(), group, name);
        join.get("config").fields().forEachRemaining(e -> {
            String v = e.getValue().asText();
            if (e.getKey().equals("partition.assignment.strategy")) {
                v = assignorClass(v);
            }
            p.put(e.getKey(), v);
        });
        List<String> topics = new ArrayList<>();
        join.get("topics").forEach(t -> topics.add(t.asText()));

        // A first consumer, closed at once, loads and links the client's classes before the
        // scenario starts; the real one is built at its join step, because the Java
        // consumer's auto-commit clock starts when it is built (ConsumerCoordinator's
        // nextAutoCommitTimer), as the engine's starts at the join.
        Properties warm = new Properties();
        warm.putAll(p);
        warm.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        warm.remove(ConsumerConfig.GROUP_ID_CONFIG); // no group: it must not touch the scenario's
        warm.put(ConsumerConfig.CLIENT_ID_CONFIG, name + "-warmup");
        new KafkaConsumer<String, String>(warm).close(Duration.ZERO);
        emit(JSON.createObjectNode().put("ev", "ready"));
        commands.take();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(topics);
            String reported = null;
            while (true) {
                // Reported after each poll whenever it changed: a cooperative rebalance
                // revokes and adds in separate steps.
                String now = consumer.assignment().toString() + consumer.groupMetadata().generationId();
                if (!now.equals(reported)) {
                    reported = now;
                    report(consumer, "assigned");
                }
                JsonNode cmd;
                while ((cmd = commands.poll()) != null) {
                    switch (cmd.get("op").asText()) {
                        case "commit" -> {
                            consumer.commitSync();
                            emit(JSON.createObjectNode().put("ev", "committed"));
                        }
                        case "leave" -> {
                            consumer.close();
                            emit(JSON.createObjectNode().put("ev", "left"));
                            Runtime.getRuntime().halt(0);
                        }
                        default -> emit(JSON.createObjectNode().put("ev", "error").put("message", "unknown op " + cmd));
                    }
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(20))) {
                    ObjectNode n = JSON.createObjectNode().put("ev", "consumed").put("consumer", name);
                    n.put("topic", r.topic()).put("partition", r.partition()).put("offset", r.offset());
                    n.put("key", r.key()).put("value", r.value());
                    emit(n);
                }
            }
        } catch (Exception e) {
            emit(JSON.createObjectNode().put("ev", "error").put("message", e.toString()));
            throw e;
        }
    }

    private static void report(KafkaConsumer<String, String> consumer, String ev) {
        ObjectNode n = JSON.createObjectNode().put("ev", ev);
        var parts = n.putArray("partitions");
        consumer.assignment().stream()
                .sorted((a, b) -> a.topic().equals(b.topic())
                        ? Integer.compare(a.partition(), b.partition())
                        : a.topic().compareTo(b.topic()))
                .forEach(tp -> parts.add(tp.topic() + "-" + tp.partition()));
        n.put("generation", consumer.groupMetadata().generationId());
        emit(n);
    }

    private static Properties baseProps(String bootstrap, String group, String name) {
        Properties p = new Properties();
        p.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.CLIENT_ID_CONFIG, name,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        return p;
    }
}
