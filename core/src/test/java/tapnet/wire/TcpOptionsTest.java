package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TcpOptionsTest {
    private static final int TCP = 34;
    /** Bytes after every parsed region: an MSS of 1500 that only a parser reading past its region would see. */
    private static final String CANARY = "020405dc";
    private final TcpOptions options = new TcpOptions();

    /** Parses option bytes placed at offset 3 of a larger buffer, between garbage and {@link #CANARY}. */
    private TcpOptions parse(String hex) {
        int length = Hex.bytes(hex).length;
        assertSame(options, options.parse(Hex.buffer("ffffff" + Hex.plain(hex) + CANARY), 3, length));
        assertTrue(options.mss() != 1500, "read past the options");
        return options;
    }

    private TcpOptions parseCaptured(String frame) {
        ByteBuffer buffer = Hex.buffer(frame);
        TcpSegment segment = new TcpSegment().wrap(buffer, TCP, buffer.capacity() - TCP);
        assertTrue(segment.isWellFormed());
        return options.parse(segment);
    }

    private void assertNothingParsed() {
        assertFalse(options.hasMss());
        assertEquals(-1, options.mss());
        assertFalse(options.hasWindowScale());
        assertEquals(-1, options.windowScale());
        assertFalse(options.sackPermitted());
        assertFalse(options.hasTimestamps());
        assertEquals(0, options.sackBlockCount());
    }

    @Test
    void parsesCapturedSynOptions() {
        parseCaptured(CapturedFrames.TCP_SYN);

        assertFalse(options.malformed());
        assertTrue(options.hasMss());
        assertEquals(1460, options.mss());
        assertTrue(options.hasWindowScale());
        assertEquals(10, options.windowScale());
        assertTrue(options.sackPermitted());
        assertTrue(options.hasTimestamps());
        assertEquals((int) 1759683537L, options.timestampValue());
        assertEquals(0, options.timestampEcho());
        assertEquals(0, options.sackBlockCount());
    }

    @Test
    void parsesCapturedSynAckEchoingTheSynsTimestamp() {
        parseCaptured(CapturedFrames.TCP_SYN_ACK);

        assertFalse(options.malformed());
        assertEquals(1460, options.mss());
        assertEquals(10, options.windowScale());
        assertTrue(options.sackPermitted());
        assertEquals((int) 1224532117L, options.timestampValue());
        assertEquals((int) 1759683537L, options.timestampEcho());
    }

    @Test
    void parsesCapturedAckWithTimestampsOnly() {
        parseCaptured(CapturedFrames.TCP_ACK);

        assertFalse(options.malformed());
        assertFalse(options.hasMss());
        assertFalse(options.hasWindowScale());
        assertFalse(options.sackPermitted());
        assertTrue(options.hasTimestamps());
        assertEquals((int) 1759683538L, options.timestampValue());
        assertEquals((int) 1224532117L, options.timestampEcho());
    }

    @Test
    void parsesCapturedSynAckWithoutTimestamps() {
        parseCaptured(CapturedFrames.TCP_SYN_ACK_WITHOUT_TIMESTAMPS);

        assertFalse(options.malformed());
        assertEquals(1460, options.mss());
        assertTrue(options.sackPermitted());
        assertFalse(options.hasTimestamps());
        assertFalse(options.hasWindowScale());
    }

    @Test
    void parsesCapturedSackBlock() {
        parseCaptured(CapturedFrames.TCP_SACK_ONE_BLOCK);

        assertFalse(options.malformed());
        assertEquals(1, options.sackBlockCount());
        assertEquals(1101, options.sackLeft(0));
        assertEquals(1117, options.sackRight(0));
    }

    @Test
    void parsesCapturedSackBlocksMostRecentFirst() {
        // RFC 2018 §4: the first block reports the most recently received segment.
        parseCaptured(CapturedFrames.TCP_SACK_TWO_BLOCKS);

        assertFalse(options.malformed());
        assertEquals(2, options.sackBlockCount());
        assertEquals(1201, options.sackLeft(0));
        assertEquals(1217, options.sackRight(0));
        assertEquals(1101, options.sackLeft(1));
        assertEquals(1117, options.sackRight(1));
    }

    @Test
    void segmentWithoutOptionsParsesToNothing() {
        parseCaptured(CapturedFrames.TCP_RST_ACK);

        assertFalse(options.malformed());
        assertNothingParsed();
    }

    @Test
    void parsingClearsWhatTheLastSegmentHad() {
        parseCaptured(CapturedFrames.TCP_SACK_TWO_BLOCKS);
        parseCaptured(CapturedFrames.TCP_SYN);
        parseCaptured(CapturedFrames.TCP_RST_ACK);

        assertNothingParsed();
        assertEquals(0, options.timestampValue());
        assertEquals(0, options.timestampEcho());

        parse("0800");
        assertTrue(options.malformed());
        parseCaptured(CapturedFrames.TCP_ACK);
        assertFalse(options.malformed());
    }

    // --- writers ---

    @Test
    void writersProduceTheKernelsBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(12);

        assertEquals(4, TcpOptions.writeMss(buffer, 0, 1460));
        assertEquals("020405b4", Hex.of(buffer, 0, 4));
        assertEquals(4, TcpOptions.writeWindowScale(buffer, 0, 10));
        assertEquals("0103030a", Hex.of(buffer, 0, 4));
        assertEquals(4, TcpOptions.writeSackPermitted(buffer, 0));
        assertEquals("01010402", Hex.of(buffer, 0, 4));
        assertEquals(12, TcpOptions.writeTimestamps(buffer, 0, (int) 1759683538L, (int) 1224532117L));
        assertEquals(Hex.plain(CapturedFrames.TCP_ACK).substring(2 * 54), Hex.of(buffer, 0, 12));
    }

    @Test
    void writersWriteAtAnAbsoluteIndexAndTouchNothingElse() {
        ByteBuffer buffer = Hex.buffer("ee".repeat(30));

        int at = 7;
        at += TcpOptions.writeMss(buffer, at, 536);
        at += TcpOptions.writeWindowScale(buffer, at, 14);

        assertEquals(15, at);
        assertEquals("ee".repeat(7) + "02040218" + "0103030e" + "ee".repeat(15), Hex.of(buffer));
    }

    @Test
    void writeSackProducesTheKernelsSackOptions() {
        ByteBuffer buffer = ByteBuffer.allocate(20);

        assertEquals(12, TcpOptions.writeSack(buffer, 0, new int[] {1101}, new int[] {1117}, 1));
        assertEquals(Hex.plain(CapturedFrames.TCP_SACK_ONE_BLOCK).substring(2 * 54), Hex.of(buffer, 0, 12));

        assertEquals(20, TcpOptions.writeSack(buffer, 0, new int[] {1201, 1101}, new int[] {1217, 1117}, 2));
        assertEquals(Hex.plain(CapturedFrames.TCP_SACK_TWO_BLOCKS).substring(2 * 54), Hex.of(buffer, 0, 20));
    }

    @Test
    void writeSackWritesOnlyCountBlocks() {
        ByteBuffer buffer = Hex.buffer("ee".repeat(16));

        assertEquals(12, TcpOptions.writeSack(buffer, 0, new int[] {1, 3, 5}, new int[] {2, 4, 6}, 1));

        assertEquals("0101050a0000000100000002eeeeeeee", Hex.of(buffer));
    }

    @Test
    void fourSackBlocksFillThirtySixBytesAndParseBack() {
        ByteBuffer buffer = ByteBuffer.allocate(40);
        int[] left = {100, 300, 500, 0xfffffff0};
        int[] right = {200, 400, 600, 0x10};

        assertEquals(36, TcpOptions.writeSack(buffer, 0, left, right, 4));
        options.parse(buffer, 0, 36);

        assertFalse(options.malformed());
        assertEquals(4, options.sackBlockCount());
        for (int b = 0; b < 4; b++) {
            assertEquals(left[b], options.sackLeft(b));
            assertEquals(right[b], options.sackRight(b));
        }
    }

    @Test
    void tapnetsAlignedSynLayoutParsesToTheSameValuesAsTheKernels() {
        // tapnet writes MSS, NOP NOP SACK-permitted, NOP NOP timestamps, NOP window scale: 24 bytes where
        // Linux packs the same options in 20 (see TcpSegmentTest.writesCapturedSynByteForByte).
        ByteBuffer buffer = ByteBuffer.allocate(24);
        int at = 0;
        at += TcpOptions.writeMss(buffer, at, 1460);
        at += TcpOptions.writeSackPermitted(buffer, at);
        at += TcpOptions.writeTimestamps(buffer, at, (int) 1759683537L, 0);
        at += TcpOptions.writeWindowScale(buffer, at, 10);
        assertEquals(24, at);

        options.parse(buffer, 0, at);
        TcpOptions kernels = new TcpOptions();
        parseCapturedInto(kernels, CapturedFrames.TCP_SYN);

        assertFalse(options.malformed());
        assertEquals(kernels.mss(), options.mss());
        assertEquals(kernels.windowScale(), options.windowScale());
        assertEquals(kernels.sackPermitted(), options.sackPermitted());
        assertEquals(kernels.hasTimestamps(), options.hasTimestamps());
        assertEquals(kernels.timestampValue(), options.timestampValue());
        assertEquals(kernels.timestampEcho(), options.timestampEcho());
    }

    private static void parseCapturedInto(TcpOptions into, String frame) {
        ByteBuffer buffer = Hex.buffer(frame);
        into.parse(new TcpSegment().wrap(buffer, TCP, buffer.capacity() - TCP));
    }

    // --- illegal and unusual options (RFC 9293 §3.2, MUST-6 and MUST-7) ---

    @Test
    void optionLengthZeroIsMalformedAndEndsParsing() {
        parse("0200 0000");
        assertTrue(options.malformed());
        assertNothingParsed();

        parse("020405b4 0800 0000");
        assertTrue(options.malformed());
        assertEquals(1460, options.mss(), "what came before the illegal option is kept");
    }

    @Test
    void optionLengthOneIsMalformed() {
        parse("0301 0a00");

        assertTrue(options.malformed());
        assertFalse(options.hasWindowScale());
    }

    @Test
    void optionRunningPastTheEndIsMalformed() {
        parse("020805b4");
        assertTrue(options.malformed());
        assertFalse(options.hasMss());

        parse("0101 080a 00000001 0000");
        assertTrue(options.malformed());
        assertFalse(options.hasTimestamps());
    }

    @Test
    void kindWithoutItsLengthByteAtTheEndIsMalformed() {
        parse("010101 02");

        assertTrue(options.malformed());
        assertFalse(options.hasMss());
    }

    @Test
    void unknownKindsAreSkippedByTheirLength() {
        // 254: experimental (RFC 4727); 30: MPTCP; 253 with no data; then MSS and window scale.
        parse("fe06aabbccdd 1e0400ff fd02 020405b4 0103030e");

        assertFalse(options.malformed());
        assertEquals(1460, options.mss());
        assertEquals(14, options.windowScale());
    }

    @Test
    void endOfOptionListStopsParsingAndWhatFollowsIsIgnored() {
        parse("00 020405b4 ffff");
        assertFalse(options.malformed());
        assertNothingParsed();

        parse("020405b4 00 0800 ffff");
        assertFalse(options.malformed(), "the illegal option after EOL is never read");
        assertEquals(1460, options.mss());
    }

    @Test
    void fortyNopsParseToNothing() {
        parse("01".repeat(40));

        assertFalse(options.malformed());
        assertNothingParsed();
    }

    @Test
    void segmentWithFortyBytesOfNopsIsWellFormedAndHasNoOptions() {
        String rst = Hex.plain(CapturedFrames.TCP_RST_ACK);
        ByteBuffer frame = Hex.buffer(rst.substring(0, 2 * TCP) + rst.substring(2 * TCP).replace("5014", "f014") + "01".repeat(40));
        TcpSegment segment = new TcpSegment().wrap(frame, TCP, 60);

        assertTrue(segment.isWellFormed());
        assertEquals(40, segment.optionsLength());
        options.parse(segment);
        assertFalse(options.malformed());
        assertNothingParsed();
    }

    @Test
    void fortyBytesOfEndOfOptionListParseToNothing() {
        parse("00".repeat(40));

        assertFalse(options.malformed());
        assertNothingParsed();
    }

    @Test
    void emptyOptionsParseToNothing() {
        parse("");

        assertFalse(options.malformed());
        assertNothingParsed();
    }

    @Test
    void knownOptionWithTheWrongLengthIsSkippedNotUsed() {
        parse("020305 03040a00 040300 0808000000010000 01");

        assertFalse(options.malformed());
        assertNothingParsed();
    }

    @Test
    void sackLengthThatIsNotWholeBlocksKeepsTheWholeBlocks() {
        parse("050c 00000001 00000002 ffff");
        assertFalse(options.malformed());
        assertEquals(1, options.sackBlockCount());
        assertEquals(1, options.sackLeft(0));
        assertEquals(2, options.sackRight(0));

        parse("0502");
        assertFalse(options.malformed());
        assertEquals(0, options.sackBlockCount());
    }

    @Test
    void windowScaleIsReportedAsSentEvenAboveFourteen() {
        // RFC 7323 §2.3 has the receiver use 14 for anything larger; that clamp is the TCP layer's.
        parse("0103030f");

        assertEquals(15, options.windowScale());
    }

    @Test
    void optionEndingExactlyAtTheEndOfTheHeaderIsParsed() {
        parse("0101 080a 00000001 00000002");

        assertFalse(options.malformed());
        assertTrue(options.hasTimestamps());
        assertEquals(1, options.timestampValue());
        assertEquals(2, options.timestampEcho());
    }

    @Test
    void everyTruncationOfCapturedOptionsParsesWithoutReadingPastTheRegion() {
        String[] captured = {
            Hex.plain(CapturedFrames.TCP_SYN).substring(2 * 54),
            Hex.plain(CapturedFrames.TCP_ACK).substring(2 * 54),
            Hex.plain(CapturedFrames.TCP_SACK_TWO_BLOCKS).substring(2 * 54),
        };
        for (String hex : captured) {
            for (int length = 0; length <= hex.length() / 2; length++) {
                parse(hex.substring(0, 2 * length));
            }
        }
        // The SYN's options cut after MSS, SACK-permitted and 4 of the timestamps' 10 bytes: what came before
        // the cut option is kept, and the cut option is malformed.
        parse(captured[0].substring(0, 2 * 10));
        assertEquals(1460, options.mss());
        assertTrue(options.sackPermitted());
        assertFalse(options.hasTimestamps());
        assertTrue(options.malformed());
    }
}
