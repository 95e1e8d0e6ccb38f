package tapnet.tap;

import tapnet.wire.Ipv4Address;

/** An IPv4 network and prefix length, like 10.241.0.0/24. The host bits of {@code network} are zero. */
public record Ipv4Subnet(int network, int prefixLength) {
    public Ipv4Subnet {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0 to 32: " + prefixLength);
        }
        if ((network & ~Ipv4Address.mask(prefixLength)) != 0) {
            throw new IllegalArgumentException("host bits set in " + Ipv4Address.format(network) + "/" + prefixLength
                    + "; the network is " + Ipv4Address.format(network & Ipv4Address.mask(prefixLength)) + "/" + prefixLength);
        }
    }

    /** The subnet of {@code prefixLength} bits that contains {@code address}. */
    public static Ipv4Subnet containing(int address, int prefixLength) {
        return new Ipv4Subnet(address & Ipv4Address.mask(prefixLength), prefixLength);
    }

    /** Parses "10.241.0.0/24"; a bare address is a /32. */
    public static Ipv4Subnet parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new Ipv4Subnet(Ipv4Address.parse(text), 32);
        }
        return new Ipv4Subnet(Ipv4Address.parse(text.substring(0, slash)), PrefixLength.parse(text, slash));
    }

    public int netmask() {
        return Ipv4Address.mask(prefixLength);
    }

    public boolean contains(int address) {
        return (address & netmask()) == network;
    }

    /** True when the two share at least one address: one contains the other. */
    public boolean overlaps(Ipv4Subnet other) {
        int shorter = Ipv4Address.mask(Math.min(prefixLength, other.prefixLength));
        return (network & shorter) == (other.network & shorter);
    }

    @Override
    public String toString() {
        return Ipv4Address.format(network) + "/" + prefixLength;
    }
}
