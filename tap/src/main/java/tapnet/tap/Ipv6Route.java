package tapnet.tap;

/**
 * One IPv6 route: where it leads, through which interface, via which gateway ({@link #hasGateway()}
 * false: none; the gateway as two longs, as the engine holds addresses).
 */
public record Ipv6Route(Ipv6Subnet destination, String interfaceName, long gatewayHigh, long gatewayLow, long metric) {
    public boolean isDefault() {
        return destination.prefixLength() == 0;
    }

    public boolean hasGateway() {
        return gatewayHigh != 0 || gatewayLow != 0;
    }

    /**
     * True for the route the kernel adds by itself for an address of {@code subnet} on {@code device}: to
     * exactly that subnet, through that device, without a gateway (as {@link Ipv4Route#isConnectedRouteOf}).
     */
    public boolean isConnectedRouteOf(String device, Ipv6Subnet subnet) {
        return !hasGateway() && interfaceName.equals(device) && destination.equals(subnet);
    }

    @Override
    public String toString() {
        return (isDefault() ? "default" : destination.toString())
                + (hasGateway() ? " via " + Ipv6Text.format(gatewayHigh, gatewayLow) : "")
                + " dev " + interfaceName
                + (metric != 0 ? " metric " + metric : "");
    }
}
