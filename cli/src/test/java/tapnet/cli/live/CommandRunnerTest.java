package tapnet.cli.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tapnet.topology.Action;
import tapnet.tap.NetworkNamespace;

/** A timeline's commands, run in the current namespace (tapnet's own when it has none): exit, timeout, errors. */
class CommandRunnerTest {
    private final CommandRunner runner;

    CommandRunnerTest() {
        Map<String, NetworkNamespace> namespaces = new HashMap<>();
        namespaces.put("tap", null);
        runner = new CommandRunner(namespaces);
    }

    private static Action.Run run(Duration timeout, String... command) {
        return new Action.Run("tap", List.of(command), timeout, 0);
    }

    @Test
    void theExitStatusIsTheAnswer() throws Exception {
        assertEquals("exit 0", runner.apply(run(Duration.ofSeconds(5), "true")).get(10, TimeUnit.SECONDS));
        assertEquals("exit 3", runner.apply(run(Duration.ofSeconds(5), "sh", "-c", "exit 3")).get(10, TimeUnit.SECONDS));
    }

    @Test
    void aCommandThatOutlivesItsTimeoutIsKilledAndSaysSo() {
        long started = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> runner.apply(run(Duration.ofMillis(200), "sleep", "10")).get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("killed after its timeout of 200 ms"), e.getCause().getMessage());
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "killed, not waited for");
    }

    @Test
    void aMissingProgramOrNamespaceIsAnError() {
        ExecutionException missing = assertThrows(ExecutionException.class,
                () -> runner.apply(run(Duration.ofSeconds(5), "no-such-program-anywhere")).get(10, TimeUnit.SECONDS));
        assertTrue(missing.getCause().getMessage().contains("cannot start no-such-program-anywhere"), missing.getCause().getMessage());
        ExecutionException noNamespace = assertThrows(ExecutionException.class, () -> runner.apply(
                new Action.Run("left", List.of("true"), Duration.ofSeconds(5), 0)).get(10, TimeUnit.SECONDS));
        assertTrue(noNamespace.getCause().getMessage().contains("no namespace for left"), noNamespace.getCause().getMessage());
    }

    @Test
    void withTheRunsNamesEachCommandSeesThemBoundAndItsCopiesAreGoneAfterIt(@TempDir Path dir) throws Exception {
        // binding needs root (or a user namespace's) and unshare, as COMMAND's does
        assumeTrue(tapnet.cli.relaunch.UserIds.current().root(), "needs root to bind mount");
        assumeTrue(new ProcessBuilder("unshare", "--version").start().waitFor() == 0, "needs unshare");
        Map<String, NetworkNamespace> namespaces = new HashMap<>();
        namespaces.put("tap", null);
        CommandRunner named = new CommandRunner(namespaces, new CommandRunner.Names("10.77.0.10\tweb\n",
                "nameserver 10.77.0.53\n", dir, "tapnet0"));
        assertEquals("exit 0", named.apply(run(Duration.ofSeconds(5), "sh", "-c",
                "grep -qx '10.77.0.10\tweb' /etc/hosts && grep -qx 'nameserver 10.77.0.53' /etc/resolv.conf"))
                .get(10, TimeUnit.SECONDS));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "each command's copies are removed");
        }
        assertFalse(Files.readString(Path.of("/etc/hosts")).contains("10.77.0.10\tweb"), "the machine's file untouched");
    }
}
