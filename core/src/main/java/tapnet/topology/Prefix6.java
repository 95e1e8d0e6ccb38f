package tapnet.topology;

/**
 * An IPv6 address with the length of its subnet's prefix, like {@code fd77::1/64}: the kernel's side of
 * the TAP, whose prefix the hosts' IPv6 addresses lie in.
 */
public record Prefix6(Address6 address, int length) {
    public Prefix6 {
        if (length < 1 || length > 128) {
            throw new IllegalArgumentException("an IPv6 prefix length is 1 to 128: " + length);
        }
    }

    /** Whether {@code other} lies in this prefix. */
    public boolean contains(Address6 other) {
        return other.within(address, length);
    }

    /** The prefix alone, like {@code fd77::/64}. */
    public String subnet() {
        return network() + "/" + length;
    }

    /**
     * The prefix with an interface identifier of zeros, like {@code fd77::}: the Subnet-Router anycast
     * address (RFC 4291 §2.6.1), which every router on the link answers; no node's own address.
     */
    public Address6 network() {
        long high = length >= 64 ? address.high() : address.high() & (-1L << (64 - length));
        long low = length >= 128 ? address.low() : length <= 64 ? 0 : address.low() & (-1L << (128 - length));
        return new Address6(high, low);
    }

    @Override
    public String toString() {
        return address + "/" + length;
    }
}
