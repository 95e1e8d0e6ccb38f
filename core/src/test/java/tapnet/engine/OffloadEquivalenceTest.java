package tapnet.engine;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tapnet.frame.Offload;
import tapnet.link.Impairments;
import tapnet.link.LinkCounters;
import tapnet.link.LinkDropReason;
import tapnet.node.VirtualHost;
import tapnet.service.DiscardService;
import tapnet.tcp.TcpConfig;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.testing.TcpPeer;
import tapnet.wire.InternetChecksum;
import tapnet.wire.Ipv4Packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same seeded run with offloads and without: a kernel with TSO hands over one GSO frame where a kernel
 * without it sends its wire frames one by one, and a link that acts per frame must decide exactly the same
 * for both (which frames are lost, duplicated, corrupted, reordered, when each leaves), so that the host,
 * and everything it answers, sees the same run.
 */
class OffloadEquivalenceTest {
    private static final int MSS = 1448;
    private static final int SEGMENTS_PER_FRAME = 10;
    private static final int DATA_BYTES = 1 << 20;
    private static final int FIRST_IP_ID = 0x4100;
    private static final int ETHERNET = 14;
    private static final int TCP_AT = ETHERNET + Ipv4Packet.MIN_HEADER_LENGTH;
    private static final Impairments TOWARD_TAP = Impairments.NONE
            .withDelay(Duration.ofMillis(2), Duration.ofMillis(1))
            .withLoss(0.05)
            .withDuplicate(0.03);
    /** Corrupted too: the wire frames' checksums must be complete before a bit flips, or the host would take it. */
    private static final Impairments TOWARD_HOST = TOWARD_TAP.withCorrupt(0.02);

    @Test
    void aLinkDecidesTheSameForAGsoFrameAsForTheWireFramesItStandsFor() {
        Run wire = run(false);
        Run offloaded = run(true);
        assertEquals(wire.towardHost, offloaded.towardHost, "frames toward the host: in, delivered, lost, duplicated, corrupted");
        assertEquals(wire.towardTap, offloaded.towardTap, "the host's answers: the same frames, the same decisions");
        Map<String, Long> deviceReads = Map.of("frames_in", 0L, "bytes_in", 0L); // what the TAP handed over differs
        assertEquals(without(wire.counters, deviceReads.keySet()), without(offloaded.counters, deviceReads.keySet()));
        assertTrue(offloaded.counters.get("frames_in") * 5 < wire.counters.get("frames_in"), "GSO frames: " + offloaded.counters);
        assertEquals(wire.out.size(), offloaded.out.size());
        for (int i = 0; i < wire.out.size(); i++) {
            assertEquals(wire.out.get(i), offloaded.out.get(i), "frame " + i + " out of the engine");
        }
        assertTrue(!wire.towardHost.contains("lost 0,") && !wire.towardHost.contains("corrupted 0,"), wire.towardHost);
        assertTrue(wire.counters.get("drop.tcp_bad_checksum") > 0, "corrupted frames are refused: " + wire.counters);
    }

    @Test
    void aPerfectLinkCountsAGsoFrameAsItsWireFrames() {
        EngineHarness net = new EngineHarness(TcpConfig.defaults().withMaxConnections(16), 1514, 7);
        VirtualHost web = net.host("web", "10.77.0.10", 9, new DiscardService());
        TcpPeer client = net.client(web, 9);
        client.connect();
        net.engine.setLink(web, Impairments.NONE, Impairments.NONE);
        byte[] payload = new byte[MSS * SEGMENTS_PER_FRAME - 100]; // the last wire frame is short
        byte[] frame = gsoFrame(client, client.sndNxt, payload);
        net.engine.onFrame(ByteBuffer.wrap(frame), 0, frame.length, gso(), 0);
        net.engine.endOfBatch();
        LinkCounters towardHost = net.engine.link(web, true).counters();
        assertEquals(SEGMENTS_PER_FRAME, towardHost.framesIn());
        assertEquals(payload.length + SEGMENTS_PER_FRAME * (long) TCP_AT + SEGMENTS_PER_FRAME * 20L, towardHost.bytesIn());
        assertEquals(SEGMENTS_PER_FRAME, towardHost.framesDelivered());
        assertEquals(payload.length, net.engine.counters().get(tapnet.observe.Counter.TCP_DATA_BYTES_IN),
                "the host took the GSO frame whole, its partial checksum vouched for");
    }

    private static Map<String, Long> without(Map<String, Long> counters, java.util.Set<String> names) {
        Map<String, Long> rest = new java.util.TreeMap<>(counters);
        rest.keySet().removeAll(names);
        return rest;
    }

    private record Run(List<String> out, Map<String, Long> counters, String towardHost, String towardTap) {
    }

