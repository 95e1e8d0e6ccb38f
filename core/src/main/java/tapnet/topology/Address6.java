package tapnet.topology;

import tapnet.wire.Ipv6Address;

/** An IPv6 address of a node, as the two halves the engine keeps ({@link Ipv6Address}). */
public record Address6(long high, long low) {
    /** Parses IPv6 text; throws {@link IllegalArgumentException} saying what was expected. */
    public static Address6 parse(String text) {
        long[] halves = Ipv6Address.parse(text);
        return new Address6(halves[0], halves[1]);
    }

    /** Whether the first {@code prefixLength} bits are {@code prefix}'s. */
    public boolean within(Address6 prefix, int prefixLength) {
        return Ipv6Address.samePrefix(high, low, prefix.high, prefix.low, prefixLength);
    }

    @Override
    public String toString() {
        return Ipv6Address.format(high, low);
    }
}
