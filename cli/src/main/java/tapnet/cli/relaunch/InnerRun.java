package tapnet.cli.relaunch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tapnet.tap.Loopback;
import tapnet.tap.PrivateRunDirectory;

/**
 * The tapnet that {@link Relaunch} started inside fresh namespaces: how it knows it is that one, who started
 * the outer one, and what it sets up before the run (a /run of its own, loopback up, ping for the user).
 */
public final class InnerRun {
    /** Set in the inner tapnet's environment: the outer tapnet's pid (in the outer's PID namespace). */
    static final String MARKER = "TAPNET_INNER";
    /** Set in the inner tapnet's environment: the user who started the outer one, UID:GID. */
    static final String USER = "TAPNET_USER";
    /** The variables above: COMMAND's environment is tapnet's without them. */
    public static final List<String> VARIABLES = List.of(MARKER, USER);

    private InnerRun() {
    }

    /**
     * True in the tapnet that a relaunch started: the marker is set, and this is the first process of a PID
     * namespace, as the relaunch makes it. A marker alone (left in someone's environment) must never make a
     * tapnet cover the machine's own /run.
     */
    public static boolean active() {
        return System.getenv(MARKER) != null && ProcessHandle.current().pid() == 1;
    }

    /** Who started the outer tapnet: COMMAND runs as them. */
    public static UserIds user() {
        return UserIds.parse(System.getenv(USER));
    }

    /** Readies the fresh namespaces for the run; null, or why it cannot in one line. */
    public static String prepare() {
        try {
            for (String missed : PrivateRunDirectory.cover()) {
                System.err.println("tapnet: /run/" + missed + "; COMMAND does not see it");
            }
            Loopback.up();
            if (!user().root()) {
                // The namespace's default lets no group use ping sockets; the user's group is the mapped root's, 0.
                Files.writeString(Path.of("/proc/sys/net/ipv4/ping_group_range"), "0 0\n");
            }
            return null;
        } catch (IOException e) {
            return "cannot set up the run's own namespaces: " + e.getMessage();
        }
    }
}
