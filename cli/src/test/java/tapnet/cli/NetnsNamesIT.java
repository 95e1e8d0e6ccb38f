package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.tap.ExternalCommand;
import tapnet.tap.NetworkNamespace;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/**
 * Names in the namespaces a {@code --netns} run makes: {@code ip netns exec} binds the run's
 * /etc/netns/NAME/hosts and resolv.conf over the machine's, so that glibc and dig, in the TAP's namespace and
 * in a port's, from another shell and in the script's {@code run:} events, resolve the topology's names. The
 * files go when the run ends (normally or by SIGTERM); a user's own file is kept untouched; the machine's
 * /etc/hosts and /etc/resolv.conf are never written. A relaunched run's {@code run:} events get the names too.
 */
@Timeout(180)
class NetnsNamesIT {
    private static final Path ETC_NETNS = Path.of("/etc/netns");
    private static final String TOPOLOGY = """
            tap: { address: 10.77.0.1/24 }
            hosts:
              web: { address: 10.77.0.10, services: [ { port: 80, http: { body: "hello from web\\n" } } ] }
            ports:
              left: { address: 10.77.0.101 }
            dns: { address: 10.77.0.53, domain: shop.test }
            """;
    private static final String SCRIPT = """
            script:
              duration: 3s
              events:
                - { at: 500ms, run: { in: tap, command: [curl, -sf, --max-time, 2, "http://web.shop.test/"], timeout: 5s, exit: 0 } }
                - { at: 500ms, run: { in: left, command: [curl, -sf, --max-time, 2, "http://web/"], timeout: 5s, exit: 0 } }
            """;

    @BeforeEach
    void needsRootAndTools() {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("getent");
        TapTestEnvironment.assumeCommand("dig");
        TapTestEnvironment.assumeCommand("curl");
    }

    @Test
    void theTapsAndThePortsNamespacesResolveTheTopologysNamesAndTheFilesGoAtSigterm(@TempDir Path dir) throws Exception {
        String run = TestNamespace.uniqueName();
        String port = run + "-left";
        Path file = Files.writeString(dir.resolve("shop.yaml"), TOPOLOGY);
        byte[] hosts = Files.readAllBytes(Path.of("/etc/hosts"));
        byte[] resolv = Files.readAllBytes(Path.of("/etc/resolv.conf"));
        try (TapnetProcess tapnet = TapnetProcess.start("run", file.toString(), "--netns", run)) {
            tapnet.awaitLine("Stop with Ctrl-C", 30);
            for (String namespace : new String[] {run, port}) {
                ExternalCommand getent = exec(namespace, "getent", "hosts", "web");
                assertEquals(0, getent.exitCode(), getent.describe());
                assertTrue(getent.output().startsWith("10.77.0.10"), getent.describe());
                ExternalCommand dig = exec(namespace, "dig", "+short", "+time=2", "+tries=2", "web.shop.test");
                assertEquals("10.77.0.10", dig.output().strip(), "dig through the topology's server: " + dig.describe());
                ExternalCommand searched = exec(namespace, "getent", "ahostsv4", "web.shop.test");
                assertTrue(searched.output().startsWith("10.77.0.10"), searched.describe());
            }
            ExternalCommand curl = exec(port, "curl", "-sS", "--max-time", "5", "http://web.shop.test/");
            assertEquals("hello from web\n", curl.output(), curl.describe());
            assertTrue(Files.readString(ETC_NETNS.resolve(run).resolve("resolv.conf")).startsWith("# tapnet "),
                    "the run's mark comes first");

            int code = tapnet.signalAndWait("TERM");
            assertTrue(code == 0 || code == 143, tapnet.output());
            assertFalse(Files.exists(ETC_NETNS.resolve(run)), "the TAP's namespace's files and directory go at exit");
            assertFalse(Files.exists(ETC_NETNS.resolve(port)), "the port's namespace's too");
        } finally {
            cleanUp(run, port);
        }
        assertEquals(new String(hosts), Files.readString(Path.of("/etc/hosts")), "the machine's /etc/hosts");
        assertEquals(new String(resolv), Files.readString(Path.of("/etc/resolv.conf")), "the machine's resolv.conf");
    }

    @Test
    void aScriptsRunEventsReachHostsByNameAndTheFilesGoWhenTheRunEnds(@TempDir Path dir) throws Exception {
        String run = TestNamespace.uniqueName();
        String port = run + "-left";
        Path file = Files.writeString(dir.resolve("shop.yaml"), TOPOLOGY + SCRIPT);
        try {
            TapnetProcess tapnet = TapnetProcess.run("run", file.toString(), "--netns", run, "--report",
                    dir.resolve("report").toString());
            assertEquals(0, tapnet.exitCode(), "both run: events exit 0: " + tapnet.output());
            assertFalse(Files.exists(ETC_NETNS.resolve(run)), tapnet.output());
            assertFalse(Files.exists(ETC_NETNS.resolve(port)), tapnet.output());
        } finally {
            cleanUp(run, port);
        }
    }

