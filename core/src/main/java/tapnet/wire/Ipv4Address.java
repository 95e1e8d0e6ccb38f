package tapnet.wire;

/** IPv4 addresses as an {@code int} in network order (10.0.0.1 is 0x0a000001). Cold-path helpers. */
public final class Ipv4Address {
    public static final int BROADCAST = 0xffff_ffff;

    private Ipv4Address() {
    }

    public static boolean isMulticast(int address) {
        return (address >>> 28) == 0xe;
    }

    public static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    /** Parses dotted-quad text; throws {@link IllegalArgumentException} with what was expected. */
    public static int parse(String text) {
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address (four numbers 0-255 like 10.77.0.10): " + text);
        }
        int address = 0;
        for (String part : parts) {
            // ASCII digits only: Integer.parseInt alone would also take "+1", "-0" and other scripts' digits.
            if (part.isEmpty() || part.length() > 3 || !isAsciiDigits(part) || Integer.parseInt(part) > 255) {
                throw new IllegalArgumentException("not an IPv4 address (four numbers 0-255 like 10.77.0.10): " + text);
            }
            address = (address << 8) | Integer.parseInt(part);
        }
        return address;
    }

    private static boolean isAsciiDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The network mask of a prefix length: 24 gives 0xffffff00. */
    public static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }
}
