package tapnet.frame;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.testing.FrameBuilder;
import tapnet.wire.InternetChecksum;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;
import tapnet.wire.TcpSegment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GRO's rules (tcp_gro_receive): segments of one flow in sequence, with the same headers but for sequence
 * number, IP id, length and checksum, become one GSO frame that {@link WireFrames} cuts back into the same
 * segments; whatever breaks a rule ends the flow and goes on alone, unchanged.
 */
class TcpCoalescerTest {
    private static final long A_MAC = MacAddress.parse("02:00:00:00:01:01");
    private static final long B_MAC = MacAddress.parse("02:00:00:00:01:02");
    private static final int A = Ipv4Address.parse("10.77.0.101");
    private static final int B = Ipv4Address.parse("10.77.0.102");
    private static final int MSS = 1448;

    private record Delivered(byte[] frame, long offload) {
    }

    private final List<Delivered> out = new ArrayList<>();
    private final TcpCoalescer coalescer = new TcpCoalescer((buffer, offset, length, offload) -> {
        byte[] copy = new byte[length];
        buffer.get(offset, copy);
        out.add(new Delivered(copy, offload));
    });

    /** Segment {@code index} of a flow from port {@code port}: MSS bytes each, timestamps, IP ids one apart. */
    private static FrameBuilder.Tcp segment(int port, int index) {
        byte[] payload = new byte[MSS];
        Arrays.fill(payload, (byte) (index * 7 + port));
        return FrameBuilder.tcp(A_MAC, B_MAC, A, B).ports(port, 5201).seq(1000 + index * MSS).ack(77)
                .flags(TcpSegment.ACK).timestamps(5, 6).payload(payload);
    }

