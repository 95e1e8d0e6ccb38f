package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.tap.NetworkNamespace;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/**
 * {@code tapnet run -- COMMAND} as root: COMMAND runs in the TAP's namespace (one of the run's own, made by
 * a relaunch, or --netns's) with tapnet's output streams and environment plus TAPNET_CONTROL and
 * TAPNET_TOPOLOGY, sees the topology's names in its own /etc/hosts, gets Ctrl-C and SIGTERM first, and
 * decides the exit code; nothing of the run is left after it, after it is killed, or after tapnet is.
 */
@Timeout(120)
class RunCommandIT {
    private static final Path DEFAULT = TapnetProcess.topologies().resolve("default.yaml").toAbsolutePath().normalize();

    @BeforeEach
    void needsRootAndTools() {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("unshare");
        TapTestEnvironment.assumeCommand("setpriv");
        TapTestEnvironment.assumeCommand("curl");
        TapTestEnvironment.assumeCommand("ping");
    }

    @Test
    void commandsStatusOutputErrorsAndEnvironmentComeThroughAndTapnetSpeaksOnStandardError() throws Exception {
        Set<String> before = Leftovers.namespaces();
        TapnetProcess run = TapnetProcess.run("run", DEFAULT.toString(), "--", "sh", "-c",
                "echo out; echo err >&2; echo \"control=$TAPNET_CONTROL topology=$TAPNET_TOPOLOGY home=$HOME\"; exit 3");
        assertEquals(3, run.exitCode(), run.output());
        assertEquals("out\ncontrol=/run/tapnet/tapnet0.sock topology=" + DEFAULT + " home=" + System.getenv("HOME"),
                run.stdout(), "standard output is COMMAND's alone: " + run.output());
        assertTrue(run.stderr().lines().anyMatch("err"::equals), run.output());
        assertTrue(run.stderr().contains("TAP tapnet0 is up"), run.output());
        assertTrue(run.stderr().endsWith("tapnet: COMMAND exited with 3; exit 3"), run.output());
        Leftovers.assertNoNewNamespaces(before);
    }

    @Test
    void theDefaultTopologyAnswersCurlAndPingByNameFromItsOwnHostsFileAndTheMachinesIsUntouched() throws Exception {
        byte[] hosts = Files.readAllBytes(Path.of("/etc/hosts"));
        TapnetProcess run = TapnetProcess.run("run", "--", "sh", "-c", "curl -sS --max-time 5 http://web/ &&"
                + " ping -c 1 -W 2 mail >/dev/null && echo pinged && echo \"topology=[$TAPNET_TOPOLOGY]\" && cat /etc/hosts");
        assertEquals(0, run.exitCode(), run.output());
        String out = run.stdout();
        assertTrue(out.startsWith("hello from tapnet\npinged\ntopology=[]\n"), "the bundled default: TAPNET_TOPOLOGY is empty\n" + out);
        assertTrue(out.contains("127.0.0.1\tlocalhost\n"), out);
        assertTrue(out.endsWith("10.77.0.10\tweb\nfd77::10\tweb\n10.77.0.20\tmail\nfd77::20\tmail"), "both families: " + out);
        assertEquals(new String(hosts), new String(Files.readAllBytes(Path.of("/etc/hosts"))), "the machine's /etc/hosts");
    }

    @Test
    void aCommandKilledByASignalGivesItsStatusAsAShellWould() throws Exception {
        assertEquals(137, TapnetProcess.run("run", "--", "sh", "-c", "kill -9 $$").exitCode());
        assertEquals(143, TapnetProcess.run("run", "--", "sh", "-c", "kill -TERM $$").exitCode());
        assertEquals(0, TapnetProcess.run("run", "--", "true").exitCode());
        assertEquals(127, TapnetProcess.run("run", "--", "no-such-command-tapnet").exitCode());
    }

    @Test
    void sigtermAndSigintToTapnetReachCommandFirstAndItsStatusIsTapnets() throws Exception {
        for (String signal : new String[] {"TERM", "INT"}) {
            String token = Leftovers.token();
            try (TapnetProcess run = TapnetProcess.start("run", "--", "sh", "-c", "trap 'echo got TERM; exit 5' TERM;"
                    + " trap 'echo got INT; exit 6' INT; echo ready; sleep " + token + " & wait")) {
                run.awaitLine("^ready$", 30);
                int code = run.signalAndWait(signal);
                assertEquals(signal.equals("TERM") ? 5 : 6, code, run.output());
                assertTrue(run.stdout().contains("got " + signal), run.output());
                assertTrue(run.stderr().contains("tapnet: stopped 1 process COMMAND left running"), run.output());
                Leftovers.assertNoProcessesWith(token, 5);
            }
        }
    }

