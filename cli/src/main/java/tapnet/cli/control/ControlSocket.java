package tapnet.cli.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A run's control socket as a file: where it is when no path is given (one per namespace, or TAP device,
 * under /run), who may connect, and what is done with a file already there.
 */
public final class ControlSocket {
    static final Path DIRECTORY = Path.of("/run/tapnet");

    /** Thrown when another tapnet already answers at the path. */
    public static final class InUseException extends IOException {
        InUseException(String message) {
            super(message);
        }
    }

    private ControlSocket() {
    }

    /** {@code /run/tapnet/NAME.sock}, NAME being the run's network namespace, or its TAP device without one. */
    public static Path defaultPath(String netnsOrDevice) {
        return DIRECTORY.resolve(netnsOrDevice + ".sock");
    }

    /**
     * Makes {@code path} ready to listen at: its directory made if missing; a socket file nothing answers at
     * (left by a tapnet that was killed) removed; a live one, or a file that is not a socket, refused.
     */
    public static void prepare(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (!isSocket(path)) {
                throw new IOException("control socket " + path + " exists and is not a socket; remove it or give"
                        + " --control another path");
            }
            if (ControlClient.answers(path)) {
                throw new InUseException("another tapnet is listening at " + path + "; stop it, or give this run"
                        + " --control another path (or --no-control)");
            }
            Files.delete(path); // stale: its tapnet is gone
        }
    }

    private static boolean isSocket(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & 0170000) == 0140000; // S_IFMT, S_IFSOCK
    }
}
