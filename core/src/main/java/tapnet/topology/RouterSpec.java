package tapnet.topology;

import java.util.Objects;
import tapnet.wire.Ipv4Address;

/**
 * A router between the TAP and hosts on a subnet of their own: {@code address} is its interface on its
 * parent's subnet (the TAP's, or another router's), {@code inside}/{@code prefixLength} its interface on
 * the subnet it serves. Hosts and routers whose address lies in that subnet are behind it. With IPv6,
 * {@code address6} is its address in its parent's IPv6 prefix and {@code subnet6} its address and prefix
 * on the subnet it serves (both, or neither). With {@code advertise}, a router on the TAP's segment
 * answers router solicitations with the IPv6 routes behind it (RFC 4191), and the kernel learns them so,
 * instead of from {@code tapnet run}. With {@code vxlan}, the subnet it serves is extended over VXLAN.
 */
public record RouterSpec(String name, int address, long mac, int inside, int prefixLength, Address6 address6, Prefix6 subnet6,
                         boolean advertise, VxlanSpec vxlan) {
    /** A router without IPv6. */
    public RouterSpec(String name, int address, long mac, int inside, int prefixLength) {
        this(name, address, mac, inside, prefixLength, null, null, false);
    }

    /** A router whose IPv6 routes come from the file. */
    public RouterSpec(String name, int address, long mac, int inside, int prefixLength, Address6 address6, Prefix6 subnet6) {
        this(name, address, mac, inside, prefixLength, address6, subnet6, false);
    }

    /** A router whose subnet stays on this machine. */
    public RouterSpec(String name, int address, long mac, int inside, int prefixLength, Address6 address6, Prefix6 subnet6,
                      boolean advertise) {
        this(name, address, mac, inside, prefixLength, address6, subnet6, advertise, null);
    }

    public RouterSpec {
        Objects.requireNonNull(name, "name");
        if ((address6 == null) != (subnet6 == null)) {
            throw new IllegalArgumentException("router " + name + ": address6 and subnet6 go together");
        }
        if (advertise && subnet6 == null) {
            throw new IllegalArgumentException("router " + name + ": only a router with IPv6 advertises IPv6 routes");
        }
        if (prefixLength < TapSpec.MIN_PREFIX_LENGTH || prefixLength > TapSpec.MAX_PREFIX_LENGTH) {
            throw new IllegalArgumentException("router " + name + ": prefix length /" + prefixLength + " out of range");
        }
    }

    public boolean hasIpv6() {
        return subnet6 != null;
    }

    public int netmask() {
        return Ipv4Address.mask(prefixLength);
    }

    public int network() {
        return inside & netmask();
    }

    public int broadcast() {
        return network() | ~netmask();
    }

    public boolean contains(int ip) {
        return (ip & netmask()) == network();
    }

    /** The subnet it serves, as text: {@code 10.78.1.0/24}. */
    public String subnet() {
        return Ipv4Address.format(network()) + "/" + prefixLength;
    }

    /** Whether two routers' subnets share an address. */
    public boolean overlaps(int otherNetwork, int otherPrefix) {
        int mask = Ipv4Address.mask(Math.min(prefixLength, otherPrefix));
        return (network() & mask) == (otherNetwork & mask);
    }
}
