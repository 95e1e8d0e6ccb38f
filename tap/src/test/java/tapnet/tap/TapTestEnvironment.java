package tapnet.tap;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that need the real kernel: they run as root (CAP_NET_ADMIN, CAP_SYS_ADMIN) with
 * {@code /dev/net/tun} and the tools they drive. Where something is missing the test is skipped with the
 * reason, except when the environment has {@code TAPNET_REQUIRE_TAP=1} (CI sets it): then it fails.
 */
public final class TapTestEnvironment {
    static final String REQUIRE_VARIABLE = "TAPNET_REQUIRE_TAP";
    /** Where the tests put their subnets: 10.241.N.0/24, one N per test. Never the machine's own. */
    static final Ipv4Subnet TEST_RANGE = Ipv4Subnet.parse("10.241.0.0/16");
    /** Where the IPv6 tests put theirs: fd77:241:N::/64, N the IPv4 test's third number. */
    static final Ipv6Subnet TEST_RANGE6 = Ipv6Subnet.parse("fd77:241::/32");
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;

    private TapTestEnvironment() {
    }

    /** Skips (or, required, fails) unless namespaces and TAP devices can be made here. */
    public static void assumeTapTestsCanRun() {
        check(Files.exists(TapDevice.CLONE_DEVICE), TapDevice.CLONE_DEVICE + " is missing (modprobe tun; in a container --device /dev/net/tun)");
        long capabilities = effectiveCapabilities();
        check((capabilities & (1L << CAP_NET_ADMIN)) != 0 && (capabilities & (1L << CAP_SYS_ADMIN)) != 0,
                "the TAP tests need root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to make namespaces and TAP devices");
        assumeCommand("ip");
        check(!routesOfThisMachineOverlapTestRange(), "this machine routes part of " + TEST_RANGE
                + ", which the TAP tests use inside their namespaces; they will not risk confusing it");
        check(!routesOfThisMachineOverlapTestRange6(), "this machine routes part of " + TEST_RANGE6
                + ", which the TAP tests use inside their namespaces; they will not risk confusing it");
    }

    /** Skips (or, required, fails) unless {@code command} is on the PATH (or in /sbin, /usr/sbin). */
    public static void assumeCommand(String command) {
        check(findCommand(command), "the TAP tests need the '" + command + "' command");
    }

    public static boolean required() {
        return "1".equals(System.getenv(REQUIRE_VARIABLE));
    }

    private static void check(boolean available, String reason) {
        if (available) {
            return;
        }
        if (required()) {
            fail(reason + " (" + REQUIRE_VARIABLE + "=1 makes this a failure)");
        }
        Assumptions.abort(reason + "; skipped (set " + REQUIRE_VARIABLE + "=1 to fail instead)");
    }

    private static long effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return new BigInteger(line.substring("CapEff:".length()).trim(), 16).longValue();
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static boolean findCommand(String command) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin" + File.pathSeparator + "/sbin";
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, command))) {
                return true;
            }
        }
        return false;
    }

    private static boolean routesOfThisMachineOverlapTestRange6() {
        try {
            return Ipv6Routes.current().overlaps(TEST_RANGE6);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean routesOfThisMachineOverlapTestRange() {
        try {
            List<Ipv4Route> overlapping = Ipv4Routes.current().overlapping(TEST_RANGE);
            return !overlapping.isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
