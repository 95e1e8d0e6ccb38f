package tapnet.topology;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.link.Impairments;
import tapnet.tcp.TcpConfig;
import tapnet.topology.yaml.TopologyError;
import tapnet.topology.yaml.TopologyException;
import tapnet.topology.yaml.TopologyLoader;
import tapnet.topology.yaml.TopologySummary;
import tapnet.wire.Ipv4Address;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real ports in topology files: a valid {@code ports:} section parses to its {@link PortSpec}s, every
 * mistake in one is reported at its line and column, and a Topology made in code holds ports to the same rules.
 */
class TopologyPortsTest {
    private static final TapSpec TAP = new TapSpec("tapnet0", ip("10.77.0.1"), 24, 1500);
    /** Five lines every error test below starts with: one host, one router; ports begin on line 6. */
    private static final String HEAD = """
            tap: { address: 10.77.0.1/24 }
            routers: { r1: { address: 10.77.0.254, subnet: 10.78.1.1/24 } }
            hosts:
              web: { address: 10.77.0.10 }
            ports:
            """;

    @Test
    void eachNodesParentIsTheRouterWhoseSubnetHoldsItOrTheTap() throws Exception {
        Topology topology = TopologyLoader.parse("t.yaml", (HEAD + """
                  left: { netns: tapnet-left, address: 10.77.0.101 }
                """).replace("hosts:\n  web: { address: 10.77.0.10 }", "hosts:\n  web: { address: 10.77.0.10 }\n  deep: { address: 10.78.1.10 }"));
        assertEquals(java.util.Optional.of("tap"), topology.parentOf("web"));
        assertEquals(java.util.Optional.of("r1"), topology.parentOf("deep"));
        assertEquals(java.util.Optional.of("tap"), topology.parentOf("r1"));
        assertEquals(java.util.Optional.of("tap"), topology.parentOf("left"), "a port hangs off the TAP's segment");
        assertEquals(java.util.Optional.empty(), topology.parentOf("nobody"));
    }

    @Test
    void twoPortsAndALinkToOneParseToTheirModel() throws Exception {
        Topology topology = TopologyLoader.parse("ports.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10 }
                ports:
                  left:
                    netns: tapnet-left
                    address: 10.77.0.101
                  right: { netns: tapnet-right, address: 10.77.0.102, device: veth1 }
                links:
                  - { between: [tap, right], rate: 100mbit, delay: 5ms }
                """);
        assertEquals(List.of(new PortSpec("left", "tapnet-left", "eth0", ip("10.77.0.101")),
                new PortSpec("right", "tapnet-right", "veth1", ip("10.77.0.102"))), topology.ports());
        assertEquals("tapnet-right", topology.port("right").orElseThrow().netns());
        LinkSpec link = topology.links().get(0);
        assertEquals("right", link.host());
        assertEquals(link.towardHost(), link.towardTap(), "between: both directions alike");
        assertEquals(100_000_000L, link.towardHost().rate().bitsPerSecond());
        assertEquals(java.time.Duration.ofMillis(5), link.towardHost().delay().delay());
    }

    @Test
    void aPortsLinkMayBeGivenOneWayWithFromAndTo() throws Exception {
        Topology topology = TopologyLoader.parse("ports.yaml", HEAD + """
                  left: { netns: tapnet-left, address: 10.77.0.101 }
                links:
                  - { from: left, to: tap, loss: 1% }
                """);
        LinkSpec link = topology.links().get(0);
        assertEquals("left", link.host());
        assertEquals(Impairments.NONE, link.towardHost(), "from the port to the TAP's segment only");
    }

    @Test
    void theSummaryHasALinePerPort() throws Exception {
        Topology topology = TopologyLoader.parse("ports.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10 }
                ports:
                  left: { netns: tapnet-left, address: 10.77.0.101 }
                  right: { netns: tapnet-right, address: 10.77.0.2, device: veth1 }
                links:
                  - { between: [tap, right], delay: 5ms }
                """);
        assertEquals("""
                topology ports, seed 0: 1 host behind tapnet0 (kernel side 10.77.0.1/24, MTU 1500)
                  web  10.77.0.10  02:54:0a:4d:00:0a  no services (ARP and ping only)
                  port left   10.77.0.101  in netns tapnet-left as eth0
                  port right  10.77.0.2    in netns tapnet-right as veth1
                  links: right
                """, TopologySummary.of(topology));
    }

