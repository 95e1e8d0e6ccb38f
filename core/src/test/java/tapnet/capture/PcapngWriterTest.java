package tapnet.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The blocks byte by byte, as draft-ietf-opsawg-pcapng lays them out. */
class PcapngWriterTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PcapngWriter writer = new PcapngWriter(Channels.newChannel(out), 4096);

    private ByteBuffer written() throws IOException {
        writer.flush();
        return ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String hex(ByteBuffer b, int from, int to) {
        return HexFormat.of().formatHex(b.array(), from, to);
    }

    @Test
    void sectionHeaderBlock() throws IOException {
        writer.sectionHeader(PcapngWriter.utf8("tapnet"));
        ByteBuffer b = written();

        assertEquals(44, b.limit());
        assertEquals("0a0d0d0a" + "2c000000" // type, total length 44
                + "4d3c2b1a" // byte-order magic 0x1A2B3C4D, little-endian
                + "0100" + "0000" // version 1.0
                + "ffffffffffffffff" // section length unknown
                + "0400" + "0600" + "7461706e6574" + "0000" // shb_userappl "tapnet", padded to 8
                + "00000000" // opt_endofopt
                + "2c000000", hex(b, 0, 44));
        assertEquals(44, writer.size());
    }

    @Test
    void interfaceDescriptionBlockSaysNanoseconds() throws IOException {
        writer.interfaceDescription(PcapngWriter.LINKTYPE_ETHERNET, 65535, PcapngWriter.utf8("tap"));
        ByteBuffer b = written();

        assertEquals(40, b.limit());
        assertEquals("01000000" + "28000000"
                + "0100" + "0000" // LINKTYPE_ETHERNET, reserved
                + "ffff0000" // snaplen
                + "0200" + "0300" + "74617000" // if_name "tap", padded
                + "0900" + "0100" + "09000000" // if_tsresol 9: 10^-9 s, padded
                + "00000000"
                + "28000000", hex(b, 0, 40));
    }

    @Test
    void enhancedPacketBlockWithCommentAndDirection() throws IOException {
        byte[] frame = new byte[61];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (byte) i;
        }
        byte[] comment = PcapngWriter.utf8("loss 10%"); // 8 bytes: no padding; "x" below needs 3
        long nanos = 0x0000_0123_89AB_CDEFL;
        ByteBuffer source = ByteBuffer.allocate(100);
        source.put(7, frame);
        writer.packet(2, nanos, source, 7, 61, 1500, comment, comment.length, PcapngWriter.DIRECTION_OUTBOUND);
        ByteBuffer b = written();

        int length = 12 + 20 + 64 + (4 + 8) + (4 + 4) + 4;
        assertEquals(length, b.limit());
        assertEquals(length, PcapngWriter.packetBlockLength(61, comment.length, PcapngWriter.DIRECTION_OUTBOUND));
        assertEquals(PcapngWriter.ENHANCED_PACKET, b.getInt(0));
        assertEquals(length, b.getInt(4));
        assertEquals(2, b.getInt(8));
        assertEquals(0x123, b.getInt(12), "timestamp, upper 32 bits");
        assertEquals(0x89ABCDEF, b.getInt(16), "timestamp, lower 32 bits");
        assertEquals(61, b.getInt(20), "captured length");
        assertEquals(1500, b.getInt(24), "original length");
        assertArrayEquals(frame, java.util.Arrays.copyOfRange(b.array(), 28, 89));
        assertEquals("000000", hex(b, 89, 92), "data padded to 32 bits");
        assertEquals("0100" + "0800" + HexFormat.of().formatHex(comment), hex(b, 92, 104));
        assertEquals("0200" + "0400" + "02000000", hex(b, 104, 112), "epb_flags: outbound");
        assertEquals("00000000" + HexFormat.of().formatHex(new byte[] {(byte) length, 0, 0, 0}), hex(b, 112, 120));
    }

    @Test
    void packetWithoutOptionsHasNoEndOfOptions() throws IOException {
        writer.packet(0, 5, ByteBuffer.allocate(4), 0, 4, 4, null, 0, PcapngWriter.DIRECTION_UNKNOWN);
        ByteBuffer b = written();

        assertEquals(36, b.limit());
        assertEquals(36, b.getInt(32));
    }

    @Test
    void shortCommentIsPadded() throws IOException {
        writer.packet(0, 5, ByteBuffer.allocate(4), 0, 4, 4, PcapngWriter.utf8("x"), 1, PcapngWriter.DIRECTION_INBOUND);
        PcapngFile file = new PcapngFile(written().array());

        PcapngFile.Packet packet = file.packets().get(0);
        assertEquals("x", packet.comment());
        assertEquals(PcapngWriter.DIRECTION_INBOUND, packet.flags());
        assertEquals(12 + 20 + 4 + 8 + 8 + 4, file.bytes.length);
    }

    @Test
    void blocksLargerThanTheBufferStillGoOut() throws IOException {
        ByteBuffer big = ByteBuffer.allocate(10_000);
        writer.packet(0, 1, big, 0, 10_000, 10_000, null, 0, PcapngWriter.DIRECTION_INBOUND);
        writer.packet(0, 2, big, 0, 3_000, 3_000, null, 0, PcapngWriter.DIRECTION_INBOUND);

        PcapngFile file = new PcapngFile(written().array());
        assertEquals(2, file.packets().size());
        assertEquals(writer.size(), file.bytes.length);
    }

    @Test
    void writingPacketsAllocatesNothing() throws IOException {
        PcapngWriter discarding = new PcapngWriter(new Discard(), 64 * 1024);
        ByteBuffer frame = ByteBuffer.allocate(1514);
        byte[] comment = PcapngWriter.utf8("event");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) { // warm-up
            discarding.packet(0, i, frame, 0, 60 + i % 1000, 1514, comment, i % 2 * comment.length, 1 + i % 2);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 200_000; i++) {
            discarding.packet(0, i, frame, 0, 60 + i % 1000, 1514, comment, i % 2 * comment.length, 1 + i % 2);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over 200,000 packets");
    }

    /** A channel that takes everything and keeps nothing. */
    private static final class Discard implements WritableByteChannel {
        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
