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
    /** A Route Information option (RFC 4191 §2.3). */
    public static final int OPTION_ROUTE_INFORMATION = 24;
    /** A router advertisement's fixed part and its source link-layer option; Route Information options follow. */
    public static final int ADVERTISEMENT_LENGTH = 24;
    /** A Route Information option carrying the whole prefix. */
    public static final int ROUTE_INFORMATION_LENGTH = 24;
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
        return length >= MIN_LENGTH && optionsValid(OPTIONS);
    }

    private boolean optionsValid(int from) {
        for (int at = from; at < length; ) {
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

    /** A router solicitation's checks (RFC 4861 §6.1.1): its 8 bytes, then options each of nonzero length. */
    public boolean isValidSolicitation() {
        return length >= 8 && optionsValid(8);
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
        return linkLayerAddress(type, OPTIONS);
    }

    /** As above, the options starting {@code from} bytes in (8 in a router solicitation). */
    public long linkLayerAddress(int type, int from) {
        for (int at = from; at + 8 <= length && u8(at + 1) > 0; at += u8(at + 1) * 8) {
            if (u8(at) == type) {
                return u48(at + 2);
            }
        }
        return -1;
    }

    /**
     * Writes a router advertisement's body after its ICMPv6 header (RFC 4861 §4.2): reachable time and
     * retransmission timer unspecified (0), and the router's MAC as source link-layer option; the hop limit,
     * flags and router lifetime are the header's rest. {@link #writeRouteInformation} options follow at
     * {@link #ADVERTISEMENT_LENGTH}.
     */
    public NeighborDiscovery writeAdvertisementBody(long mac) {
        putI32(8, 0);
        putI32(12, 0);
        putU8(16, OPTION_SOURCE_LINK_LAYER);
        putU8(17, 1);
        putU48(18, mac);
        return this;
    }

    /**
     * A Route Information option at {@code at} (from this view's start; RFC 4191 §2.3): the prefix
     * high/low/{@code prefixLength} reached through the advertising router, medium preference, for
     * {@code lifetimeSeconds} (0xffffffff: for ever).
     */
    public NeighborDiscovery writeRouteInformation(int at, long high, long low, int prefixLength, int lifetimeSeconds) {
        putU8(at, OPTION_ROUTE_INFORMATION);
        putU8(at + 1, ROUTE_INFORMATION_LENGTH / 8);
        putU8(at + 2, prefixLength);
        putU8(at + 3, 0);
        putI32(at + 4, lifetimeSeconds);
        buffer.putLong(offset + at + 8, high);
        buffer.putLong(offset + at + 16, low);
        return this;
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
