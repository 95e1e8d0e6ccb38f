package tapnet.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Writes pcapng blocks (draft-ietf-opsawg-pcapng) into a channel: a Section Header Block, Interface
 * Description Blocks, and Enhanced Packet Blocks with nanosecond timestamps. Blocks gather in one
 * preallocated buffer that goes to the channel when full and on {@link #flush()}: writing a frame
 * allocates nothing. Little-endian throughout; readers learn that from the byte-order magic.
 * One thread.
 */
public final class PcapngWriter {
    static final int SECTION_HEADER = 0x0A0D0D0A;
    static final int INTERFACE_DESCRIPTION = 0x00000001;
    static final int ENHANCED_PACKET = 0x00000006;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;

    public static final int LINKTYPE_ETHERNET = 1;
    /** Wireshark's exported PDUs: a few tags naming a dissector, then the bytes it gets. */
    public static final int LINKTYPE_WIRESHARK_UPPER_PDU = 252;

    static final int OPT_ENDOFOPT = 0;
    static final int OPT_COMMENT = 1;
    static final int SHB_USERAPPL = 4;
    static final int IF_NAME = 2;
    static final int IF_TSRESOL = 9;
    static final int EPB_FLAGS = 2;

    /** epb_flags bits 0-1: the direction of the packet. */
    public static final int DIRECTION_UNKNOWN = 0;
    public static final int DIRECTION_INBOUND = 1;
    public static final int DIRECTION_OUTBOUND = 2;

    /** if_tsresol 9: timestamps count nanoseconds (10^-9 s). */
    static final byte NANOSECONDS = 9;

    /** Block type, block total length, and the total length again at the end. */
    private static final int BLOCK_OVERHEAD = 12;
    /** Interface ID, two timestamp words, captured and original length. */
    private static final int EPB_FIXED = 20;

    private final WritableByteChannel channel;
    private ByteBuffer buffer;
    private long written;

    /** {@code bufferBytes}: how much gathers before a write to the channel; blocks larger grow it once. */
    public PcapngWriter(WritableByteChannel channel, int bufferBytes) {
        this.channel = channel;
        this.buffer = ByteBuffer.allocateDirect(bufferBytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Bytes of blocks written so far, buffered ones included: the file's size once flushed. */
    public long size() {
        return written;
    }

    /** Starts a section: what every file, and every reader, needs first. Section length unknown (-1). */
    public void sectionHeader(byte[] userApplication) throws IOException {
        int length = BLOCK_OVERHEAD + 16 + option(userApplication.length) + 4;
        begin(SECTION_HEADER, length);
        buffer.putInt(BYTE_ORDER_MAGIC).putShort((short) 1).putShort((short) 0).putLong(-1L);
        putOption(SHB_USERAPPL, userApplication, userApplication.length);
        buffer.putInt(0); // opt_endofopt
        end(length);
    }

    /** Describes the next interface of the section: its ID is how many were described before it. */
    public void interfaceDescription(int linkType, int snapLength, byte[] name) throws IOException {
        int length = BLOCK_OVERHEAD + 8 + option(name.length) + option(1) + 4;
        begin(INTERFACE_DESCRIPTION, length);
        buffer.putShort((short) linkType).putShort((short) 0).putInt(snapLength);
        putOption(IF_NAME, name, name.length);
        buffer.putShort((short) IF_TSRESOL).putShort((short) 1).put(NANOSECONDS).put((byte) 0).putShort((short) 0);
        buffer.putInt(0); // opt_endofopt
        end(length);
    }

    /** The size of the Enhanced Packet Block {@link #packet} writes for these arguments. */
    public static int packetBlockLength(int capturedLength, int commentLength, int direction) {
        int options = (commentLength > 0 ? option(commentLength) : 0) + (direction != DIRECTION_UNKNOWN ? 8 : 0);
        return BLOCK_OVERHEAD + EPB_FIXED + padded(capturedLength) + (options > 0 ? options + 4 : 0);
    }

    /**
     * One packet: {@code capturedLength} bytes of {@code frame} at {@code offset} (the frame was
     * {@code originalLength} long), at {@code nanos} since the epoch, with {@code commentLength} bytes of
     * UTF-8 {@code comment} (0: none) and a direction ({@link #DIRECTION_UNKNOWN}: no epb_flags).
     */
    public void packet(int interfaceId, long nanos, ByteBuffer frame, int offset, int capturedLength, int originalLength,
                       byte[] comment, int commentLength, int direction) throws IOException {
        int length = packetBlockLength(capturedLength, commentLength, direction);
        begin(ENHANCED_PACKET, length);
        buffer.putInt(interfaceId).putInt((int) (nanos >>> 32)).putInt((int) nanos)
                .putInt(capturedLength).putInt(originalLength);
        buffer.put(buffer.position(), frame, offset, capturedLength);
        buffer.position(buffer.position() + capturedLength);
        putPadding(capturedLength);
        if (commentLength > 0) {
            putOption(OPT_COMMENT, comment, commentLength);
        }
        if (direction != DIRECTION_UNKNOWN) {
            buffer.putShort((short) EPB_FLAGS).putShort((short) 4).putInt(direction);
        }
        if (commentLength > 0 || direction != DIRECTION_UNKNOWN) {
            buffer.putInt(0); // opt_endofopt
        }
        end(length);
    }

    /** Sends what is buffered to the channel. */
    public void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /** Flushes and closes the channel. */
    public void close() throws IOException {
        try {
            flush();
        } finally {
            channel.close();
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void begin(int type, int length) throws IOException {
        if (buffer.remaining() < length) {
            flush();
            if (buffer.capacity() < length) { // a block larger than any before: rare, so growing is fine
                buffer = ByteBuffer.allocateDirect(length).order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        buffer.putInt(type).putInt(length);
    }

    private void end(int length) {
        buffer.putInt(length);
        written += length;
    }

    /** An option's size: code, length and the value padded to 32 bits. */
    private static int option(int valueLength) {
        return 4 + padded(valueLength);
    }

    private static int padded(int length) {
        return (length + 3) & ~3;
    }

    private void putOption(int code, byte[] value, int length) {
        buffer.putShort((short) code).putShort((short) length).put(value, 0, length);
        putPadding(length);
    }

    private void putPadding(int length) {
        for (int i = length; (i & 3) != 0; i++) {
            buffer.put((byte) 0);
        }
    }
}
