package tapnet.capture;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tapnet.link.Impairments;
import tapnet.node.VirtualHost;
import tapnet.testing.CapturingSink;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.wire.IcmpMessage;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's captures on a virtual clock: the TAP, ports and links, with the engine's timestamps. */
class EngineCaptureTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path directory;

    private final EngineHarness net = new EngineHarness();
    private final VirtualHost web = net.host("web", "10.77.0.10");

    private byte[] ping(VirtualHost to, int seq) {
        return FrameBuilder.echoRequest(EngineHarness.PEER_MAC, to.mac(), EngineHarness.PEER_IP, to.address(), 1, seq, new byte[16]);
    }

    private PcapngFile file(String name) throws IOException {
        return PcapngFile.read(directory.resolve(name + "-00001.pcapng"));
    }

    @Test
    void capturesAPingAndItsReplyOnTheTap() throws IOException {
        Capture capture = Capture.open(directory, "tap", 1 << 20, 1);
        net.engine.capture(capture);
        long sent = net.clock.nanos();
        byte[] request = ping(web, 1);
        List<Decoded> reply = net.send(request);
        capture.close();

        PcapngFile file = file("tap");
        assertEquals(List.of("tap"), file.interfaceNames());
        List<PcapngFile.Packet> packets = file.packets();
        assertEquals(2, packets.size());
        assertArrayEquals(request, packets.get(0).data());
        assertEquals(PcapngWriter.DIRECTION_INBOUND, packets.get(0).flags());
        assertEquals(sent, packets.get(0).nanos(), "the engine clock's time");
        assertArrayEquals(reply.get(0).raw(), packets.get(1).data());
        assertEquals(PcapngWriter.DIRECTION_OUTBOUND, packets.get(1).flags());
        assertEquals(IcmpMessage.TYPE_ECHO_REPLY, reply.get(0).icmp().type());
    }

    @Test
    void aVxlanRemoteIsCapturedAsAnInterfaceOfItsOwnWithTheInnerFrames() throws IOException {
        CapturingSink remote = new CapturingSink(1514);
        int device = net.engine.addVxlanRemote("vxlan:192.168.50.2", remote, 42);
        Capture capture = Capture.open(directory, "vxlan", 1 << 20, 1);
        net.engine.capture(capture);
        byte[] request = ping(web, 1);
        ByteBuffer datagram = ByteBuffer.allocate(tapnet.wire.VxlanHeader.LENGTH + request.length);
        new tapnet.wire.VxlanHeader().wrap(datagram, 0, tapnet.wire.VxlanHeader.LENGTH).write(42);
        datagram.put(tapnet.wire.VxlanHeader.LENGTH, request);
        net.engine.onFrame(datagram, 0, datagram.capacity(), tapnet.frame.Offload.NONE, device);
        net.engine.endOfBatch();
        capture.close();

        PcapngFile file = file("vxlan");
        assertEquals(List.of("tap", "vxlan:192.168.50.2"), file.interfaceNames());
        List<PcapngFile.Packet> packets = file.packets();
        assertEquals(2, packets.size());
        assertEquals(1, packets.get(0).iface());
        assertArrayEquals(request, packets.get(0).data(), "the inner frame, without the VXLAN header");
        assertEquals(PcapngWriter.DIRECTION_INBOUND, packets.get(0).flags());
        assertEquals(1, packets.get(1).iface());
        assertArrayEquals(remote.drain().get(0), packets.get(1).data(), "the reply, as the remote is sent it");
        assertEquals(PcapngWriter.DIRECTION_OUTBOUND, packets.get(1).flags());
    }

    @Test
    void aRoutersVxlanSubnetIsCapturedAsAnInterfacePerRemote() throws Exception {
        tapnet.topology.Topology topology = tapnet.topology.yaml.TopologyLoader.parse("subnet.yaml", """
                tap: { address: 10.77.0.1/24 }
                routers:
                  edge: { address: 10.77.0.254, subnet: 10.78.1.1/24, vxlan: { vni: 7, local: 192.168.50.1, remotes: [192.168.50.2, 192.168.50.3] } }
                hosts: { app: { address: 10.78.1.10 } }
                """);
        List<CapturingSink> remotes = List.of(new CapturingSink(1514), new CapturingSink(1514));
        tapnet.engine.Engine engine = tapnet.build.EngineBuilder.build(topology, new tapnet.time.VirtualClock(),
                new CapturingSink(1514), List.of(), (peer, vni) -> remotes.get(peer));
        Capture capture = Capture.open(directory, "subnet", 1 << 20, 1);
        engine.capture(capture);
        long edge = engine.hosts().byName("edge").mac();
        long machine = MacAddress.parse("02:00:00:00:05:50");
        byte[] ask = FrameBuilder.arpRequest(machine, Ipv4Address.parse("10.78.1.100"), Ipv4Address.parse("10.78.1.1"));
        ByteBuffer datagram = ByteBuffer.allocate(tapnet.wire.VxlanHeader.LENGTH + ask.length);
        new tapnet.wire.VxlanHeader().wrap(datagram, 0, tapnet.wire.VxlanHeader.LENGTH).write(7);
        datagram.put(tapnet.wire.VxlanHeader.LENGTH, ask);
        engine.onFrame(datagram, 0, datagram.capacity(), tapnet.frame.Offload.NONE, 2); // from the second remote
        engine.endOfBatch();
        capture.close();

        PcapngFile file = file("subnet");
        assertEquals(List.of("tap", "edge vxlan:192.168.50.2", "edge vxlan:192.168.50.3"), file.interfaceNames());
        List<PcapngFile.Packet> packets = file.packets();
        assertEquals(2, packets.size());
        assertEquals(2, packets.get(0).iface());
        assertArrayEquals(ask, packets.get(0).data(), "the machine's question, inbound");
        assertEquals(PcapngWriter.DIRECTION_INBOUND, packets.get(0).flags());
        assertEquals(2, packets.get(1).iface());
        assertEquals(PcapngWriter.DIRECTION_OUTBOUND, packets.get(1).flags());
        assertEquals(edge, Decoded.of(packets.get(1).data()).arp().senderMac(), "edge's answer, outbound");
        assertArrayEquals(remotes.get(1).drain().get(0), packets.get(1).data());
    }

    @Test
    void anOffloadedFrameIsCapturedAsTheWireFramesItStandsForOnTheTapAndOnTheLink() throws IOException {
        Capture capture = Capture.open(directory, "gso", 1 << 20, 1);
        net.engine.capture(capture);
        net.engine.captureLink("web", capture);
        byte[] payload = new byte[3 * 1448 - 100];
        byte[] gso = FrameBuilder.withPartialTcpChecksum(FrameBuilder.tcp(EngineHarness.PEER_MAC, web.mac(),
                EngineHarness.PEER_IP, web.address()).ports(40000, 9).seq(1000).ack(1).flags(0x18).payload(payload).build());
        net.engine.onFrame(ByteBuffer.wrap(gso), 0, gso.length,
                tapnet.frame.Offload.of(tapnet.frame.Offload.FLAG_NEEDS_CSUM, tapnet.frame.Offload.GSO_TCPV4, 1448, 34, 16), 0);
        net.engine.endOfBatch();
        capture.close();

        PcapngFile file = file("gso");
        // Toward web: read from the TAP (inbound on "tap"), going down the link (outbound on the link's).
        for (String iface : List.of("tap", "link tap<->web")) {
            int index = file.interfaceNames().indexOf(iface);
            int towardWeb = iface.equals("tap") ? PcapngWriter.DIRECTION_INBOUND : PcapngWriter.DIRECTION_OUTBOUND;
            List<byte[]> wire = file.packets().stream().filter(p -> p.iface() == index && p.flags() == towardWeb)
                    .map(PcapngFile.Packet::data).toList();
            assertEquals(3, wire.size(), iface + ": one packet per wire frame, not one of " + gso.length + " bytes");
            int sequence = 1000;
            for (byte[] frame : wire) {
                Decoded.Tcp segment = Decoded.of(frame).tcp(); // Decoded checks the checksums: complete ones
                assertEquals(sequence, segment.seq(), iface);
                assertTrue(frame.length <= 14 + 20 + 20 + 1448, iface + ": " + frame.length);
                sequence += segment.payload().length;
            }
            assertEquals(1000 + payload.length, sequence, iface + ": all the data, once");
        }
    }

    @Test
    void twoCapturesWatchAtOnceAndOneStoppedSeesNoMore() throws IOException {
        Capture first = Capture.open(directory, "first", 1 << 20, 1);
        Capture second = new Capture(CaptureFiles.single(directory.resolve("second.pcapng")));
        net.engine.capture(first);
        net.engine.captureLink("web", first);
        net.engine.capture(second);
        net.engine.captureLink("web", second);
        net.send(ping(web, 1));
        net.engine.stopCapture(first);
        first.close();
        net.send(ping(web, 2));
        net.engine.stopCapture(second);
        second.close();
        net.send(ping(web, 3)); // nobody watches

        assertEquals(4, file("first").packets().size(), "one ping and its reply, on the tap and on the link");
        PcapngFile both = PcapngFile.read(directory.resolve("second.pcapng"));
        assertEquals(List.of("tap", "link tap<->web"), both.interfaceNames());
        assertEquals(8, both.packets().size(), "two pings and their replies");
        assertEquals(8, second.frames());
        assertEquals(both.packets().stream().mapToLong(p -> p.data().length).sum(), second.bytes());
        assertEquals(List.of(directory.resolve("second.pcapng")), second.files(), "exactly the file asked for");
    }

    @Test
    void capturesALinkBothWaysAsFramesLeaveIt() throws IOException {
        Capture capture = Capture.open(directory, "link", 1 << 20, 1);
        net.engine.capture(capture);
        net.engine.captureLink("web", capture);
        long t0 = net.clock.nanos();
        Impairments twentyMs = Impairments.NONE.withDelay(Duration.ofMillis(20));
        net.engine.setLink(web, twentyMs, twentyMs);
        capture.comment("link web: delay 20ms", t0);
        net.send(ping(web, 1));
        assertEquals(1, net.advanceMillis(40).size());
        capture.close();

        PcapngFile file = file("link");
        assertEquals(List.of("tap", "link tap<->web", Capture.EVENTS_INTERFACE), file.interfaceNames());
        List<PcapngFile.Packet> packets = file.packets();
        assertEquals(5, packets.size());
        assertEquals(List.of(2, 0, 1, 1, 0), packets.stream().map(PcapngFile.Packet::iface).toList());
        assertEquals(List.of(t0, t0, t0 + 20 * MS, t0 + 40 * MS, t0 + 40 * MS),
                packets.stream().map(PcapngFile.Packet::nanos).toList());
        assertEquals(List.of(0, 1, 2, 1, 2), packets.stream().map(PcapngFile.Packet::flags).toList(),
                "tap: in, then out; link: out toward the node, in toward the tap");
        assertEquals("link web: delay 20ms", packets.get(1).comment(), "the first frame after the event");
        assertArrayEquals(packets.get(1).data(), packets.get(2).data(), "the request, as it left the link");
        assertArrayEquals(packets.get(3).data(), packets.get(4).data(), "the reply, as it left the link");
    }

    @Test
    void aLinkBehindARouterIsNamedAfterTheRouter() throws IOException {
        int r1 = Ipv4Address.parse("10.77.0.254");
        VirtualHost router = net.engine.addRouter("r1", r1, MacAddress.derivedFrom(r1), Ipv4Address.parse("10.78.1.1"), 24);
        int h = Ipv4Address.parse("10.78.1.10");
        VirtualHost inner = net.engine.addHost("inner", h, MacAddress.derivedFrom(h));
        Capture capture = Capture.open(directory, "routed", 1 << 20, 1);
        net.engine.captureLink("inner", capture);
        net.engine.captureLink("r1", capture);
        byte[] request = FrameBuilder.echoRequest(EngineHarness.PEER_MAC, router.mac(), EngineHarness.PEER_IP, h, 1, 1, new byte[16]);
        assertEquals(1, net.send(request).size());
        capture.close();

        PcapngFile file = file("routed");
        assertEquals(List.of("link r1<->inner", "link tap<->r1"), file.interfaceNames());
        assertEquals(List.of(1, 0, 0, 1), file.packets().stream().map(PcapngFile.Packet::iface).toList(),
                "down through r1's link then inner's, and back up");
        assertThrows(IllegalArgumentException.class, () -> net.engine.captureLink("nobody", capture));
    }

    @Test
    void capturesEachPortOnItsOwnInterface() throws IOException {
        CapturingSink leftWire = new CapturingSink(1514);
        int left = net.engine.addPort("left", leftWire);
        Capture capture = Capture.open(directory, "ports", 1 << 20, 1);
        net.engine.capture(capture);
        byte[] arp = FrameBuilder.arpRequest(EngineHarness.PEER_MAC, EngineHarness.PEER_IP, web.address());
        net.send(arp); // flooded to the port, answered to the TAP
        byte[] fromPort = FrameBuilder.arpRequest(MacAddress.parse("02:00:00:00:00:42"), Ipv4Address.parse("10.77.0.42"), web.address());
        net.engine.onFrame(ByteBuffer.wrap(fromPort), 0, fromPort.length, tapnet.frame.Offload.NONE, left);
        net.engine.endOfBatch();
        capture.close();

        PcapngFile file = file("ports");
        assertEquals(List.of("tap", "left"), file.interfaceNames());
        List<PcapngFile.Packet> packets = file.packets();
        // tap in, flooded out to left, the answer out to tap; left in, flooded out to tap, the answer out to left
        assertEquals(List.of(0, 1, 0, 1, 0, 1), packets.stream().map(PcapngFile.Packet::iface).toList());
        assertEquals(List.of(1, 2, 2, 1, 2, 2), packets.stream().map(PcapngFile.Packet::flags).toList());
        assertEquals(2, leftWire.count());
    }

    @Test
    void theSameRunGivesTheSameBytes() throws IOException {
        assertArrayEquals(delayedPings("a"), delayedPings("b"));
    }

    private byte[] delayedPings(String name) throws IOException {
        EngineHarness run = new EngineHarness();
        VirtualHost host = run.host("web", "10.77.0.10");
        Capture capture = Capture.open(directory.resolve(name), "run", 1 << 20, 1);
        run.engine.capture(capture);
        run.engine.captureLink("web", capture);
        Impairments delayed = Impairments.NONE.withDelay(Duration.ofMillis(5));
        run.engine.setLink(host, delayed, delayed);
        for (int seq = 0; seq < 20; seq++) {
            capture.comment("ping " + seq, run.clock.nanos());
            run.send(ping(host, seq));
            run.advanceMillis(3);
        }
        run.advanceMillis(100);
        capture.close();
        return Files.readAllBytes(directory.resolve(name).resolve("run-00001.pcapng"));
    }

    @Test
    void capturingAllocatesNothingPerFrame() throws IOException {
        Capture capture = Capture.open(directory, "alloc", Long.MAX_VALUE, 1);
        net.engine.capture(capture);
        ByteBuffer request = ByteBuffer.wrap(ping(web, 1));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        pings(request, 20_000);
        long before = threads.getCurrentThreadAllocatedBytes();
        pings(request, 100_000);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        capture.close();
        assertEquals(2 * 120_000, file("alloc").packets().size());
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over 100,000 pings");
    }

    private void pings(ByteBuffer request, int count) {
        for (int i = 0; i < count; i++) {
            net.engine.onFrame(request, 0, request.capacity());
            net.engine.endOfBatch();
            net.sink.clear();
        }
    }
}
