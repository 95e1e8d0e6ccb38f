package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import tapnet.wire.Ipv6HeaderChain.Outcome;
import tapnet.wire.Ipv6HeaderChain.Reason;

/**
 * One rule of RFC 8200 §4 (and RFC 7112, RFC 5095, RFC 8504) per test, on hand-built packets. Every packet
 * sits 14 bytes into its buffer (after an Ethernet header), so pointers are seen to count from the IPv6
 * header and offsets to be absolute.
 */
class Ipv6HeaderChainTest {
    private static final int IP = 14;
    private static final int FIRST = IP + 40;

    // Upper layers and extension headers, each with its Next Header value first where it has one.
    private static final String UDP = "0035 0035 0008 0000";
    private static final String TCP = "0050 1f90 00000001 00000000 5002ffff 00000000";
    private static final String ECHO_REQUEST = "8000 0000 0001 0001";
    /** 8 bytes of options holding one PadN of 4 bytes of data (6 bytes of padding: the longest run allowed). */
    private static final String PADDED_OPTIONS_TO_UDP = "11 00 01 04 00000000";

    private final Ipv6HeaderChain chain = new Ipv6HeaderChain();

    /** A packet: fixed header with this Next Header and the right Payload Length, then {@code headers}. */
    private static ByteBuffer packet(int nextHeader, String headers) {
        byte[] rest = Hex.bytes(headers);
        ByteBuffer bytes = ByteBuffer.allocate(FIRST + rest.length);
        bytes.put(IP, (byte) 0x60);
        bytes.putShort(IP + 4, (short) rest.length);
        bytes.put(IP + 6, (byte) nextHeader);
        bytes.put(IP + 7, (byte) 64);
        bytes.put(FIRST, rest);
        return bytes;
    }

    private Outcome walk(ByteBuffer packet) {
        return walk(packet, false);
    }

    private Outcome walk(ByteBuffer packet, boolean multicast) {
        return chain.walk(packet, FIRST, packet.get(IP + 6) & 0xff, packet.capacity(), multicast);
    }

    private void assertUpperLayer(int protocol, int offset, Outcome outcome) {
        assertEquals(Outcome.UPPER_LAYER, outcome, () -> "refused for " + chain.reason());
        assertEquals(protocol, chain.protocol());
        assertEquals(offset, chain.upperLayerOffset());
        assertEquals(Reason.NONE, chain.reason());
    }

    private void assertProblem(int code, int pointer, Reason reason, Outcome outcome) {
        assertEquals(Outcome.PARAMETER_PROBLEM, outcome);
        assertEquals(reason, chain.reason());
        assertEquals(code, chain.problemCode());
        assertEquals(pointer, chain.problemPointer());
    }

    private void assertDrop(Reason reason, Outcome outcome) {
        assertEquals(Outcome.DROP, outcome);
        assertEquals(reason, chain.reason());
    }

    // --- upper layers ---

    @Test
    void withoutExtensionHeadersTheUpperLayerFollowsTheFixedHeader() {
        ByteBuffer packet = packet(Ipv6HeaderChain.TCP, TCP);

        assertUpperLayer(6, FIRST, walk(packet));
        assertEquals(20, chain.upperLayerLength());
        assertEquals(0, chain.extensionHeaders());
        assertFalse(chain.hasFragmentHeader());
    }

    @Test
    void noNextHeaderEndsTheChainAndIgnoresWhatFollows() {
        // RFC 8200 §4.7: octets past a No Next Header value are ignored.
        assertUpperLayer(59, FIRST + 8, walk(packet(Ipv6HeaderChain.DESTINATION_OPTIONS, "3b 00 01 04 00000000 ffff")));
    }

    @Test
    void everyKnownExtensionHeaderIsSkippedOnTheWayToTheUpperLayer() {
        // Hop-by-Hop, Destination Options, Routing with Segments Left 0, Destination Options, ICMPv6.
        ByteBuffer packet = packet(Ipv6HeaderChain.HOP_BY_HOP_OPTIONS,
                "3c 00 01 04 00000000" + "2b 00 01 04 00000000" + "3c 00 04 00 00000000" + "3a 00 00 00 01 02 00 00"
                        + ECHO_REQUEST);

        assertUpperLayer(58, FIRST + 32, walk(packet));
        assertEquals(8, chain.upperLayerLength());
        assertEquals(4, chain.extensionHeaders());
    }

