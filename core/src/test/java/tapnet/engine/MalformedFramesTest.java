package tapnet.engine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.DropReason;
import tapnet.service.EchoService;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.testing.TcpPeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.PSH;
import static tapnet.wire.TcpSegment.SYN;

/**
 * Nothing a frame contains can throw out of the engine or stall it: thousands of broken frames are
 * counted and dropped, and the engine still answers afterwards.
 */
class MalformedFramesTest {
    private final EngineHarness net = new EngineHarness();
    private final VirtualHost host = net.host("echo", "10.77.0.10", 7, new EchoService());
    private final long peer = EngineHarness.PEER_MAC;
    private final int peerIp = EngineHarness.PEER_IP;

    private List<byte[]> validFrames() {
        TcpPeer client = net.client(host, 7);
        return List.of(
                FrameBuilder.arpRequest(peer, peerIp, host.address()),
                FrameBuilder.echoRequest(peer, host.mac(), peerIp, host.address(), 1, 1, new byte[32]),
                FrameBuilder.udp(peer, host.mac(), peerIp, host.address(), 1000, 53, new byte[12]),
                client.segment().flags(SYN).ack(0).mss(1460).sackPermitted().timestamps(1, 0).windowScale(7).build(),
                client.segment().flags(ACK | PSH).payload(new byte[100]).build());
    }

    @Test
    void everyTruncationIsDroppedWithAReason() {
        int frames = 0;
        for (byte[] valid : validFrames()) {
            for (int length = 0; length < valid.length; length++) {
                net.send(Arrays.copyOf(valid, length));
                frames++;
            }
        }
        assertEquals(frames, net.engine.counters().get(Counter.FRAMES_IN));
        assertEquals(frames, net.engine.counters().get(Counter.FRAMES_DROPPED), "every truncated frame is a counted drop");
        assertStillAnswers();
    }

    @Test
    void wrongHeaderLengthsAreDropped() {
        for (byte[] valid : validFrames()) {
            if (valid[12] != 0x08 || valid[13] != 0x00) {
                continue;
            }
            for (int ihl = 0; ihl < 16; ihl++) {
                if (ihl == 5) continue;
                byte[] f = valid.clone();
                f[14] = (byte) (0x40 | ihl);
                fixIpChecksum(f);
                net.send(f);
            }
            for (int totalLength : new int[] {0, 19, 20, 21, valid.length, 65535}) {
                byte[] f = valid.clone();
                f[16] = (byte) (totalLength >>> 8);
                f[17] = (byte) totalLength;
                fixIpChecksum(f);
                net.send(f);
            }
            byte[] v6 = valid.clone();
            v6[14] = 0x65;
            fixIpChecksum(v6);
            net.send(v6);
        }
        byte[] syn = validFrames().get(3);
        for (int dataOffset = 0; dataOffset < 16; dataOffset++) {
            byte[] f = syn.clone();
            f[34 + 12] = (byte) (dataOffset << 4);
            net.send(f); // the checksum is now wrong too; either reason is a drop
        }
        assertTrue(net.engine.counters().dropped(DropReason.IPV4_MALFORMED) > 0);
        assertTrue(net.engine.counters().dropped(DropReason.TCP_MALFORMED)
                + net.engine.counters().dropped(DropReason.TCP_BAD_CHECKSUM) >= 15);
        assertStillAnswers();
    }

    @Test
    void anyFlippedByteIsCaughtByAChecksumOrAHeaderCheck() {
        Random random = new Random(11);
        int sent = 0;
        for (byte[] valid : validFrames()) {
            for (int i = 0; i < 1000; i++) {
                byte[] f = valid.clone();
                int at = 14 + random.nextInt(f.length - 14);
                f[at] ^= (byte) (1 + random.nextInt(255));
                net.send(f);
                sent++;
            }
        }
        assertEquals(sent, net.engine.counters().get(Counter.FRAMES_IN));
        assertStillAnswers();
    }

    @Test
    void randomGarbageNeverThrows() {
        Random random = new Random(12);
        List<byte[]> garbage = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            byte[] f = new byte[random.nextInt(1515)];
            random.nextBytes(f);
            if (f.length > 14 && random.nextBoolean()) {
                f[12] = 0x08; // make most of them IPv4 or ARP, to reach deeper parsers
                f[13] = (byte) (random.nextBoolean() ? 0x00 : 0x06);
                if (f.length > 15) f[14] = 0x45;
            }
            garbage.add(f);
        }
        for (byte[] f : garbage) {
            net.engine.onFrame(ByteBuffer.wrap(f), 0, f.length);
        }
        net.engine.endOfBatch();
        net.drain();
        assertEquals(5000, net.engine.counters().get(Counter.FRAMES_IN));
        assertStillAnswers();
    }

    private void assertStillAnswers() {
        net.drain();
        List<Decoded> pong = net.send(FrameBuilder.echoRequest(peer, host.mac(), peerIp, host.address(), 9, 9, new byte[8]));
        assertEquals(1, pong.size());
        TcpPeer client = net.client(host, 60_000, 7);
        client.connect();
        client.sendData("still here".getBytes());
        assertEquals("still here", new String(client.received()));
    }

    private static void fixIpChecksum(byte[] f) {
        int ihl = (f[14] & 0xf) * 4;
        if (ihl < 20 || 14 + ihl > f.length) {
            return;
        }
        f[24] = 0;
        f[25] = 0;
        int sum = tapnet.wire.InternetChecksum.of(ByteBuffer.wrap(f), 14, ihl);
        f[24] = (byte) (sum >>> 8);
        f[25] = (byte) sum;
    }
}
