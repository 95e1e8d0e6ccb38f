package tapnet.cli.live;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import tapnet.topology.Action;
import tapnet.tap.NetworkNamespace;

/**
 * Runs a timeline's commands ({@code run:} events) in the namespace of {@code tap} or of a port, with
 * {@code ip netns exec}, each on a thread of its own so the timeline goes on; a command that outlives its
 * timeout is killed. The future completes with {@code exit N}, or fails with why it did not finish.
 */
final class CommandRunner implements Function<Action.Run, CompletableFuture<String>> {
    /** Where each node's commands run; a null namespace is tapnet's own. */
    private final Map<String, NetworkNamespace> namespaces;

    CommandRunner(Map<String, NetworkNamespace> namespaces) {
        this.namespaces = namespaces;
    }

    @Override
    public CompletableFuture<String> apply(Action.Run run) {
        CompletableFuture<String> result = new CompletableFuture<>();
        if (!namespaces.containsKey(run.in())) {
            result.completeExceptionally(new IllegalArgumentException("no namespace for " + run.in()));
            return result;
        }
        List<String> command = new ArrayList<>();
        NetworkNamespace namespace = namespaces.get(run.in());
        if (namespace != null) {
            command.addAll(List.of("ip", "netns", "exec", namespace.name()));
        }
        command.addAll(run.command());
        Thread thread = new Thread(() -> {
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!process.waitFor(run.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                    result.completeExceptionally(new IllegalStateException("killed after its timeout of "
                            + run.timeout().toMillis() + " ms"));
                    return;
                }
                result.complete("exit " + process.exitValue());
            } catch (IOException e) {
                result.completeExceptionally(new IllegalStateException("cannot start " + command.get(0) + ": " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.completeExceptionally(e);
            }
        }, "tapnet-command");
        thread.setDaemon(true);
        thread.start();
        return result;
    }
}