    @Test
    void anUnknownNextHeaderIsCode1PointingAtTheFieldThatNamesIt() {
        // RFC 8200 §4: unrecognized Next Header → Parameter Problem code 1, pointer to that Next Header.
        assertProblem(1, 6, Reason.UNKNOWN_NEXT_HEADER, walk(packet(50, "00000000 00000000"))); // ESP: no IPsec here
        assertProblem(1, 40, Reason.UNKNOWN_NEXT_HEADER, walk(packet(Ipv6HeaderChain.DESTINATION_OPTIONS,
                "fd 00 01 04 00000000 00000000"))); // 253, experimental
    }

    // --- Hop-by-Hop placement (RFC 8200 §4.1) ---

    @Test
    void hopByHopOptionsRightAfterTheFixedHeaderAreProcessed() {
        assertUpperLayer(17, FIRST + 8, walk(packet(Ipv6HeaderChain.HOP_BY_HOP_OPTIONS, PADDED_OPTIONS_TO_UDP + UDP)));
    }

    @Test
    void hopByHopOptionsAnywhereElseAreCode1PointingAtTheNextHeaderThatNamesThem() {
        // RFC 8200 §4: "a Next Header value of zero in any header other than an IPv6 header" → code 1.
        ByteBuffer packet = packet(Ipv6HeaderChain.DESTINATION_OPTIONS, "00 00 01 04 00000000" + PADDED_OPTIONS_TO_UDP + UDP);

        assertProblem(1, 40, Reason.HOP_BY_HOP_NOT_FIRST, walk(packet));
    }

    // --- options (RFC 8200 §4.2) ---

    @Test
    void pad1AndPadNAreSkipped() {
        // Pad1, PadN of 2 bytes, then three Pad1: six bytes of options, all padding.
        assertUpperLayer(17, FIRST + 8, walk(packet(Ipv6HeaderChain.DESTINATION_OPTIONS, "11 00 00 01 00 00 00" + "00" + UDP)));
    }

    @Test
    void anUnknownOptionWithActionBits00IsSkipped() {
        // Type 0x1e (00 011110), 2 bytes of data, then PadN of 0 data bytes.
        assertUpperLayer(17, FIRST + 8, walk(packet(Ipv6HeaderChain.DESTINATION_OPTIONS, "11 00 1e 02 abcd 01 00" + UDP)));
    }

    @Test
    void anUnknownOptionWithActionBits01DiscardsThePacketSilently() {
        assertDrop(Reason.UNKNOWN_OPTION_DISCARD, walk(packet(Ipv6HeaderChain.DESTINATION_OPTIONS, "11 00 01 00 5e 02 abcd" + UDP)));
    }

    @Test
    void anUnknownOptionWithActionBits10IsCode2PointingAtTheOptionEvenToMulticast() {
        // RFC 8200 §4.2 action 10: "regardless of whether or not the packet's Destination Address was a multicast
        // address"; RFC 4443 §2.4 (e.3) lets this one error answer a multicast packet.
        ByteBuffer packet = packet(Ipv6HeaderChain.HOP_BY_HOP_OPTIONS, "11 00 01 00 9e 02 abcd" + UDP);

        assertProblem(2, 44, Reason.UNKNOWN_OPTION, walk(packet, true));
        assertTrue(chain.problemAnswersMulticast());
        assertProblem(2, 44, Reason.UNKNOWN_OPTION, walk(packet, false));
    }

    @Test
    void anUnknownOptionWithActionBits11IsCode2OnlyToAUnicastDestination() {
        ByteBuffer packet = packet(Ipv6HeaderChain.DESTINATION_OPTIONS, "11 00 de 04 abcdef01" + UDP);

        assertProblem(2, 42, Reason.UNKNOWN_OPTION, walk(packet, false));
        assertDrop(Reason.UNKNOWN_OPTION_MULTICAST, walk(packet, true));
    }

    @Test
    void theJumboPayloadOptionIsUnknownHereAndActsOnItsBits11() {
        // RFC 2675 jumbograms are not supported: option 0xc2 is handled as any unknown 11 option.
        ByteBuffer packet = packet(Ipv6HeaderChain.HOP_BY_HOP_OPTIONS, "11 00 c2 04 00010000" + UDP);

        assertProblem(2, 42, Reason.UNKNOWN_OPTION, walk(packet));
    }