    /**
     * A sender that streams {@link #DATA_BYTES} to web's discard service within its window, in chunks of up
     * to ten segments (one GSO frame, or its wire frames), going back to the first unacknowledged byte when
     * nothing moves for a while. It reacts only to what the engine sends, so two runs whose links decide
     * alike get the same input.
     */
    private Run run(boolean offloads) {
        EngineHarness net = new EngineHarness(TcpConfig.defaults().withMaxConnections(16), 1514, 7);
        VirtualHost web = net.host("web", "10.77.0.10", 9, new DiscardService());
        TcpPeer client = net.client(web, 9);
        client.connect();
        net.sink.drain();
        net.engine.setLink(web, TOWARD_HOST, TOWARD_TAP);
        byte[] data = new byte[DATA_BYTES];
        new Random(3).nextBytes(data);
        List<String> out = new ArrayList<>();
        int start = client.sndNxt;
        int sent = 0;
        int stalled = 0;
        for (int round = 0; round < 50_000 && client.sndUna - start < data.length; round++) {
            int room = client.peerWindow - (start + sent - client.sndUna);
            int n = Math.min(Math.min(room, MSS * SEGMENTS_PER_FRAME), data.length - sent);
            if (n < data.length - sent) {
                n -= n % MSS; // whole segments, but for the last
            }
            if (n > 0) {
                byte[] payload = java.util.Arrays.copyOfRange(data, sent, sent + n);
                send(net, client, start + sent, payload, offloads);
                sent += n;
            }
            net.engine.endOfBatch();
            int before = client.sndUna;
            collect(net, client, out);
            net.clock.advanceTo(net.clock.nanos() + 1_000_000);
            net.engine.pollTimers();
            collect(net, client, out);
            stalled = client.sndUna == before ? stalled + 1 : 0;
            if (stalled >= 20) { // a sender's timeout: go back to the first byte not acknowledged
                sent = client.sndUna - start;
                stalled = 0;
            }
        }
        assertEquals(data.length, client.sndUna - start, "every byte acknowledged");
        return new Run(out, net.engine.counters().snapshot(), describe(net.engine.link(web, true).counters()),
                describe(net.engine.link(web, false).counters()));
    }

    /** {@code payload} from {@code sequence}: one GSO frame, or the wire frames a kernel without TSO sends. */
    private static void send(EngineHarness net, TcpPeer client, int sequence, byte[] payload, boolean offloads) {
        if (offloads) {
            byte[] frame = gsoFrame(client, sequence, payload);
            net.engine.onFrame(ByteBuffer.wrap(frame), 0, frame.length, gso(), 0);
            return;
        }
        for (int at = 0, s = 0; at < payload.length; at += MSS, s++) {
            byte[] segment = java.util.Arrays.copyOfRange(payload, at, Math.min(payload.length, at + MSS));
            byte[] frame = withIpId(client.segment().seq(sequence + at).payload(segment).build(), FIRST_IP_ID + s);
            net.engine.onFrame(ByteBuffer.wrap(frame), 0, frame.length);
        }
    }

    private static void collect(EngineHarness net, TcpPeer client, List<String> out) {
        List<Decoded> decoded = new ArrayList<>();
        for (byte[] frame : net.sink.drain()) {
            out.add(HexFormat.of().formatHex(frame));
            decoded.add(Decoded.of(frame));
        }
        client.absorb(decoded);
    }

    private static String describe(LinkCounters c) {
        return "in " + c.framesIn() + " (" + c.bytesIn() + " bytes), delivered " + c.framesDelivered() + " ("
                + c.bytesDelivered() + " bytes), lost " + c.dropped(LinkDropReason.LOSS) + ", duplicated " + c.duplicated()
                + ", corrupted " + c.corrupted() + ", reordered " + c.reordered();
    }

    /** What a kernel with TSO on: NEEDS_CSUM from the TCP header, segments of MSS bytes. */
    private static long gso() {
        return Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4, MSS, TCP_AT, 16);
    }

    /**
     * One TCP segment carrying all of {@code payload}, its checksum left partial as the kernel leaves it
     * (the pseudo-header's sum, not complemented), its IP id the first of the wire frames'.
     */
    private static byte[] gsoFrame(TcpPeer client, int sequence, byte[] payload) {
        return FrameBuilder.withPartialTcpChecksum(withIpId(client.segment().seq(sequence).payload(payload).build(), FIRST_IP_ID));
    }

    private static byte[] withIpId(byte[] frame, int id) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        b.putShort(ETHERNET + 4, (short) id);
        b.putShort(ETHERNET + 10, (short) 0);
        b.putShort(ETHERNET + 10, (short) InternetChecksum.of(b, ETHERNET, Ipv4Packet.MIN_HEADER_LENGTH));
        return frame;
    }
}
