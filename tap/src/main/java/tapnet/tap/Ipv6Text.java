package tapnet.tap;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IPv6 addresses as two longs (high: the first 8 bytes, low: the last 8, each big-endian), the form the
 * engine holds them in, to and from text: the RFC 4291 §2.2 forms in, RFC 5952 out (lower case, the
 * longest run of two or more zero groups as "::"). {@link Inet6Address} parses; configuration time only.
 */
final class Ipv6Text {
    private Ipv6Text() {
    }

    /**
     * The 16 bytes of the address in {@code text}, or an {@link IllegalArgumentException} naming {@code text}
     * and showing {@code example}. Only literals: a colon is required, so no name is ever looked up.
     */
    static byte[] parse(String text, String example) {
        String trimmed = text.trim();
        IllegalArgumentException wrong = new IllegalArgumentException(
                "not an IPv6 address (eight groups of hex digits, \"::\" for a run of zeros, like " + example + "): " + text);
        if (trimmed.indexOf(':') < 0 || !trimmed.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            throw wrong;
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.getByName(trimmed);
        } catch (UnknownHostException e) {
            throw wrong;
        }
        if (!(parsed instanceof Inet6Address)) {
            // Java turns ::ffff:a.b.c.d into an IPv4 address; an interface takes IPv4 addresses as "address".
            throw new IllegalArgumentException("an IPv4-mapped address is no IPv6 interface address (give the IPv4"
                    + " address as IPv4, an IPv6 one like " + example + "): " + text);
        }
        return parsed.getAddress();
    }

    static long high(byte[] address) {
        return half(address, 0);
    }

    static long low(byte[] address) {
        return half(address, 8);
    }

    private static long half(byte[] address, int from) {
        long value = 0;
        for (int i = from; i < from + 8; i++) {
            value = (value << 8) | (address[i] & 0xff);
        }
        return value;
    }

    /** Parses the 32 hex digits /proc/net/if_inet6 and /proc/net/ipv6_route print an address as. */
    static long procHigh(String hex) {
        checkProcHex(hex);
        return Long.parseUnsignedLong(hex.substring(0, 16), 16);
    }

    static long procLow(String hex) {
        checkProcHex(hex);
        return Long.parseUnsignedLong(hex.substring(16), 16);
    }

    private static void checkProcHex(String hex) {
        if (hex.length() != 32) {
            throw new IllegalArgumentException("not an address of 32 hex digits: " + hex);
        }
    }

    /** RFC 5952 text: "fd77::1", "::", "fe80::1:0:0:1" (the engine's own formatting). */
    static String format(long high, long low) {
        return tapnet.wire.Ipv6Address.format(high, low);
    }

    /** The high half of the mask of a prefix length: 64 and over give all ones. */
    static long maskHigh(int prefixLength) {
        return prefixLength == 0 ? 0 : prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
    }

    /** The low half of the mask of a prefix length: 64 and under give zero. */
    static long maskLow(int prefixLength) {
        return prefixLength <= 64 ? 0 : -1L << (128 - prefixLength);
    }
}
