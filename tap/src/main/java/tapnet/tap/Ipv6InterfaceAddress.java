package tapnet.tap;

/**
 * An interface's IPv6 address with its prefix length, like fd77::1/64: the address as two longs
 * ({@link #high()}, the first 8 bytes; {@link #low()}, the last 8), the form the engine holds addresses in.
 */
public record Ipv6InterfaceAddress(long high, long low, int prefixLength) {
    static final String EXAMPLE = "fd77::1/64";

    public Ipv6InterfaceAddress {
        if (prefixLength < 1 || prefixLength > 128) {
            throw new IllegalArgumentException("prefix length must be 1 to 128: " + prefixLength);
        }
    }

    /** Parses "fd77::1/64"; the message of a bad value says what was expected. */
    public static Ipv6InterfaceAddress parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("an interface address needs its prefix length (like " + EXAMPLE + "): " + text);
        }
        byte[] address = Ipv6Text.parse(text.substring(0, slash), EXAMPLE);
        int prefixLength = PrefixLength.parse(text, slash, 128, EXAMPLE);
        if (prefixLength == 0) {
            throw new IllegalArgumentException("an interface address needs a prefix length of 1 to 128 (like " + EXAMPLE + "): " + text);
        }
        return new Ipv6InterfaceAddress(Ipv6Text.high(address), Ipv6Text.low(address), prefixLength);
    }

    public Ipv6Subnet subnet() {
        return Ipv6Subnet.containing(high, low, prefixLength);
    }

    /** The address alone, without the prefix length: "fd77::1". */
    public String addressText() {
        return Ipv6Text.format(high, low);
    }

    @Override
    public String toString() {
        return addressText() + "/" + prefixLength;
    }
}
