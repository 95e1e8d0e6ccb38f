package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A rootless run configures IPv6 too: as nobody (uid 65534) in a user namespace that owns a network
 * namespace of its own ({@code unshare -Urn}), the TAP gets its IPv6 address (DAD off through the device's
 * sysctl, so usable at once) and an IPv6 route. The child JVM's namespaces die with it: nothing reaches
 * the machine's. lo is up before the JVM starts: a JVM decides once, as it starts, whether the machine has
 * IPv6, from the addresses in /proc/net/if_inet6 (none in a fresh namespace whose lo is down).
 */
@Timeout(90)
class Ipv6RootlessTest {
    private static final String NOBODY = "65534";

    @Test
    void asNobodyInAUserNamespaceTheAddressTheSwitchesAndTheRouteAreSet() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("setpriv");
        TapTestEnvironment.assumeCommand("unshare");
        Path copy = Files.createTempDirectory("tapnet-ipv6-rootless");
        try {
            String classPath = readableClassPath(copy);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ExternalCommand probe = ExternalCommand.run(60, "setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                    "unshare", "-Urn", "sh", "-c", "ip link set lo up && exec \"$0\" -cp \"$1\" " + Ipv6RootlessProbe.class.getName(),
                    java, classPath);
            assertEquals(0, probe.exitCode(), probe.describe());
            String output = probe.output();
            assertTrue(output.contains("uid_map: 0 " + NOBODY + " 1\n"), output);
            String address = output.lines().filter(l -> l.startsWith("address: ")).findFirst().orElse("address: (none)");
            String[] field = address.substring("address: ".length()).split(" ");
            assertEquals(6, field.length, output);
            assertEquals("40", field[2], "prefix length 64: " + address);
            assertEquals(0, Integer.parseInt(field[4], 16) & Ipv6AddressControl.IFA_F_TENTATIVE, "not tentative: " + address);
            assertTrue(output.contains("route: [fd77:241:89::/64 via fd77:241:88::fe dev tapnet0 metric 1024]\n"), output);
            assertTrue(output.contains("accept_dad: 0\n"), output);
            assertTrue(output.contains("bound: fd77:241:88:0:0:0:0:1\n"), output);
        } finally {
            try (Stream<Path> files = Files.walk(copy)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /**
     * The test class path copied where nobody may read it (the build's jars are in root's home): a directory
     * {@code copy} of mode 755 with one entry per class path entry.
     */
    private static String readableClassPath(Path copy) throws IOException {
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = copy.resolve(n++ + "-" + source.getFileName());
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.toList()) {
                    Path to = target.resolve(source.relativize(file).toString());
                    Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
                    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(Files.isDirectory(to) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            entries.add(target.toString());
        }
        return String.join(File.pathSeparator, entries);
    }
}
