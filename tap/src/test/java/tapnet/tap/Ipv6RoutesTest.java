package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Overlaps over /proc/net/ipv6_route text: what every IPv6 interface has (default, fe80::/64, ff00::/8, the
 * local table's own addresses) is no overlap; a route into the topology's subnet is one.
 */
class Ipv6RoutesTest {
    /** A machine's table as Linux 6.x prints it: eth0 with fd00::2/64, a default route, lo. */
    private static final List<String> MACHINE = List.of(
            "fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0",
            "fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000002 00000000 00000001     eth0",
            "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000003 00000000 00000003     eth0",
            "00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo",
            "fd000000000000000000000000000002 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000004 00000000 80200001     eth0",
            "fd000000000000000000000000000000 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000001 00000000 80300001     eth0",
            "fe8000000000000000fc00fffe000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000003 00000000 80200001     eth0",
            "ff000000000000000000000000000000 08 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000002 00000000 00000001     eth0",
            "00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo");

    @Test
    void readsDestinationDeviceGatewayAndMetricLeavingOutTheLocalTable() {
        List<Ipv6Route> routes = Ipv6Routes.parse(MACHINE).routes();
        assertEquals(List.of("fd00::/64 dev eth0 metric 256", "fe80::/64 dev eth0 metric 256", "default via fd00::1 dev eth0 metric 1024",
                "ff00::/8 dev eth0 metric 256", "default dev lo metric 4294967295"), routes.stream().map(Ipv6Route::toString).toList());
    }

    @Test
    void whatEveryInterfaceHasIsNoOverlap() {
        Ipv6Routes routes = Ipv6Routes.parse(MACHINE);
        assertEquals(List.of(), routes.overlapping(Ipv6Subnet.parse("fd77::/64")));
        assertFalse(routes.overlaps(Ipv6Subnet.parse("2001:db8::/32")));
    }

    @Test
    void aRouteSharingAddressesWithTheSubnetOverlapsWiderOrNarrower() {
        Ipv6Routes routes = Ipv6Routes.parse(MACHINE);
        assertEquals("[fd00::/64 dev eth0 metric 256]", routes.overlapping(Ipv6Subnet.parse("fd00::/64")).toString());
        assertTrue(routes.overlaps(Ipv6Subnet.parse("fd00::/16")), "wider");
        assertTrue(routes.overlaps(Ipv6Subnet.parse("fd00::80/121")), "narrower");
        assertFalse(routes.overlaps(Ipv6Subnet.parse("fd00:0:0:1::/64")), "beside");
    }

    @Test
    void theConnectedRouteOfTheTapsOwnDeviceToExactlyItsSubnetIsNoOverlap() {
        Ipv6Routes routes = Ipv6Routes.parse(List.of(
                "fd770000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001  tapnet0"));
        Ipv6Subnet subnet = Ipv6Subnet.parse("fd77::/64");
        assertEquals(1, routes.overlapping(subnet).size(), "without the device: an overlap");
        assertEquals(List.of(), routes.overlapping(subnet, "tapnet0"));
        assertEquals(1, routes.overlapping(subnet, "v0").size(), "another device's route to it overlaps");
    }

    @Test
    void aRouteThroughAGatewayToTheSubnetOverlapsEvenOnTheTap() {
        Ipv6Routes routes = Ipv6Routes.parse(List.of(
                "fd770001000000000000000000000000 40 00000000000000000000000000000000 00 fd7700000000000000000000000000fe 00000400 00000001 00000000 00000003  tapnet0"));
        List<Ipv6Route> overlapping = routes.overlapping(Ipv6Subnet.parse("fd77:1::/64"), "tapnet0");
        assertEquals("[fd77:1::/64 via fd77::fe dev tapnet0 metric 1024]", overlapping.toString());
        assertEquals(0xfd77_0000_0000_0000L, overlapping.get(0).gatewayHigh());
        assertEquals(0xfeL, overlapping.get(0).gatewayLow());
    }

    @Test
    void readsThisThreadsNamespace() throws Exception {
        Ipv6Routes.current(); // parses whatever this machine has, or nothing without IPv6
    }
}
