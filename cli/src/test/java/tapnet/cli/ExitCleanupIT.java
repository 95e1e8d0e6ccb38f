package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.tap.ExternalCommand;
import tapnet.tap.NetworkNamespace;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/** However tapnet ends, it leaves nothing behind; and it refuses a subnet that is already routed. */
@Timeout(120)
class ExitCleanupIT {
    @BeforeEach
    void needsTap() {
        TapTestEnvironment.assumeTapTestsCanRun();
    }

    @Test
    void sigtermRemovesTheDeviceAndTheNamespaceTapnetMade() throws Exception {
        assertSignalCleansUp("TERM");
    }

    @Test
    void ctrlCRemovesTheDeviceAndTheNamespaceTapnetMade() throws Exception {
        assertSignalCleansUp("INT");
    }

    private void assertSignalCleansUp(String signal) throws Exception {
        String name = TestNamespace.uniqueName();
        try (TapnetProcess tapnet = TapnetProcess.start("run", "--netns", name)) {
            tapnet.awaitLine("Stop with Ctrl-C", 30);
            assertTrue(NetworkNamespace.exists(name));
            assertEquals(0, ExternalCommand.run("ip", "-n", name, "link", "show", "tapnet0").exitCode());
            ExternalCommand.run("ip", "netns", "exec", name, "ping", "-c", "1", "-W", "2", "10.77.0.10");

            int code = tapnet.signalAndWait(signal);

            assertTrue(Set.of(0, 130, 143).contains(code), "exit code " + code + "\n" + tapnet.output());
            assertFalse(NetworkNamespace.exists(name), "the namespace tapnet made is gone\n" + tapnet.output());
            assertTrue(tapnet.stdout().contains("counters at exit:"), tapnet.output());
            assertTrue(counter(tapnet.stdout(), "icmp_echo_replies") >= 1, tapnet.output());
        } finally {
            if (NetworkNamespace.exists(name)) {
                NetworkNamespace.existing(name).delete();
            }
        }
    }

