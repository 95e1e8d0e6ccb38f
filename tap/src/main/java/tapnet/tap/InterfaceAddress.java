package tapnet.tap;

import tapnet.wire.Ipv4Address;

/** An interface's IPv4 address with its prefix length, like 10.241.0.1/24: the address and its subnet. */
public record InterfaceAddress(int address, int prefixLength) {
    public InterfaceAddress {
        if (prefixLength < 1 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 1 to 32: " + prefixLength);
        }
    }

    /** Parses "10.241.0.1/24". */
    public static InterfaceAddress parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("an interface address needs its prefix length (like 10.77.0.1/24): " + text);
        }
        return new InterfaceAddress(Ipv4Address.parse(text.substring(0, slash)), PrefixLength.parse(text, slash));
    }

    public int netmask() {
        return Ipv4Address.mask(prefixLength);
    }

    public Ipv4Subnet subnet() {
        return Ipv4Subnet.containing(address, prefixLength);
    }

    @Override
    public String toString() {
        return Ipv4Address.format(address) + "/" + prefixLength;
    }
}
