package tapnet.engine;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.frame.Offload;
import tapnet.link.Impairments;
import tapnet.node.VirtualHost;
import tapnet.service.DiscardService;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.testing.TcpPeer;
import tapnet.wire.InternetChecksum;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TCP over IPv6 as a kernel with offloads hands it to the TAP (TUN_F_TSO6 is on): checksums left partial
 * (NEEDS_CSUM) and GSO super-frames of type TCPv6, taken whole by a host or cut into wire frames by a link.
 */
class Ipv6OffloadTest {
    private static final int TCP_AT = 14 + 40;
    private static final int MSS = 1440;
    private static final long[] WEB = FrameBuilder.v6("fd77::10");

    private final EngineHarness net = new EngineHarness().prefix6("fd77::/64");
    private final VirtualHost web = net.host6("web", "10.77.0.10", "fd77::10");
    private final DiscardService discard = new DiscardService();

    {
        net.engine.listen(web, 9, discard);
    }

    /** The frame with its TCP checksum as a kernel leaves it: the IPv6 pseudo-header's sum, folded, not complemented. */
    private static byte[] withPartialChecksum(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        int tcpLength = frame.length - TCP_AT;
        long pseudo = FrameBuilder.addressSum(EngineHarness.PEER6, WEB) + 6 + tcpLength;
        b.putShort(TCP_AT + 16, (short) ~InternetChecksum.finish(pseudo));
        return frame;
    }

    private List<Decoded> sendOffloaded(byte[] frame, long offload) {
        net.engine.onFrame(ByteBuffer.wrap(frame), 0, frame.length, offload, 0);
        net.engine.endOfBatch();
        return net.drain();
    }

    private TcpPeer connected() {
        TcpPeer client = net.client6(web, "fd77::10", 9);
        client.connect();
        return client;
    }

    @Test
    void aSegmentWithAPartialChecksumIsTaken() {
        TcpPeer client = connected();
        byte[] frame = withPartialChecksum(client.segment().payload(new byte[100]).build());
        client.absorb(sendOffloaded(frame, Offload.partialChecksum(TCP_AT, 16)));
        client.sndNxt += 100;
        client.advanceMillis(500);
        assertEquals(client.sndNxt, client.sndUna, "acknowledged");
    }

    @Test
    void aTcpv6SuperFrameIsTakenWhole() {
        TcpPeer client = connected();
        byte[] frame = withPartialChecksum(client.segment().payload(new byte[4000]).build());
        client.absorb(sendOffloaded(frame, Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV6, MSS, TCP_AT, 16)));
        client.sndNxt += 4000;
        client.advanceMillis(500);
        assertEquals(client.sndNxt, client.sndUna, "all 4000 bytes acknowledged");
    }

    @Test
    void aTcpv6SuperFrameThroughALinkIsCutIntoWireFramesTheHostTakes() {
        net.engine.setLink(web, Impairments.NONE.withDelay(Duration.ofMillis(1)), Impairments.NONE);
        TcpPeer client = net.client6(web, "fd77::10", 9);
        client.sendSyn();
        client.advanceMillis(10); // the SYN-ACK
        client.sendAck();
        client.advanceMillis(10);
        byte[] frame = withPartialChecksum(client.segment().payload(new byte[4000]).build());
        client.absorb(sendOffloaded(frame, Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV6, MSS, TCP_AT, 16)));
        client.sndNxt += 4000;
        client.advanceMillis(500);
        assertEquals(client.sndNxt, client.sndUna, "all 4000 bytes acknowledged");
        assertEquals(0, net.engine.counters().dropped(tapnet.observe.DropReason.TCP_BAD_CHECKSUM));
    }

    @Test
    void aLinkMtuLowersTheMssAnnouncedOverIpv6() {
        net.engine.setLink(web, Impairments.NONE.withMtu(1280), Impairments.NONE.withMtu(1280));
        TcpPeer client = net.client6(web, "fd77::10", 9);
        assertEquals(1280 - 60, client.connect().mss(), "MTU 1280 - 40 (IPv6) - 20 (TCP)");
        assertEquals(1280 - 40, net.client(web, 9).connect().mss(), "and 1240 over IPv4");
    }
}
