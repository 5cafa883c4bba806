package playground.oracle;

import java.io.InputStream;

/**
 * Entry point of every child process the oracle starts (controller, brokers, consumers):
 * it dies with its parent. The parent holds the write end of this process's standard
 * input; when the parent exits for any reason (even SIGKILL) the pipe closes and this
 * process halts at once, so no Kafka process outlives an oracle run.
 */
public final class NodeMain {
    private NodeMain() {}

    public static void main(String[] args) throws Exception {
        Thread watcher = new Thread(() -> {
            try {
                InputStream in = System.in;
                while (in.read() >= 0) {
                    // Keep reading: only end of file (the parent is gone) matters.
                }
            } catch (Exception ignored) {
                // A broken pipe means the same thing.
            }
            Runtime.getRuntime().halt(1);
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
        String main = args[0];
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        Class.forName(main).getMethod("main", String[].class).invoke(null, (Object) rest);
    }
}
