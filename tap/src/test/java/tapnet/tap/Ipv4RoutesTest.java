package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class Ipv4RoutesTest {
    private static final String HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";

    @Test
    void parsesTheKernelsRouteFile() {
        Ipv4Routes routes = Ipv4Routes.parse(List.of(HEADER,
                line("eth0", "0.0.0.0", "192.0.2.1", 0x3, 100, "0.0.0.0"),
                line("eth0", "192.0.2.0", "0.0.0.0", 0x1, 0, "255.255.255.0")));
        assertEquals("[default via 192.0.2.1 dev eth0 metric 100, 192.0.2.0/24 dev eth0]", routes.toString());
    }

    @Test
    void aSubnetInsideARouteOverlapsIt() {
        Ipv4Routes routes = Ipv4Routes.parse(List.of(HEADER, line("eth0", "10.0.0.0", "0.0.0.0", 0x1, 0, "255.0.0.0")));
        assertTrue(routes.overlaps(Ipv4Subnet.parse("10.77.0.0/24")));
    }

    @Test
    void aSubnetAroundARouteOverlapsIt() {
        Ipv4Routes routes = Ipv4Routes.parse(List.of(HEADER, line("wg0", "172.16.5.0", "0.0.0.0", 0x1, 0, "255.255.255.0")));
        assertEquals(1, routes.overlapping(Ipv4Subnet.parse("172.16.0.0/12")).size());
    }

    @Test
    void aDisjointSubnetDoesNotOverlap() {
        Ipv4Routes routes = Ipv4Routes.parse(List.of(HEADER, line("eth0", "192.0.2.0", "0.0.0.0", 0x1, 0, "255.255.255.0")));
        assertFalse(routes.overlaps(Ipv4Subnet.parse("192.0.3.0/24")));
    }

    @Test
    void theDefaultRouteOverlapsNothing() {
        Ipv4Routes routes = Ipv4Routes.parse(List.of(HEADER, line("eth0", "0.0.0.0", "192.0.2.1", 0x3, 0, "0.0.0.0")));
        assertFalse(routes.overlaps(Ipv4Subnet.parse("10.77.0.0/16")));
    }

    @Test
    void subnetsWithHostBitsAreRefusedWithTheNetworkNamed() {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> Ipv4Subnet.parse("10.77.0.1/24"));
        assertTrue(thrown.getMessage().contains("10.77.0.0/24"), thrown.getMessage());
    }

    @Test
    void routesAreThoseOfTheCallingThreadsNamespace() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        Ipv4Subnet tapSubnet = Ipv4Subnet.parse("10.241.40.0/24");
        try (TestNamespace ns = TestNamespace.create()) {
            Ipv4Routes inside = ns.call(() -> {
                try (TapDevice tap = TapDeviceTest.openConfigured("tapnet0", "10.241.40.1/24", 1500)) {
                    return Ipv4Routes.current();
                }
            });
            assertEquals(List.of(new Ipv4Route(tapSubnet, "tapnet0", 0, 0)), inside.routes());
            assertTrue(inside.overlaps(Ipv4Subnet.parse("10.241.40.128/25")));
            assertFalse(Ipv4Routes.current().overlaps(tapSubnet), "the machine's own routes do not see the namespace's");
        }
    }

    /** A line as the kernel prints it: each address's network-order bytes read as a host-order hex number. */
    private static String line(String device, String destination, String gateway, int flags, int metric, String mask) {
        return device + "\t" + hex(destination) + "\t" + hex(gateway) + "\t" + String.format("%04X", flags) + "\t0\t0\t" + metric
                + "\t" + hex(mask) + "\t0\t0\t0";
    }

    private static String hex(String address) {
        int value = tapnet.wire.Ipv4Address.parse(address);
        return String.format("%08X", ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(value) : value);
    }
}
