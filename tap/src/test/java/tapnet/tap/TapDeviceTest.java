package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.wire.ArpPacket;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

@Timeout(60)
class TapDeviceTest {
    private static final int NOBODY = 65534;

    @Test
    void openedTapLivesInTheNamespaceWithTheAddressMtuAndLinkItWasGiven() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        try (TestNamespace ns = TestNamespace.create()) {
            TapDevice tap = ns.call(() -> openConfigured("tapnet0", "10.241.1.1/24", 1400));
            try {
                assertEquals("tapnet0", tap.name());
                assertFalse(tap.persistent(), "tapnet created it");
                String address = ns.ip("-o", "-4", "addr", "show", "dev", "tapnet0");
                assertTrue(address.contains("inet 10.241.1.1/24"), address);
                String link = ns.ip("-o", "link", "show", "dev", "tapnet0");
                assertTrue(link.contains("mtu 1400"), link);
                assertTrue(isUp(link), link);
                String routes = ns.ip("-4", "route");
                assertTrue(routes.contains("10.241.1.0/24 dev tapnet0 proto kernel scope link src 10.241.1.1"), routes);
                assertNotEquals(0, ExternalCommand.run("ip", "link", "show", "dev", "tapnet0").exitCode(),
                        "no device in the machine's own namespace");
            } finally {
                tap.close();
            }
            assertNotEquals(0, ExternalCommand.run("ip", "-n", ns.name(), "link", "show", "dev", "tapnet0").exitCode(),
                    "a TAP tapnet created vanishes when closed");
        }
    }

    @Test
    void configuringFromOutsideTheTapsNamespaceIsRefused() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        try (TestNamespace ns = TestNamespace.create()) {
            try (TapDevice tap = ns.call(() -> TapDevice.open("tapnet0"))) {
                InterfaceSettings settings = new InterfaceSettings(InterfaceAddress.parse("10.241.9.1/24"), 1500);
                IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> tap.configure(settings));
                assertTrue(thrown.getMessage().contains("NetworkNamespace.call"), thrown.getMessage());
            }
        }
    }

    @Test
    void kernelNamesTheTapWhenAskedWithPercentD() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        try (TestNamespace ns = TestNamespace.create()) {
            try (TapDevice tap = ns.call(() -> TapDevice.open("tapnet%d"))) {
                assertEquals("tapnet0", tap.name());
            }
        }
    }

    @Test
    void readReturnsTheArpRequestTheKernelSendsToReachAHost() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        try (TestNamespace ns = TestNamespace.create()) {
            try (TapDevice tap = ns.call(() -> openConfigured("tapnet0", "10.241.2.1/24", 1500))) {
                // Sending to an unknown neighbour makes the kernel ask for it.
                ns.exec(5, "ping", "-c", "1", "-W", "1", "10.241.2.2");
                ByteBuffer frame = ByteBuffer.allocateDirect(1514);
                ArpPacket arp = readArp(tap, frame, ArpPacket.OPERATION_REQUEST);
                assertEquals(Ipv4Address.parse("10.241.2.1"), arp.senderIp());
                assertEquals(Ipv4Address.parse("10.241.2.2"), arp.targetIp());
            }
        }
    }

    @Test
    void writtenFrameReachesTheKernelWhichAnswers() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        try (TestNamespace ns = TestNamespace.create()) {
            try (TapDevice tap = ns.call(() -> openConfigured("tapnet0", "10.241.3.1/24", 1500))) {
                int hostIp = Ipv4Address.parse("10.241.3.9");
                long hostMac = MacAddress.derivedFrom(hostIp);
                ByteBuffer frame = ByteBuffer.allocateDirect(1514);
                new EthernetFrame().wrap(frame, 0, EthernetFrame.HEADER_LENGTH)
                        .setDestination(MacAddress.BROADCAST).setSource(hostMac).setEtherType(EthernetFrame.TYPE_ARP);
                new ArpPacket().wrap(frame, EthernetFrame.HEADER_LENGTH, ArpPacket.LENGTH)
                        .write(ArpPacket.OPERATION_REQUEST, hostMac, hostIp, MacAddress.ZERO, Ipv4Address.parse("10.241.3.1"));
                assertEquals(EthernetFrame.MIN_FRAME_LENGTH, tap.write(frame, EthernetFrame.MIN_FRAME_LENGTH));

                ArpPacket reply = readArp(tap, frame, ArpPacket.OPERATION_REPLY);
                assertEquals(hostMac, reply.targetMac());
                assertEquals(Ipv4Address.parse("10.241.3.1"), reply.senderIp());
                String neighbours = ns.ip("neigh", "show", "dev", "tapnet0");
                assertTrue(neighbours.contains("10.241.3.9 lladdr " + MacAddress.format(hostMac)), neighbours);
            }
        }
    }

    @Test
    void aFrameLongerThanTheBufferIsCutToIt() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        try (TestNamespace ns = TestNamespace.create()) {
            try (TapDevice tap = ns.call(() -> openConfigured("tapnet0", "10.241.8.1/24", 1500))) {
                int target = Ipv4Address.parse("10.241.8.2");
                ns.ip("neigh", "replace", "10.241.8.2", "lladdr", MacAddress.format(MacAddress.derivedFrom(target)), "dev", "tapnet0");
                ns.exec(5, "ping", "-c", "1", "-W", "1", "-s", "1000", "10.241.8.2"); // a 1042-byte frame
                ByteBuffer small = ByteBuffer.allocateDirect(200);
                EthernetFrame ethernet = new EthernetFrame();
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (true) {
                    int length = tap.read(small);
                    if (length > 0 && ethernet.wrap(small, 0, length).etherType() == EthernetFrame.TYPE_IPV4) {
                        assertEquals(200, length, "the kernel returns what fit, not the frame's length");
                        assertEquals(200, small.limit());
                        return;
                    }
                    assertTrue(System.nanoTime() < deadline, "no IPv4 frame within 5 s");
                    Thread.sleep(5);
                }
            }
        }
    }

    @Test
    void attachingToAPersistentTapLeavesTheDeviceAndUndoesTheSettingsOnClose() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        try (TestNamespace ns = TestNamespace.create()) {
            ns.ip("tuntap", "add", "dev", "tapkeep0", "mode", "tap");
            TapDevice tap = ns.call(() -> openConfigured("tapkeep0", "10.241.4.1/24", 1400));
            try {
                assertTrue(tap.persistent());
                assertTrue(ns.ip("-o", "-4", "addr", "show", "dev", "tapkeep0").contains("10.241.4.1/24"));
            } finally {
                tap.close();
            }
            String link = ns.ip("-o", "link", "show", "dev", "tapkeep0");
            assertTrue(link.contains("mtu 1500"), "MTU back to what it was: " + link);
            assertTrue(link.contains("state DOWN"), "link down again: " + link);
            assertEquals("", ns.ip("-o", "-4", "addr", "show", "dev", "tapkeep0"), "address removed");
            assertEquals("", ns.ip("-4", "route"), "no route left");
        }
    }

    @Test
    void closingAPersistentTapPutsBackTheAddressAndLinkItHadBefore() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        try (TestNamespace ns = TestNamespace.create()) {
            ns.ip("tuntap", "add", "dev", "tapkeep0", "mode", "tap");
            ns.ip("addr", "add", "10.241.15.1/24", "dev", "tapkeep0");
            ns.ip("link", "set", "dev", "tapkeep0", "up");
            TapDevice tap = ns.call(() -> openConfigured("tapkeep0", "10.241.16.1/25", 1400));
            try {
                assertTrue(ns.ip("-o", "-4", "addr", "show", "dev", "tapkeep0").contains("10.241.16.1/25"));
                String routes = ns.ip("-4", "route");
                assertTrue(routes.contains("10.241.16.0/25 dev tapkeep0") && !routes.contains("10.241.15.0/24"), routes);
            } finally {
                tap.close();
            }
            String address = ns.ip("-o", "-4", "addr", "show", "dev", "tapkeep0");
            assertTrue(address.contains("inet 10.241.15.1/24") && !address.contains("10.241.16.1"), address);
            String link = ns.ip("-o", "link", "show", "dev", "tapkeep0");
            assertTrue(link.contains("mtu 1500") && isUp(link), link);
            String routes = ns.ip("-4", "route");
            assertTrue(routes.contains("10.241.15.0/24 dev tapkeep0") && !routes.contains("10.241.16.0"), routes);
        }
    }

    @Test
    void aUserWhoOwnsAPersistentTapAttachesWithoutPrivileges() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        try (TestNamespace ns = TestNamespace.create()) {
            // What an administrator does once: ip tuntap add dev tapnet0 mode tap user $USER, address, up.
            ns.ip("tuntap", "add", "dev", "tapuser0", "mode", "tap", "user", String.valueOf(NOBODY));
            ns.ip("addr", "add", "10.241.5.1/24", "dev", "tapuser0");
            ns.ip("link", "set", "dev", "tapuser0", "up");
            String persistentFlags = ns.call(() -> {
                ThreadCredentials.becomeUser(NOBODY, NOBODY);
                assertThreadIsUnprivileged();
                try (TapDevice tap = TapDevice.open("tapuser0")) {
                    // Settings already in place: nothing to change, so no privilege needed.
                    tap.configure(new InterfaceSettings(InterfaceAddress.parse("10.241.5.1/24"), 1500));
                    return tap.persistent() + " " + tap.name();
                }
            });
            assertEquals("true tapuser0", persistentFlags);
            String address = ns.ip("-o", "-4", "addr", "show", "dev", "tapuser0");
            assertTrue(address.contains("10.241.5.1/24"), "the administrator's settings stay: " + address);
        }
    }

    @Test
    void aUserWithoutPrivilegesIsToldHowToGetATap() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        try (TestNamespace ns = TestNamespace.create()) {
            ns.ip("tuntap", "add", "dev", "tapuser0", "mode", "tap", "user", String.valueOf(NOBODY));
            String[] messages = ns.call(() -> {
                ThreadCredentials.becomeUser(NOBODY, NOBODY);
                SystemCallException create = assertThrows(SystemCallException.class, () -> TapDevice.open("tapnew0"));
                assertEquals(Errno.EPERM, create.errno());
                try (TapDevice tap = TapDevice.open("tapuser0")) {
                    SystemCallException configure = assertThrows(SystemCallException.class,
                            () -> tap.configure(new InterfaceSettings(InterfaceAddress.parse("10.241.6.1/24"), 1500)));
                    return new String[] {create.getMessage(), configure.getMessage()};
                }
            });
            assertTrue(messages[0].contains("sudo ip tuntap add dev tapnew0 mode tap user $USER"), messages[0]);
            assertTrue(messages[1].contains("CAP_NET_ADMIN") && messages[1].contains("ip addr add"), messages[1]);
            assertEquals("", ns.ip("-o", "-4", "addr", "show", "dev", "tapuser0"), "nothing was changed");
        }
    }

    @Test
    void missingCloneDeviceIsExplainedWithTheFix() {
        SystemCallException thrown = assertThrows(SystemCallException.class,
                () -> TapDevice.open(Path.of("/nonexistent/net/tun"), "tapnet0"));
        assertEquals(Errno.ENOENT, thrown.errno());
        assertTrue(thrown.getMessage().contains("modprobe tun"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("--device /dev/net/tun"), thrown.getMessage());
    }

    @Test
    void deniedCloneDeviceNamesRootOrAPersistentTap() {
        String fix = TapDevice.cloneDeviceFix(TapDevice.CLONE_DEVICE, Errno.EACCES);
        assertTrue(fix.contains("root") && fix.contains("ip tuntap add dev tapnet0 mode tap user $USER"), fix);
    }

    @Test
    void invalidInterfaceNamesAreRefusedBeforeAnySystemCall() {
        assertThrows(IllegalArgumentException.class, () -> TapDevice.open("a-name-longer-than-15"));
        assertThrows(IllegalArgumentException.class, () -> TapDevice.open("tap/0"));
        assertThrows(IllegalArgumentException.class, () -> TapDevice.open(""));
    }

    static TapDevice openConfigured(String name, String address, int mtu) throws SystemCallException {
        return openConfigured(name, address, mtu, false);
    }

    static TapDevice openConfigured(String name, String address, int mtu, boolean offloads) throws SystemCallException {
        TapDevice tap = TapDevice.open(name, offloads);
        try {
            tap.configure(new InterfaceSettings(InterfaceAddress.parse(address), mtu));
            return tap;
        } catch (SystemCallException | RuntimeException e) {
            tap.close();
            throw e;
        }
    }

    /** Reads frames (the descriptor does not block) until an ARP packet of {@code operation}, for 5 s at most. */
    private static ArpPacket readArp(TapDevice tap, ByteBuffer frame, int operation) throws InterruptedException {
        EthernetFrame ethernet = new EthernetFrame();
        ArpPacket arp = new ArpPacket();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            int length = tap.read(frame);
            if (length == TapDevice.WOULD_BLOCK) {
                Thread.sleep(5);
                continue;
            }
            assertTrue(length > 0, "read failed: errno " + -length);
            ethernet.wrap(frame, 0, length);
            if (ethernet.etherType() == EthernetFrame.TYPE_ARP) {
                arp.wrap(frame, EthernetFrame.HEADER_LENGTH, length - EthernetFrame.HEADER_LENGTH);
                if (arp.isValidEthernetIpv4() && arp.operation() == operation) {
                    return arp;
                }
            }
        }
        throw new AssertionError("no ARP " + (operation == ArpPacket.OPERATION_REQUEST ? "request" : "reply") + " from the kernel within 5 s");
    }

    /** Whether {@code ip link} output shows the UP flag, as in {@code <NO-CARRIER,BROADCAST,MULTICAST,UP>}. */
    private static boolean isUp(String link) {
        return link.matches("(?s).*<[A-Z_,-]*\\bUP\\b[A-Z_,-]*>.*");
    }

    private static void assertThreadIsUnprivileged() throws Exception {
        String status = Files.readString(Path.of("/proc/thread-self/status"));
        assertTrue(status.contains("Uid:\t" + NOBODY + "\t" + NOBODY), status);
        assertTrue(status.contains("CapEff:\t0000000000000002"), "only CAP_DAC_OVERRIDE left: " + status);
    }
}
