package tapnet.wire;

/**
 * MAC addresses as the low 48 bits of a {@code long}, so the hot path never holds an array or an object.
 * Formatting and parsing are for the cold path (topology files, logs).
 */
public final class MacAddress {
    public static final long BROADCAST = 0xffff_ffff_ffffL;
    public static final long ZERO = 0L;

    private MacAddress() {
    }

    /** True for the broadcast address and for every group (multicast) address: the I/G bit is set. */
    public static boolean isGroup(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    /**
     * The MAC a virtual host gets when its topology names none: locally administered, unicast
     * (02:54 — "T" for tapnet), followed by the four bytes of its IPv4 address, so the same address
     * always gets the same MAC and two hosts never share one.
     */
    public static long derivedFrom(int ipv4) {
        return 0x0254_0000_0000L | (ipv4 & 0xffff_ffffL);
    }

    public static String format(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int b = (int) (mac >>> shift) & 0xff;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
            if (shift > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (or with dashes). */
    public static long parse(String text) {
        // Limit -1 keeps trailing empty parts, so "02:00:00:00:00:01:" has seven and is refused.
        String[] parts = text.trim().split("[:-]", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address (six hex bytes like 02:00:00:00:00:01): " + text);
        }
        long mac = 0;
        for (String part : parts) {
            // ASCII hex digits only: Integer.parseInt alone would also take "+f" and other scripts' digits.
            if (part.length() < 1 || part.length() > 2 || !isAsciiHex(part)) {
                throw new IllegalArgumentException("not a MAC address (six hex bytes like 02:00:00:00:00:01): " + text);
            }
            mac = (mac << 8) | Integer.parseInt(part, 16);
        }
        return mac;
    }

    private static boolean isAsciiHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }
}