    @Test
    void theExampleFileHasTwoPortsInTheRunsNamespacesAndALinkToOne() throws Exception {
        Topology topology = TopologyLoader.load(TopologyFilesTest.TOPOLOGIES.resolve("ports.yaml"));
        assertEquals(List.of(new PortSpec("left", "{run}-left", "eth0", ip("10.77.0.101")),
                new PortSpec("right", "{run}-right", "eth0", ip("10.77.0.102"))), topology.ports());
        assertEquals("right", topology.links().get(0).host());
        assertTrue(TopologySummary.of(topology.inRun("shop")).contains("  port left   10.77.0.101  in netns shop-left as eth0\n"));
    }

    // ------------------------------------------------------------------------------------------------
    // errors in files
    // ------------------------------------------------------------------------------------------------

    @Test
    void anUnknownKeyOfAPortNamesThePortsKeys() {
        assertErrors(HEAD + """
                  left: { netns: tapnet-left, address: 10.77.0.101, dev: eth1 }
                """,
                "shop.yaml:6:53: 'dev' is not a key of a port; expected one of: netns, address, address6, device");
    }

    @Test
    void portsMustBeAMapping() {
        assertErrors(HEAD + """
                  - left
                """,
                "shop.yaml:6:3: 'ports' is a list; expected a mapping from names to ports,"
                        + " like ports: { left: { address: 10.77.0.101 } }");
    }

    @Test
    void aPortNeedsAnAddress() {
        assertErrors(HEAD + """
                  right: { netns: tapnet-right }
                """,
                "shop.yaml:6:3: port 'right' has no 'address'; expected the kernel's address in that namespace,"
                        + " in 10.77.0.0/24, like 10.77.0.2");
    }

    @Test
    void aPortWithoutANetnsFollowsTheRunsName() throws Exception {
        Topology topology = TopologyLoader.parse("t.yaml", HEAD + """
                  left: { address: 10.77.0.101 }
                  right: { netns: "{run}-r", address: 10.77.0.102 }
                  fixed: { netns: lab, address: 10.77.0.103 }
                """);
        assertEquals(List.of("{run}-left", "{run}-r", "lab"), topology.ports().stream().map(PortSpec::netns).toList());
        assertTrue(TopologySummary.of(topology).contains("in netns {run}-left as eth0"), TopologySummary.of(topology));
        Topology shop = topology.inRun("shop");
        assertEquals(List.of("shop-left", "shop-r", "lab"), shop.ports().stream().map(PortSpec::netns).toList());
        assertEquals(topology.hosts(), shop.hosts());
        assertEquals(List.of("other-left", "other-r", "lab"),
                topology.inRun("other").ports().stream().map(PortSpec::netns).toList(), "two runs, two namespaces per port");
    }