    @Test
    void killMinus9StillLeavesNoDevice() throws Exception {
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess tapnet = TapnetProcess.start("run", "--netns", namespace.name())) {
            tapnet.awaitLine("Stop with Ctrl-C", 30);
            assertEquals(0, ExternalCommand.run("ip", "-n", namespace.name(), "link", "show", "tapnet0").exitCode());

            assertEquals(137, tapnet.signalAndWait("KILL"));

            // The kernel closes the dead process's TAP descriptor, which removes the device and its route.
            ExternalCommand link = null;
            for (int i = 0; i < 50; i++) {
                link = ExternalCommand.run("ip", "-n", namespace.name(), "link", "show", "tapnet0");
                if (link.exitCode() != 0) {
                    break;
                }
                Thread.sleep(100);
            }
            assertNotEquals(0, link.exitCode(), "tapnet0 is gone: " + link.describe());
            assertFalse(ExternalCommand.run("ip", "-n", namespace.name(), "route").output().contains("10.77.0.0/24"));
        }
    }

    @Test
    void anIpv6PrefixThatIsAlreadyRoutedIsRefusedUnlessForced() throws Exception {
        try (TestNamespace namespace = TestNamespace.create()) {
            // the default topology's IPv6 prefix, fd77::/64, routed through another device; its IPv4 subnet free
            namespace.ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
            namespace.ip("link", "set", "v0", "up");
            namespace.ip("link", "set", "v1", "up");
            namespace.ip("-6", "addr", "add", "fd77::5/64", "dev", "v0", "nodad");

            TapnetProcess refused = TapnetProcess.run("run", "--netns", namespace.name(), "--duration", "1s");
            assertEquals(2, refused.exitCode(), "a run that cannot start exits 2: " + refused.output());
            assertTrue(refused.stderr().contains("refusing to run"), refused.output());
            assertTrue(refused.stderr().contains("fd77::/64"), refused.output());
            assertNotEquals(0, ExternalCommand.run("ip", "-n", namespace.name(), "link", "show", "tapnet0").exitCode());

            TapnetProcess forced = TapnetProcess.run("run", "--netns", namespace.name(), "--duration", "1s", "--force");
            assertEquals(0, forced.exitCode(), forced.output());
        }
    }

    @Test
    void aSubnetThatIsAlreadyRoutedIsRefusedUnlessForced() throws Exception {
        try (TestNamespace namespace = TestNamespace.create()) {
            namespace.ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
            namespace.ip("addr", "add", "10.77.0.5/24", "dev", "v0");
            namespace.ip("link", "set", "v0", "up");
            namespace.ip("link", "set", "v1", "up");

            TapnetProcess refused = TapnetProcess.run("run", "--netns", namespace.name(), "--duration", "1s");
            assertEquals(2, refused.exitCode(), "a run that cannot start exits 2: " + refused.output());
            assertTrue(refused.stderr().contains("refusing to run"), refused.output());
            assertTrue(refused.stderr().contains("10.77.0.0/24"), refused.output());
            assertTrue(refused.stderr().contains("--force"), refused.output());
            assertNotEquals(0, ExternalCommand.run("ip", "-n", namespace.name(), "link", "show", "tapnet0").exitCode());

            TapnetProcess forced = TapnetProcess.run("run", "--netns", namespace.name(), "--duration", "1s", "--force");
            assertEquals(0, forced.exitCode(), forced.output());
            assertTrue(forced.stdout().contains("counters at exit:"), forced.output());
            assertNotEquals(0, ExternalCommand.run("ip", "-n", namespace.name(), "link", "show", "tapnet0").exitCode(),
                    "after --duration the TAP is gone");
            assertTrue(NetworkNamespace.exists(namespace.name()), "a namespace tapnet did not make is left alone");
        }
    }

    @Test
    void aPortsNamespaceThatRoutesTheSubnetAlreadyIsRefusedAndNothingIsLeft(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (TestNamespace namespace = TestNamespace.create(); TestNamespace portNamespace = TestNamespace.create()) {
            portNamespace.ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
            portNamespace.ip("addr", "add", "10.77.0.5/24", "dev", "v0");
            portNamespace.ip("link", "set", "v0", "up");
            portNamespace.ip("link", "set", "v1", "up");
            java.nio.file.Path file = dir.resolve("port.yaml");
            java.nio.file.Files.writeString(file, """
                    tap: { address: 10.77.0.1/24 }
                    hosts:
                      web: { address: 10.77.0.10 }
                    ports:
                      left: { netns: PORT_NETNS, address: 10.77.0.101 }
                    """.replace("PORT_NETNS", portNamespace.name()));
            TapnetProcess refused = TapnetProcess.run("run", file.toString(), "--netns", namespace.name(), "--duration", "1s");
            assertEquals(2, refused.exitCode(), refused.output());
            assertTrue(refused.stderr().contains("port left's network namespace " + portNamespace.name() + " already routes"),
                    refused.output());
            assertNotEquals(0, ExternalCommand.run("ip", "-n", portNamespace.name(), "link", "show", "eth0").exitCode(),
                    "no device left in the port's namespace");
            assertNotEquals(0, ExternalCommand.run("ip", "-n", namespace.name(), "link", "show", "tapnet0").exitCode());
            assertTrue(NetworkNamespace.exists(portNamespace.name()), "a namespace tapnet did not make is left alone");
        }
    }

    @Test
    void theRingWithASpinningEngineAnswersTooAndStopsOnTime() throws Exception {
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess tapnet = TapnetProcess.start("run", "--netns", namespace.name(), "--ring", "--spin", "--duration", "4s")) {
            tapnet.awaitLine("Stop with Ctrl-C", 30);
            ExternalCommand ping = namespace.exec(10, "ping", "-c", "5", "-i", "0.2", "-W", "2", "10.77.0.10");
            assertEquals(0, ping.exitCode(), ping.describe());
            TapnetProcess.awaitExit(tapnet, 20);
            assertEquals(0, tapnet.exitCode(), tapnet.output());
            assertTrue(counter(tapnet.stdout(), "icmp_echo_replies") >= 5, tapnet.output());
        }
    }

    @Test
    void withoutOffloadsNorSpinItAnswersTooAndStopsOnTime() throws Exception {
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess tapnet = TapnetProcess.start("run", "--netns", namespace.name(), "--no-offload", "--spin=0s",
                     "--duration", "4s")) {
            tapnet.awaitLine("Stop with Ctrl-C", 30);
            ExternalCommand curl = namespace.exec(10, "curl", "-sS", "--max-time", "5", "http://10.77.0.10/");
            assertEquals("hello from tapnet\n", curl.output(), curl.describe());
            TapnetProcess.awaitExit(tapnet, 20);
            assertEquals(0, tapnet.exitCode(), tapnet.output());
        }
    }

    static long counter(String output, String name) {
        Matcher m = Pattern.compile("^\\s+" + Pattern.quote(name) + " (\\d+)$", Pattern.MULTILINE).matcher(output);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
