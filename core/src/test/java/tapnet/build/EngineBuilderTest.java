package tapnet.build;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.engine.Engine;
import tapnet.node.VirtualHost;
import tapnet.service.ChargenService;
import tapnet.testing.CapturedFrames;
import tapnet.testing.TapPeer;
import tapnet.time.VirtualClock;
import tapnet.topology.HostSpec;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyLoader;
import tapnet.wire.TcpSegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine a topology builds has its hosts, its TCP settings and seed, and each port plays its service. */
class EngineBuilderTest {
    private static final String SERVICES = """
            name: kinds
            seed: 5
            tap: { address: 10.77.0.1/24 }
            tcp: { maxConnections: 64 }
            hosts:
              web: { address: 10.77.0.10, services: [ { port: 80, http: { status: 404, body: "nothing here\\n" } } ] }
              tools:
                address: 10.77.0.20
                mac: 02:00:00:00:00:20
                services:
                  - { port: 7, echo: {} }
                  - { port: 9, sink: {} }
                  - { port: 19, chargen: {} }
                  - { port: 25, banner: "220 tools ready\\r\\n" }
            """;

    @Test
    void everyHostIsAddedWithItsAddressAndMacInFileOrder() throws Exception {
        Topology topology = TopologyLoader.parse("kinds.yaml", SERVICES);
        TapPeer tap = new TapPeer(topology);
        List<VirtualHost> hosts = tap.engine.hosts().all();
        assertEquals(topology.hosts().size(), hosts.size());
        for (int i = 0; i < hosts.size(); i++) {
            HostSpec spec = topology.hosts().get(i);
            assertEquals(spec.name(), hosts.get(i).name());
            assertEquals(spec.address(), hosts.get(i).address());
            assertEquals(spec.mac(), hosts.get(i).mac());
        }
    }

    @Test
    void theTcpSettingsReachTheEngine() throws Exception {
        TapPeer tap = new TapPeer(TopologyLoader.parse("kinds.yaml", SERVICES));
        assertEquals(64, tap.engine.tcp().connections().capacity());
    }

    @Test
    void aSinkTooSmallForTheMtuIsRefused() throws Exception {
        Topology topology = TopologyLoader.parse("jumbo.yaml", """
                tap: { address: 10.77.0.1/24, mtu: 9000 }
                hosts: { a: { address: 10.77.0.2 } }
                """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EngineBuilder.build(topology, new VirtualClock(), new CapturedFrames(1514)));
        assertEquals("the frame sink takes frames of at most 1514 bytes; MTU 9000 needs 9014", e.getMessage());
    }

    @Test
    void theSameSeedGivesTheSameSynAckAndAnotherSeedAnother() throws Exception {
        Topology topology = TopologyLoader.parse("kinds.yaml", SERVICES);
        Topology reseeded = new Topology(topology.name(), 6, topology.tap(), topology.tcp(), topology.hosts());
        int first = synAck(new TapPeer(topology)).sequenceNumber();
        int again = synAck(new TapPeer(topology)).sequenceNumber();
        int other = synAck(new TapPeer(reseeded)).sequenceNumber();
        assertEquals(first, again);
        assertNotEquals(first, other);
    }

