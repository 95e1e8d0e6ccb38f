package tapnet.cli.live;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The names a run's named network namespaces see: {@code /etc/netns/NAME/hosts} and, with a DNS server,
 * {@code /etc/netns/NAME/resolv.conf}, which {@code ip netns exec NAME} binds over /etc/hosts and
 * /etc/resolv.conf for every command it runs there (ip-netns(8)), the run's {@code run:} events and a user's
 * shell alike. The machine's own /etc/hosts and /etc/resolv.conf are never written.
 *
 * <p>Each file tapnet writes starts with a mark, {@code # tapnet PID START: ...}, that names the run that
 * wrote it. A file without the mark is someone else's and is kept (the run says so once); one whose run is
 * still alive is that run's and is kept too; one whose run is gone (kill -9 runs no cleanup) is stale and is
 * replaced. {@link #close()} removes the files this run wrote, if they still carry its mark, and the
 * directories it made (or that held only a dead run's files), when they are left empty.
 */
final class NetnsNames implements AutoCloseable {
    /** The standard place of per-namespace files (ip-netns(8)). */
    static final Path ETC_NETNS = Path.of("/etc/netns");
    static final String HOSTS = "hosts";
    static final String RESOLV_CONF = "resolv.conf";
    private static final String MARK = "# tapnet ";

    private final Path base;
    private final Owner self;
    private final Map<String, String> contents = new LinkedHashMap<>();
    private final PrintStream out;
    /** Whether this run made {@link #base}: it removes it at the end if it is empty. */
    private boolean madeBase;
    /** The namespaces done, by name: the directory, and whether this run removes it when empty. */
    private final Map<String, Boolean> namespaces = new LinkedHashMap<>();
    /** The files this run wrote. */
    private final List<Path> written = new ArrayList<>();

    /**
     * @param base   /etc/netns (a test gives a directory of its own)
     * @param hosts  the hosts file's text
     * @param resolv resolv.conf's text, null when the topology has no DNS server (no file then)
     * @param out    where a kept file is told of
     */
    NetnsNames(Path base, Owner self, String hosts, String resolv, PrintStream out) {
        this.base = base;
        this.self = self;
        this.out = out;
        contents.put(HOSTS, hosts);
        if (resolv != null) {
            contents.put(RESOLV_CONF, resolv);
        }
    }

    /**
     * Writes the files of namespace {@code name} (once: ports may share one). A failure is told in one line and
     * the run goes on: names then resolve there as on the machine.
     */
    void add(String name) {
        if (namespaces.containsKey(name)) {
            return;
        }
        Path directory = base.resolve(name);
        try {
            if (!Files.isDirectory(base)) {
                Files.createDirectories(base);
                readableByAll(base, "rwxr-xr-x");
                madeBase = true;
            }
            boolean made = !Files.exists(directory);
            namespaces.put(name, made || holdsOnlyStaleFiles(directory));
            if (made) {
                Files.createDirectory(directory);
                readableByAll(directory, "rwxr-xr-x");
            }
            for (Map.Entry<String, String> file : contents.entrySet()) {
                write(name, directory.resolve(file.getKey()), file.getValue());
            }
        } catch (IOException e) {
            out.println("tapnet: cannot write " + directory + " (" + IoFailureText.of(e) + "): `ip netns exec " + name
                    + "` sees the machine's names");
        }
    }

    private void write(String name, Path file, String text) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            Optional<Owner> owner = Files.isSymbolicLink(file) ? Optional.empty() : markOf(file); // a link is the user's
            if (owner.isEmpty()) {
                out.println("tapnet: keeping " + file + ", which tapnet did not write: `ip netns exec " + name
                        + "` uses it, not the topology's " + (file.endsWith(HOSTS) ? "hosts file" : "DNS server"));
                return;
            }
            if (owner.get().isAlive() && !owner.get().equals(self)) {
                out.println("tapnet: keeping " + file + ", written by another tapnet still running (pid "
                        + owner.get().pid() + ")");
                return;
            }
        }
        Files.writeString(file, self.mark() + text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        written.add(file);
        readableByAll(file, "rw-r--r--");
    }

    /** As /etc/hosts is, whatever tapnet's umask: any user's program run in the namespace reads the names. */
    private static void readableByAll(Path path, String permissions) throws IOException {
        Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString(permissions));
    }

    /** True when every file in {@code directory} is a file tapnet writes, marked by a run that is gone. */
    private boolean holdsOnlyStaleFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                boolean tapnets = (name.equals(HOSTS) || name.equals(RESOLV_CONF)) && !Files.isSymbolicLink(file);
                Optional<Owner> owner = tapnets ? markOf(file) : Optional.empty();
                if (owner.isEmpty() || (owner.get().isAlive() && !owner.get().equals(self))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Removes the files this run wrote (if still its own), then the directories it made, when empty. */
    @Override
    public void close() {
        for (Path file : written) {
            try {
                if (markOf(file).filter(self::equals).isPresent()) {
                    Files.delete(file);
                }
            } catch (NoSuchFileException gone) {
                // removed by hand: nothing to do
            } catch (IOException e) {
                out.println("tapnet: could not remove " + file + ": " + IoFailureText.of(e));
            }
        }
        written.clear();
        namespaces.forEach((name, removable) -> {
            if (removable) {
                removeIfEmpty(base.resolve(name));
            }
        });
        namespaces.clear();
        if (madeBase) {
            removeIfEmpty(base);
            madeBase = false;
        }
    }

    private void removeIfEmpty(Path directory) {
        try {
            Files.deleteIfExists(directory);
        } catch (DirectoryNotEmptyException kept) {
            // someone's files, or another run's namespaces: the directory stays
        } catch (IOException e) {
            out.println("tapnet: could not remove " + directory + ": " + IoFailureText.of(e));
        }
    }

    /** The run that wrote {@code file}, from its first line; empty when it has no mark (or cannot be read). */
    static Optional<Owner> markOf(Path file) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.findFirst().flatMap(Owner::parse);
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /**
     * A tapnet process, by its pid and its start time (milliseconds since the epoch), which together name it
     * even after the pid is reused.
     */
    record Owner(long pid, long startMillis) {
        static Owner current() {
            ProcessHandle self = ProcessHandle.current();
            return new Owner(self.pid(), startOf(self).orElse(0L));
        }

        /** The process still runs, and is the one that started then (not a later one given the same pid). */
        boolean isAlive() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).flatMap(Owner::startOf)
                    .filter(start -> start == startMillis).isPresent();
        }

        private static Optional<Long> startOf(ProcessHandle process) {
            return process.info().startInstant().map(Instant::toEpochMilli);
        }

        /** The first line of a file this process writes. */
        String mark() {
            return MARK + pid + " " + startMillis + ": removed when that run ends\n";
        }

        static Optional<Owner> parse(String line) {
            if (!line.startsWith(MARK)) {
                return Optional.empty();
            }
            String[] words = line.substring(MARK.length()).split("[ :]", 3);
            try {
                return Optional.of(new Owner(Long.parseLong(words[0]), Long.parseLong(words[1])));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                return Optional.empty();
            }
        }
    }
}
