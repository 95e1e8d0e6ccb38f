package tapnet.testing;

import tapnet.topology.HostSpec;
import tapnet.topology.Topology;
import tapnet.build.EngineBuilder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tapnet.engine.Engine;
import tapnet.time.VirtualClock;
import tapnet.wire.ArpPacket;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.MacAddress;
import tapnet.wire.TcpSegment;

/**
 * Plays the kernel's side of the TAP against an engine built from a topology, in process and in virtual
 * time: crafts ARP and TCP frames from the TAP's address, hands them to the engine, and returns what the
 * engine sent back.
 */
public final class TapPeer {
    public static final long MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final int HEADERS = EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH;

    public final Topology topology;
    public final Engine engine;
    final VirtualClock clock = new VirtualClock();
    private final CapturedFrames sink;
    private final int address;

    public TapPeer(Topology topology) {
        this.topology = topology;
        this.sink = new CapturedFrames(EthernetFrame.HEADER_LENGTH + topology.tap().mtu());
        this.engine = EngineBuilder.build(topology, clock, sink);
        this.address = topology.tap().address();
    }

    public int address() {
        return address;
    }

    /** Sends one frame and returns the engine's answers to it. */
    public List<ByteBuffer> send(ByteBuffer frame) {
        engine.onFrame(frame, 0, frame.limit());
        engine.endOfBatch();
        List<ByteBuffer> answers = sink.take();
        // A host behind a slow or lossy link answers later: let virtual time pass (up to 10 s) for it.
        for (int ms = 0; answers.isEmpty() && ms < 10_000; ms++) {
            clock.advance(1, java.util.concurrent.TimeUnit.MILLISECONDS);
            engine.pollTimers();
            answers = sink.take();
        }
        return answers;
    }

    /** "Who has {@code target}? Tell the TAP": an ARP request, broadcast. */
    public ByteBuffer arpRequest(int target) {
        ByteBuffer frame = ByteBuffer.allocate(EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH);
        new EthernetFrame().wrap(frame, 0, EthernetFrame.HEADER_LENGTH)
                .setDestination(MacAddress.BROADCAST).setSource(MAC).setEtherType(EthernetFrame.TYPE_ARP);
        new ArpPacket().wrap(frame, EthernetFrame.HEADER_LENGTH, ArpPacket.LENGTH)
                .write(ArpPacket.OPERATION_REQUEST, MAC, address, MacAddress.ZERO, target);
        return frame;
    }

    /** A TCP segment from the TAP to {@code host}, without options. */
    public ByteBuffer tcp(HostSpec host, int sourcePort, int destinationPort, int sequence, int acknowledgment, int flags, byte[] payload) {
        int tcpLength = TcpSegment.MIN_HEADER_LENGTH + payload.length;
        ByteBuffer frame = ByteBuffer.allocate(HEADERS + tcpLength);
        new EthernetFrame().wrap(frame, 0, EthernetFrame.HEADER_LENGTH)
                .setDestination(firstHopMac(host)).setSource(MAC).setEtherType(EthernetFrame.TYPE_IPV4);
        new Ipv4Packet().wrap(frame, EthernetFrame.HEADER_LENGTH, Ipv4Packet.MIN_HEADER_LENGTH)
                .writeHeader(1, 64, Ipv4Packet.PROTOCOL_TCP, address, host.address(), tcpLength);
        frame.put(HEADERS + TcpSegment.MIN_HEADER_LENGTH, payload);
        new TcpSegment().wrap(frame, HEADERS, tcpLength)
                .writeHeader(sourcePort, destinationPort, sequence, acknowledgment, TcpSegment.MIN_HEADER_LENGTH, flags, 65_535)
                .writeChecksum(address, host.address());
        return frame;
    }

    /** The MAC frames to {@code host} go to: its own, or the router on the TAP's subnet it sits behind. */
    public long firstHopMac(HostSpec host) {
        return topology.routers().stream().filter(r -> r.contains(host.address())).findFirst()
                .map(r -> topology.gatewayTo(r).mac()).orElse(host.mac());
    }

    /** Whether {@code host} sits behind a router (then it answers no ARP from the TAP). */
    public boolean behindRouter(HostSpec host) {
        return topology.routers().stream().anyMatch(r -> r.contains(host.address()));
    }

    /** Checks {@code frame} is a TCP segment from {@code host}'s {@code port} to the TAP's {@code peerPort}; returns it. */
    public TcpSegment segmentFrom(ByteBuffer frame, HostSpec host, int port, int peerPort) {
        EthernetFrame ethernet = new EthernetFrame().wrap(frame, 0, frame.limit());
        assertEquals(EthernetFrame.TYPE_IPV4, ethernet.etherType(), "EtherType");
        assertEquals(MAC, ethernet.destination(), "Ethernet destination");
        assertEquals(firstHopMac(host), ethernet.source(), "Ethernet source");
        Ipv4Packet ip = new Ipv4Packet().wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength());
        assertEquals(Ipv4Packet.Validity.VALID, ip.check(), "IPv4 header");
        assertEquals(Ipv4Packet.PROTOCOL_TCP, ip.protocol(), "IP protocol");
        assertEquals(host.address(), ip.source(), "IP source");
        assertEquals(address, ip.destination(), "IP destination");
        TcpSegment tcp = new TcpSegment().wrap(frame, ip.payloadOffset(), ip.payloadLength());
        assertTrue(tcp.isWellFormed(), "TCP header");
        assertTrue(tcp.isChecksumValid(ip.source(), ip.destination()), "TCP checksum");
        assertEquals(port, tcp.sourcePort(), "TCP source port");
        assertEquals(peerPort, tcp.destinationPort(), "TCP destination port");
        return tcp;
    }

    /** Payload bytes of a segment, as text. */
    public static String payload(TcpSegment tcp) {
        byte[] bytes = new byte[tcp.payloadLength()];
        tcp.buffer().get(tcp.payloadOffset(), bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
