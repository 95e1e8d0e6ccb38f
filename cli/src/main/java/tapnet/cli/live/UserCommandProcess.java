package tapnet.cli.live;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tapnet.cli.relaunch.InnerRun;
import tapnet.cli.relaunch.Processes;
import tapnet.cli.relaunch.SignalRelay;
import tapnet.cli.relaunch.UserIds;

/**
 * COMMAND running in the run's network namespace, with tapnet's standard input, output, error, working
 * directory and environment (plus {@code TAPNET_CONTROL} and {@code TAPNET_TOPOLOGY}), in a mount namespace of
 * its own where the run's hosts file covers /etc/hosts (and, when the topology has a DNS server, the run's
 * resolv.conf covers /etc/resolv.conf), as the invoking user.
 *
 * <p>It is started through util-linux programs that each change one thing and exec the next, so that
 * COMMAND's pid is the one started here: {@code setpriv --pdeathsig KILL} (the kernel kills it when tapnet
 * dies, even by kill -9; it must be started, and waited for, by a thread that lives as long as it does),
 * {@code nsenter --net} (a {@code --netns} run's namespace; a relaunched run is in its own already),
 * {@code unshare --mount} and a shell that binds the hosts file (and resolv.conf: {@link BoundNames}), then {@code unshare --user --map-user}
 * when tapnet is a user namespace's mapped root, so that files COMMAND writes belong to the user.
 */
final class UserCommandProcess {
    /** How long COMMAND has after a TERM before it is killed. */
    static final long GRACE_SECONDS = 5;

    private final Process process;
    private final BoundNames names;

    private UserCommandProcess(Process process, BoundNames names) {
        this.process = process;
        this.names = names;
    }

    /**
     * Starts {@code command}; {@code hosts} is written to {@code hostsFile} first (a directory only root can
     * write, under /run/tapnet), and {@code resolv} to {@code resolvFile} unless it is null (no DNS server).
     * Call it from the thread that will wait for it.
     *
     * @param netns   the network namespace's file for a --netns run, null when tapnet runs in COMMAND's already
     * @param control the control API's variables (TAPNET_CONTROL, and TAPNET_CONTROL_URL and
     *                TAPNET_CONTROL_TOKEN_FILE with TCP); empty when the run listens for none
     */
    static UserCommandProcess start(UserCommand command, String hosts, Path hostsFile, String resolv, Path resolvFile,
                                    Path netns, Map<String, String> control) throws IOException {
        BoundNames names = BoundNames.write(hosts, hostsFile, resolv, resolvFile);
        ProcessBuilder builder = new ProcessBuilder(argv(command, names.wrapper(), netns)).inheritIO();
        Map<String, String> environment = builder.environment();
        InnerRun.VARIABLES.forEach(environment::remove);
        environment.remove(UserCommand.CONTROL_VARIABLE);
        environment.remove(UserCommand.CONTROL_URL_VARIABLE);
        environment.remove(UserCommand.CONTROL_TOKEN_VARIABLE);
        environment.putAll(control);
        environment.put(UserCommand.TOPOLOGY_VARIABLE, command.topology() == null ? "" : command.topology().toString());
        try {
            return new UserCommandProcess(builder.start(), names);
        } catch (IOException e) {
            names.remove();
            throw e;
        }
    }

    /** The whole command line, wrappers first; {@code resolvFile} null when there is none to bind. */
    static List<String> argv(UserCommand command, Path hostsFile, Path resolvFile, Path netns) {
        return argv(command, BoundNames.wrapper(hostsFile, resolvFile), netns);
    }

    private static List<String> argv(UserCommand command, List<String> bindNames, Path netns) {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--"));
        if (netns != null) {
            argv.addAll(List.of("nsenter", "--net=" + netns, "--"));
        }
        argv.addAll(bindNames);
        UserIds user = command.runAs();
        if (user != null && !user.root()) {
            argv.addAll(List.of("unshare", "--user", "--map-user=" + user.uid(), "--map-group=" + user.gid(), "--"));
        }
        argv.addAll(command.argv());
        return argv;
    }

    /** Runs {@code action} once COMMAND has exited. */
    void onExit(Runnable action) {
        process.onExit().thenRun(action);
    }

    /**
     * Passes INT or TERM on. INT not when it came from the terminal (COMMAND had it too); after TERM, COMMAND
     * is killed if it has not ended within {@link #GRACE_SECONDS}.
     */
    void pass(String signal) {
        if (signal.equals(SignalRelay.TERMINAL_INT)) {
            return;
        }
        if (signal.equals("TERM")) {
            terminate();
        } else {
            Processes.send(process.pid(), signal);
        }
    }

    /** TERM now, KILL after the grace period. */
    void terminate() {
        Processes.send(process.pid(), "TERM");
        Thread killer = new Thread(() -> {
            try {
                if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tapnet-command-grace");
        killer.setDaemon(true);
        killer.start();
    }

    /** Waits for COMMAND; its exit status, 128+N when signal N ended it (as a shell says). */
    int awaitExit() throws InterruptedException {
        int status = process.waitFor();
        names.remove(); // COMMAND's shell removed them, unless it never got that far
        return status;
    }
}