    @Test
    void aCtrlCAtTheTerminalReachesCommandOnceAndTheRunGoesOnUntilItExits() throws Exception {
        TapTestEnvironment.assumeCommand("script");
        // script(1) gives tapnet a terminal; ETX typed into it is Ctrl-C, to the terminal's foreground group.
        // exec: script runs $SHELL -c, and a shell that waited (dash does) would itself die of that Ctrl-C.
        String tapnet = "exec " + TapnetProcess.javaBinary() + " -jar " + TapnetProcess.jar().toAbsolutePath() + " run -- sh -c"
                + " 'n=0; trap \"n=\\$((n+1))\" INT; echo ready; sleep 3; echo ints=$n; exit 4'";
        try (TapnetProcess run = TapnetProcess.startCommand(java.util.List.of("script", "-qec", tapnet, "/dev/null"))) {
            run.awaitLine("^ready$", 30);
            run.type(new byte[] {3});
            TapnetProcess.awaitExit(run, 30);
            assertEquals(4, run.exitCode(), run.output());
            assertTrue(run.stdout().contains("ints=1"), "once, not again from tapnet: " + run.output());
            assertTrue(run.stdout().contains("tapnet: COMMAND exited with 4; exit 4"), run.output());
        }
    }

    @Test
    void aCommandThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        try (TapnetProcess run = TapnetProcess.start("run", "--", "sh", "-c", "trap '' TERM; echo ready;"
                + " while :; do sleep 0.1; done")) {
            run.awaitLine("^ready$", 30);
            long started = System.nanoTime();
            assertEquals(137, run.signalAndWait("TERM"), run.output());
            double seconds = (System.nanoTime() - started) / 1e9;
            assertTrue(seconds >= 4.5 && seconds < 15, "killed after the 5 s grace: " + seconds + " s\n" + run.output());
        }
    }

    @Test
    void killMinus9OfTapnetLeavesNoProcessAndNoNamespace() throws Exception {
        Set<String> before = Leftovers.namespaces();
        String token = Leftovers.token();
        try (TapnetProcess run = TapnetProcess.start("run", TapnetProcess.topologies().resolve("ports.yaml").toString(),
                "--", "sh", "-c", "echo ready; sleep " + token)) {
            run.awaitLine("^ready$", 30);
            // sh prints ready before it starts sleep: give sleep a moment to appear (CI once counted 4 of 5)
            List<String> running = Leftovers.processesWith(token);
            for (int i = 0; i < 100 && running.size() < 5; i++) {
                Thread.sleep(50);
                running = Leftovers.processesWith(token);
            }
            assertEquals(5, running.size(), "tapnet, unshare, the inner tapnet, sh and sleep: " + running);
            assertEquals(137, run.signalAndWait("KILL"));
            Leftovers.assertNoProcessesWith(token, 5);
        }
        Leftovers.assertNoNewNamespaces(before);
    }

    @Test
    void whatCommandLeavesRunningIsStoppedWhenItExits() throws Exception {
        String token = Leftovers.token();
        TapnetProcess run = TapnetProcess.run("run", "--", "sh", "-c", "sleep " + token + " & exit 0");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.stderr().contains("tapnet: stopped 1 process COMMAND left running"), run.output());
        Leftovers.assertNoProcessesWith(token, 1);
    }

    @Test
    void withNetnsCommandRunsInThatNamespaceWithItsOwnHostsFileAndTheNamespaceGoesAtExit() throws Exception {
        String name = TestNamespace.uniqueName();
        Path socket = Files.createTempDirectory("tapnet-run-command").resolve("control.sock");
        try {
            TapnetProcess run = TapnetProcess.run("run", "--netns", name, "--control", socket.toString(), "--", "sh", "-c",
                    "ip netns identify; curl -sS --max-time 5 http://web/; ping -c 1 -W 2 127.0.0.1 >/dev/null && echo lo up;"
                            + " grep -c web /etc/hosts; echo control=$TAPNET_CONTROL");
            assertEquals(0, run.exitCode(), run.output());
            assertEquals(name + "\nhello from tapnet\nlo up\n2\ncontrol=" + socket, run.stdout(), run.output()); // web, both families
            assertFalse(NetworkNamespace.exists(name), "made by the run, removed at its exit");
            assertFalse(Files.exists(Path.of("/run/tapnet/" + name + ".hosts")), "the hosts file is gone");
        } finally {
            if (NetworkNamespace.exists(name)) {
                NetworkNamespace.existing(name).delete();
            }
            Files.deleteIfExists(Path.of("/run/tapnet/netns", name));
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socket.getParent());
        }
    }

    @Test
    void badCombinationsWithCommandAreUsageErrors() throws Exception {
        TapnetProcess empty = TapnetProcess.run("run", "--");
        assertEquals(2, empty.exitCode(), empty.output());
        assertTrue(empty.stderr().contains("'--' must be followed by COMMAND"), empty.output());
        assertTrue(empty.stderr().contains("Usage: tapnet run"), empty.output());

        TapnetProcess simulate = TapnetProcess.run("run", "--simulate", "--", "true");
        assertEquals(2, simulate.exitCode(), simulate.output());
        assertTrue(simulate.stderr().contains("--simulate makes no network for COMMAND"), simulate.output());
        assertTrue(simulate.stderr().contains("Usage: tapnet run"), simulate.output());

        TapnetProcess duration = TapnetProcess.run("run", "--duration", "1s", "--", "true");
        assertEquals(2, duration.exitCode(), duration.output());
        assertTrue(duration.stderr().contains("the run lasts as long as COMMAND"), duration.output());
    }
}
