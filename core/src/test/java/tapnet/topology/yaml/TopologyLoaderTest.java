package tapnet.topology.yaml;

import tapnet.select.Selector;
import tapnet.topology.HostSpec;
import tapnet.topology.ServiceSpec;
import tapnet.topology.TapSpec;
import tapnet.topology.Topology;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.tcp.TcpConfig;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/** Files that are right parse to the model they describe, defaults filled in. */
class TopologyLoaderTest {
    private static final TcpConfig DEFAULT_TCP = TcpConfig.defaults();

    @Test
    void theSketchOfTheFormatParsesToItsModel() throws Exception {
        Topology topology = TopologyLoader.parse("demo.yaml", """
                name: demo
                seed: 42
                tap: { device: tapnet0, address: 10.77.0.1/24, mtu: 1500 }
                tcp: { timeWait: 2s, maxConnections: 65536, buffer: 64KiB }
                hosts:
                  web:
                    address: 10.77.0.10
                    mac: 02:00:00:00:00:10        # optional
                    services:
                      - { port: 80, http: { status: 200, body: "hello\\n" } }
                      - { port: 7, echo: {} }
                      - { port: 25, banner: { text: "220 ready\\r\\n", close: false } }
                """);
        Topology expected = new Topology("demo", 42,
                new TapSpec("tapnet0", ip("10.77.0.1"), 24, 1500),
                DEFAULT_TCP.withTimeWait(Duration.ofSeconds(2)).withMaxConnections(65_536).withBuffers(65_536, DEFAULT_TCP.bufferMemory()),
                List.of(new HostSpec("web", ip("10.77.0.10"), MacAddress.parse("02:00:00:00:00:10"), List.of(
                        new ServiceSpec.Http(80, 200, "hello\n", "text/plain"),
                        new ServiceSpec.Echo(7),
                        new ServiceSpec.Banner(25, "220 ready\r\n", false)))));
        assertEquals(expected, topology);
    }

    @Test
    void aMinimalFileGetsEveryDefault() throws Exception {
        Topology topology = TopologyLoader.parse("topologies/minimal.yaml", """
                tap: { address: 10.9.0.1/16 }
                hosts:
                  only: { address: 10.9.200.3 }
                """);
        assertEquals("minimal", topology.name(), "named after the file");
        assertEquals(0, topology.seed());
        assertEquals(new TapSpec(TapSpec.DEFAULT_DEVICE, ip("10.9.0.1"), 16, TapSpec.DEFAULT_MTU), topology.tap());
        assertEquals(DEFAULT_TCP, topology.tcp(), "the default MTU gives the default MSS");
        HostSpec only = topology.hosts().get(0);
        assertEquals(MacAddress.derivedFrom(ip("10.9.200.3")), only.mac(), "the MAC is derived from the address");
        assertEquals(List.of(), only.services());
    }

    @Test
    void everyTcpSettingIsRead() throws Exception {
        Topology topology = TopologyLoader.parse("tcp.yaml", """
                tap: { address: 10.77.0.1/24, mtu: 9000 }
                tcp:
                  maxConnections: 1000
                  buffer: 16KiB
                  bufferMemory: 1MiB
                  timeWait: 500ms
                  initialRto: 300ms
                  minRto: 200ms
                  maxRto: 2m
                  synAckRetries: 2
                  dataRetries: 4
                  initialWindow: 4
                hosts: { a: { address: 10.77.0.2 } }
                """);
        assertEquals(TcpConfig.defaults().toBuilder().maxConnections(1000).bufferSize(16 * 1024).bufferMemory(1 << 20)
                .mss(9000 - 40).initialRto(Duration.ofMillis(300)).minRto(Duration.ofMillis(200)).maxRto(Duration.ofMinutes(2))
                .synAckRetries(2).dataRetries(4).timeWait(Duration.ofMillis(500)).initialWindow(4).build(), topology.tcp());
    }

    @Test
    void theMssFollowsTheMtu() throws Exception {
        Topology topology = TopologyLoader.parse("mtu.yaml", """
                tap: { address: 10.77.0.1/24, mtu: 576 }
                hosts: { a: { address: 10.77.0.2 } }
                """);
        assertEquals(536, topology.tcp().mss());
    }

