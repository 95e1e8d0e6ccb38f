package tapnet.cli.live;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import tapnet.tap.NetworkNamespace;
import tapnet.topology.Action;

/**
 * Runs a timeline's commands ({@code run:} events) in the namespace of {@code tap} or of a port, with
 * {@code ip netns exec}, each on a thread of its own so the timeline goes on; a command that outlives its
 * timeout is killed. The future completes with {@code exit N}, or fails with why it did not finish.
 *
 * <p>A command sees the names its namespace gives: with {@code ip netns exec}, the run's /etc/netns files
 * ({@link NetnsNames}). A relaunched run's namespaces have none (its /run, and so its namespaces, are its
 * own): there each command gets the run's names bound as COMMAND gets them ({@link BoundNames}).
 */
final class CommandRunner implements Function<Action.Run, CompletableFuture<String>> {
    /** Where each node's commands run; a null namespace is tapnet's own. */
    private final Map<String, NetworkNamespace> namespaces;
    /** The names bound for each command; null when the commands see their namespace's. */
    private final Names names;
    private final AtomicLong started = new AtomicLong();

    /**
     * The run's hosts file and resolv.conf (null without a DNS server), copied for each command into
     * {@code directory} as {@code PREFIX.run-N.hosts} and {@code PREFIX.run-N.resolv.conf}.
     */
    record Names(String hosts, String resolv, Path directory, String prefix) {
    }

    CommandRunner(Map<String, NetworkNamespace> namespaces) {
        this(namespaces, null);
    }

    CommandRunner(Map<String, NetworkNamespace> namespaces, Names names) {
        this.namespaces = namespaces;
        this.names = names;
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
        long number = started.incrementAndGet();
        Thread thread = new Thread(() -> {
            BoundNames bound = null;
            try {
                if (names != null) {
                    String file = names.prefix() + ".run-" + number;
                    try {
                        bound = BoundNames.write(names.hosts(), names.directory().resolve(file + ".hosts"), names.resolv(),
                                names.directory().resolve(file + ".resolv.conf"));
                    } catch (IOException e) {
                        result.completeExceptionally(new IllegalStateException("cannot write its names: " + IoFailureText.of(e)));
                        return;
                    }
                    command.addAll(bound.wrapper());
                }
                command.addAll(run.command());
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
            } finally {
                if (bound != null) {
                    bound.remove(); // the command's shell did, unless it never got that far
                }
            }
        }, "tapnet-command");
        thread.setDaemon(true);
        thread.start();
        return result;
    }
}
