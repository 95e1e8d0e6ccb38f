package tapnet.node;

import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/** A host that exists only inside tapnet: a name, an IPv4 address and a MAC on the TAP's segment. */
public final class VirtualHost {
    private final int index;
    private final String name;
    private final int address;
    private final long mac;

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

    @Override
    public String toString() {
        return name + " " + Ipv4Address.format(address) + " " + MacAddress.format(mac);
    }
}
