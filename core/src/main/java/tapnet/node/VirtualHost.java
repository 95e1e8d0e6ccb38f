package tapnet.node;

import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv6Addresses;
import tapnet.wire.MacAddress;

/**
 * A host that exists only inside tapnet: a name, an IPv4 address and a MAC on the TAP's segment; and,
 * given when the topology asks, an IPv6 address and the link-local address its MAC makes (their handles).
 */
public final class VirtualHost {
    private final int index;
    private final String name;
    private final int address;
    private final long mac;
    private int address6 = Ipv6Addresses.NONE;
    private int linkLocal = Ipv6Addresses.NONE;
    /** Its IPv6 addresses beyond the first, which it answers on but never sends from unasked. */
    private int[] more6 = new int[0];

    public VirtualHost(int index, String name, int address, long mac) {
        this.index = index;
        this.name = name;
        this.address = address;
        this.mac = mac;
    }

    /** Position in the engine's host table, 0-based and dense. */
    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public int address() {
        return address;
    }

    public long mac() {
        return mac;
    }

    /** The handle of its IPv6 address, or {@link Ipv6Addresses#NONE}: it speaks IPv4 only. */
    public int address6() {
        return address6;
    }

    /** The handle of its link-local IPv6 address (from its MAC), or {@link Ipv6Addresses#NONE}. */
    public int linkLocal() {
        return linkLocal;
    }

    /** Whether it speaks IPv6. */
    public boolean hasIpv6() {
        return address6 != Ipv6Addresses.NONE;
    }

    /** The address it sends from to {@code destination}: its IPv6 one to an IPv6 destination. */
    public int sourceFor(int destination) {
        if (!Ipv6Addresses.isHandle(destination)) {
            return address;
        }
        return address6 != Ipv6Addresses.NONE ? address6 : linkLocal;
    }

    /** Its IPv6 addresses beyond {@link #address6()}: it answers on them as on the first. */
    public int[] moreAddresses6() {
        return more6.clone();
    }

    void addMore6(int address) {
        more6 = java.util.Arrays.copyOf(more6, more6.length + 1);
        more6[more6.length - 1] = address;
    }

    void setIpv6(int address6, int linkLocal) {
        this.address6 = address6;
        this.linkLocal = linkLocal;
    }

    @Override
    public String toString() {
        return name + " " + Ipv4Address.format(address) + " " + MacAddress.format(mac);
    }
}
