package tapnet.cli.relaunch;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * tapnet started again inside namespaces of its own, and waited for: the outer half of a rootless run (and
 * of {@code run -- COMMAND} as root without {@code --netns}).
 *
 * <p>A JVM is multi-threaded from its first instruction, and unshare(CLONE_NEWUSER) refuses a
 * multi-threaded caller; so the new user, network and mount namespaces are made by {@code unshare(1)},
 * which then runs the same java, with the same JVM options, class path and arguments. The inner tapnet
 * knows itself by {@link InnerRun#MARKER}. It shares standard input, output and error, it gets INT and
 * TERM passed on ({@link SignalRelay}), and its exit status becomes this process's. It is the first
 * process of a PID namespace of its own: {@code setpriv --pdeathsig KILL} makes the kernel kill unshare
 * when this process dies (kill -9 included), {@code --kill-child} then kills the inner tapnet, and with it
 * the kernel kills every process of its PID namespace; the other namespaces, which nothing else holds, go
 * with them.
 */
public final class Relaunch {
    /**
     * How long after passing TERM on this process waits for the inner tapnet before it kills it: the
     * inner's grace for COMMAND, its cleanup (at most 10 s), and a margin.
     */
    static final long TERM_WAIT_SECONDS = 30;

    private Relaunch() {
    }

    /**
     * Runs {@code arguments} again in new namespaces (a new user namespace too when {@code userNamespace}),
     * until it ends; its exit status, 128+N when signal N ended it.
     */
    public static int run(String mainClass, List<String> arguments, boolean userNamespace) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = command(userNamespace, java, ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("java.class.path"), mainClass, arguments);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put(InnerRun.MARKER, Long.toString(ProcessHandle.current().pid()));
        builder.environment().put(InnerRun.USER, UserIds.current().text());
        Process inner = builder.start(); // from the thread that waits below: the parent whose death kills it
        // With COMMAND the inner tapnet takes a passed INT as USR1 (see SignalRelay); without, INT stops it.
        boolean withCommand = arguments.contains("--");
        SignalRelay.install(signal -> pass(inner, signal, withCommand));
        return inner.waitFor(); // unshare --fork exits with its child's status
    }

    /** The command line of the inner tapnet. */
    static List<String> command(boolean userNamespace, String java, List<String> jvmOptions, String classPath,
                                String mainClass, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--", "unshare"));
        if (userNamespace) {
            command.addAll(List.of("--user", "--map-root-user"));
        }
        // A PID namespace whose first process is the inner tapnet: when it dies, the kernel kills every process
        // left in it (what COMMAND started, and theirs); --kill-child kills it when unshare, its parent, dies.
        command.addAll(List.of("--net", "--mount", "--propagation", "private", "--pid", "--fork", "--kill-child",
                "--mount-proc", "--", java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, mainClass));
        command.addAll(arguments);
        return command;
    }

    /** INT or TERM, passed on; after TERM the inner tapnet has {@link #TERM_WAIT_SECONDS} to end. */
    private static void pass(Process inner, String signal, boolean withCommand) {
        if (signal.equals(SignalRelay.TERMINAL_INT)) {
            return; // Ctrl-C: the inner tapnet and COMMAND, in the same process group, have it already
        }
        // unshare --fork passes no signal on: they go to its child, the inner tapnet itself
        long target = inner.toHandle().children().findFirst().map(ProcessHandle::pid).orElse(inner.pid());
        Processes.send(target, signal.equals("INT") && withCommand ? SignalRelay.PASSED_INT : signal);
        if (signal.equals("TERM")) {
            Thread killer = new Thread(() -> {
                try {
                    if (!inner.waitFor(TERM_WAIT_SECONDS, TimeUnit.SECONDS)) {
                        inner.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "tapnet-relaunch-term");
            killer.setDaemon(true);
            killer.start();
        }
    }
}
