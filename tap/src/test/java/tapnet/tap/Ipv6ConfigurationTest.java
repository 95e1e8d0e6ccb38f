package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernel's side of the TAP gets its IPv6 address with its prefix, usable at once (not tentative), and on
 * a persistent TAP loses exactly what tapnet gave it on close: the user's own addresses and switches stay.
 * Each test in a namespace of its own.
 */
@Timeout(60)
class Ipv6ConfigurationTest {
    @BeforeEach
    void needsRoot() {
        TapTestEnvironment.assumeTapTestsCanRun();
    }

    @Test
    void theAddressIsAddedWithItsPrefixAndIsUsableAtOnce() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            String bound = ns.call(() -> {
                try (TapDevice tap = openConfigured("tapnet0", "10.241.80.1/24", "fd77:241:80::1/64")) {
                    // Bound at once: a tentative address is not yet the interface's (EADDRNOTAVAIL).
                    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("fd77:241:80::1"), 0))) {
                        String inet6 = ifInet6Line("fd770241008000000000000000000001");
                        return socket.getLocalAddress().getHostAddress() + " | " + inet6 + " | " + ipAddr(ns, "tapnet0");
                    }
                }
            });
            String[] parts = bound.split(" \\| ");
            assertEquals("fd77:241:80:0:0:0:0:1", parts[0]);
            String[] field = parts[1].trim().split("\\s+");
            assertEquals("40", field[2], "prefix length 64 in /proc/net/if_inet6: " + parts[1]);
            assertEquals(0, Integer.parseInt(field[4], 16) & Ipv6AddressControl.IFA_F_TENTATIVE, "not tentative: " + parts[1]);
            assertTrue(parts[2].contains("inet6 fd77:241:80::1/64 scope global"), parts[2]);
            assertFalse(parts[2].contains("tentative"), parts[2]);
            assertFalse(ExternalCommand.check("ip", "-6", "addr").contains("fd77:241:80::1"), "not in the root namespace");
        }
    }

    /**
     * The kernel takes a new address out of tentative on a worker of its own, after the ioctl that added it
     * has returned. A JVM's first configure is slow enough to hide that; later ones are not: before tapnet
     * waited for that state, about one round in two here found the address not yet bindable.
     */
    @Test
    void theAddressIsBindableAtOnceEachTimeWhileNamespacesComeAndGo() throws Exception {
        for (int i = 0; i < 10; i++) {
            try (TestNamespace ns = TestNamespace.create()) {
                String bound = ns.call(() -> {
                    try (TapDevice tap = openConfigured("tapnet0", "10.241.85.1/24", "fd77:241:85::1/64");
                            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("fd77:241:85::1"), 0))) {
                        return socket.getLocalAddress().getHostAddress();
                    }
                });
                assertEquals("fd77:241:85:0:0:0:0:1", bound, "round " + i);
            }
        }
    }

    @Test
    void onAPersistentTapTheUsersAddressAndSwitchesStayAndTapnetsAddressGoesOnClose() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            // An administrator's TAP: its IPv4 address, up, an IPv6 address of its own, DAD as the kernel has it.
            ns.ip("tuntap", "add", "dev", "tapkeep0", "mode", "tap");
            ns.ip("addr", "add", "10.241.81.1/24", "dev", "tapkeep0");
            ns.ip("link", "set", "tapkeep0", "up");
            ns.ip("-6", "addr", "add", "fd77:241:82::5/64", "dev", "tapkeep0", "nodad");
            String dad = sysctl(ns, "tapkeep0", "accept_dad");
            TapDevice tap = ns.call(() -> openConfigured("tapkeep0", "10.241.81.1/24", "fd77:241:81::1/64"));
            try {
                String during = ns.ip("-6", "addr", "show", "dev", "tapkeep0");
                assertTrue(during.contains("inet6 fd77:241:81::1/64"), during);
                assertTrue(during.contains("inet6 fd77:241:82::5/64"), during);
                assertEquals("0", sysctl(ns, "tapkeep0", "accept_dad"));
            } finally {
                ns.call(() -> {
                    tap.close();
                    return null;
                });
            }
            String after = ns.ip("-6", "addr", "show", "dev", "tapkeep0");
            assertFalse(after.contains("fd77:241:81::1"), after);
            assertTrue(after.contains("inet6 fd77:241:82::5/64"), after);
            assertEquals(dad, sysctl(ns, "tapkeep0", "accept_dad"), "accept_dad as it was");
        }
    }

    @Test
    void ipv6SwitchedOffForTheDeviceIsSwitchedOnAndOffAgainOnClose() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            ns.ip("tuntap", "add", "dev", "tapkeep0", "mode", "tap");
            ns.exec(10, "sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/tapkeep0/disable_ipv6");
            assertEquals("1", sysctl(ns, "tapkeep0", "disable_ipv6"));
            TapDevice tap = ns.call(() -> openConfigured("tapkeep0", "10.241.83.1/24", "fd77:241:83::1/64"));
            try {
                assertEquals("0", sysctl(ns, "tapkeep0", "disable_ipv6"));
                assertTrue(ns.ip("-6", "addr", "show", "dev", "tapkeep0").contains("inet6 fd77:241:83::1/64"));
            } finally {
                ns.call(() -> {
                    tap.close();
                    return null;
                });
            }
            assertEquals("1", sysctl(ns, "tapkeep0", "disable_ipv6"));
            assertFalse(ns.ip("-6", "addr", "show", "dev", "tapkeep0").contains("fd77:241:83::1"));
        }
    }

    @Test
    void theSameAddressWithAnotherPrefixLengthIsReplacedAndPutBack() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            ns.ip("tuntap", "add", "dev", "tapkeep0", "mode", "tap");
            ns.ip("addr", "add", "10.241.84.1/24", "dev", "tapkeep0");
            ns.ip("link", "set", "tapkeep0", "up");
            ns.ip("-6", "addr", "add", "fd77:241:84::1/48", "dev", "tapkeep0", "nodad");
            TapDevice tap = ns.call(() -> openConfigured("tapkeep0", "10.241.84.1/24", "fd77:241:84::1/64"));
            try {
                String during = ns.ip("-6", "addr", "show", "dev", "tapkeep0");
                assertTrue(during.contains("inet6 fd77:241:84::1/64"), during);
                assertFalse(during.contains("fd77:241:84::1/48"), during);
            } finally {
                ns.call(() -> {
                    tap.close();
                    return null;
                });
            }
            String after = ns.ip("-6", "addr", "show", "dev", "tapkeep0");
            assertTrue(after.contains("inet6 fd77:241:84::1/48"), after);
            assertFalse(after.contains("fd77:241:84::1/64"), after);
        }
    }

    @Test
    void readsTheAddressesOfOneDeviceFromIfInet6Text() {
        List<String> text = List.of(
                "00000000000000000000000000000001 01 80 10 80       lo",
                "fd770241008000000000000000000001 05 40 00 80  tapnet0",
                "fe80000000000000a8bbccfffedd0001 05 40 20 80  tapnet0");
        assertEquals(List.of(Ipv6InterfaceAddress.parse("fd77:241:80::1/64"), Ipv6InterfaceAddress.parse("fe80::a8bb:ccff:fedd:1/64")),
                Ipv6AddressControl.addresses("tapnet0", text));
    }

    static TapDevice openConfigured(String name, String address, String address6) throws SystemCallException {
        TapDevice tap = TapDevice.open(name);
        try {
            tap.configure(new InterfaceSettings(InterfaceAddress.parse(address), 1500, Ipv6InterfaceAddress.parse(address6)));
            return tap;
        } catch (SystemCallException | RuntimeException e) {
            tap.close();
            throw e;
        }
    }

    private static String ifInet6Line(String hex) throws Exception {
        return Files.readAllLines(Ipv6AddressControl.THREAD_ADDRESSES).stream().filter(l -> l.startsWith(hex)).findFirst()
                .orElse("(none for " + hex + ")");
    }

    private static String ipAddr(TestNamespace ns, String device) {
        return ns.ip("-6", "addr", "show", "dev", device);
    }

    private static String sysctl(TestNamespace ns, String device, String name) {
        ExternalCommand cat = ns.exec(10, "cat", "/proc/sys/net/ipv6/conf/" + device + "/" + name);
        assertEquals(0, cat.exitCode(), cat.describe());
        return cat.output().trim();
    }
}
