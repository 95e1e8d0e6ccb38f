package tapnet.cli.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;

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
     * Listens at {@code path}, making its directory if missing; only its owner (and root) may connect. A
     * socket file nothing answers at (left by a tapnet that was killed) is replaced; a live one, or a file
     * that is not a socket, is refused. The channel is non-blocking, for a selector.
     */
    static ServerSocketChannel listen(Path path) throws IOException {
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
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        boolean bound = false;
        try {
            channel.bind(UnixDomainSocketAddress.of(path));
            bound = true;
            // Connecting takes write permission on the file: the owner's alone, whatever the umask.
            Files.setPosixFilePermissions(path, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            channel.configureBlocking(false);
            return channel;
        } catch (IOException e) {
            throw abandon(channel, path, bound, e);
        }
    }

    /**
     * Closes a channel at {@code path} that will not listen after all, and removes its file when {@code bound}
     * (ours, and nothing will answer at it); returns the failure as the run reports it.
     */
    static IOException abandon(ServerSocketChannel channel, Path path, boolean bound, IOException failure) throws IOException {
        channel.close();
        if (bound) {
            Files.deleteIfExists(path);
        }
        return new IOException("cannot listen at " + path + ": " + failure.getMessage(), failure);
    }

    private static boolean isSocket(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & 0170000) == 0140000; // S_IFMT, S_IFSOCK
    }
}