    static byte[] withId(byte[] frame, int id) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        b.putShort(14 + 4, (short) id).putShort(14 + 10, (short) 0);
        b.putShort(14 + 10, (short) InternetChecksum.of(b, 14, 20));
        return frame;
    }

    private static byte[] built(FrameBuilder.Tcp segment, int index) {
        return withId(segment.build(), 100 + index);
    }

    private void add(byte[]... frames) {
        for (byte[] frame : frames) {
            ByteBuffer b = ByteBuffer.allocate(frame.length + 3);
            b.put(3, frame);
            coalescer.add(b, 3, frame.length);
        }
        coalescer.flush();
    }

    /** The wire frames a delivered frame stands for: itself when it is not GSO. */
    static List<byte[]> cut(byte[] frame, long offload) {
        if (offload == Offload.NONE) {
            return List.of(frame);
        }
        WireFrames wire = new WireFrames(1600); // IPv6 segments of 1448 bytes with timestamps are 1534
        assertTrue(wire.begin(ByteBuffer.wrap(frame), 0, frame.length, offload) > 0, Offload.describe(offload));
        List<byte[]> frames = new ArrayList<>();
        for (int n; (n = wire.next()) > 0; ) {
            byte[] copy = new byte[n];
            wire.buffer().get(0, copy);
            frames.add(copy);
        }
        return frames;
    }

    @Test
    void segmentsInSequenceBecomeOneGsoFrameThatCutsBackIntoThem() {
        List<byte[]> segments = new ArrayList<>();
        for (int i = 0; i < 44; i++) {
            segments.add(built(segment(40000, i), i));
        }
        byte[] last = segment(40000, 44).payload(new byte[500]).flags(TcpSegment.ACK | TcpSegment.PSH).build();
        segments.add(withId(last, 100 + 44));
        add(segments.toArray(byte[][]::new));

        assertEquals(1, out.size());
        long offload = out.get(0).offload();
        assertEquals(Offload.GSO_TCPV4, Offload.gsoType(offload));
        assertEquals(MSS, Offload.gsoSize(offload));
        assertTrue(Offload.needsChecksum(offload));
        assertEquals(14 + 20, Offload.checksumStart(offload));
        assertEquals(16, Offload.checksumOffset(offload));
        List<byte[]> again = cut(out.get(0).frame(), offload);
        assertEquals(segments.size(), again.size());
        for (int i = 0; i < segments.size(); i++) {
            assertArrayEquals(segments.get(i), again.get(i), "segment " + i + ", IP id included");
        }
    }

    @Test
    void ipv6SegmentsAreJoinedToo() {
        long[] a6 = FrameBuilder.v6("fd00::101");
        long[] b6 = FrameBuilder.v6("fd00::102");
        List<byte[]> segments = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            segments.add(segment(40000, i).ipv6(a6, b6).build());
        }
        add(segments.toArray(byte[][]::new));
        assertEquals(1, out.size());
        assertEquals(Offload.GSO_TCPV6, Offload.gsoType(out.get(0).offload()));
        List<byte[]> again = cut(out.get(0).frame(), out.get(0).offload());
        for (int i = 0; i < segments.size(); i++) {
            assertArrayEquals(segments.get(i), again.get(i), "segment " + i);
        }
    }

    @Test
    void whatBreaksARuleEndsTheFlowAndGoesAloneUnchanged() {
        byte[] s0 = built(segment(40000, 0), 0);
        byte[] s1 = built(segment(40000, 1), 1);
        byte[] gap = built(segment(40000, 3), 2); // segment 2 missing
        byte[] s4 = built(segment(40000, 4), 3);
        byte[] otherFlow = built(segment(40001, 5), 4);
        byte[] s5 = built(segment(40000, 5), 5);
        byte[] fin = built(segment(40000, 6).flags(TcpSegment.ACK | TcpSegment.FIN), 6);
        byte[] s7 = built(segment(40000, 7), 7);
        byte[] otherOptions = built(segment(40000, 8).timestamps(9, 6), 8);
        byte[] s9 = built(segment(40000, 9).timestamps(9, 6), 9);
        byte[] ping = FrameBuilder.echoRequest(A_MAC, B_MAC, A, B, 1, 1, new byte[16]);
        byte[] s10 = built(segment(40000, 10), 10);
        byte[] s11 = built(segment(40000, 11), 11);
        add(s0, s1, gap, s4, otherFlow, s5, fin, s7, otherOptions, s9, ping, s10, s11);

        List<Integer> groups = new ArrayList<>();
        List<byte[]> wire = new ArrayList<>();
        for (Delivered d : out) {
            List<byte[]> frames = cut(d.frame(), d.offload());
            groups.add(frames.size());
            wire.addAll(frames);
        }
        // s0+s1 | gap+s4 | other flow | s5 (then the FIN) | FIN | s7 (then other options) | other options+s9 | ping | s10+s11
        assertEquals(List.of(2, 2, 1, 1, 1, 1, 2, 1, 2), groups);
        byte[][] in = {s0, s1, gap, s4, otherFlow, s5, fin, s7, otherOptions, s9, ping, s10, s11};
        assertEquals(in.length, wire.size());
        for (int i = 0; i < in.length; i++) {
            assertArrayEquals(in[i], wire.get(i), "frame " + i + " in order and unchanged");
        }
    }

    @Test
    void aShortSegmentOrPshEndsTheFlowAndALongerOneStartsAnother() {
        byte[] s0 = built(segment(40000, 0), 0);
        byte[] shortOne = built(segment(40000, 1).payload(new byte[100]), 1);
        byte[] next = withId(segment(40000, 0).seq(1000 + MSS + 100).build(), 102);
        byte[] push = built(segment(40000, 0).seq(1000 + 2 * MSS + 100).flags(TcpSegment.ACK | TcpSegment.PSH), 3);
        byte[] after = withId(segment(40000, 0).seq(1000 + 3 * MSS + 100).build(), 104);
        add(s0, shortOne, next, push, after);
        assertEquals(List.of(2, 2, 1), out.stream().map(d -> cut(d.frame(), d.offload()).size()).toList());
    }

    @Test
    void fragmentsAndSegmentsWithTheReservedFlagGoAlone() {
        for (int flags : new int[] {0x2000, 0x0001, 0x8000}) { // more fragments; an offset; RFC 791's reserved flag
            out.clear();
            byte[][] odd = new byte[3][];
            for (int i = 0; i < odd.length; i++) { // all three alike: only the flag itself keeps them apart
                odd[i] = built(segment(40000, i), i);
                ByteBuffer b = ByteBuffer.wrap(odd[i]);
                b.putShort(14 + 6, (short) flags).putShort(14 + 10, (short) 0);
                b.putShort(14 + 10, (short) InternetChecksum.of(b, 14, 20));
            }
            add(odd);
            assertEquals(List.of(Offload.NONE, Offload.NONE, Offload.NONE), out.stream().map(Delivered::offload).toList(),
                    "flags " + Integer.toHexString(flags));
            assertArrayEquals(odd[1], out.get(1).frame());
        }
    }

    @Test
    void aSegmentWithABadChecksumOrIpIdsOutOfStepGoesAlone() {
        byte[] s0 = built(segment(40000, 0), 0);
        byte[] bad = built(segment(40000, 1), 1);
        bad[bad.length - 1] ^= 1;
        add(s0, bad);
        assertEquals(List.of(Offload.NONE, Offload.NONE), out.stream().map(Delivered::offload).toList());
        assertArrayEquals(bad, out.get(1).frame(), "left for the receiver to drop");
        out.clear();
        add(built(segment(40000, 0), 0), built(segment(40000, 1), 5));
        assertEquals(2, out.size(), "ids not one apart: the GSO frame would not give them back");
    }
}