    @Test
    void aUsersOwnResolvConfIsKeptUntouchedAndSaidSo(@TempDir Path dir) throws Exception {
        String run = TestNamespace.uniqueName();
        Path file = Files.writeString(dir.resolve("shop.yaml"), TOPOLOGY.replace("ports:\n  left: { address: 10.77.0.101 }\n", ""));
        Path own = Files.createDirectories(ETC_NETNS.resolve(run)).resolve("resolv.conf");
        String text = "# the user's own\nnameserver 192.0.2.53\n";
        Files.writeString(own, text);
        try (TapnetProcess tapnet = TapnetProcess.start("run", file.toString(), "--netns", run)) {
            tapnet.awaitLine("Stop with Ctrl-C", 30);
            assertTrue(tapnet.stdout().contains("tapnet: keeping " + own + ", which tapnet did not write"), tapnet.output());
            ExternalCommand getent = exec(run, "getent", "hosts", "web");
            assertTrue(getent.output().startsWith("10.77.0.10"), "the hosts file is the run's: " + getent.describe());
            assertEquals(text, Files.readString(own));
            int code = tapnet.signalAndWait("INT");
            assertTrue(code == 0 || code == 130, tapnet.output());
            assertEquals(text, Files.readString(own), "kept untouched");
            assertEquals(Set.of("resolv.conf"), list(ETC_NETNS.resolve(run)), "the run's hosts file is gone, the user's stays");
        } finally {
            cleanUp(run);
        }
    }

    @Test
    void aKilledRunsFilesStayAndTheNextRunOfThatNameReplacesThemAndRemovesThemAtItsExit(@TempDir Path dir) throws Exception {
        String run = TestNamespace.uniqueName();
        Path file = Files.writeString(dir.resolve("shop.yaml"), TOPOLOGY.replace("ports:\n  left: { address: 10.77.0.101 }\n", ""));
        Path hosts = ETC_NETNS.resolve(run).resolve("hosts");
        try {
            String killedMark;
            try (TapnetProcess killed = TapnetProcess.start("run", file.toString(), "--netns", run)) {
                killed.awaitLine("Stop with Ctrl-C", 30);
                killedMark = Files.readAllLines(hosts).get(0);
                assertTrue(killedMark.startsWith("# tapnet " + killed.pid() + " "), killedMark);
                killed.signalAndWait("KILL");
            }
            assertEquals(killedMark, Files.readAllLines(hosts).get(0), "kill -9 runs no cleanup");
            try (TapnetProcess next = TapnetProcess.start("run", file.toString(), "--netns", run)) {
                next.awaitLine("Stop with Ctrl-C", 30);
                assertTrue(Files.readAllLines(hosts).get(0).startsWith("# tapnet " + next.pid() + " "), "replaced");
                assertFalse(next.stdout().contains("keeping"), next.output());
                assertTrue(exec(run, "getent", "hosts", "web").output().startsWith("10.77.0.10"));
                next.signalAndWait("TERM");
            }
            assertFalse(Files.exists(ETC_NETNS.resolve(run)), "the dead run's directory goes with the files");
        } finally {
            cleanUp(run);
        }
    }

    @Test
    void aRelaunchedRunsRunEventsGetTheNamesAsCommandDoes(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeCommand("unshare");
        TapTestEnvironment.assumeCommand("setpriv");
        // As root without --netns, with COMMAND: tapnet starts itself again in namespaces of its own.
        Path file = Files.writeString(dir.resolve("shop.yaml"), TOPOLOGY + SCRIPT);
        Set<String> before = Leftovers.namespaces();
        TapnetProcess tapnet = TapnetProcess.run("run", file.toString(), "--report", dir.resolve("report").toString(),
                "--", "sleep", "4");
        assertEquals(0, tapnet.exitCode(), "both run: events exit 0: " + tapnet.output());
        assertTrue(tapnet.output().contains("expectations held"), tapnet.output());
        Leftovers.assertNoNewNamespaces(before);
    }

    private static ExternalCommand exec(String namespace, String... command) {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = namespace;
        System.arraycopy(command, 0, full, 4, command.length);
        return ExternalCommand.run(20, full);
    }

    private static Set<String> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }

    /** Removes what a failed test may have left: the namespaces, and their /etc/netns directories. */
    private static void cleanUp(String... namespaces) throws IOException {
        for (String namespace : namespaces) {
            if (NetworkNamespace.exists(namespace)) {
                ExternalCommand.run(10, "ip", "netns", "del", namespace);
            }
            Path directory = ETC_NETNS.resolve(namespace);
            if (Files.exists(directory)) {
                try (Stream<Path> files = Files.walk(directory)) {
                    for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                        Files.delete(p);
                    }
                }
            }
        }
    }
}