    @Test
    void anOptionRunningPastItsHeaderIsDroppedAsMalformed() {
        // PadN claims 6 data bytes where 4 remain; then a type byte on the header's last byte, with no length.
        assertDrop(Reason.OPTION_TRUNCATED, walk(packet(Ipv6HeaderChain.DESTINATION_OPTIONS, "11 00 01 06 00000000" + UDP)));
        assertDrop(Reason.OPTION_TRUNCATED, walk(packet(Ipv6HeaderChain.DESTINATION_OPTIONS, "11 00 01 03 000000 1e" + UDP)));
    }

    @Test
    void moreThanSevenBytesOfPaddingInARowAreDropped() {
        // RFC 8504 §5.3 lets a host limit padding; legitimate padding never needs 8 bytes (Linux drops the same).
        ByteBuffer packet = packet(Ipv6HeaderChain.DESTINATION_OPTIONS, "11 01 01 0c 00000000 00000000 00000000" + UDP);

        assertDrop(Reason.PADDING_TOO_LONG, walk(packet));
        assertDrop(Reason.PADDING_TOO_LONG, walk(packet(Ipv6HeaderChain.DESTINATION_OPTIONS,
                "11 01 00 00 00 00 00 00 00 00 1e 04 00000000" + UDP)));
    }

    @Test
    void atMostEightOptionsBesidesPaddingInOneHeader() {
        // RFC 8504 §5.3; 8 is Linux's default (max_dst_opts_number). Nine 2-byte options then PadN of 4 bytes.
        String nine = "1e00".repeat(9) + "01 02 0000";
        String eight = "1e00".repeat(8) + "01 04 00000000";

        assertDrop(Reason.TOO_MANY_OPTIONS, walk(packet(Ipv6HeaderChain.DESTINATION_OPTIONS, "11 02" + nine + UDP)));
        assertUpperLayer(17, FIRST + 24, walk(packet(Ipv6HeaderChain.DESTINATION_OPTIONS, "11 02" + eight + UDP)));
    }

    // --- Routing header (RFC 8200 §4.4, RFC 5095) ---

    @Test
    void aRoutingHeaderWithSegmentsLeft0IsIgnored() {
        // Type 4 (segment routing, unknown to this host) with Segments Left 0.
        ByteBuffer packet = packet(Ipv6HeaderChain.ROUTING, "11 02 04 00 00000000" + "20010db8000000000000000000000001" + UDP);

        assertUpperLayer(17, FIRST + 24, walk(packet));
    }

    @Test
    void anUnknownRoutingTypeWithSegmentsLeftIsCode0PointingAtTheRoutingType() {
        ByteBuffer packet = packet(Ipv6HeaderChain.ROUTING, "11 02 04 01 00000000" + "20010db8000000000000000000000001" + UDP);

        assertProblem(0, 42, Reason.UNKNOWN_ROUTING_TYPE, walk(packet));
    }

    @Test
    void routingType0IsDeprecatedSoHandledAsUnknown() {
        // RFC 5095 §3: RH0 is processed as an unrecognised routing type.
        ByteBuffer withSegments = packet(Ipv6HeaderChain.ROUTING, "11 02 00 01 00000000" + "20010db8000000000000000000000001" + UDP);
        ByteBuffer exhausted = packet(Ipv6HeaderChain.ROUTING, "11 02 00 00 00000000" + "20010db8000000000000000000000001" + UDP);

        assertProblem(0, 42, Reason.UNKNOWN_ROUTING_TYPE, walk(withSegments));
        assertUpperLayer(17, FIRST + 24, walk(exhausted));
    }

    // --- malformed chains and the cost bound ---

    @Test
    void aHeaderRunningPastThePacketsEndIsDroppedSilently() {
        // Hdr Ext Len 1 says 16 bytes, 8 are there; a header of which only the Next Header byte is there.
        assertDrop(Reason.TRUNCATED, walk(packet(Ipv6HeaderChain.DESTINATION_OPTIONS, "11 01 01 04 00000000")));
        assertDrop(Reason.TRUNCATED, walk(packet(Ipv6HeaderChain.HOP_BY_HOP_OPTIONS, "11")));
        assertDrop(Reason.TRUNCATED, walk(packet(Ipv6HeaderChain.ROUTING, "")));
    }

