package tapnet.wire;

import java.nio.ByteBuffer;

/**
 * TCP options of one segment, parsed into fields (one instance reused for every segment), and writers for
 * the options tapnet sends. Parsing follows RFC 9293 §3.2: unknown options are skipped by their length
 * [MUST-6]; an illegal length (below 2, or past the header) ends parsing without failing the segment
 * [MUST-7]; {@link #malformed()} tells that it happened.
 */
public final class TcpOptions {
    public static final int KIND_END = 0;
    public static final int KIND_NOP = 1;
    public static final int KIND_MSS = 2;
    public static final int KIND_WINDOW_SCALE = 3;
    public static final int KIND_SACK_PERMITTED = 4;
    public static final int KIND_SACK = 5;
    public static final int KIND_TIMESTAMPS = 8;

    public static final int MAX_SACK_BLOCKS = 4;

    private int mss;
    private int windowScale;
    private boolean sackPermitted;
    private boolean hasTimestamps;
    private int timestampValue;
    private int timestampEcho;
    private int sackBlocks;
    private final int[] sackLeft = new int[MAX_SACK_BLOCKS];
    private final int[] sackRight = new int[MAX_SACK_BLOCKS];
    private boolean malformed;

    /** Parses the options of {@code segment}; previous results are cleared first. */
    public TcpOptions parse(TcpSegment segment) {
        return parse(segment.buffer(), segment.optionsOffset(), segment.optionsLength());
    }

    public TcpOptions parse(ByteBuffer buffer, int offset, int length) {
        clear();
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int kind = buffer.get(i) & 0xff;
            if (kind == KIND_END) {
                break;
            }
            if (kind == KIND_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                malformed = true;
                break;
            }
            int optionLength = buffer.get(i + 1) & 0xff;
            if (optionLength < 2 || i + optionLength > end) {
                malformed = true;
                break;
            }
            switch (kind) {
                case KIND_MSS -> {
                    if (optionLength == 4) mss = buffer.getShort(i + 2) & 0xffff;
                }
                case KIND_WINDOW_SCALE -> {
                    if (optionLength == 3) windowScale = buffer.get(i + 2) & 0xff;
                }
                case KIND_SACK_PERMITTED -> {
                    if (optionLength == 2) sackPermitted = true;
                }
                case KIND_TIMESTAMPS -> {
                    if (optionLength == 10) {
                        hasTimestamps = true;
                        timestampValue = buffer.getInt(i + 2);
                        timestampEcho = buffer.getInt(i + 6);
                    }
                }
                case KIND_SACK -> {
                    int blocks = Math.min((optionLength - 2) / 8, MAX_SACK_BLOCKS);
                    for (int b = 0; b < blocks; b++) {
                        sackLeft[b] = buffer.getInt(i + 2 + 8 * b);
                        sackRight[b] = buffer.getInt(i + 6 + 8 * b);
                    }
                    sackBlocks = blocks;
                }
                default -> {
                    // Unknown option: skipped by its length (RFC 9293 MUST-6).
                }
            }
            i += optionLength;
        }
        return this;
    }

    public void clear() {
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        hasTimestamps = false;
        timestampValue = 0;
        timestampEcho = 0;
        sackBlocks = 0;
        malformed = false;
    }

    public boolean hasMss() {
        return mss >= 0;
    }

    /** The MSS option's value, or -1 when absent. */
    public int mss() {
        return mss;
    }

    public boolean hasWindowScale() {
        return windowScale >= 0;
    }

    /** The window scale shift as sent (not clamped), or -1 when absent. */
    public int windowScale() {
        return windowScale;
    }

    public boolean sackPermitted() {
        return sackPermitted;
    }

    public boolean hasTimestamps() {
        return hasTimestamps;
    }

    public int timestampValue() {
        return timestampValue;
    }

    public int timestampEcho() {
        return timestampEcho;
    }

    public int sackBlockCount() {
        return sackBlocks;
    }

    public int sackLeft(int block) {
        return sackLeft[block];
    }

    public int sackRight(int block) {
        return sackRight[block];
    }

    /** True when an option had an illegal length and parsing stopped there. */
    public boolean malformed() {
        return malformed;
    }

    // --- writers: each writes at an absolute index and returns the bytes written ---

    public static int writeMss(ByteBuffer buffer, int at, int mss) {
        buffer.put(at, (byte) KIND_MSS);
        buffer.put(at + 1, (byte) 4);
        buffer.putShort(at + 2, (short) mss);
        return 4;
    }

    /** NOP then window scale: 4 bytes, keeping what follows 32-bit aligned. */
    public static int writeWindowScale(ByteBuffer buffer, int at, int shift) {
        buffer.put(at, (byte) KIND_NOP);
        buffer.put(at + 1, (byte) KIND_WINDOW_SCALE);
        buffer.put(at + 2, (byte) 3);
        buffer.put(at + 3, (byte) shift);
        return 4;
    }

    /** NOP, NOP, SACK-permitted: 4 bytes. */
    public static int writeSackPermitted(ByteBuffer buffer, int at) {
        buffer.put(at, (byte) KIND_NOP);
        buffer.put(at + 1, (byte) KIND_NOP);
        buffer.put(at + 2, (byte) KIND_SACK_PERMITTED);
        buffer.put(at + 3, (byte) 2);
        return 4;
    }

    /** NOP, NOP, timestamps: 12 bytes (RFC 7323 Appendix A layout). */
    public static int writeTimestamps(ByteBuffer buffer, int at, int value, int echo) {
        buffer.put(at, (byte) KIND_NOP);
        buffer.put(at + 1, (byte) KIND_NOP);
        buffer.put(at + 2, (byte) KIND_TIMESTAMPS);
        buffer.put(at + 3, (byte) 10);
        buffer.putInt(at + 4, value);
        buffer.putInt(at + 8, echo);
        return 12;
    }

    /** NOP, NOP, SACK with {@code count} blocks: 4 + 8 × count bytes. */
    public static int writeSack(ByteBuffer buffer, int at, int[] left, int[] right, int count) {
        buffer.put(at, (byte) KIND_NOP);
        buffer.put(at + 1, (byte) KIND_NOP);
        buffer.put(at + 2, (byte) KIND_SACK);
        buffer.put(at + 3, (byte) (2 + 8 * count));
        for (int b = 0; b < count; b++) {
            buffer.putInt(at + 4 + 8 * b, left[b]);
            buffer.putInt(at + 8 + 8 * b, right[b]);
        }
        return 4 + 8 * count;
    }
}
