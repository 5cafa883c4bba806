package playground.oracle;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of one broker listener: every broker advertises its listeners at
 * gates, so the oracle can hold a broker's answers in flight. On loopback a follower's
 * long-poll fetch, or a produce answer, arrives within a millisecond; the engine's
 * scenarios crash a leader while such an answer travels (10 ms of simulated latency).
 *
 * <p>The relay reads Kafka's framing (a 4-byte size, then the request header's API key
 * and correlation id). While held, a connection's first answer to a request of the gate's
 * API (Produce for clients, Fetch for followers) and every answer after it on that
 * connection (a client expects them in order) stay in the gate; answers before it, such as
 * ApiVersions and Metadata on a new connection, go through. {@link #cut()} drops what is
 * held and closes the connections, as a crash loses what was in flight.
 */
final class Gate implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final short heldApi;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean holding;
    private volatile long cutGeneration;

    Gate(int targetPort, short heldApi) throws IOException {
        this.target = targetPort;
        this.heldApi = heldApi;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "gate-" + targetPort);
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** From now on, the broker's answers stay in the gate. */
    void hold() {
        holding = true;
    }

    /** Drops the held answers, closes every connection through the gate, and opens it again. */
    void cut() {
        cutGeneration++;
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
        holding = false;
    }

    /** After a scenario that ended while holding: as {@link #cut()}, only then. */
    void releaseIfHeld() {
        if (holding) {
            cut();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket broker;
                try {
                    broker = new Socket(InetAddress.getLoopbackAddress(), target);
                } catch (IOException e) {
                    closeQuietly(client); // the broker is down: as a refused connection
                    continue;
                }
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(broker);
                long generation = cutGeneration;
                Map<Integer, Short> apiByCorrelation = new ConcurrentHashMap<>();
                pump(client.getInputStream(), broker.getOutputStream(), apiByCorrelation, false, generation, client, broker);
                pump(broker.getInputStream(), client.getOutputStream(), apiByCorrelation, true, generation, client, broker);
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    /** Relays one direction frame by frame; requests note their API, answers may be held. */
    private void pump(InputStream in, OutputStream out, Map<Integer, Short> apiByCorrelation, boolean answers,
            long generation, Socket a, Socket b) {
        Thread t = new Thread(() -> {
            DataInputStream din = new DataInputStream(in);
            boolean holdingThis = false;
            try {
                while (true) {
                    int size = din.readInt();
                    byte[] frame = new byte[size];
                    din.readFully(frame);
                    ByteBuffer body = ByteBuffer.wrap(frame);
                    if (!answers) {
                        short api = body.getShort();
                        body.getShort(); // version
                        apiByCorrelation.put(body.getInt(), api);
                    } else {
                        Short api = apiByCorrelation.remove(body.getInt());
                        holdingThis |= holding && api != null && api == heldApi;
                        while (holdingThis && holding && cutGeneration == generation) {
                            Thread.sleep(1);
                        }
                        holdingThis = false;
                    }
                    if (cutGeneration != generation) {
                        break; // cut: what was held is lost
                    }
                    synchronized (out) {
                        new DataOutputStream(out).writeInt(size);
                        out.write(frame);
                        out.flush();
                    }
                }
            } catch (IOException | InterruptedException ignored) {
                // A side closed.
            } finally {
                closeQuietly(a);
                closeQuietly(b);
                sockets.remove(a);
                sockets.remove(b);
            }
        }, "gate-pump-" + target);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // Already closed.
        }
        cut();
    }
}
