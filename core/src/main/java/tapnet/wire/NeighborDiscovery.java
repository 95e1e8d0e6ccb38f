package tapnet.wire;

import java.nio.ByteBuffer;

/**
 * The bodies of neighbour solicitations and advertisements (RFC 4861 §4.3, §4.4) over a whole ICMPv6
 * message: the target address, the advertisement's flags and the link-layer address options. The ICMPv6
 * header itself is {@link Icmpv6Message}'s.
 */
public final class NeighborDiscovery extends BufferView {
    /** An NS or NA: ICMPv6 header, target address; options follow. */
    public static final int MIN_LENGTH = 24;
    /** An NS or NA with one link-layer address option, as tapnet writes them. */
    public static final int LENGTH_WITH_LINK_LAYER = 32;
    public static final int OPTION_SOURCE_LINK_LAYER = 1;
    public static final int OPTION_TARGET_LINK_LAYER = 2;
    public static final int FLAG_ROUTER = 0x8000_0000;
    public static final int FLAG_SOLICITED = 0x4000_0000;
    public static final int FLAG_OVERRIDE = 0x2000_0000;
    /** Hop limit every neighbour discovery message carries: one that crossed a router has less (§7.1.1). */
    public static final int HOP_LIMIT = 255;

    private static final int FLAGS = 4;
    private static final int TARGET = 8;
    private static final int OPTIONS = 24;

    public NeighborDiscovery wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        return this;
    }

    /**
     * RFC 4861 §7.1.1/§7.1.2 checks of the body: long enough, every option of nonzero length and inside
     * the message. (Hop limit, code and the target not multicast are the caller's.)
     */
    public boolean isValid() {
        if (length < MIN_LENGTH) {
            return false;
        }
        for (int at = OPTIONS; at < length; ) {
            if (length - at < 2 || u8(at + 1) == 0) {
                return false;
            }
            at += u8(at + 1) * 8;
            if (at > length) {
                return false;
            }
        }
        return true;
    }

    public long targetHigh() {
        return buffer.getLong(offset + TARGET);
    }

    public long targetLow() {
        return buffer.getLong(offset + TARGET + 8);
    }

    /** The flags word of an advertisement (R, S, O in its top bits). */
    public int flags() {
        return i32(FLAGS);
    }

    /** The MAC in the first link-layer address option of {@code type}, or -1 when none is there. */
    public long linkLayerAddress(int type) {
        for (int at = OPTIONS; at + 8 <= length && u8(at + 1) > 0; at += u8(at + 1) * 8) {
            if (u8(at) == type) {
                return u48(at + 2);
            }
        }
        return -1;
    }

    /**
     * Writes the body of an NS or NA with one link-layer option (source for NS, target for NA) of
     * {@code mac}: {@link #LENGTH_WITH_LINK_LAYER} bytes; the ICMPv6 header is written after, with the
     * flags as its rest of header.
     */
    public NeighborDiscovery writeBody(long targetHigh, long targetLow, int option, long mac) {
        buffer.putLong(offset + TARGET, targetHigh);
        buffer.putLong(offset + TARGET + 8, targetLow);
        putU8(OPTIONS, option);
        putU8(OPTIONS + 1, 1);
        putU48(OPTIONS + 2, mac);
        return this;
    }
}
