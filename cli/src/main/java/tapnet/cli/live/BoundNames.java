package tapnet.cli.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's hosts file (and, with a DNS server, its resolv.conf) bound over /etc/hosts (and /etc/resolv.conf)
 * for one process and all it starts: the process runs behind {@code unshare --mount} and a shell that binds
 * the files in that mount namespace alone, removes them (the mounts keep them) and execs it. COMMAND gets its
 * names this way, and so do the {@code run:} events of a relaunched run, whose namespaces have no
 * {@code /etc/netns} files ({@link NetnsNames}). The machine's own files are never touched.
 */
final class BoundNames {
    /** Binds the hosts file ($0) over /etc/hosts and removes it (the mount keeps it), then runs the command. */
    static final String BIND_HOSTS = "mount --bind \"$0\" /etc/hosts && rm -f \"$0\" && exec \"$@\"";
    /**
     * As {@link #BIND_HOSTS}, and binds resolv.conf ($1) over /etc/resolv.conf (over the file a symlink there
     * names, in this mount namespace only) and removes it, then runs the command, the words after $1. A machine
     * without /etc/resolv.conf (or with a symlink to nothing) has nothing to bind over, and tapnet writes
     * none of the machine's files: the command then resolves as the machine does, and is told so.
     */
    static final String BIND_HOSTS_AND_RESOLV = "mount --bind \"$0\" /etc/hosts && rm -f \"$0\""
            + " && { if [ -e /etc/resolv.conf ]; then mount --bind \"$1\" /etc/resolv.conf;"
            + " else echo 'tapnet: no /etc/resolv.conf to cover: COMMAND resolves names as the machine does' >&2; fi; }"
            + " && rm -f \"$1\" && shift && exec \"$@\"";

    private final Path hostsFile;
    /** Null when the topology has no DNS server. */
    private final Path resolvFile;

    private BoundNames(Path hostsFile, Path resolvFile) {
        this.hostsFile = hostsFile;
        this.resolvFile = resolvFile;
    }

    /**
     * Writes {@code hosts} to {@code hostsFile} (in a directory only root can write, under /run/tapnet) and
     * {@code resolv} to {@code resolvFile} unless it is null (no DNS server).
     */
    static BoundNames write(String hosts, Path hostsFile, String resolv, Path resolvFile) throws IOException {
        Files.createDirectories(hostsFile.getParent());
        BoundNames names = new BoundNames(hostsFile, resolv == null ? null : resolvFile);
        try {
            Files.writeString(hostsFile, hosts);
            if (resolv != null) {
                Files.writeString(resolvFile, resolv);
            }
        } catch (IOException e) {
            names.remove();
            throw e;
        }
        return names;
    }

    /** The words that run a command (the words after them) with these files bound. */
    List<String> wrapper() {
        return wrapper(hostsFile, resolvFile);
    }

    /** The words that run a command with {@code hostsFile} (and {@code resolvFile}, unless null) bound. */
    static List<String> wrapper(Path hostsFile, Path resolvFile) {
        List<String> argv = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--", "sh", "-c"));
        if (resolvFile == null) {
            argv.addAll(List.of(BIND_HOSTS, hostsFile.toString()));
        } else {
            argv.addAll(List.of(BIND_HOSTS_AND_RESOLV, hostsFile.toString(), resolvFile.toString()));
        }
        return argv;
    }

    /** Removes the files: the shell did, unless it never got that far. */
    void remove() {
        remove(hostsFile);
        if (resolvFile != null) {
            remove(resolvFile);
        }
    }

    private static void remove(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.err.println("tapnet: could not remove " + file + ": " + e.getMessage());
        }
    }
}
