package tapnet.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.tcp.TcpConfig;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/** Topologies made in code are held to the same rules as files, and stay immutable. */
class TopologyModelTest {
    private static final TapSpec TAP = new TapSpec("tapnet0", ip("10.77.0.1"), 24, 1500);

    @Test
    void theTapKnowsItsSubnet() {
        assertEquals(ip("10.77.0.0"), TAP.network());
        assertEquals(ip("10.77.0.255"), TAP.broadcast());
        assertEquals(ip("10.77.0.1"), TAP.firstHost());
        assertEquals(ip("10.77.0.254"), TAP.lastHost());
        assertEquals("10.77.0.0/24", TAP.subnet());
        assertEquals("10.77.0.1/24", TAP.addressWithPrefix());
        assertTrue(TAP.contains(ip("10.77.0.200")));
        assertFalse(TAP.contains(ip("10.77.1.1")));
    }

    @Test
    void aTapOutsideItsLimitsCannotBeMade() {
        assertThrows(IllegalArgumentException.class, () -> new TapSpec("tapnet0", ip("10.77.0.1"), 31, 1500));
        assertThrows(IllegalArgumentException.class, () -> new TapSpec("tapnet0", ip("10.77.0.1"), 24, 575));
        assertThrows(IllegalArgumentException.class, () -> new TapSpec("tapnet0", ip("10.77.0.0"), 24, 1500));
        assertThrows(IllegalArgumentException.class, () -> new TapSpec("a/b", ip("10.77.0.1"), 24, 1500));
    }

    @Test
    void aHostWithoutAMacGetsTheDerivedOne() {
        HostSpec host = new HostSpec("web", ip("10.77.0.10"), List.of());
        assertEquals(MacAddress.derivedFrom(ip("10.77.0.10")), host.mac());
    }

    @Test
    void aHostCannotServeAPortTwice() {
        assertThrows(IllegalArgumentException.class, () -> new HostSpec("web", ip("10.77.0.10"),
                List.of(new ServiceSpec.Echo(7), new ServiceSpec.Discard(7))));
    }

    @Test
    void aHostCannotHaveAMulticastMac() {
        assertThrows(IllegalArgumentException.class,
                () -> new HostSpec("web", ip("10.77.0.10"), MacAddress.parse("01:00:5e:00:00:01"), List.of()));
    }

    @Test
    void servicesCheckTheirSettings() {
        assertThrows(IllegalArgumentException.class, () -> new ServiceSpec.Echo(0));
        assertThrows(IllegalArgumentException.class, () -> new ServiceSpec.Http(80, 100, "", "text/plain"));
        assertThrows(IllegalArgumentException.class, () -> new ServiceSpec.Http(80, 200, "", "text/plain\r\nX: y"));
        assertEquals(new ServiceSpec.Http(80, 200, "hello from tapnet\n", "text/plain"), new ServiceSpec.Http(80));
    }

    @Test
    void aTopologyRefusesHostsOutsideTheSubnetOrSharingAnAddressOrMac() {
        TcpConfig tcp = TcpConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> new Topology("t", 0, TAP, tcp,
                List.of(new HostSpec("a", ip("10.78.0.2"), List.of()))));
        assertThrows(IllegalArgumentException.class, () -> new Topology("t", 0, TAP, tcp,
                List.of(new HostSpec("a", ip("10.77.0.1"), List.of()))));
        assertThrows(IllegalArgumentException.class, () -> new Topology("t", 0, TAP, tcp,
                List.of(new HostSpec("a", ip("10.77.0.2"), List.of()), new HostSpec("b", ip("10.77.0.2"), List.of()))));
        assertThrows(IllegalArgumentException.class, () -> new Topology("t", 0, TAP, tcp,
                List.of(new HostSpec("a", ip("10.77.0.2"), List.of()), new HostSpec("a", ip("10.77.0.3"), List.of()))));
        long mac = MacAddress.parse("02:00:00:00:00:01");
        assertThrows(IllegalArgumentException.class, () -> new Topology("t", 0, TAP, tcp,
                List.of(new HostSpec("a", ip("10.77.0.2"), mac, List.of()), new HostSpec("b", ip("10.77.0.3"), mac, List.of()))));
    }

    @Test
    void aTopologyKeepsNoReferenceToTheListsItWasGiven() {
        List<HostSpec> hosts = new ArrayList<>(List.of(new HostSpec("a", ip("10.77.0.2"), List.of())));
        Topology topology = new Topology("t", 0, TAP, TcpConfig.defaults(), hosts);
        hosts.clear();
        assertEquals(1, topology.hosts().size());
        assertThrows(UnsupportedOperationException.class, () -> topology.hosts().clear());
        assertEquals("a", topology.host("a").orElseThrow().name());
    }

    private static int ip(String text) {
        return Ipv4Address.parse(text);
    }
}
