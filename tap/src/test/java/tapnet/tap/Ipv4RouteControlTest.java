package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tapnet.wire.Ipv4Address;

class Ipv4RouteControlTest {
    @BeforeEach
    void needsRoot() {
        TapTestEnvironment.assumeTapTestsCanRun();
    }

    @Test
    void aRouteThroughAGatewayIsAddedAndRemovedInTheNamespaceOnly() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            TapDevice tap = ns.call(() -> TapDeviceTest.openConfigured("tapnet0", "10.241.60.1/24", 1500));
            try {
                Ipv4Subnet subnet = Ipv4Subnet.parse("10.241.61.0/24");
                int gateway = Ipv4Address.parse("10.241.60.254");
                ns.call(() -> {
                    Ipv4RouteControl.add(subnet, gateway);
                    return null;
                });
                String routes = ns.ip("route");
                assertTrue(routes.contains("10.241.61.0/24 via 10.241.60.254 dev tapnet0"), routes);
                assertFalse(ExternalCommand.check("ip", "route").contains("10.241.61.0/24"), "not in the root namespace");
                ns.call(() -> {
                    Ipv4RouteControl.delete(subnet, gateway);
                    return null;
                });
                assertFalse(ns.ip("route").contains("10.241.61.0/24"));
            } finally {
                tap.close();
            }
        }
    }
}
