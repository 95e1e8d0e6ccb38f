package tapnet.tap;

/**
 * An IPv6 network and prefix length, like fd77:1::/64: the network as two longs ({@link #high()}, the first
 * 8 bytes; {@link #low()}, the last 8), its host bits zero.
 */
public record Ipv6Subnet(long high, long low, int prefixLength) {
    static final String EXAMPLE = "fd77:1::/64";

    public Ipv6Subnet {
        if (prefixLength < 0 || prefixLength > 128) {
            throw new IllegalArgumentException("prefix length must be 0 to 128: " + prefixLength);
        }
        long hostHigh = high & ~Ipv6Text.maskHigh(prefixLength);
        long hostLow = low & ~Ipv6Text.maskLow(prefixLength);
        if (hostHigh != 0 || hostLow != 0) {
            throw new IllegalArgumentException("host bits set in " + Ipv6Text.format(high, low) + "/" + prefixLength
                    + "; the network is " + containing(high, low, prefixLength));
        }
    }

    /** The subnet of {@code prefixLength} bits that contains the address {@code high}, {@code low}. */
    public static Ipv6Subnet containing(long high, long low, int prefixLength) {
        return new Ipv6Subnet(high & Ipv6Text.maskHigh(prefixLength), low & Ipv6Text.maskLow(prefixLength), prefixLength);
    }

    /** Parses "fd77:1::/64"; a bare address is a /128. */
    public static Ipv6Subnet parse(String text) {
        int slash = text.indexOf('/');
        byte[] address = Ipv6Text.parse(slash < 0 ? text : text.substring(0, slash), EXAMPLE);
        int prefixLength = slash < 0 ? 128 : PrefixLength.parse(text, slash, 128, EXAMPLE);
        return new Ipv6Subnet(Ipv6Text.high(address), Ipv6Text.low(address), prefixLength);
    }

    public boolean contains(long addressHigh, long addressLow) {
        return (addressHigh & Ipv6Text.maskHigh(prefixLength)) == high && (addressLow & Ipv6Text.maskLow(prefixLength)) == low;
    }

    /** True when the two share at least one address: one contains the other. */
    public boolean overlaps(Ipv6Subnet other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        return ((high ^ other.high) & Ipv6Text.maskHigh(shorter)) == 0 && ((low ^ other.low) & Ipv6Text.maskLow(shorter)) == 0;
    }

    @Override
    public String toString() {
        return Ipv6Text.format(high, low) + "/" + prefixLength;
    }
}