    @Test
    void everyKindOfServiceWithItsDefaultsAndShortForms() throws Exception {
        Topology topology = TopologyLoader.parse("kinds.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  h:
                    address: 10.77.0.2
                    services:
                      - { port: 7, echo: {} }
                      - { port: 8, echo: }
                      - { port: 9, discard: {} }
                      - { port: 10, sink: {} }
                      - { port: 19, chargen: {} }
                      - { port: 25, banner: "220 hi\\r\\n" }
                      - { port: 26, banner: { text: "bye\\n", close: true } }
                      - { port: 27, banner: "" }
                      - { port: 80, http: {} }
                      - { port: 81, http: }
                      - { port: 82, http: { status: 404, body: "", contentType: application/json } }
                """);
        assertEquals(List.of(
                new ServiceSpec.Echo(7),
                new ServiceSpec.Echo(8),
                new ServiceSpec.Discard(9),
                new ServiceSpec.Discard(10),
                new ServiceSpec.Chargen(19),
                new ServiceSpec.Banner(25, "220 hi\r\n", false),
                new ServiceSpec.Banner(26, "bye\n", true),
                new ServiceSpec.Banner(27, "", false),
                new ServiceSpec.Http(80, 200, "hello from tapnet\n", "text/plain"),
                new ServiceSpec.Http(81),
                new ServiceSpec.Http(82, 404, "", "application/json")), topology.hosts().get(0).services());
    }

    @Test
    void udpServicesHaveTheirOwnPorts() throws Exception {
        Topology topology = TopologyLoader.parse("udp.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  h:
                    address: 10.77.0.2
                    services:
                      - { port: 7, echo: {} }
                      - { port: 7, udpEcho: {} }
                      - { port: 9, udpDiscard: }
                """);
        List<ServiceSpec> services = topology.hosts().get(0).services();
        assertEquals(List.of(new ServiceSpec.Echo(7), new ServiceSpec.UdpEcho(7), new ServiceSpec.UdpDiscard(9)), services);
        assertTrue(services.get(1).udp());
        assertEquals(new ServiceSpec.Echo(7), topology.hosts().get(0).service(7).orElseThrow(), "scripts name TCP services");
    }

    @Test
    void hostsKeepTheOrderOfTheFile() throws Exception {
        Topology topology = TopologyLoader.parse("order.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  zeta: { address: 10.77.0.9 }
                  alpha: { address: 10.77.0.3 }
                  mid: { address: 10.77.0.5 }
                """);
        assertEquals(List.of("zeta", "alpha", "mid"), topology.hosts().stream().map(HostSpec::name).toList());
    }

    @Test
    void anchorsAndAliasesShareServicesBetweenHosts() throws Exception {
        Topology topology = TopologyLoader.parse("aliases.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  a: { address: 10.77.0.2, services: &web [ { port: 80, http: {} } ] }
                  b: { address: 10.77.0.3, services: *web }
                """);
        assertEquals(topology.hosts().get(0).services(), topology.hosts().get(1).services());
    }

    @Test
    void blockAndFlowStylesMeanTheSame() throws Exception {
        Topology block = TopologyLoader.parse("t.yaml", """
                tap:
                  address: 10.77.0.1/24
                hosts:
                  web:
                    address: 10.77.0.10
                    services:
                      - port: 80
                        http:
                          status: 201
                """);
        Topology flow = TopologyLoader.parse("t.yaml", """
                { tap: { address: 10.77.0.1/24 }, hosts: { web: { address: 10.77.0.10, services: [ { port: 80, http: { status: 201 } } ] } } }
                """);
        assertEquals(block, flow);
    }

    @Test
    void quotedNumbersAndAddressesAreReadAsWritten() throws Exception {
        Topology topology = TopologyLoader.parse("t.yaml", """
                seed: "-7"
                tap: { address: "10.77.0.1/24", mtu: '1400' }
                hosts: { "web": { address: '10.77.0.10', services: [ { port: "80", http: {} } ] } }
                """);
        assertEquals(-7, topology.seed());
        assertEquals(1400, topology.tap().mtu());
        assertEquals(80, topology.hosts().get(0).services().get(0).port());
    }

    @Test
    void theSmallestAndLargestSubnetsAreAccepted() throws Exception {
        Topology slash30 = TopologyLoader.parse("t.yaml", """
                tap: { address: 192.168.5.1/30 }
                hosts: { only: { address: 192.168.5.2 } }
                """);
        assertEquals(30, slash30.tap().prefixLength());
        Topology slash8 = TopologyLoader.parse("t.yaml", """
                tap: { address: 10.0.0.1/8 }
                hosts: { far: { address: 10.255.255.254 } }
                """);
        assertEquals(8, slash8.tap().prefixLength());
    }

    @Test
    void aDocumentStartMarkerIsFine() throws Exception {
        Topology topology = TopologyLoader.parse("t.yaml", """
                ---
                tap: { address: 10.77.0.1/24 }
                hosts: { a: { address: 10.77.0.2 } }
                """);
        assertEquals(1, topology.hosts().size());
    }

    @Test
    void defaultNamesComeFromTheFileName() {
        assertEquals("shop", TopologyLoader.defaultName("shop.yaml"));
        assertEquals("shop", TopologyLoader.defaultName("a/b/shop.yml"));
        assertEquals("shop.v2", TopologyLoader.defaultName("shop.v2.yaml"));
        assertEquals("noextension", TopologyLoader.defaultName("noextension"));
    }

