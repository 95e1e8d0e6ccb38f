package tapnet.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TestNamespace;

/**
 * {@code tapnet run} on a topology in a namespace made for it, started and ready (its start line printed):
 * what an IT class opens once in {@code @BeforeAll} and closes in {@code @AfterAll}, its tests reaching
 * the topology from inside the namespace ({@link #call}, {@link #exec}). {@link #close()} stops tapnet and
 * deletes the namespace; a start that fails cleans up the same way before it throws.
 */
final class RunningTopology implements AutoCloseable {
    private static final String READY = "Stop with Ctrl-C";
    private static final int READY_SECONDS = 30;

    private final TestNamespace namespace;
    private TapnetProcess tapnet;

    private RunningTopology(TestNamespace namespace) {
        this.namespace = namespace;
    }

    /** Writes {@code yaml} to {@code file} and runs tapnet on it, {@code options} (such as --control) before the file. */
    static RunningTopology start(Path file, String yaml, String... options) throws Exception {
        Files.writeString(file, yaml);
        List<String> arguments = new ArrayList<>(List.of(options));
        arguments.add(file.toString());
        return run(arguments);
    }

    /** Runs tapnet on its bundled default topology, with {@code options}. */
    static RunningTopology startDefault(String... options) throws Exception {
        return run(List.of(options));
    }

    private static RunningTopology run(List<String> arguments) throws Exception {
        RunningTopology running = new RunningTopology(TestNamespace.create());
        try {
            List<String> command = new ArrayList<>(List.of("run", "--netns", running.namespace.name()));
            command.addAll(arguments);
            running.tapnet = TapnetProcess.start(command.toArray(String[]::new));
            running.tapnet.awaitLine(READY, READY_SECONDS);
            return running;
        } catch (Exception | Error e) {
            try {
                running.close();
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    TestNamespace namespace() {
        return namespace;
    }

    TapnetProcess tapnet() {
        return tapnet;
    }

    /** Runs {@code task} on a thread inside the namespace (Java sockets reach the topology from there). */
    <T> T call(Callable<T> task) throws Exception {
        return namespace.call(task);
    }

    /** Runs {@code command} inside the namespace ({@code ip netns exec}) with a timeout. */
    ExternalCommand exec(int timeoutSeconds, String... command) {
        return namespace.exec(timeoutSeconds, command);
    }

    @Override
    public void close() throws Exception {
        try {
            if (tapnet != null) {
                tapnet.close();
            }
        } finally {
            namespace.close();
        }
    }
}
