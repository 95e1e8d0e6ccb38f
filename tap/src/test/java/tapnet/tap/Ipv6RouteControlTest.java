package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class Ipv6RouteControlTest {
    private static final Ipv6Subnet ROUTED = Ipv6Subnet.parse("fd77:241:86::/64");
    private static final long GATEWAY_HIGH = 0xfd77_0241_0085_0000L;
    private static final long GATEWAY_LOW = 0xfeL;

    @BeforeEach
    void needsRoot() {
        TapTestEnvironment.assumeTapTestsCanRun();
    }

    @Test
    void aRouteThroughAGatewayOnTheTapsPrefixIsAddedAndRemovedInTheNamespaceOnly() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            TapDevice tap = ns.call(() -> Ipv6ConfigurationTest.openConfigured("tapnet0", "10.241.85.1/24", "fd77:241:85::1/64"));
            try {
                List<Ipv6Route> added = ns.call(() -> {
                    Ipv6RouteControl.add(ROUTED, GATEWAY_HIGH, GATEWAY_LOW);
                    return Ipv6Routes.current().overlapping(ROUTED);
                });
                assertEquals("[fd77:241:86::/64 via fd77:241:85::fe dev tapnet0 metric 1024]", added.toString(),
                        "read back from /proc/net/ipv6_route");
                String routes = ns.ip("-6", "route");
                assertTrue(routes.contains("fd77:241:86::/64 via fd77:241:85::fe dev tapnet0"), routes);
                assertFalse(ExternalCommand.check("ip", "-6", "route").contains("fd77:241:86::"), "not in the root namespace");
                List<Ipv6Route> after = ns.call(() -> {
                    Ipv6RouteControl.delete(ROUTED, GATEWAY_HIGH, GATEWAY_LOW);
                    return Ipv6Routes.current().overlapping(ROUTED);
                });
                assertEquals(List.of(), after);
                assertFalse(ns.ip("-6", "route").contains("fd77:241:86::"));
            } finally {
                tap.close();
            }
        }
    }

    @Test
    void theTapsConnectedRouteIsItsOwnAndNoOverlap() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            TapDevice tap = ns.call(() -> Ipv6ConfigurationTest.openConfigured("tapnet0", "10.241.87.1/24", "fd77:241:87::1/64"));
            try {
                Ipv6Subnet subnet = Ipv6Subnet.parse("fd77:241:87::/64");
                Ipv6Routes routes = ns.call(Ipv6Routes::current);
                assertEquals("[fd77:241:87::/64 dev tapnet0 metric 256]", routes.overlapping(subnet).toString());
                assertEquals(List.of(), routes.overlapping(subnet, "tapnet0"));
            } finally {
                tap.close();
            }
        }
    }
}
