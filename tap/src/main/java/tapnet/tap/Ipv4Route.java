package tapnet.tap;

import tapnet.wire.Ipv4Address;

/** One IPv4 route of the main table: where it leads, through which interface, via which gateway (0: none). */
public record Ipv4Route(Ipv4Subnet destination, String interfaceName, int gateway, int metric) {
    public boolean isDefault() {
        return destination.prefixLength() == 0;
    }

    @Override
    public String toString() {
        return (isDefault() ? "default" : destination.toString())
                + (gateway != 0 ? " via " + Ipv4Address.format(gateway) : "")
                + " dev " + interfaceName
                + (metric != 0 ? " metric " + metric : "");
    }
}
