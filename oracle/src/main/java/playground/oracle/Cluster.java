package playground.oracle;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A KRaft cluster on 127.0.0.1: one controller process (the quorum, a single voter) and
 * one JVM per broker, each with its own log directory under a temporary directory. A
 * stopped broker is SIGKILLed; a started one is a new process on the same directory and
 * port. Every process is stopped on close, on a JVM shutdown (Ctrl-C, SIGTERM) and, through
 * {@link NodeMain}, when this JVM dies.
 */
final class Cluster implements AutoCloseable {
    static final int CONTROLLER_ID = 1000;

    private final Path dir;
    private final String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
    private final int controllerPort;
    private final Map<Integer, Integer> ports = new TreeMap<>();
    private final Map<Integer, Integer> replicationPorts = new TreeMap<>();
    private final Map<Integer, Gate> clientGates = new TreeMap<>();
    private final Map<Integer, Gate> replicationGates = new TreeMap<>();
    private final Map<Integer, Process> brokers = new TreeMap<>();
    private final Map<String, String> brokerConfig;
    private final int initialBrokers;
    private final Shape shape;
    private Process controller;
    private Admin admin;
    private final Thread hook = new Thread(this::destroyAll, "oracle-cluster-shutdown");

    /** The settings a cluster is started with: what scenarios sharing it must agree on. */
    record Shape(int brokers, Map<String, String> config) {}

    Cluster(Shape shape) throws Exception {
        this.shape = shape;
        this.initialBrokers = shape.brokers();
        this.brokerConfig = new LinkedHashMap<>(shape.config());
        this.dir = Files.createTempDirectory("kafka-oracle-");
        Runtime.getRuntime().addShutdownHook(hook);
        this.controllerPort = freePort();
        for (int id = 1; id <= shape.brokers(); id++) {
            allocate(id);
        }
        format(CONTROLLER_ID, controllerProps());
        for (int id : ports.keySet()) {
            format(id, brokerProps(id));
        }
        controller = spawn("controller", controllerProps());
        for (int id : ports.keySet()) {
            brokers.put(id, spawn("broker-" + id, brokerProps(id)));
        }
    }

    private void allocate(int id) throws IOException {
        ports.put(id, freePort());
        replicationPorts.put(id, freePort());
        clientGates.put(id, new Gate(ports.get(id), org.apache.kafka.common.protocol.ApiKeys.PRODUCE.id));
        replicationGates.put(id, new Gate(replicationPorts.get(id), org.apache.kafka.common.protocol.ApiKeys.FETCH.id));
    }

    /** The gate in front of a broker's client listener ("clients") or its replication listener ("replication"). */
    Gate gate(int broker, String listener) {
        Gate g = switch (listener) {
            case "clients" -> clientGates.get(broker);
            case "replication" -> replicationGates.get(broker);
            default -> null;
        };
        if (g == null) {
            throw new IllegalArgumentException("no " + listener + " gate for broker " + broker);
        }
        return g;
    }

