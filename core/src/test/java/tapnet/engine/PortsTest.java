package tapnet.engine;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.link.Impairments;
import tapnet.node.VirtualHost;
import tapnet.observe.DropReason;
import tapnet.service.EchoService;
import tapnet.testing.CapturingSink;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real ports on the TAP's segment: switched by MAC, across their links, in the engine on a virtual clock. */
class PortsTest {
    private static final int LEFT_IP = Ipv4Address.parse("10.77.0.101");
    private static final long LEFT_MAC = MacAddress.parse("02:00:00:00:01:01");
    private static final int RIGHT_IP = Ipv4Address.parse("10.77.0.102");
    private static final long RIGHT_MAC = MacAddress.parse("02:00:00:00:01:02");

    private final EngineHarness net = new EngineHarness();
    private final VirtualHost web = net.host("web", "10.77.0.10", 7, new EchoService());
    private final CapturingSink leftWire = new CapturingSink(1514);
    private final CapturingSink rightWire = new CapturingSink(1514);
    private final int left = net.engine.addPort("left", leftWire);
    private final int right = net.engine.addPort("right", rightWire);

    private void from(int device, byte[] frame) {
        net.engine.onFrame(ByteBuffer.wrap(frame), 0, frame.length, tapnet.frame.Offload.NONE, device);
        net.engine.endOfBatch();
    }

    private static byte[] ping(long srcMac, long dstMac, int src, int dst, int seq) {
        return FrameBuilder.echoRequest(srcMac, dstMac, src, dst, 1, seq, new byte[16]);
    }

    @Test
    void portsAreNumberedAfterTheTap() {
        assertEquals(1, left);
        assertEquals(2, right);
        assertEquals(2, net.engine.port("right"));
        assertEquals(-1, net.engine.port("nowhere"));
    }

    @Test
    void aBroadcastReachesEveryOtherDeviceAndTheHosts() {
        from(left, FrameBuilder.arpRequest(LEFT_MAC, LEFT_IP, web.address()));
        assertEquals(1, rightWire.drain().size(), "flooded to the other port");
        assertEquals(1, net.drain().size(), "flooded to the TAP");
        List<byte[]> toLeft = leftWire.drain();
        assertEquals(1, toLeft.size(), "web's ARP reply goes to the port that asked, only");
        Decoded reply = Decoded.of(toLeft.get(0));
        assertEquals(LEFT_MAC, reply.ethDestination());
        assertEquals(web.mac(), reply.arp().senderMac());
    }

    @Test
    void aPortPingsAVirtualHostAndTheAnswerComesBackToIt() {
        from(left, ping(LEFT_MAC, web.mac(), LEFT_IP, web.address(), 1));
        List<byte[]> answers = leftWire.drain();
        assertEquals(1, answers.size());
        assertEquals(0, Decoded.of(answers.get(0)).icmp().type(), "echo reply");
        assertTrue(rightWire.drain().isEmpty());
        assertTrue(net.drain().isEmpty(), "the TAP hears nothing of it");
    }

    @Test
    void framesBetweenPortsAreFloodedUntilLearnedThenSwitched() {
        byte[] first = ping(LEFT_MAC, RIGHT_MAC, LEFT_IP, RIGHT_IP, 1);
        from(left, first);
        assertArrayEquals(first, rightWire.drain().get(0), "carried unchanged");
        assertEquals(1, net.drain().size(), "right's MAC is unknown yet: flooded to the TAP too");

        from(right, ping(RIGHT_MAC, LEFT_MAC, RIGHT_IP, LEFT_IP, 1));
        assertEquals(1, leftWire.drain().size());
        assertTrue(net.drain().isEmpty(), "left's MAC was learned: to left only");

        from(left, ping(LEFT_MAC, RIGHT_MAC, LEFT_IP, RIGHT_IP, 2));
        assertEquals(1, rightWire.drain().size());
        assertTrue(net.drain().isEmpty(), "right's MAC learned too");
    }

