package tapnet.cli.control;

import java.nio.file.Path;

/** Where a run's control socket is when no path is given: one per namespace (or TAP device) under /run. */
public final class ControlSocket {
    static final Path DIRECTORY = Path.of("/run/tapnet");

    private ControlSocket() {
    }

    /** {@code /run/tapnet/NAME.sock}, NAME being the run's network namespace, or its TAP device without one. */
    public static Path defaultPath(String netnsOrDevice) {
        return DIRECTORY.resolve(netnsOrDevice + ".sock");
    }
}
