package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.tap.TapTestEnvironment;

/**
 * tapnet as an ordinary user (nobody, through setpriv), with no sudo and no TAP made beforehand: it runs
 * itself again in a user namespace of nobody's own, and COMMAND reaches the topology (hosts, routers,
 * ports) by address and by name, runs as nobody, changes links through TAPNET_CONTROL, and plays a
 * script. Where the kernel refuses user namespaces, tapnet names the cause and the fix. The jar and the
 * topologies are copied where nobody can read them.
 */
@Timeout(120)
class RootlessRunIT {
    private static final String NOBODY = "65534";
    private static Path shared;

    @BeforeEach
    void needsRootToBecomeNobody() {
        TapTestEnvironment.assumeTapTestsCanRun();
        for (String command : List.of("setpriv", "unshare", "nsenter", "curl", "ping")) {
            TapTestEnvironment.assumeCommand(command);
        }
    }

    @BeforeAll
    static void copyTheJarAndTopologiesWhereNobodyReadsThem() throws IOException {
        shared = Files.createTempDirectory("tapnet-rootless", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx")); // past the umask
        Files.copy(TapnetProcess.jar(), shared.resolve("tapnet.jar"), StandardCopyOption.REPLACE_EXISTING);
        for (String topology : List.of("routers.yaml", "ports.yaml")) {
            Files.copy(TapnetProcess.topologies().resolve(topology), shared.resolve(topology), StandardCopyOption.REPLACE_EXISTING);
        }
        try (var files = Files.list(shared)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }

    @AfterAll
    static void removeTheCopies() throws IOException {
        if (shared != null) {
            try (var files = Files.walk(shared)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    @Test
    void theDefaultTopologyAnswersCurlAndPingByAddressAndNameAndCommandRunsAsTheUser() throws Exception {
        Set<String> before = Leftovers.namespaces();
        TapnetProcess run = asNobody("run", "--", "sh", "-c", "curl -sS --max-time 5 http://10.77.0.10/ &&"
                + " curl -sS --max-time 5 http://web/ && ping -c 1 -W 2 10.77.0.10 >/dev/null && ping -c 1 -W 2 mail"
                + " >/dev/null && echo pinged && id -u && touch " + shared.resolve("written"));
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("hello from tapnet\nhello from tapnet\npinged\n" + NOBODY, run.stdout(), run.output());
        assertEquals(Integer.parseInt(NOBODY), Files.getAttribute(shared.resolve("written"), "unix:uid"),
                "a file COMMAND writes belongs to the user");
        assertTrue(run.stderr().endsWith("tapnet: COMMAND exited with 0; exit 0"), run.output());
        Leftovers.assertNoNewNamespaces(before);
    }

    @Test
    void routersAreReachedThroughTheirSubnets() throws Exception {
        TapnetProcess run = asNobody("run", shared.resolve("routers.yaml").toString(), "--", "sh", "-c",
                "curl -sS --max-time 5 http://deep/ && curl -sS --max-time 5 http://10.79.1.10/ && ping -c 1 -W 2 deep"
                        + " >/dev/null && ping -c 1 -W 2 core >/dev/null && echo pinged");
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("deep\nmiddle\npinged", run.stdout(), run.output());
    }

    @Test
    void portsGetTheirNamespacesInTheRunsOwnRunDirectoryAndAnswerPing() throws Exception {
        Set<String> before = Leftovers.namespaces();
        TapnetProcess run = asNobody("run", shared.resolve("ports.yaml").toString(), "--", "sh", "-c",
                "curl -sS --max-time 5 http://web/ && ping -c 1 -W 2 left >/dev/null && ping -c 1 -W 2 10.77.0.102"
                        + " >/dev/null && echo pinged && ip netns list | sort");
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("hello from a virtual host\npinged\ntapnet0-left\ntapnet0-right", run.stdout(), run.output());
        Leftovers.assertNoNewNamespaces(before);
    }

    @Test
    void tapnetCtlFromCommandChangesALinkThroughTapnetControl() throws Exception {
        String ctl = TapnetProcess.javaBinary() + " -jar " + shared.resolve("tapnet.jar") + " ctl --socket \"$TAPNET_CONTROL\"";
        TapnetProcess run = asNobody("run", "--", "sh", "-c", ctl + " link '{between: [tap, web], delay: 150ms}' &&"
                + " ping -c 1 -W 3 web");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.stdout().startsWith("- {between: [tap, web], delay: 150ms}"), run.output());
        Matcher rtt = Pattern.compile("time=([0-9.]+) ms").matcher(run.stdout());
        assertTrue(rtt.find(), run.output());
        assertTrue(Double.parseDouble(rtt.group(1)) >= 300, "150 ms each way: " + rtt.group(1));
    }

    @Test
    void aScriptRunsWhileCommandRunsAndCommandsNonZeroStatusWinsOverTheExpectations() throws Exception {
        Path report = shared.resolve("report");
        String topology = """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10, services: [ { port: 80, http: {} } ] }
                script:
                  duration: 2s
                  probes:
                    web: { connect: 10.77.0.10:80, every: 250ms, timeout: 1s }
                  expect:
                    - { name: "web answers", probe: web, at: end, success: "SUCCESS" }
                """;
        Path holds = write("holds.yaml", topology.replace("SUCCESS", "== 100%"));
        Path fails = write("fails.yaml", topology.replace("SUCCESS", "== 0%"));

        TapnetProcess held = asNobody("run", holds.toString(), "--report", report.toString(), "--", "sleep", "3");
        assertEquals(0, held.exitCode(), held.output());
        assertTrue(held.stderr().contains("passed: 1 of 1 expectations held"), held.output());
        assertTrue(held.stderr().endsWith("tapnet: COMMAND exited with 0; expectations held; exit 0"), held.output());
        assertTrue(Files.exists(report.resolve("report.json")), "the report is written as the user");

        TapnetProcess failed = asNobody("run", fails.toString(), "--report", report.toString(), "--", "sleep", "3");
        assertEquals(1, failed.exitCode(), failed.output());
        assertTrue(failed.stderr().endsWith("tapnet: COMMAND exited with 0; expectations failed (1); exit 1"), failed.output());

        TapnetProcess both = asNobody("run", fails.toString(), "--report", report.toString(), "--", "sh", "-c", "sleep 3; exit 4");
        assertEquals(4, both.exitCode(), both.output());
        assertTrue(both.stderr().endsWith("tapnet: COMMAND exited with 4; expectations failed (1); exit 4"), both.output());
    }

    @Test
    void killMinus9OfARootlessTapnetLeavesNothingBehind() throws Exception {
        Set<String> before = Leftovers.namespaces();
        String token = Leftovers.token();
        try (TapnetProcess run = startAsNobody("run", shared.resolve("ports.yaml").toString(), "--", "sh", "-c",
                "echo ready; sleep " + token)) {
            run.awaitLine("^ready$", 30);
            assertEquals(137, run.signalAndWait("KILL"));
            Leftovers.assertNoProcessesWith(token, 5);
        }
        Leftovers.assertNoNewNamespaces(before);
    }

    @Test
    void whereTheKernelAllowsNoUserNamespacesTapnetNamesTheCauseAndTheFixAndExits2() throws Exception {
        // A user namespace of the test's own where user.max_user_namespaces is 0, and a java without capabilities
        // in it: an ordinary user of a machine whose administrator turned user namespaces off.
        String script = "echo 0 > /proc/sys/user/max_user_namespaces && exec setpriv --bounding-set=-all --inh-caps=-all"
                + " \"$0\" -jar \"$1\" run -- true";
        TapnetProcess run = TapnetProcess.startCommand(List.of("unshare", "--user", "--map-root-user", "sh", "-c", script,
                TapnetProcess.javaBinary(), shared.resolve("tapnet.jar").toString()));
        TapnetProcess.awaitExit(run, 30);
        assertEquals(2, run.exitCode(), run.output());
        assertEquals(List.of("tapnet: cannot run without root: the kernel allows no user namespaces"
                + " (user.max_user_namespaces is 0). Fix: as root, sysctl -w user.max_user_namespaces=15000 (a file in"
                + " /etc/sysctl.d/ keeps it), or run tapnet as root"), run.stderr().lines().toList(), run.output());
    }

    @Test
    void withoutUnshareOnThePathTapnetSaysWhatToInstallAndExits2() throws Exception {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", "env", "PATH=" + shared, TapnetProcess.javaBinary(), "-jar",
                shared.resolve("tapnet.jar").toString(), "run", "--", "true"));
        TapnetProcess run = TapnetProcess.startCommand(command, shared);
        TapnetProcess.awaitExit(run, 30);
        assertEquals(2, run.exitCode(), run.output());
        assertEquals(List.of("tapnet: running in namespaces of its own needs unshare (util-linux), which is not on the"
                + " PATH; install util-linux, or run tapnet as root"), run.stderr().lines().toList(), run.output());
    }

    private static Path write(String name, String text) throws IOException {
        Path file = shared.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    /** tapnet as nobody, run to its end (bounded). */
    private static TapnetProcess asNobody(String... args) throws Exception {
        TapnetProcess run = startAsNobody(args);
        TapnetProcess.awaitExit(run, 60);
        return run;
    }

    private static TapnetProcess startAsNobody(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", TapnetProcess.javaBinary(), "-jar", shared.resolve("tapnet.jar").toString()));
        command.addAll(List.of(args));
        return TapnetProcess.startCommand(command, shared); // a working directory nobody may enter
    }
}
