package tapnet.wire;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IPv6 addresses as two {@code long} halves in network order ({@code high}: the first 8 bytes). Parsing and
 * formatting are cold-path helpers; the tests on halves are what frames are checked with.
 */
public final class Ipv6Address {
    /** fe80::/64, the link-local prefix (RFC 4291 §2.5.6). */
    public static final long LINK_LOCAL_HIGH = 0xfe80_0000_0000_0000L;
    /** ff02::1, all nodes on the link. */
    public static final long ALL_NODES_HIGH = 0xff02_0000_0000_0000L;
    public static final long ALL_NODES_LOW = 1;
    /** ff02::2, all routers on the link. */
    public static final long ALL_ROUTERS_LOW = 2;
    /** ff02::1:ff00:0/104, solicited-node multicast (RFC 4291 §2.7.1): its low 24 bits are the address's. */
    private static final long SOLICITED_NODE_LOW = 0x0000_0001_ff00_0000L;

    private Ipv6Address() {
    }

    /** Whether the address is multicast, ff00::/8 (RFC 4291 §2.7). */
    public static boolean isMulticast(long high) {
        return (high >>> 56) == 0xff;
    }

    /** Whether the address is ::, the unspecified address (a DAD probe's source). */
    public static boolean isUnspecified(long high, long low) {
        return high == 0 && low == 0;
    }

    public static boolean isLinkLocal(long high) {
        return (high & 0xffc0_0000_0000_0000L) == LINK_LOCAL_HIGH;
    }

    /** The link-local address a MAC gives (RFC 4291 appendix A, modified EUI-64): its low half. */
    public static long linkLocalLow(long mac) {
        long flipped = mac ^ 0x0200_0000_0000L; // the universal/local bit inverted
        return (flipped >>> 24) << 40 | 0xff_feL << 24 | (flipped & 0xff_ffffL);
    }

    /** The solicited-node multicast group's low half for an address's low half. */
    public static long solicitedNodeLow(long low) {
        return SOLICITED_NODE_LOW | (low & 0xff_ffffL);
    }

    /** Whether high/low is a solicited-node multicast address. */
    public static boolean isSolicitedNode(long high, long low) {
        return high == ALL_NODES_HIGH && (low & 0xffff_ffff_ff00_0000L) == SOLICITED_NODE_LOW;
    }

    /** The Ethernet address an IPv6 multicast group is sent to: 33:33 and its low 32 bits (RFC 2464 §7). */
    public static long multicastMac(long low) {
        return 0x3333_0000_0000L | (low & 0xffff_ffffL);
    }

    /** Whether the first {@code prefixLength} bits of two addresses agree. */
    public static boolean samePrefix(long highA, long lowA, long highB, long lowB, int prefixLength) {
        if (prefixLength <= 0) {
            return true;
        }
        if (prefixLength <= 64) {
            long mask = -1L << (64 - prefixLength);
            return ((highA ^ highB) & mask) == 0;
        }
        long mask = prefixLength >= 128 ? -1L : -1L << (128 - prefixLength);
        return highA == highB && ((lowA ^ lowB) & mask) == 0;
    }

    /** Parses IPv6 text (any form RFC 4291 §2.2 allows, not a host name); throws with what was expected. */
    public static long[] parse(String text) {
        String trimmed = text.trim();
        if (trimmed.indexOf(':') < 0 || !trimmed.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("not an IPv6 address (like fd77::10): " + text);
        }
        try {
            byte[] bytes = InetAddress.getByName(trimmed).getAddress(); // a literal: no lookup is made
            if (bytes.length != 16) {
                throw new IllegalArgumentException("an IPv4-mapped address is not an IPv6 address here (write it as IPv4): " + text);
            }
            return new long[] {halfOf(bytes, 0), halfOf(bytes, 8)};
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 address (like fd77::10): " + text);
        }
    }

    private static long halfOf(byte[] bytes, int from) {
        long half = 0;
        for (int i = from; i < from + 8; i++) {
            half = half << 8 | (bytes[i] & 0xff);
        }
        return half;
    }

    /** The shortest text of an address (RFC 5952: lower case, the longest run of zero groups as ::). */
    public static String format(long high, long low) {
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (high >>> (48 - 16 * i)) & 0xffff;
            groups[i + 4] = (int) (low >>> (48 - 16 * i)) & 0xffff;
        }
        int bestStart = -1;
        int bestLength = 1; // RFC 5952 §4.2.2: a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    /** For tests and configuration: the address as Java sees it. */
    public static Inet6Address toInet(long high, long low) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[i + 8] = (byte) (low >>> (56 - 8 * i));
        }
        try {
            return Inet6Address.getByAddress(null, bytes, -1); // an Inet6Address even for ::ffff:a.b.c.d
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // 16 bytes are always an address
        }
    }
}
