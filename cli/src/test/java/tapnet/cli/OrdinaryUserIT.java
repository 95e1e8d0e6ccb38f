package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.tap.ExternalCommand;
import tapnet.tap.NetworkNamespace;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/**
 * tapnet as an ordinary user (nobody, through setpriv): {@code --netns} says in one line what it needs, and
 * the README's recipe (a persistent TAP an administrator made, owned by the user, with the topology's
 * address) runs without --force. The tests run as root, which makes the namespaces and the TAP; the jar is
 * copied where nobody can read it.
 */
@Timeout(120)
class OrdinaryUserIT {
    private static final String NOBODY = "65534";
    private static Path readable;

    @BeforeEach
    void needsRootAndSetpriv() {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("setpriv");
    }

    @BeforeAll
    static void copyTheJarWhereNobodyReadsIt() throws IOException {
        readable = Files.createTempDirectory("tapnet-nobody", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.copy(TapnetProcess.jar(), readable.resolve("tapnet.jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(readable.resolve("tapnet.jar"), PosixFilePermissions.fromString("rw-r--r--"));
    }

    @AfterAll
    static void removeTheCopy() throws IOException {
        if (readable != null) {
            Files.deleteIfExists(readable.resolve("tapnet.jar"));
            Files.deleteIfExists(readable);
        }
    }

    @Test
    void runNetnsWithoutRootSaysWhatItNeedsInOneLineAndExits2() {
        String name = TestNamespace.uniqueName();
        ExternalCommand run = asNobody(null, 30, "run", "--netns", name);
        assertEquals(2, run.exitCode(), run.describe());
        List<String> lines = run.errors().lines().toList();
        assertEquals(1, lines.size(), "one line, no stack trace: " + run.describe());
        assertEquals("tapnet: --netns " + name + " needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN: tapnet makes the network"
                + " namespace and a TAP device in it); run as root, or, as an ordinary user, without --netns: tapnet then"
                + " runs in namespaces of its own, e.g. tapnet run -- COMMAND (README, \"Running a command, and runs"
                + " without root\")", lines.get(0));
        assertFalse(NetworkNamespace.exists(name));
    }

    @Test
    void theReadmesRecipeAPersistentTapOwnedByTheUserWithTheTopologysAddressRunsWithoutForce() throws Exception {
        try (TestNamespace namespace = TestNamespace.create()) {
            // what the administrator does once, as root
            namespace.ip("tuntap", "add", "dev", "tapnet0", "mode", "tap", "user", NOBODY);
            namespace.ip("addr", "add", "10.77.0.1/24", "dev", "tapnet0");
            namespace.ip("link", "set", "tapnet0", "up");
            namespace.ip("-6", "addr", "add", "fd77::1/64", "dev", "tapnet0", "nodad");

            CompletableFuture<ExternalCommand> run = CompletableFuture.supplyAsync(
                    () -> asNobody(namespace.name(), 60, "run", "--no-control", "--duration", "4s"));
            ExternalCommand curl = null;
            for (int i = 0; i < 40 && !run.isDone(); i++) { // until the JVM has started and attached
                curl = namespace.exec(3, "curl", "-sS", "--max-time", "1", "http://10.77.0.10/");
                if (curl.exitCode() == 0) {
                    break;
                }
                Thread.sleep(100);
            }
            ExternalCommand tapnet = run.get();
            assertEquals(0, tapnet.exitCode(), tapnet.describe());
            assertFalse(tapnet.errors().contains("refusing"), tapnet.describe());
            assertEquals("hello from tapnet\n", curl.output(), curl.describe() + "\n" + tapnet.describe());
            assertTrue(tapnet.output().contains("kernel side 10.77.0.1/24 and fd77::1/64"), tapnet.describe());
            assertTrue(namespace.ip("addr", "show", "tapnet0").contains("10.77.0.1/24"),
                    "the administrator's TAP keeps its address");
        }
    }

    /** {@code [ip netns exec NAMESPACE] setpriv ... java -jar COPY args}, as nobody. */
    private static ExternalCommand asNobody(String namespace, int timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>();
        if (namespace != null) {
            command.addAll(List.of("ip", "netns", "exec", namespace));
        }
        command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                readable.resolve("tapnet.jar").toString()));
        command.addAll(List.of(args));
        return ExternalCommand.run(timeoutSeconds, command.toArray(String[]::new));
    }
}
