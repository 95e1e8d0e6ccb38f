package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.tap.ExternalCommand;
import tapnet.tap.NetworkNamespace;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/**
 * The namespaces a run makes are tapnet's: after kill -9 the next run of the same name takes them over and
 * removes them at exit, the run's and its ports' alike; a live tapnet's are refused. Ports without a netns
 * go into the run's name and the port's ({@code --netns shop}: {@code shop-left}), so two runs of
 * {@code topologies/ports.yaml} under two names run side by side.
 */
@Timeout(180)
class NamespaceOwnershipIT {
    private static final String PORTS = TapnetProcess.topologies().resolve("ports.yaml").toString();

    @BeforeEach
    void needsTap() {
        TapTestEnvironment.assumeTapTestsCanRun();
    }

    @Test
    void afterKillMinus9TheNextRunTakesTheNamespaceOverAndRemovesItAtExit() throws Exception {
        String name = TestNamespace.uniqueName();
        try {
            try (TapnetProcess first = TapnetProcess.start("run", "--netns", name)) {
                first.awaitLine("Stop with Ctrl-C", 30);
                assertEquals(137, first.signalAndWait("KILL"));
            }
            assertTrue(NetworkNamespace.exists(name), "kill -9 runs no cleanup: the namespace stays");

            TapnetProcess next = TapnetProcess.run("run", "--netns", name, "--duration", "1s");
            assertEquals(0, next.exitCode(), next.output());
            assertTrue(next.stdout().contains("Network namespace " + name + " was left by a tapnet that was killed: this run"
                    + " takes it over and removes it at exit."), next.output());
            assertFalse(NetworkNamespace.exists(name), "taken over, and removed at exit\n" + next.output());
        } finally {
            removeIfThere(name);
        }
    }

    @Test
    void aNamespaceALiveTapnetRunsInIsRefusedInOneLine() throws Exception {
        String name = TestNamespace.uniqueName();
        try (TapnetProcess first = TapnetProcess.start("run", "--netns", name)) {
            first.awaitLine("Stop with Ctrl-C", 30);
            TapnetProcess second = TapnetProcess.run("run", "--netns", name, "--duration", "1s");
            assertEquals(2, second.exitCode(), second.output());
            assertEquals(List.of("tapnet: network namespace " + name + " belongs to another tapnet, still running (pid "
                    + first.pid() + "); stop it, or give this run another name"), second.stderr().lines().toList());
            ExternalCommand ping = ExternalCommand.run(10, "ip", "netns", "exec", name, "ping", "-c", "1", "-W", "2", "10.77.0.10");
            assertEquals(0, ping.exitCode(), "the first run goes on: " + ping.describe());
            int code = first.signalAndWait("TERM");
            assertTrue(code == 0 || code == 143, first.output());
            assertFalse(NetworkNamespace.exists(name));
        } finally {
            removeIfThere(name);
        }
    }

    @Test
    void aNamespaceTapnetDidNotMakeIsStillKeptAfterKillMinus9AndTheNextRun() throws Exception {
        try (TestNamespace namespace = TestNamespace.create()) {
            try (TapnetProcess first = TapnetProcess.start("run", "--netns", namespace.name())) {
                first.awaitLine("Stop with Ctrl-C", 30);
                assertEquals(137, first.signalAndWait("KILL"));
            }
            TapnetProcess next = TapnetProcess.run("run", "--netns", namespace.name(), "--duration", "1s");
            assertEquals(0, next.exitCode(), next.output());
            assertTrue(NetworkNamespace.exists(namespace.name()), "not tapnet's: kept");
        }
    }

    @Test
    void twoRunsOfThePortsExampleUnderTwoNamesRunSideBySideInTheirOwnPortNamespaces() throws Exception {
        String a = TestNamespace.uniqueName();
        String b = TestNamespace.uniqueName();
        List<String> all = List.of(a, a + "-left", a + "-right", b, b + "-left", b + "-right");
        try (TapnetProcess first = TapnetProcess.start("run", PORTS, "--netns", a);
             TapnetProcess second = TapnetProcess.start("run", PORTS, "--netns", b)) {
            first.awaitLine("Stop with Ctrl-C", 30);
            second.awaitLine("Stop with Ctrl-C", 30);
            assertTrue(first.stdout().contains("Port left: 10.77.0.101 on eth0 in network namespace " + a + "-left"),
                    first.output());
            for (String name : all) {
                assertTrue(NetworkNamespace.exists(name), name + "\n" + first.output() + "\n" + second.output());
            }
            for (String run : List.of(a, b)) {
                ExternalCommand curl = ExternalCommand.run(10, "ip", "netns", "exec", run + "-left", "curl", "-sS",
                        "--max-time", "5", "http://10.77.0.10/");
                assertEquals("hello from a virtual host\n", curl.output(), curl.describe());
            }
            assertTrue(List.of(0, 143).contains(first.signalAndWait("TERM")), first.output());
            assertTrue(List.of(0, 143).contains(second.signalAndWait("TERM")), second.output());
            for (String name : all) {
                assertFalse(NetworkNamespace.exists(name), name + " is removed at exit");
            }
        } finally {
            all.forEach(NamespaceOwnershipIT::removeIfThere);
        }
    }

    @Test
    void portNamespacesLeftByKillMinus9AreTakenOverAndRemovedByTheNextRun() throws Exception {
        String name = TestNamespace.uniqueName();
        List<String> all = List.of(name, name + "-left", name + "-right");
        try {
            try (TapnetProcess first = TapnetProcess.start("run", PORTS, "--netns", name)) {
                first.awaitLine("Stop with Ctrl-C", 30);
                assertEquals(137, first.signalAndWait("KILL"));
            }
            for (String left : all) {
                assertTrue(NetworkNamespace.exists(left), left + " stays after kill -9");
            }
            TapnetProcess next = TapnetProcess.run("run", PORTS, "--netns", name, "--duration", "2s");
            assertEquals(0, next.exitCode(), next.output());
            List<String> stayed = new ArrayList<>();
            for (String left : all) {
                if (NetworkNamespace.exists(left)) {
                    stayed.add(left);
                }
            }
            assertEquals(List.of(), stayed, next.output());
        } finally {
            all.forEach(NamespaceOwnershipIT::removeIfThere);
        }
    }

    /** Removes a namespace this test made (through tapnet) if a failure left it; never another's. */
    private static void removeIfThere(String name) {
        try {
            if (NetworkNamespace.exists(name)) {
                NetworkNamespace.existing(name).delete();
            }
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of("/run/tapnet/netns", name));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
