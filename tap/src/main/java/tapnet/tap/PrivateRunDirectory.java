package tapnet.tap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Gives a process in a mount namespace of its own (private propagation) a {@code /run} whose
 * {@code netns} and {@code tapnet} directories are empty and its own, everything else under {@code /run}
 * as before: a fresh tmpfs over {@code /run}, each other entry of the old one bound back in (directories
 * with their submounts, files, sockets), symbolic links made again.
 *
 * <p>Why all of /run and not a tmpfs over {@code /run/netns} alone: a mount needs a directory to cover, and
 * an ordinary user cannot make {@code /run/netns} when it is missing; /run is always there. The namespaces a
 * run makes then live in that tmpfs ({@code ip netns} inside sees them, {@code ip netns list} outside does
 * not), and go away with the mount namespace when its last process ends, kill -9 or not. Needs CAP_SYS_ADMIN
 * in the user namespace that owns the mount namespace (root, or the mapped root of a user namespace).
 */
public final class PrivateRunDirectory {
    static final Path RUN = Path.of("/run");
    /** Left out of the new /run: the run's own namespaces and marks, control socket and files go there. */
    static final Set<String> PRIVATE = Set.of("netns", "tapnet");
    // fcntl.h (the same on x86_64 and AArch64), sys/mount.h
    private static final int O_PATH = 0x200000;
    private static final int O_CLOEXEC = 0x80000;
    private static final long MS_NOSUID = 0x2;
    private static final long MS_NODEV = 0x4;
    private static final long MS_BIND = 0x1000;
    private static final long MS_REC = 0x4000;

    private PrivateRunDirectory() {
    }

    /**
     * Covers /run as the class says. Entries that cannot be bound back are left out and named in the
     * returned list (each "NAME: why"); the run goes on without them.
     *
     * @throws IOException when /run itself cannot be covered (no mount namespace of its own, no privilege)
     */
    public static List<String> cover() throws IOException {
        // The old /run stays reachable through a descriptor opened before the tmpfs hides it.
        int old = Native.LIBC.open(RUN.toString(), O_PATH | O_CLOEXEC, 0);
        if (old < 0) {
            throw SystemCallException.of("cannot open " + RUN, Native.errno());
        }
        try {
            if (Native.LIBC.mount("tapnet", RUN.toString(), "tmpfs", MS_NOSUID | MS_NODEV, null) < 0) {
                throw SystemCallException.of("cannot mount a private tmpfs over " + RUN, Native.errno(),
                        "It needs a mount namespace of its own and CAP_SYS_ADMIN in it");
            }
            Files.setPosixFilePermissions(RUN, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> missed = bindBack(Path.of("/proc/self/fd/" + old));
            for (String name : PRIVATE) {
                Files.createDirectory(RUN.resolve(name));
            }
            return missed;
        } finally {
            Native.LIBC.close(old);
        }
    }

    private static List<String> bindBack(Path old) throws IOException {
        List<String> missed = new java.util.ArrayList<>();
        List<Path> entries;
        try (Stream<Path> list = Files.list(old)) {
            entries = list.filter(p -> !PRIVATE.contains(p.getFileName().toString())).sorted().toList();
        }
        for (Path entry : entries) {
            Path target = RUN.resolve(entry.getFileName().toString());
            try {
                if (Files.isSymbolicLink(entry)) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(entry));
                    continue;
                }
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(target);
                } else {
                    Files.createFile(target); // a file or a socket is bound onto a file
                }
                if (Native.LIBC.mount(entry.toString(), target.toString(), null, MS_BIND | MS_REC, null) < 0) {
                    throw SystemCallException.of("cannot bind it", Native.errno());
                }
            } catch (IOException e) {
                missed.add(entry.getFileName() + ": " + e.getMessage());
            }
        }
        return missed;
    }
}