    /** Waits until every broker is registered and unfenced, and the group coordinator's topic exists. */
    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                int n = admin().describeCluster().nodes().get(2, TimeUnit.SECONDS).size();
                if (n == brokers.size()) {
                    break;
                }
            } catch (Exception e) {
                // Not up yet.
            }
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster did not start within " + timeout + "; logs in " + dir);
            }
            Thread.sleep(100);
        }
    }

    private void checkAlive() {
        if (!controller.isAlive()) {
            throw new IllegalStateException("the controller exited; see " + dir.resolve("controller.log"));
        }
        brokers.forEach((id, p) -> {
            if (p != null && !p.isAlive()) {
                throw new IllegalStateException("broker " + id + " exited; see " + dir.resolve("broker-" + id + ".log"));
            }
        });
    }

    Shape shape() {
        return shape;
    }

    /**
     * Creates the group coordinator's topic (__consumer_offsets, 50 partitions) now, as
     * the first FindCoordinator does, so that the first scenario's first group does not
     * wait for it.
     */
    void warmGroups() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                admin().describeConsumerGroups(List.of("oracle-warmup")).all().get(5, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
                    return; // A coordinator answered: its partition has a leader.
                }
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** Clients reach the brokers through their gates (what the brokers advertise). */
    String bootstrap() {
        StringBuilder sb = new StringBuilder();
        for (Gate g : clientGates.values()) {
            int port = g.port();
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append("127.0.0.1:").append(port);
        }
        return sb.toString();
    }

    int port(int broker) {
        return ports.get(broker);
    }

    Collection<Integer> brokerIds() {
        return ports.keySet();
    }

    boolean running(int broker) {
        Process p = brokers.get(broker);
        return p != null && p.isAlive();
    }

    Path logDir(int broker) {
        return dir.resolve("broker-" + broker);
    }

    Path dir() {
        return dir;
    }

    synchronized Admin admin() {
        if (admin == null) {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
            p.put(AdminClientConfig.CLIENT_ID_CONFIG, "oracle-admin");
            admin = Admin.create(p);
        }
        return admin;
    }

    /** The broker crashes: SIGKILL, its log directory stays. */
    void stopBroker(int id) throws InterruptedException {
        Process p = brokers.get(id);
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A new process for the broker, on its old directory and port. */
    void startBroker(int id) throws IOException {
        if (running(id)) {
            return;
        }
        brokers.put(id, spawn("broker-" + id, brokerProps(id)));
    }

    /** A new empty broker with the next id. */
    int addBroker() throws Exception {
        int id = ports.keySet().stream().max(Integer::compare).orElse(0) + 1;
        allocate(id);
        format(id, brokerProps(id));
        brokers.put(id, spawn("broker-" + id, brokerProps(id)));
        return id;
    }

    /** SIGSTOP / SIGCONT a broker: the oracle's way to hold a situation that real timing passes through too fast. */
    void signal(int id, String sig) throws Exception {
        Process p = brokers.get(id);
        if (p != null && p.isAlive()) {
            new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start().waitFor();
        }
    }

    private final Map<String, String> clusterDefaults = new TreeMap<>();

    /**
     * A cluster-wide dynamic broker setting (kafka-configs --entity-type brokers
     * --entity-default), as a scenario's cluster.config sets it for every topic, the
     * group coordinator's __consumer_offsets included. Cleared by {@link #restoreAll}.
     */
    void setClusterDefault(String key, String value) throws Exception {
        var resource = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.BROKER, "");
        var op = new org.apache.kafka.clients.admin.AlterConfigOp(
                new org.apache.kafka.clients.admin.ConfigEntry(key, value),
                value == null ? org.apache.kafka.clients.admin.AlterConfigOp.OpType.DELETE
                        : org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET);
        admin().incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get(30, TimeUnit.SECONDS);
        if (value == null) {
            clusterDefaults.remove(key);
        } else {
            clusterDefaults.put(key, value);
        }
    }

    /** Back to the shape it started with: every broker running (added ones stay). */
    void restoreAll(Duration timeout) throws Exception {
        for (int id : ports.keySet()) {
            signal(id, "CONT");
            startBroker(id);
        }
        for (String key : List.copyOf(clusterDefaults.keySet())) {
            awaitReady(timeout);
            setClusterDefault(key, null);
        }
        for (Gate g : clientGates.values()) {
            g.releaseIfHeld();
        }
        for (Gate g : replicationGates.values()) {
            g.releaseIfHeld();
        }
        awaitReady(timeout);
    }

    private Properties common(int nodeId) {
        Properties p = new Properties();
        p.put("node.id", Integer.toString(nodeId));
        p.put("controller.quorum.voters", CONTROLLER_ID + "@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,REPLICATION:PLAINTEXT");
        // The engine does not create topics on first use; an unknown topic is an error.
        p.put("auto.create.topics.enable", "false");
        int rf = Math.min(3, initialBrokers);
        p.put("offsets.topic.replication.factor", Integer.toString(rf));
        p.put("transaction.state.log.replication.factor", Integer.toString(rf));
        p.put("transaction.state.log.min.isr", "1");
        // Shorter than Kafka's 5 s so that a stopped broker's file holds a recent high
        // watermark; it changes when the value is written down, not what it is.
        p.put("replica.high-watermark.checkpoint.interval.ms", "500");
        p.putAll(brokerConfig);
        return p;
    }

    private Properties controllerProps() {
        Properties p = common(CONTROLLER_ID);
        p.put("process.roles", "controller");
        p.put("listeners", "CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("log.dirs", dir.resolve("controller").toString());
        return p;
    }

    private Properties brokerProps(int id) {
        Properties p = common(id);
        p.put("process.roles", "broker");
        // Clients and followers each reach the broker through a gate of their own.
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + ports.get(id) + ",REPLICATION://127.0.0.1:" + replicationPorts.get(id));
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientGates.get(id).port()
                + ",REPLICATION://127.0.0.1:" + replicationGates.get(id).port());
        p.put("inter.broker.listener.name", "REPLICATION");
        p.put("log.dirs", logDir(id).toString());
        return p;
    }

    private Path writeProps(String name, Properties p) throws IOException {
        Path file = dir.resolve(name + ".properties");
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, "written by the oracle");
        }
        return file;
    }

    /** kafka-storage format, in this JVM (kafka.tools.StorageTool, as the script runs it). */
    private void format(int nodeId, Properties p) throws Exception {
        String name = nodeId == CONTROLLER_ID ? "controller" : "broker-" + nodeId;
        Path file = writeProps(name, p);
        var buf = new java.io.ByteArrayOutputStream();
        int rc = kafka.tools.StorageTool.execute(
                new String[] {"format", "-t", clusterId, "-c", file.toString()}, new PrintStream(buf));
        if (rc != 0) {
            throw new IllegalStateException("kafka-storage format " + name + " failed: " + buf);
        }
    }

    private Process spawn(String name, Properties p) throws IOException {
        Path props = writeProps(name, p);
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.add(NodeMain.class.getName());
        cmd.add("kafka.Kafka");
        cmd.add(props.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        File log = dir.resolve(name + ".log").toFile();
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        return pb.start();
    }

    /** A JVM on this JVM's class path, tuned to start fast: Kafka here moves a few records. */
    static List<String> javaCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(
                java,
                "-Xms64m",
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xss1m",
                "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + System.getProperty("oracle.kafkaLogLevel", "info"),
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-cp",
                System.getProperty("java.class.path"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private void destroyAll() {
        clientGates.values().forEach(Gate::close);
        replicationGates.values().forEach(Gate::close);
        List<Process> all = new ArrayList<>(brokers.values());
        all.add(controller);
        for (Process p : all) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
        for (Process p : all) {
            if (p != null) {
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (!Boolean.getBoolean("oracle.keep")) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // Best effort: the directory is under the system's temporary directory.
            }
        }
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // Already shutting down.
        }
    }
}
