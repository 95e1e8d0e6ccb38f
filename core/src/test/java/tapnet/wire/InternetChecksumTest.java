package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {
    /** The checksum as RFC 1071 §4.1 computes it: 16-bit big-endian words, an odd last byte padded on the right. */
    private static int referenceChecksum(byte[] data, int from, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int high = data[from + i] & 0xff;
            int low = i + 1 < length ? data[from + i + 1] & 0xff : 0;
            sum += (high << 8) | low;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    @Test
    void rfc1071WorkedExampleSumsToDdf2() {
        // RFC 1071 §3: the bytes 00 01 f2 03 f4 f5 f6 f7 have the ones' complement sum dd f2.
        ByteBuffer bytes = Hex.buffer("0001 f203 f4f5 f6f7");

        assertEquals(0xddf2, ~InternetChecksum.finish(InternetChecksum.add(0, bytes, 0, 8)) & 0xffff);
        assertEquals(0x220d, InternetChecksum.of(bytes, 0, 8));
    }

    @Test
    void rfc1071ExampleGivesTheSameSumAtEveryOffsetOfALargerBuffer() {
        for (int at = 0; at < 8; at++) {
            ByteBuffer buffer = ByteBuffer.allocate(24);
            buffer.put(at, Hex.bytes("0001f203f4f5f6f7"));

            assertEquals(0x220d, InternetChecksum.of(buffer, at, 8), "at " + at);
        }
    }

    @Test
    void oddLastByteIsPaddedWithAZeroOnTheRight() {
        // RFC 1071 §4.1: "Add left-over byte, if any".
        assertEquals(~0x0100 & 0xffff, InternetChecksum.of(Hex.buffer("01"), 0, 1));
        assertEquals(InternetChecksum.of(Hex.buffer("0001f203f400"), 0, 6), InternetChecksum.of(Hex.buffer("0001f203f4"), 0, 5));
        assertEquals(InternetChecksum.of(Hex.buffer("0001f2"), 0, 3), InternetChecksum.of(Hex.buffer("0001f200"), 0, 4));
    }

    @Test
    void emptyRegionHasChecksumFfff() {
        assertEquals(0xffff, InternetChecksum.of(ByteBuffer.allocate(0), 0, 0));
    }

    @Test
    void matchesWordByWordReferenceForEveryLengthAndAlignment() {
        Random random = new Random(1071);
        byte[] data = new byte[200];
        for (int round = 0; round < 20; round++) {
            random.nextBytes(data);
            ByteBuffer buffer = ByteBuffer.wrap(data);
            for (int from = 0; from < 4; from++) {
                for (int length = 0; length <= 150; length++) {
                    assertEquals(referenceChecksum(data, from, length), InternetChecksum.of(buffer, from, length),
                            "round " + round + " from " + from + " length " + length);
                }
            }
        }
    }

    @Test
    void carriesAreFoldedBackHoweverLongTheRegion() {
        // 65,534 bytes of ff: every word is ffff, whose ones' complement sum stays ffff, so the checksum is 0.
        byte[] ones = new byte[65_535];
        Arrays.fill(ones, (byte) 0xff);
        ByteBuffer buffer = ByteBuffer.wrap(ones);

        assertEquals(0, InternetChecksum.of(buffer, 0, 65_534));
        // An odd count ends with ff00, so the sum is ff00 and the checksum 00ff.
        assertEquals(0x00ff, InternetChecksum.of(buffer, 0, 65_535));
        assertEquals(referenceChecksum(ones, 1, 65_533), InternetChecksum.of(buffer, 1, 65_533));
    }

    @Test
    void capturedIpv4HeaderHoldingItsChecksumSumsToZero() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_SYN);

        assertEquals(0, InternetChecksum.of(frame, 14, 20));
    }

    @Test
    void capturedIpv4HeaderChecksumIsRecomputedFromTheOtherBytes() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_SYN);
        frame.putShort(24, (short) 0);

        assertEquals(0x17be, InternetChecksum.of(frame, 14, 20));
    }

    @Test
    void pseudoHeaderSumIsTheSumOfItsTwelveBytes() {
        // RFC 9293 §3.1: source, destination, zero, protocol, TCP length.
        ByteBuffer pseudo = Hex.buffer("0ae70001 0ae70002 00 06 0028");

        assertEquals(InternetChecksum.finish(InternetChecksum.add(0, pseudo, 0, 12)),
                InternetChecksum.finish(InternetChecksum.pseudoHeader(CapturedFrames.IP_A, CapturedFrames.IP_B, 6, 40)));
    }

    @Test
    void pseudoHeaderTreatsAddressesAsUnsigned() {
        // 192.168.1.200 and 255.255.255.255 are negative ints; sign extension would corrupt the sum.
        ByteBuffer pseudo = Hex.buffer("c0a801c8 ffffffff 00 11 0010");

        assertEquals(InternetChecksum.finish(InternetChecksum.add(0, pseudo, 0, 12)),
                InternetChecksum.finish(InternetChecksum.pseudoHeader(0xc0a801c8, 0xffffffff, 17, 16)));
    }

    @Test
    void capturedTcpSegmentChecksumsToZeroWithItsPseudoHeader() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_SYN);

        assertEquals(0, InternetChecksum.ofTransport(frame, 34, 40, CapturedFrames.IP_A, CapturedFrames.IP_B, Ipv4Packet.PROTOCOL_TCP));
    }

    @Test
    void capturedTcpChecksumEqualsTheChecksumOfPseudoHeaderAndSegmentLaidEndToEnd() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_DATA);
        ByteBuffer laidOut = ByteBuffer.allocate(12 + 45);
        laidOut.put(0, Hex.bytes("0ae70001 0ae70002 00 06 002d"));
        laidOut.put(12, frame, 34, 45);
        laidOut.putShort(12 + 16, (short) 0);

        assertEquals(0xbcb4, InternetChecksum.of(laidOut, 0, laidOut.capacity()));
        assertEquals(referenceChecksum(laidOut.array(), 0, laidOut.capacity()), InternetChecksum.of(laidOut, 0, laidOut.capacity()));
    }

    @Test
    void capturedUdpDatagramOfOddLengthChecksumsToZeroWithItsPseudoHeader() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.UDP_DATAGRAM);

        assertEquals(0, InternetChecksum.ofTransport(frame, 34, 19, CapturedFrames.IP_A, CapturedFrames.IP_B, Ipv4Packet.PROTOCOL_UDP));
    }

    @Test
    void pseudoHeaderProtocolAndLengthCount() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.UDP_DATAGRAM);

        assertNotEquals(0, InternetChecksum.ofTransport(frame, 34, 19, CapturedFrames.IP_A, CapturedFrames.IP_B, Ipv4Packet.PROTOCOL_TCP));
        assertNotEquals(0, InternetChecksum.ofTransport(frame, 34, 18, CapturedFrames.IP_A, CapturedFrames.IP_B, Ipv4Packet.PROTOCOL_UDP));
        assertNotEquals(0, InternetChecksum.ofTransport(frame, 34, 19, CapturedFrames.IP_A, CapturedFrames.IP_PEER, Ipv4Packet.PROTOCOL_UDP));
    }

    @Test
    void everySingleBitFlipInASegmentIsDetected() {
        String segment = CapturedFrames.TCP_DATA;
        for (int index = 34; index < 79; index++) {
            for (int bit = 0; bit < 8; bit++) {
                ByteBuffer frame = Hex.buffer(segment);
                frame.put(index, (byte) (frame.get(index) ^ (1 << bit)));

                assertNotEquals(0, InternetChecksum.ofTransport(frame, 34, 45, CapturedFrames.IP_A, CapturedFrames.IP_B, Ipv4Packet.PROTOCOL_TCP),
                        "byte " + index + " bit " + bit);
            }
        }
    }
}
