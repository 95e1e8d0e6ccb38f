package tapnet.cli.relaunch;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether this machine lets an ordinary user make the user namespace a rootless run needs, and if not,
 * why not and what fixes it, in one line. The kernel's switches are read first, so that the message names
 * the cause; a short trial run of {@code unshare}, as the run will call it, catches everything else
 * (a container's seccomp filter, an old util-linux without {@code --map-user}).
 */
public final class UserNamespaceSupport {
    /** A setting that, at {@code refused}, stops unprivileged user namespaces; {@code fix} turns it off. */
    record Switch(Path file, String refused, String cause, String fix) {
    }

    static final List<Switch> SWITCHES = List.of(
            new Switch(Path.of("/proc/sys/user/max_user_namespaces"), "0",
                    "the kernel allows no user namespaces (user.max_user_namespaces is 0)",
                    "sysctl -w user.max_user_namespaces=15000"),
            new Switch(Path.of("/proc/sys/kernel/unprivileged_userns_clone"), "0",
                    "the kernel allows user namespaces to root only (kernel.unprivileged_userns_clone is 0)",
                    "sysctl -w kernel.unprivileged_userns_clone=1"),
            new Switch(Path.of("/proc/sys/kernel/apparmor_restrict_unprivileged_userns"), "1",
                    "AppArmor takes every capability away in user namespaces of ordinary users"
                            + " (kernel.apparmor_restrict_unprivileged_userns is 1)",
                    "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"));

    /** The util-linux programs a relaunch and COMMAND's start call. */
    static final List<String> PROGRAMS = List.of("unshare", "setpriv", "nsenter");

    private UserNamespaceSupport() {
    }

    /** Null when the relaunch's programs are on the PATH; else what is missing and the fix. */
    public static String missingPrograms() {
        for (String program : PROGRAMS) {
            if (onPath(program) == null) {
                return "running in namespaces of its own needs " + program + " (util-linux), which is not on the PATH;"
                        + " install util-linux";
            }
        }
        return null;
    }

    /**
     * Null when {@code user} can run tapnet without root here; else the cause and the fix, one line:
     * "cannot run without root: CAUSE. Fix: ..., or run tapnet as root".
     */
    public static String problem(UserIds user) {
        String missing = missingPrograms();
        if (missing != null) {
            return missing + ", or run tapnet as root";
        }
        String refused = switchProblem(UserNamespaceSupport::read);
        if (refused != null) {
            return refused;
        }
        String trial = trial(user);
        if (trial != null) {
            return "cannot run without root: the kernel refused a user namespace (" + trial + "). Fix: let ordinary"
                    + " users make user namespaces (user.max_user_namespaces above 0), or run tapnet as root";
        }
        return null;
    }

    /** The first kernel switch that refuses ordinary users user namespaces, as {@link #problem} says it; or null. */
    static String switchProblem(java.util.function.Function<Path, String> read) {
        for (Switch setting : SWITCHES) {
            if (setting.refused().equals(read.apply(setting.file()))) {
                return "cannot run without root: " + setting.cause() + ". Fix: as root, " + setting.fix()
                        + " (a file in /etc/sysctl.d/ keeps it), or run tapnet as root";
            }
        }
        return null;
    }

    /** The switch's value, stripped; null when there is no such file (the kernel has no such switch). */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** Runs, briefly, the namespaces a rootless run and its COMMAND get; null when that works, else unshare's words. */
    private static String trial(UserIds user) {
        try {
            Process process = new ProcessBuilder("unshare", "--user", "--map-root-user", "--net", "--mount", "--pid",
                    "--fork", "--kill-child", "--mount-proc", "--",
                    "unshare", "--user", "--map-user=" + user.uid(), "--map-group=" + user.gid(), "--", "true")
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "unshare did not finish within 10 s";
            }
            String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.exitValue() == 0) {
                return null;
            }
            return said.isEmpty() ? "unshare exited with " + process.exitValue() : said.lines().findFirst().orElse(said);
        } catch (IOException e) {
            return "cannot start unshare: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The program's path on the PATH, or null. */
    static Path onPath(String program) {
        String path = System.getenv("PATH");
        for (String directory : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
