package tapnet.tap;

import tapnet.wire.Ipv4Address;

/** One IPv4 route of the main table: where it leads, through which interface, via which gateway (0: none). */
public record Ipv4Route(Ipv4Subnet destination, String interfaceName, int gateway, int metric) {
    public boolean isDefault() {
        return destination.prefixLength() == 0;
    }

    /**
     * True for the route the kernel adds by itself for an address of {@code subnet} on {@code device}: to
     * exactly that subnet, through that device, without a gateway. A persistent TAP an administrator gave
     * the topology's own address has this route, and it is no other network's.
     */
    public boolean isConnectedRouteOf(String device, Ipv4Subnet subnet) {
        return gateway == 0 && interfaceName.equals(device) && destination.equals(subnet);
    }

    @Override
    public String toString() {
        return (isDefault() ? "default" : destination.toString())
                + (gateway != 0 ? " via " + Ipv4Address.format(gateway) : "")
                + " dev " + interfaceName
                + (metric != 0 ? " metric " + metric : "");
    }
}