    @Test
    void aRunWhoseNameMakesAPortsNamespaceInvalidIsRefusedWithOneLine() throws Exception {
        Topology topology = TopologyLoader.parse("t.yaml", HEAD + """
                  left: { address: 10.77.0.101 }
                  right: { netns: shop-left, address: 10.77.0.102 }
                """);
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> topology.inRun("n".repeat(251)));
        assertTrue(tooLong.getMessage().startsWith("port left's network namespace {run}-left, in a run called nnn"),
                tooLong.getMessage());
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class, () -> topology.inRun("shop"));
        assertEquals("in a run called shop, invalid topology t: port left and port right are both eth0 in netns shop-left",
                same.getMessage());
    }

    @Test
    void aPortsAddressIsAHostAddressOfTheTapsSubnetOtherThanTheKernels() {
        assertErrors(HEAD + """
                  a: { netns: a, address: 10.78.0.101 }
                  b: { netns: b, address: 10.77.0.1 }
                  c: { netns: c, address: 10.77.0.0 }
                  d: { netns: d, address: 10.77.0.255 }
                  e: { netns: e, address: 10.77.0 }
                """,
                "shop.yaml:6:27: 10.78.0.101 is outside the TAP's subnet 10.77.0.0/24; expected an address from"
                        + " 10.77.0.2 to 10.77.0.254",
                "shop.yaml:7:27: 10.77.0.1 is the kernel's side of the TAP (tap.address); expected an address from"
                        + " 10.77.0.2 to 10.77.0.254",
                "shop.yaml:8:27: 10.77.0.0 is the network address of 10.77.0.0/24; expected an address from"
                        + " 10.77.0.2 to 10.77.0.254",
                "shop.yaml:9:27: 10.77.0.255 is the broadcast address of 10.77.0.0/24; expected an address from"
                        + " 10.77.0.2 to 10.77.0.254",
                "shop.yaml:10:27: '10.77.0' is not an IPv4 address; expected four numbers from 0 to 255, like 10.77.0.10");
    }

    @Test
    void aPortsAddressIsNotAHostsARoutersOrAnotherPorts() {
        assertErrors(HEAD + """
                  a: { netns: a, address: 10.77.0.10 }
                  b: { netns: b, address: 10.77.0.254 }
                  c: { netns: c, address: 10.77.0.101 }
                  d: { netns: d, address: 10.77.0.101 }
                """,
                "shop.yaml:6:27: 10.77.0.10 is already the address of host 'web' (line 4); expected a unique address"
                        + " per host, router and port",
                "shop.yaml:7:27: 10.77.0.254 is already the address of router 'r1' (line 2); expected a unique address"
                        + " per host, router and port",
                "shop.yaml:9:27: 10.77.0.101 is already the address of port 'c' (line 8); expected a unique address"
                        + " per host, router and port");
    }

    @Test
    void aPortsNameIsNotAHostsARoutersOrTap() {
        assertErrors(HEAD + """
                  web: { netns: a, address: 10.77.0.101 }
                  r1: { netns: b, address: 10.77.0.102 }
                  tap: { netns: c, address: 10.77.0.103 }
                  left: { netns: d, address: 10.77.0.104 }
                  left: { netns: e, address: 10.77.0.105 }
                """,
                "shop.yaml:6:3: 'web' is already the name of host 'web' (line 4); expected a unique name per host,"
                        + " router and port",
                "shop.yaml:7:3: 'r1' is already the name of router 'r1' (line 2); expected a unique name per host,"
                        + " router and port",
                "shop.yaml:8:3: 'tap' is the name of the kernel's side of the TAP; expected another port name",
                "shop.yaml:10:3: 'left' appears twice in ports (first on line 9); expected each key once");
    }

    @Test
    void aNetnsNameIsWhatIproute2Allows() {
        assertErrors(HEAD + """
                  a: { netns: "tapnet/left", address: 10.77.0.101 }
                  b: { netns: "..", address: 10.77.0.102 }
                  c: { netns: "%s", address: 10.77.0.103 }
                  d: { netns: "%s", address: 10.77.0.104 }
                """.formatted("n".repeat(256), "n".repeat(255)),
                "shop.yaml:6:15: 'tapnet/left' is not a network namespace name; expected 1 to 255 letters, digits,"
                        + " '-', '_' or '.' ({run} standing for the run's name), like {run}-left",
                "shop.yaml:7:15: '..' is not a network namespace name; expected 1 to 255 letters, digits,"
                        + " '-', '_' or '.' ({run} standing for the run's name), like {run}-left",
                "shop.yaml:8:15: '" + "n".repeat(256) + "' is not a network namespace name; expected 1 to 255 letters,"
                        + " digits, '-', '_' or '.' ({run} standing for the run's name), like {run}-left");
    }

    @Test
    void aPortsDeviceIsAnInterfaceName() {
        assertErrors(HEAD + """
                  left: { netns: tapnet-left, address: 10.77.0.101, device: "eth 0" }
                """,
                "shop.yaml:6:61: 'eth 0' is not an interface name; expected 1 to 15 letters, digits, '-', '_' or '.',"
                        + " like tapnet0");
    }

    @Test
    void twoPortsCannotBeTheSameDeviceInTheSameNetns() {
        assertErrors(HEAD + """
                  a: { netns: shared, address: 10.77.0.101 }
                  b: { netns: shared, address: 10.77.0.102 }
                  c: { netns: shared, address: 10.77.0.103, device: eth1 }
                  d: { netns: shared, address: 10.77.0.104, device: eth1 }
                  e: { netns: other, address: 10.77.0.105, device: eth1 }
                """,
                "shop.yaml:7:15: eth0 in netns shared is already port 'a' (line 6); expected another device or netns",
                "shop.yaml:9:53: eth1 in netns shared is already port 'c' (line 8); expected another device or netns");
    }

    @Test
    void aPortsLinkIsToTheTapNotToARouterOrAHost() {
        assertErrors(HEAD + """
                  left: { netns: tapnet-left, address: 10.77.0.101 }
                links:
                  - { between: [r1, left], delay: 5ms }
                  - { between: [left, web] }
                  - { from: r1, to: left, delay: 5ms }
                """,
                "shop.yaml:8:16: 'r1' is not the parent of port 'left': a port's parent is the TAP's segment;"
                        + " expected between: [tap, left]",
                "shop.yaml:9:16: 'web' is not the parent of port 'left': a port's parent is the TAP's segment;"
                        + " expected between: [tap, left]",
                "shop.yaml:10:5: 'r1' is not the parent of port 'left': a port's parent is the TAP's segment;"
                        + " expected from: tap and to: left, or from: left and to: tap");
    }

    @Test
    void aLinkToAMissingNodeListsThePortsToo() {
        assertErrors(HEAD + """
                  left: { netns: tapnet-left, address: 10.77.0.101 }
                links:
                  - { between: [tap, lefty] }
                """,
                "shop.yaml:8:22: there is no host, router or port named 'lefty'; expected one of: tap, r1, web, left");
    }

    @Test
    void aPortsLinkIsGivenOncePerDirection() {
        assertErrors(HEAD + """
                  left: { netns: tapnet-left, address: 10.77.0.101 }
                links:
                  - { between: [tap, left], delay: 5ms }
                  - { from: tap, to: left, delay: 1ms }
                """,
                "shop.yaml:9:5: the link of port left is given twice in the same direction; expected each direction once");
    }

    // ------------------------------------------------------------------------------------------------
    // topologies made in code
    // ------------------------------------------------------------------------------------------------

    @Test
    void aTopologyRefusesPortsThatBreakTheRules() {
        List<HostSpec> web = List.of(new HostSpec("web", ip("10.77.0.10"), List.of()));
        List<RouterSpec> r1 = List.of(new RouterSpec("r1", ip("10.77.0.254"), 0x020000000001L, ip("10.78.1.1"), 24));
        assertRefused("port left: 10.78.0.101 is outside the TAP's subnet 10.77.0.0/24; expected an address from"
                + " 10.77.0.2 to 10.77.0.254", web, r1, port("left", "a", "eth0", "10.78.0.101"));
        assertRefused("port left: 10.77.0.1 is the kernel's side of the TAP (tap.address); expected an address from"
                + " 10.77.0.2 to 10.77.0.254", web, r1, port("left", "a", "eth0", "10.77.0.1"));
        assertRefused("port left: '..' is not a network namespace name; expected 1 to 255 letters, digits, '-', '_'"
                + " or '.' ({run} standing for the run's name), like {run}-left", web, r1, port("left", "..", "eth0", "10.77.0.101"));
        assertRefused("port web has the name of host web", web, r1, port("web", "a", "eth0", "10.77.0.101"));
        assertRefused("port r1 has the name of router r1", web, r1, port("r1", "a", "eth0", "10.77.0.101"));
        assertRefused("port left has the address 10.77.0.10 of host web", web, r1, port("left", "a", "eth0", "10.77.0.10"));
        assertRefused("port left has the address 10.77.0.254 of router r1", web, r1, port("left", "a", "eth0", "10.77.0.254"));
        assertRefused("two ports are named b", web, r1,
                port("a", "a", "eth0", "10.77.0.101"), port("b", "b", "eth0", "10.77.0.102"), port("b", "c", "eth0", "10.77.0.103"));
        assertRefused("port b has the address 10.77.0.101 of port a", web, r1,
                port("a", "a", "eth0", "10.77.0.101"), port("b", "b", "eth0", "10.77.0.101"));
        assertRefused("port a and port b are both eth0 in netns shared", web, r1,
                port("a", "shared", "eth0", "10.77.0.101"), port("b", "shared", "eth0", "10.77.0.102"));
    }

    @Test
    void aTopologyTakesPortsThatKeepTheRules() {
        List<PortSpec> ports = List.of(port("left", "shared", "eth0", "10.77.0.101"), port("right", "shared", "eth1", "10.77.0.102"));
        Topology topology = new Topology("t", 0, TAP, TcpConfig.defaults(), List.of(new HostSpec("web", ip("10.77.0.10"), List.of())),
                List.of(new LinkSpec("right", Impairments.NONE, Impairments.NONE)), List.of(), ports);
        assertEquals(ports, topology.ports());
    }

    private static void assertRefused(String problem, List<HostSpec> hosts, List<RouterSpec> routers, PortSpec... ports) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Topology("t", 0, TAP,
                TcpConfig.defaults(), hosts, List.of(), routers, List.of(ports)));
        assertEquals("invalid topology t: " + problem, e.getMessage());
    }

    private static PortSpec port(String name, String netns, String device, String address) {
        return new PortSpec(name, netns, device, ip(address));
    }

    private static void assertErrors(String text, String... expected) {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse("shop.yaml", text));
        assertEquals(List.of(expected), e.errors().stream().map(TopologyError::toString).toList());
    }

    private static int ip(String text) {
        return Ipv4Address.parse(text);
    }
}