    @Test
    void aChainOfMoreThanEightExtensionHeadersIsDropped() {
        String options = "3c 00 01 04 00000000";
        String last = PADDED_OPTIONS_TO_UDP;

        assertUpperLayer(17, FIRST + 64, walk(packet(Ipv6HeaderChain.DESTINATION_OPTIONS, options.repeat(7) + last + UDP)));
        assertDrop(Reason.TOO_MANY_HEADERS, walk(packet(Ipv6HeaderChain.DESTINATION_OPTIONS, options.repeat(8) + last + UDP)));
    }

    // --- Fragment header (RFC 8200 §4.5, RFC 7112) ---

    @Test
    void aLaterFragmentStopsTheWalkAndReportsItsFields() {
        // Offset 1232 bytes (154 units), last fragment, id 0x11223344; 8 bytes of data.
        ByteBuffer packet = packet(Ipv6HeaderChain.FRAGMENT, "11 00 04d0 11223344" + "0102030405060708");

        assertEquals(Outcome.FRAGMENT, walk(packet));
        assertTrue(chain.hasFragmentHeader());
        assertEquals(FIRST, chain.fragmentHeaderOffset());
        assertEquals(IP + 6, chain.fragmentNextHeaderField());
        assertEquals(17, chain.fragmentNextHeader());
        assertEquals(1232, chain.fragmentOffset());
        assertFalse(chain.moreFragments());
        assertEquals(0x11223344, chain.fragmentIdentification());
        assertEquals(40, chain.unfragmentableLength());
        assertEquals(FIRST + 8, chain.fragmentableOffset());
        assertEquals(8, chain.fragmentDataLength());
        assertEquals(-1, chain.protocol());
        assertEquals(Reason.NONE, chain.reason());
    }

    @Test
    void theUnfragmentablePartHoldsTheHeadersBeforeTheFragmentHeader() {
        // Hop-by-Hop then Fragment (offset 8, M set): the per-fragment headers are the fixed header and Hop-by-Hop.
        ByteBuffer packet = packet(Ipv6HeaderChain.HOP_BY_HOP_OPTIONS, "2c 00 01 04 00000000" + "11 00 0009 00000001" + "0102030405060708");

        assertEquals(Outcome.FRAGMENT, walk(packet));
        assertEquals(48, chain.unfragmentableLength());
        assertEquals(FIRST, chain.fragmentNextHeaderField());
        assertEquals(FIRST + 16, chain.fragmentableOffset());
        assertEquals(8, chain.fragmentOffset());
        assertTrue(chain.moreFragments());
    }

    @Test
    void aFirstFragmentIsWalkedToItsUpperLayer() {
        ByteBuffer packet = packet(Ipv6HeaderChain.FRAGMENT, "3c 00 0001 00000007" + PADDED_OPTIONS_TO_UDP + UDP);

        assertEquals(Outcome.FRAGMENT, walk(packet));
        assertEquals(0, chain.fragmentOffset());
        assertTrue(chain.moreFragments());
        assertEquals(17, chain.protocol());
        assertEquals(FIRST + 16, chain.upperLayerOffset());
    }

    @Test
    void aFirstFragmentsFragmentablePartIsJudgedOnlyOnceReassembled() {
        // An unknown 10 option and a misplaced Hop-by-Hop after the Fragment header: only the structure is
        // checked now; the reassembled packet's walk answers them with pointers into the whole packet.
        ByteBuffer packet = packet(Ipv6HeaderChain.FRAGMENT, "3c 00 0001 00000007" + "00 00 9e 04 00000000"
                + PADDED_OPTIONS_TO_UDP + UDP);

        assertEquals(Outcome.FRAGMENT, walk(packet));
        assertEquals(FIRST + 24, chain.upperLayerOffset());
    }

    @Test
    void anAtomicFragmentIsProcessedAsAWholePacket() {
        // RFC 8200 §4.5 / RFC 6946: offset 0 and M clear.
        ByteBuffer packet = packet(Ipv6HeaderChain.FRAGMENT, "3a 00 0000 abcdef01" + ECHO_REQUEST);

        assertUpperLayer(58, FIRST + 8, walk(packet));
        assertTrue(chain.hasFragmentHeader());
        assertEquals(0xabcdef01, chain.fragmentIdentification());
    }

