package playground.oracle;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static playground.oracle.Clients.JSON;

/**
 * The oracle's command line.
 *
 * <pre>
 * kafka-oracle [--engine RUN.json] [--hold FROM:TO:BROKERS:KIND[:acked]]... SCENARIO.json
 *     plays one scenario on a new cluster and prints what `kafka-sim run` prints
 * kafka-oracle --batch PLAN.json
 *     plays a list of runs ({"scenario", "engine", "holds", "out", "tag"}), reusing one
 *     cluster while consecutive scenarios need the same brokers and broker settings;
 *     each output goes to its "out" file, and timings to standard error
 * </pre>
 *
 * Errors: a message on standard error and exit status 2 for bad arguments, 1 when the
 * cluster fails.
 */
public final class Main {
    private Main() {}

    record RunSpec(Path scenario, Path engine, List<Player.Hold> holds, Path out, String tag) {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--config-names")) {
            // KafkaConfig's names, for checking an export's settings against Kafka's own list.
            kafka.server.KafkaConfig.configDef().names().stream().sorted().forEach(System.out::println);
            return;
        }
        if (args.length == 2 && args[0].equals("--cluster")) {
            serve(Integer.parseInt(args[1]));
            return;
        }
        List<RunSpec> runs = new ArrayList<>();
        boolean batch = false;
        try {
            Path engine = null;
            List<Player.Hold> holds = new ArrayList<>();
            Path scenario = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--engine" -> engine = Path.of(need(args, ++i, "--engine"));
                    case "--hold" -> holds.add(Player.Hold.parse(need(args, ++i, "--hold")));
                    case "--batch" -> {
                        batch = true;
                        for (JsonNode r : JSON.readTree(new File(need(args, ++i, "--batch")))) {
                            List<Player.Hold> hs = new ArrayList<>();
                            r.path("holds").forEach(h -> hs.add(Player.Hold.parse(h.asText())));
                            runs.add(new RunSpec(Path.of(r.get("scenario").asText()),
                                    r.hasNonNull("engine") ? Path.of(r.get("engine").asText()) : null, hs,
                                    Path.of(r.get("out").asText()), r.path("tag").asText("")));
                        }
                    }
                    default -> {
                        if (args[i].startsWith("--") || scenario != null) {
                            throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
                        }
                        scenario = Path.of(args[i]);
                    }
                }
            }
            if (!batch) {
                if (scenario == null) {
                    throw new IllegalArgumentException(
                            "usage: kafka-oracle [--engine RUN.json] [--hold FROM:TO:BROKERS:stop|replication|clients[:acked]]... SCENARIO.json | --batch PLAN.json");
                }
                runs.add(new RunSpec(scenario, engine, holds, null, ""));
            }
        } catch (Exception e) {
            System.err.println("kafka-oracle: " + e.getMessage());
            System.exit(2);
        }
        try {
            run(runs);
            System.exit(0);
        } catch (Exception e) {
            System.err.println("kafka-oracle: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /**
     * {@code --cluster N}: a cluster of N brokers for other tools (the export tests); prints
     * {@code bootstrap=HOST:PORT,...} once ready and runs until standard input closes.
     */
    private static void serve(int brokers) throws Exception {
        try (Cluster cluster = new Cluster(new Cluster.Shape(brokers, Map.of()))) {
            cluster.awaitReady(Duration.ofSeconds(60));
            cluster.warmGroups();
            System.out.println("bootstrap=" + cluster.bootstrap());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Until end of input.
            }
        }
        System.exit(0);
    }

    private static String need(String[] args, int i, String opt) {
        if (i >= args.length) {
            throw new IllegalArgumentException(opt + ": needs a value");
        }
        return args[i];
    }

    /**
     * What a cluster must be started with for this scenario: brokers and the broker
     * settings that differ from Kafka's defaults (KafkaConfig's own). The cluster-wide
     * unclean.leader.election.enable is left out: it is a dynamic setting, which the oracle
     * sets for the cluster when a scenario starts and clears after it, so scenarios that
     * differ only there share a cluster.
     */
    static Cluster.Shape shape(JsonNode doc) {
        Map<String, Object> defaults = kafka.server.KafkaConfig.configDef().defaultValues();
        Map<String, String> config = new TreeMap<>();
        doc.path("cluster").path("config").fields().forEachRemaining(e -> {
            String v = e.getValue().asText();
            if (!e.getKey().equals(UNCLEAN) && !v.equals(String.valueOf(defaults.get(e.getKey())))) {
                config.put(e.getKey(), v);
            }
        });
        return new Cluster.Shape(doc.path("cluster").path("brokers").asInt(), config);
    }

    static final String UNCLEAN = "unclean.leader.election.enable";

    static void run(List<RunSpec> runs) throws Exception {
        Path root = Path.of(System.getProperty("oracle.root", "."));
        Player.Tools tools = new Player.Tools(
                root.resolve(".venv/bin/python"), root.resolve("python/librdkafka_producer.py"));
        Cluster cluster = null;
        try {
            for (RunSpec r : runs) {
                JsonNode doc = JSON.readTree(r.scenario().toFile());
                JsonNode engine = r.engine() == null ? null : JSON.readTree(r.engine().toFile());
                Cluster.Shape shape = shape(doc);
                if (cluster == null || !cluster.shape().equals(shape)) {
                    if (cluster != null) {
                        cluster.close();
                    }
                    long t0 = System.nanoTime();
                    cluster = new Cluster(shape);
                    cluster.awaitReady(Duration.ofSeconds(60));
                    cluster.warmGroups();
                    System.err.printf("oracle: cluster of %d broker(s) %s ready in %.1f s%n",
                            shape.brokers(), shape.config(), (System.nanoTime() - t0) / 1e9);
                } else {
                    long t0 = System.nanoTime();
                    cluster.restoreAll(Duration.ofSeconds(60));
                    System.err.printf("oracle: cluster restored in %.1f s%n", (System.nanoTime() - t0) / 1e9);
                }
                long t0 = System.nanoTime();
                ObjectNode out = new Player(cluster, doc, engine, r.tag(), r.holds(), tools).play();
                String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n";
                if (r.out() == null) {
                    System.out.print(text);
                } else {
                    Files.writeString(r.out(), text);
                }
                System.err.printf("oracle: %s played in %.1f s%n", r.scenario(), (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