    @Test
    void aPortsLinkDelaysFramesBothWays() {
        learn();
        Impairments tenMs = Impairments.NONE.withDelay(Duration.ofMillis(10));
        net.engine.setPortLink(right, tenMs, tenMs);
        from(left, ping(LEFT_MAC, RIGHT_MAC, LEFT_IP, RIGHT_IP, 1));
        assertEquals(0, rightWire.count());
        net.advanceMillis(9);
        assertEquals(0, rightWire.count());
        net.advanceMillis(1);
        assertEquals(1, rightWire.drain().size(), "into right after its link's 10 ms");

        from(right, ping(RIGHT_MAC, LEFT_MAC, RIGHT_IP, LEFT_IP, 1));
        net.advanceMillis(9);
        assertEquals(0, leftWire.count());
        net.advanceMillis(1);
        assertEquals(1, leftWire.drain().size(), "out of right after 10 ms, left has no link");
    }

    @Test
    void aHostAndAPortBothBehindLinksAddUp() {
        learn();
        Impairments fiveMs = Impairments.NONE.withDelay(Duration.ofMillis(5));
        net.engine.setPortLink(left, fiveMs, fiveMs);
        net.engine.setLink(web, fiveMs, fiveMs);
        from(left, ping(LEFT_MAC, web.mac(), LEFT_IP, web.address(), 1));
        net.advanceMillis(19);
        assertEquals(0, leftWire.count());
        net.advanceMillis(1);
        assertEquals(1, leftWire.drain().size(), "four links of 5 ms: 20 ms round trip");
    }

    @Test
    void aDownPortLinkDropsAndCounts() {
        learn();
        net.engine.setPortLink(right, Impairments.NONE.withDown(true), Impairments.NONE);
        from(left, ping(LEFT_MAC, RIGHT_MAC, LEFT_IP, RIGHT_IP, 1));
        assertEquals(0, rightWire.count());
        assertEquals(1, net.engine.counters().dropped(DropReason.LINK_DOWN));
        assertEquals(1, net.engine.portLink(right, true).counters().dropped());
    }

    @Test
    void theTapStillReachesHostsAndPortsReachTheTap() {
        assertEquals(1, net.send(ping(EngineHarness.PEER_MAC, web.mac(), EngineHarness.PEER_IP, web.address(), 1)).size(),
                "web's echo reply");
        from(left, ping(LEFT_MAC, EngineHarness.PEER_MAC, LEFT_IP, EngineHarness.PEER_IP, 1));
        assertEquals(1, net.drain().size(), "left's ping, to the TAP only: its MAC was learned");
        assertTrue(leftWire.drain().isEmpty() && rightWire.drain().isEmpty());
    }

    @Test
    void capturingAPortsLinkCapturesThePortsDevice(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        tapnet.capture.Capture capture = tapnet.capture.Capture.open(dir, "ports", 1 << 20, 1);
        net.engine.captureLink("left", capture); // a port's link ends at its device: that interface shows it
        from(left, ping(LEFT_MAC, web.mac(), LEFT_IP, web.address(), 1));
        capture.close();
        byte[] file = java.nio.file.Files.readAllBytes(capture.files().get(0));
        String text = new String(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("left") && text.contains("right"), "the devices' interfaces, the ports by name");
        assertEquals(1, leftWire.drain().size());
        assertTrue(file.length > 200, "the ping and its reply are in the file: " + file.length + " bytes");
    }

    /** Both ports' MACs learned, so frames between them are switched, not flooded. */
    private void learn() {
        from(left, FrameBuilder.arpRequest(LEFT_MAC, LEFT_IP, RIGHT_IP));
        from(right, FrameBuilder.arpRequest(RIGHT_MAC, RIGHT_IP, LEFT_IP));
        leftWire.clear();
        rightWire.clear();
        net.drain();
    }
}
