package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a run may leave behind on the machine, looked for: processes (by a token unique to the test in their
 * command line) and named network namespaces.
 */
final class Leftovers {
    private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 1_000_000);
    /**
     * Names that tests of other JVMs give their namespaces (TestNamespace: tapnet-t&lt;pid&gt;-&lt;n&gt;, and
     * the ports theirs): another engineer's suite may make and remove them while this test runs.
     */
    private static final Pattern OTHER_TESTS = Pattern.compile("tapnet-[a-z]\\d+-\\d+(-.*)?");

    private Leftovers() {
    }

    /** A number no other process's command line has: a {@code sleep} of 1000.N seconds is findable by it. */
    static String token() {
        return "1000." + ProcessHandle.current().pid() + NEXT.incrementAndGet();
    }

    /** The command lines of running processes that contain {@code token}, this JVM's own aside. */
    static List<String> processesWith(String token) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == ProcessHandle.current().pid()) {
                    continue;
                }
                try {
                    String line = new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    String stat = Files.readString(entry.resolve("stat"));
                    boolean zombie = stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
                    if (line.contains(token) && !zombie) {
                        found.add(name + ": " + line.strip());
                    }
                } catch (IOException gone) {
                    // ended while we looked
                }
            }
        }
        return found;
    }

    /** Waits up to {@code seconds} for no process with {@code token} to be left; fails naming them. */
    static void assertNoProcessesWith(String token, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<String> left = processesWith(token);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = processesWith(token);
        }
        assertEquals(List.of(), left, "processes left behind");
    }

    /** The named network namespaces, as {@code ip netns list} shows them (/run/netns). */
    static Set<String> namespaces() throws IOException {
        Path run = Path.of("/run/netns");
        Set<String> names = new TreeSet<>();
        if (Files.isDirectory(run)) {
            try (Stream<Path> entries = Files.list(run)) {
                entries.map(p -> p.getFileName().toString()).forEach(names::add);
            }
        }
        return names;
    }

    /** No namespace appeared since {@code before} but those other test JVMs make and remove themselves. */
    static void assertNoNewNamespaces(Set<String> before) throws IOException {
        Set<String> added = new TreeSet<>(namespaces());
        added.removeAll(before);
        added.removeIf(name -> OTHER_TESTS.matcher(name).matches());
        assertEquals(Set.of(), added, "ip netns list gained namespaces");
    }
}
