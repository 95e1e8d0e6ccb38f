package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A persistent TAP an administrator gave the topology's address has the kernel's connected route to
 * exactly the topology's subnet: that one route is the TAP's own, not an overlap. Any other route stays one.
 */
class ConnectedRouteTest {
    private static final String HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";
    private static final Ipv4Subnet SUBNET = Ipv4Subnet.parse("10.77.0.0/24");

    @Test
    void theConnectedRouteOfTheTapsOwnDeviceToExactlyItsSubnetIsNoOverlap() {
        Ipv4Routes routes = Ipv4Routes.parse(List.of(HEADER, line("tapnet0", "10.77.0.0", "0.0.0.0", 0x1, "255.255.255.0")));
        assertEquals(1, routes.overlapping(SUBNET).size(), "without the device: an overlap as before");
        assertEquals(List.of(), routes.overlapping(SUBNET, "tapnet0"));
    }

    @Test
    void anotherDevicesRouteToTheSameSubnetStillOverlaps() {
        Ipv4Routes routes = Ipv4Routes.parse(List.of(HEADER, line("v0", "10.77.0.0", "0.0.0.0", 0x1, "255.255.255.0")));
        assertEquals(1, routes.overlapping(SUBNET, "tapnet0").size());
    }

    @Test
    void aWiderOrNarrowerRouteOrOneThroughAGatewayStillOverlaps() {
        Ipv4Routes routes = Ipv4Routes.parse(List.of(HEADER,
                line("tapnet0", "10.77.0.0", "0.0.0.0", 0x1, "255.255.0.0"),
                line("tapnet0", "10.77.0.128", "0.0.0.0", 0x1, "255.255.255.128"),
                line("tapnet0", "10.77.0.0", "10.77.0.254", 0x3, "255.255.255.0")));
        assertEquals(3, routes.overlapping(SUBNET, "tapnet0").size());
    }

    private static String line(String device, String destination, String gateway, int flags, String mask) {
        return device + "\t" + hex(destination) + "\t" + hex(gateway) + "\t" + String.format("%04X", flags) + "\t0\t0\t0"
                + "\t" + hex(mask) + "\t0\t0\t0";
    }

    private static String hex(String address) {
        int value = tapnet.wire.Ipv4Address.parse(address);
        return String.format("%08X", ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(value) : value);
    }
}