    @Test
    void aFirstFragmentWithoutTheWholeHeaderChainIsCode3WithPointer0() {
        // RFC 7112 §5 and RFC 8200 §4.5. A Destination Options header cut by the fragment's end:
        ByteBuffer cutHeader = packet(Ipv6HeaderChain.FRAGMENT, "3c 00 0001 00000007" + "11 01 01 04 00000000");
        // a TCP header of 32 bytes (data offset 8) of which 24 are in the fragment:
        ByteBuffer cutTcp = packet(Ipv6HeaderChain.FRAGMENT, "06 00 0001 00000007" + "0050 1f90 00000001 00000000 8002ffff 00000000 01010101");
        // a UDP header of which the fragment holds nothing:
        ByteBuffer noUdp = packet(Ipv6HeaderChain.FRAGMENT, "3c 00 0001 00000007" + "11 00 01 04 00000000");

        assertProblem(3, 0, Reason.INCOMPLETE_HEADER_CHAIN, walk(cutHeader));
        assertProblem(3, 0, Reason.INCOMPLETE_HEADER_CHAIN, walk(cutTcp));
        assertProblem(3, 0, Reason.INCOMPLETE_HEADER_CHAIN, walk(noUdp));
    }

    @Test
    void aFragmentOtherThanTheLastMustCarryAMultipleOf8Bytes() {
        // RFC 8200 §4.5: code 0 pointing at the Payload Length field (offset 4).
        ByteBuffer packet = packet(Ipv6HeaderChain.FRAGMENT, "11 00 0009 00000001" + "01020304050607");

        assertProblem(0, 4, Reason.FRAGMENT_LENGTH_NOT_MULTIPLE_OF_8, walk(packet));
    }

    @Test
    void aFirstFragmentIsCheckedForItsHeaderChainBeforeItsLength() {
        // Linux's order (ipv6_frag_rcv): code 3 first; a whole chain in 12 bytes is then code 0 for the length.
        ByteBuffer cutAndOdd = packet(Ipv6HeaderChain.FRAGMENT, "11 00 0001 00000007" + "0035 0035 00");
        ByteBuffer wholeButOdd = packet(Ipv6HeaderChain.FRAGMENT, "11 00 0001 00000007" + UDP + "01020304");

        assertProblem(3, 0, Reason.INCOMPLETE_HEADER_CHAIN, walk(cutAndOdd));
        assertProblem(0, 4, Reason.FRAGMENT_LENGTH_NOT_MULTIPLE_OF_8, walk(wholeButOdd));
    }

    @Test
    void theReassembledLengthCountsThePerFragmentHeaders() {
        // RFC 8200 §4.5 counts the reassembled Payload Length, so the 8-byte Hop-by-Hop header tips
        // 65,520 + 8 bytes of data over 65,535; the pointer is the Fragment Offset, 2 bytes into its header.
        ByteBuffer packet = packet(Ipv6HeaderChain.HOP_BY_HOP_OPTIONS, "2c 00 01 04 00000000" + "11 00 fff0 00000001"
                + "0000000000000000");

        assertProblem(0, 50, Reason.FRAGMENT_PAST_MAXIMUM, walk(packet));
    }

    @Test
    void aFragmentReachingPast65535BytesIsCode0PointingAtTheFragmentOffset() {
        // RFC 8200 §4.5: 65,528 + 16 bytes of data > 65,535; the Fragment Offset field is 2 bytes into the header.
        ByteBuffer packet = packet(Ipv6HeaderChain.FRAGMENT, "11 00 fff8 00000001" + "00000000000000000000000000000000");

        assertProblem(0, 42, Reason.FRAGMENT_PAST_MAXIMUM, walk(packet));
    }

    @Test
    void aFragmentHeaderInsideAFirstFragmentIsDropped() {
        ByteBuffer packet = packet(Ipv6HeaderChain.FRAGMENT, "2c 00 0001 00000007" + "11 00 0001 00000008" + UDP);

        assertDrop(Reason.NESTED_FRAGMENT, walk(packet));
    }

    @Test
    void eachWalkStartsFromClearedResults() {
        walk(packet(Ipv6HeaderChain.FRAGMENT, "11 00 04d0 11223344" + "0102030405060708"));

        assertUpperLayer(17, FIRST, walk(packet(Ipv6HeaderChain.UDP, UDP)));
        assertFalse(chain.hasFragmentHeader());
        assertEquals(-1, chain.fragmentableOffset());
        assertEquals(-1, chain.problemPointer());
    }
}
