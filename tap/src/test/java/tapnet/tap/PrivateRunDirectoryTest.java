package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A run's own /run: every entry of the machine's is still there, netns and tapnet are new and empty, and a
 * namespace made in it is listed inside and never on the machine. Tried in a child JVM in a private mount
 * namespace, so the machine's /run is never covered.
 */
@Timeout(60)
class PrivateRunDirectoryTest {
    @Test
    void coveringRunKeepsEveryOtherEntryAndGivesTheRunEmptyNetnsAndTapnetOfItsOwn() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("unshare");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String name = TestNamespace.uniqueName();
        ExternalCommand probe = ExternalCommand.run(45, "unshare", "--mount", "--propagation", "private", java, "-cp",
                System.getProperty("java.class.path"), PrivateRunProbe.class.getName(), name);
        assertEquals(0, probe.exitCode(), probe.describe());
        Set<String> expected = new TreeSet<>(PrivateRunDirectory.PRIVATE);
        try (Stream<Path> entries = Files.list(Path.of("/run"))) {
            entries.map(p -> p.getFileName().toString()).forEach(expected::add);
        }
        String output = probe.output();
        assertTrue(output.contains("missed: []\n"), output);
        assertTrue(output.contains("run: " + String.join(" ", expected) + "\n"), output);
        assertTrue(output.contains("netns: .\ntapnet: .\n"), output);
        assertTrue(output.contains("list: " + name), output);
        assertFalse(NetworkNamespace.exists(name), "made in the run's own /run/netns, never in the machine's");
    }
}
