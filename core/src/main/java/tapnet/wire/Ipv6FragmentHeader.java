package tapnet.wire;

import java.nio.ByteBuffer;

/**
 * IPv6 Fragment header (RFC 8200 §4.5): 8 bytes, no length field. Layout: Next Header (8 bits), Reserved
 * (8), Fragment Offset (13, in 8-byte units), Res (2), M flag (1), Identification (32). The reserved bits
 * are written as zero and ignored on reception.
 */
public final class Ipv6FragmentHeader extends BufferView {
    public static final int LENGTH = 8;

    private static final int NEXT_HEADER = 0;
    private static final int RESERVED = 1;
    private static final int OFFSET_FLAGS = 2;
    private static final int IDENTIFICATION = 4;

    private static final int OFFSET_MASK = 0xfff8;
    private static final int MORE_FRAGMENTS = 0x0001;

    /** Wraps the 8 bytes at {@code offset}; the caller has checked that they are in the buffer. */
    public Ipv6FragmentHeader wrap(ByteBuffer buffer, int offset) {
        wrapRegion(buffer, offset, LENGTH);
        return this;
    }

    /** The header that follows the fragmentable part once reassembled (the first fragment's says which). */
    public int nextHeader() {
        return u8(NEXT_HEADER);
    }

    /** Where this fragment's data goes in the fragmentable part, in bytes (always a multiple of 8). */
    public int fragmentOffset() {
        return u16(OFFSET_FLAGS) & OFFSET_MASK;
    }

    /** The M flag: more fragments follow this one. */
    public boolean moreFragments() {
        return (u16(OFFSET_FLAGS) & MORE_FRAGMENTS) != 0;
    }

    public int identification() {
        return i32(IDENTIFICATION);
    }

    /**
     * An atomic fragment (RFC 8200 §4.5, RFC 6946): offset 0 and no more fragments, a whole packet that
     * only carries the header; it is processed on its own, never reassembled.
     */
    public boolean isAtomic() {
        return (u16(OFFSET_FLAGS) & (OFFSET_MASK | MORE_FRAGMENTS)) == 0;
    }

    /**
     * Writes the header. {@code fragmentOffset} is in bytes and must be a multiple of 8 below 65,536 (the
     * 13-bit field holds it in 8-byte units): every fragment but the last carries a multiple of 8 bytes.
     */
    public Ipv6FragmentHeader writeFragmentHeader(int nextHeader, int fragmentOffset, boolean moreFragments, int identification) {
        if ((fragmentOffset & ~OFFSET_MASK) != 0) {
            throw new IllegalArgumentException("fragment offset " + fragmentOffset + " is not a multiple of 8 in 0..65528");
        }
        putU8(NEXT_HEADER, nextHeader);
        putU8(RESERVED, 0);
        putU16(OFFSET_FLAGS, fragmentOffset | (moreFragments ? MORE_FRAGMENTS : 0));
        putI32(IDENTIFICATION, identification);
        return this;
    }
}
