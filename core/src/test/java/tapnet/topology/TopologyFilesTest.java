package tapnet.topology;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tapnet.testing.TapPeer;
import tapnet.topology.yaml.TopologyLoader;
import tapnet.wire.ArpPacket;
import tapnet.wire.EthernetFrame;
import tapnet.wire.TcpOptions;
import tapnet.wire.TcpSegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every file in {@code topologies/} loads, builds an engine, and every host and service in it answers:
 * ARP for each host, a SYN-ACK for a SYN to each service. The files are examples people copy; none may rot.
 */
class TopologyFilesTest {
    /** Tests run in the core module's directory. */
    static final Path TOPOLOGIES = Path.of("..", "topologies");

    static Stream<Path> topologyFiles() throws IOException {
        try (Stream<Path> files = Files.list(TOPOLOGIES)) {
            List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
            assertFalse(yaml.isEmpty(), "no topology files in " + TOPOLOGIES.toAbsolutePath());
            return yaml.stream();
        }
    }

    @Test
    void theExamplesThatTheDocsPromiseExist() {
        for (String name : List.of("default.yaml", "services.yaml", "many-hosts.yaml")) {
            assertTrue(Files.isRegularFile(TOPOLOGIES.resolve(name)), name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topologyFiles")
    void everyHostAnswersArpAndEveryServiceAnswersASyn(Path file) throws Exception {
        Topology topology = TopologyLoader.load(file);
        TapPeer tap = new TapPeer(topology);
        assertFalse(topology.hosts().isEmpty(), "a topology without hosts shows nothing");

        for (HostSpec host : topology.hosts()) {
            if (tap.behindRouter(host)) {
                synToEveryService(tap, topology, host);
                continue; // behind a router: the kernel ARPs for the router, not for it
            }
            List<ByteBuffer> replies = tap.send(tap.arpRequest(host.address()));
            assertEquals(1, replies.size(), host.name() + ": one ARP reply");
            ByteBuffer reply = replies.get(0);
            EthernetFrame ethernet = new EthernetFrame().wrap(reply, 0, reply.limit());
            assertEquals(EthernetFrame.TYPE_ARP, ethernet.etherType(), host.name());
            assertEquals(TapPeer.MAC, ethernet.destination(), host.name());
            assertEquals(host.mac(), ethernet.source(), host.name());
            ArpPacket arp = new ArpPacket().wrap(reply, ethernet.payloadOffset(), ethernet.payloadLength());
            assertTrue(arp.isValidEthernetIpv4(), host.name());
            assertEquals(ArpPacket.OPERATION_REPLY, arp.operation(), host.name());
            assertEquals(host.mac(), arp.senderMac(), host.name() + ": sender MAC");
            assertEquals(host.address(), arp.senderIp(), host.name() + ": sender IP");
            assertEquals(TapPeer.MAC, arp.targetMac(), host.name() + ": target MAC");
            assertEquals(tap.address(), arp.targetIp(), host.name() + ": target IP");

            synToEveryService(tap, topology, host);
        }
    }

    /**
     * A SYN to each TCP service of {@code host} gets its SYN-ACK (or the RST its refuse fault asks for). UDP
     * services take no SYN; UdpInputTest and UdpIT answer for them.
     */
    private static void synToEveryService(TapPeer tap, Topology topology, HostSpec host) {
        int peerPort = 40_000;
        for (ServiceSpec service : host.services().stream().filter(s -> !s.udp()).toList()) {
            String what = host.name() + " port " + service.port() + " (" + service.kind() + ")";
            int isn = 1_000_000 + peerPort;
            List<ByteBuffer> answer = tap.send(tap.tcp(host, peerPort, service.port(), isn, 0, TcpSegment.SYN, new byte[0]));
            assertEquals(1, answer.size(), what + ": one answer to a SYN");
            TcpSegment synAck = tap.segmentFrom(answer.get(0), host, service.port(), peerPort);
            boolean refusedOnPurpose = synAck.flags() == (TcpSegment.RST | TcpSegment.ACK)
                    && service.faults().stream().anyMatch(f -> f.kind() == tapnet.tcp.ConnectionFaults.Kind.REFUSE);
            if (refusedOnPurpose) {
                assertEquals(isn + 1, synAck.acknowledgmentNumber(), what + ": its refuse fault answers the SYN");
                peerPort++;
                continue;
            }
            assertEquals(TcpSegment.SYN | TcpSegment.ACK, synAck.flags(), what + ": flags "
                    + TcpSegment.flagsToString(synAck.flags()));
            assertEquals(isn + 1, synAck.acknowledgmentNumber(), what + ": acknowledges the SYN");
            TcpOptions options = new TcpOptions().parse(synAck);
            assertTrue(options.hasMss(), what + ": announces an MSS");
            assertEquals(topology.tap().mtu() - 40, options.mss(), what + ": MSS follows the MTU");
            peerPort++;
        }
    }

    @Test
    void theDefaultOnTheClasspathIsTheDefaultFile() throws Exception {
        assertEquals(TopologyLoader.load(TOPOLOGIES.resolve("default.yaml")), TopologyLoader.loadDefault());
    }

    @Test
    void theDefaultHasAnEchoAndAnHttpServiceInTheDemoSubnet() {
        Topology topology = TopologyLoader.loadDefault();
        assertEquals("10.77.0.0/24", topology.tap().subnet());
        assertEquals("10.77.0.1/24", topology.tap().addressWithPrefix());
        List<String> kinds = topology.hosts().stream().flatMap(h -> h.services().stream()).map(ServiceSpec::kind).toList();
        assertTrue(kinds.contains("echo"), kinds.toString());
        assertTrue(kinds.contains("http"), kinds.toString());
    }
}