    @Test
    void httpAnswersWithItsStatusAndBody() throws Exception {
        TapPeer tap = new TapPeer(TopologyLoader.parse("kinds.yaml", SERVICES));
        Connection c = Connection.open(tap, "web", 80);
        String response = c.send("GET / HTTP/1.1\r\nHost: web\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 404 Not Found\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\nnothing here\n"), response);
    }

    @Test
    void echoSendsBackWhatItGets() throws Exception {
        TapPeer tap = new TapPeer(TopologyLoader.parse("kinds.yaml", SERVICES));
        Connection c = Connection.open(tap, "tools", 7);
        assertEquals("hello, echo\n", c.send("hello, echo\n"));
    }

    @Test
    void sinkTakesAndSendsNothing() throws Exception {
        TapPeer tap = new TapPeer(TopologyLoader.parse("kinds.yaml", SERVICES));
        Connection c = Connection.open(tap, "tools", 9);
        assertEquals("", c.send("into the void\n"));
    }

    @Test
    void chargenStartsItsStreamAsSoonAsTheConnectionOpens() throws Exception {
        TapPeer tap = new TapPeer(TopologyLoader.parse("kinds.yaml", SERVICES));
        Connection c = Connection.open(tap, "tools", 19);
        byte[] expected = ChargenService.expectedStream(c.greeting.length());
        assertTrue(c.greeting.length() > 0, "chargen sent nothing");
        assertEquals(new String(expected, StandardCharsets.ISO_8859_1), c.greeting);
    }

    @Test
    void bannerGreetsAsSoonAsTheConnectionOpens() throws Exception {
        TapPeer tap = new TapPeer(TopologyLoader.parse("kinds.yaml", SERVICES));
        Connection c = Connection.open(tap, "tools", 25);
        assertEquals("220 tools ready\r\n", c.greeting);
    }

    private static TcpSegment synAck(TapPeer tap) {
        HostSpec web = tap.topology.host("web").orElseThrow();
        List<ByteBuffer> answer = tap.send(tap.tcp(web, 40_000, 80, 1, 0, TcpSegment.SYN, new byte[0]));
        return tap.segmentFrom(answer.get(0), web, 80, 40_000);
    }

    /** One connection from the TAP to a service, opened by a three-way handshake. */
    private static final class Connection {
        private static int nextPort = 50_000;
        final TapPeer tap;
        final HostSpec host;
        final int port;
        final int peerPort = nextPort++;
        int sequence = 7_000;
        int acknowledgment;
        /** What the service sent as soon as the connection opened. */
        String greeting;

        private Connection(TapPeer tap, HostSpec host, int port) {
            this.tap = tap;
            this.host = host;
            this.port = port;
        }

        static Connection open(TapPeer tap, String hostName, int port) {
            Connection c = new Connection(tap, tap.topology.host(hostName).orElseThrow(), port);
            List<ByteBuffer> answer = tap.send(tap.tcp(c.host, c.peerPort, port, c.sequence, 0, TcpSegment.SYN, new byte[0]));
            TcpSegment synAck = tap.segmentFrom(answer.get(0), c.host, port, c.peerPort);
            assertEquals(TcpSegment.SYN | TcpSegment.ACK, synAck.flags());
            c.sequence++;
            c.acknowledgment = synAck.sequenceNumber() + 1;
            c.greeting = c.exchange(TcpSegment.ACK, new byte[0]);
            return c;
        }

        /** Sends {@code text} and returns the payload the service sent back at once. */
        String send(String text) {
            return exchange(TcpSegment.ACK | TcpSegment.PSH, text.getBytes(StandardCharsets.ISO_8859_1));
        }

        private String exchange(int flags, byte[] payload) {
            List<ByteBuffer> answer = tap.send(tap.tcp(host, peerPort, port, sequence, acknowledgment, flags, payload));
            sequence += payload.length;
            StringBuilder received = new StringBuilder();
            for (ByteBuffer frame : answer) {
                TcpSegment segment = tap.segmentFrom(frame, host, port, peerPort);
                assertEquals(0, segment.flags() & (TcpSegment.RST | TcpSegment.SYN), "flags " + TcpSegment.flagsToString(segment.flags()));
                received.append(TapPeer.payload(segment));
                acknowledgment = segment.sequenceNumber() + segment.sequenceLength();
            }
            return received.toString();
        }
    }

    @Test
    void routedHttpCountsItsRequestsPerHostAndRoute() throws Exception {
        TapPeer tap = new TapPeer(TopologyLoader.parse("routes.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  a: { address: 10.77.0.10, services: &web [ { port: 80, http: { routes: [ { path: /x, body: "x" } ] } } ] }
                  b: { address: 10.77.0.11, services: *web }
                """));
        Connection b = Connection.open(tap, "b", 80);
        assertTrue(b.send("GET /x HTTP/1.1\r\n\r\n").endsWith("x"));
        assertTrue(b.send("GET /y HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 404 "));
        java.util.Map<String, Long> counters = tap.engine.counters().snapshot();
        assertEquals(1L, counters.get("http.b.80.route.1.requests"));
        assertEquals(1L, counters.get("http.b.80.route.1.status.200"));
        assertEquals(null, counters.get("http.a.80.route.1.requests"), "hosts sharing routes count apart: " + counters);
        assertEquals(1L, counters.get("http.b.80.unmatched.requests"));
    }

    @Test
    void theDefaultTopologyBuilds() {
        Topology topology = TopologyLoader.loadDefault();
        Engine engine = EngineBuilder.build(topology, new VirtualClock(), new CapturedFrames(1514));
        assertEquals(topology.hosts().size(), engine.hosts().size());
    }
}