    @Test
    void theSummarySaysWhatRuns() throws Exception {
        Topology topology = TopologyLoader.parse("shop.yaml", """
                name: shop
                seed: 42
                tap: { address: 10.77.0.1/24 }
                tcp: { timeWait: 1s }
                hosts:
                  web: { address: 10.77.0.10, services: [ { port: 80, http: {} }, { port: 7, echo: {} } ] }
                  database: { address: 10.77.0.200, mac: 02:00:00:00:00:20, services: [ { port: 5432, banner: { text: "", close: true } } ] }
                  idle: { address: 10.77.0.3 }
                """);
        assertEquals("""
                topology shop, seed 42: 3 hosts behind tapnet0 (kernel side 10.77.0.1/24, MTU 1500)
                  web       10.77.0.10   02:54:0a:4d:00:0a  80 http 200, 7 echo
                  database  10.77.0.200  02:00:00:00:00:20  5432 banner (closes)
                  idle      10.77.0.3    02:54:0a:4d:00:03  no services (ARP and ping only)
                  tcp: timeWait 1s
                """, TopologySummary.of(topology));
        assertTrue(TopologySummary.of(TopologyLoader.loadDefault()).startsWith("topology default, seed 1: 2 hosts"));
    }

    private static int ip(String text) {
        return Ipv4Address.parse(text);
    }

    @Test
    void nodelayTurnsNagleOffForOneServiceAndSynSettingsAreRead() throws Exception {
        Topology topology = TopologyLoader.parse("nodelay.yaml", """
                tap: { address: 10.77.0.1/24 }
                tcp: { synRetries: 3, synBacklog: 16 }
                hosts:
                  a:
                    address: 10.77.0.2
                    services:
                      - { port: 7, echo: {}, nodelay: true }
                      - { port: 9, discard: {} }
                """);
        assertTrue(topology.hosts().get(0).services().get(0).noDelay());
        assertEquals("echo", topology.hosts().get(0).services().get(0).kind());
        assertFalse(topology.hosts().get(0).services().get(1).noDelay());
        assertEquals(3, topology.tcp().synRetries());
        assertEquals(16, topology.tcp().synBacklog());
    }

    @Test
    void faultsAreReadWithTheirParametersAndSelectors() throws Exception {
        Topology topology = TopologyLoader.parse("faults.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  a:
                    address: 10.77.0.2
                    services:
                      - port: 80
                        http: {}
                        faults:
                          - { refuse: {}, first: 3 }
                          - { synAckDelay: 200ms, probability: 10% }
                          - { synAckDrop: 2 }
                          - { resetAfter: 1KiB }
                          - { window: 2KiB }
                          - { stall: }
                """);
        List<tapnet.tcp.ConnectionFaults.Rule> faults = topology.hosts().get(0).services().get(0).faults();
        assertEquals(6, faults.size());
        assertEquals(new tapnet.tcp.ConnectionFaults.Rule(tapnet.tcp.ConnectionFaults.Kind.REFUSE, 0,
                new Selector.First(3)), faults.get(0));
        assertEquals(new tapnet.tcp.ConnectionFaults.Rule(tapnet.tcp.ConnectionFaults.Kind.SYN_ACK_DELAY, 200_000_000L,
                new Selector.Probability(0.1)), faults.get(1));
        assertEquals(2, faults.get(2).parameter());
        assertEquals(1024, faults.get(3).parameter());
        assertEquals(2048, faults.get(4).parameter());
        assertEquals(tapnet.tcp.ConnectionFaults.Kind.STALL, faults.get(5).kind());
    }

    @Test
    void resetAfterTakesASizeOrADurationAndSlowCloseAndCorruptAtAreRead() throws Exception {
        Topology topology = TopologyLoader.parse("faults2.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  a:
                    address: 10.77.0.2
                    services:
                      - { port: 80, http: {}, faults: [ { resetAfter: 2s }, { slowClose: 300ms }, { corruptAt: 100 } ] }
                      - { port: 81, http: {}, faults: [ { resetAfter: 16KiB }, { resetAfterSent: 64KiB } ] }
                """);
        List<tapnet.tcp.ConnectionFaults.Rule> first = topology.hosts().get(0).services().get(0).faults();
        assertEquals(tapnet.tcp.ConnectionFaults.Kind.RESET_AFTER_TIME, first.get(0).kind());
        assertEquals(2_000_000_000L, first.get(0).parameter());
        assertEquals(tapnet.tcp.ConnectionFaults.Kind.SLOW_CLOSE, first.get(1).kind());
        assertEquals(300_000_000L, first.get(1).parameter());
        assertEquals(tapnet.tcp.ConnectionFaults.Kind.CORRUPT_AT, first.get(2).kind());
        assertEquals(100, first.get(2).parameter());
        assertEquals(tapnet.tcp.ConnectionFaults.Kind.RESET_AFTER_BYTES,
                topology.hosts().get(0).services().get(1).faults().get(0).kind());
        assertEquals(tapnet.tcp.ConnectionFaults.Kind.RESET_AFTER_BYTES_SENT,
                topology.hosts().get(0).services().get(1).faults().get(1).kind());
        assertEquals(64 * 1024, topology.hosts().get(0).services().get(1).faults().get(1).parameter());
    }
}
