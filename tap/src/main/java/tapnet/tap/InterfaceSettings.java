package tapnet.tap;

/**
 * What the kernel's side of the TAP should look like: its IPv4 address and prefix (which give the
 * connected route to the virtual hosts), its MTU, and up; optionally an IPv6 address and prefix
 * ({@code address6}, null: nothing IPv6 is touched), and whether the kernel learns routes from the
 * Route Information options of router advertisements ({@code routesFromAdvertisements}, RFC 4191).
 */
public record InterfaceSettings(InterfaceAddress address, int mtu, Ipv6InterfaceAddress address6,
                                boolean routesFromAdvertisements) {
    /** The smallest MTU IPv4 allows (RFC 791: every host must take 68-byte datagrams). */
    public static final int MIN_MTU = 68;
    /** The smallest MTU IPv6 allows (RFC 8200 §5); Linux keeps no IPv6 on an interface with less. */
    public static final int MIN_IPV6_MTU = 1280;

    public InterfaceSettings {
        if (address == null) {
            throw new IllegalArgumentException("the interface needs an IPv4 address");
        }
        if (mtu < MIN_MTU || mtu > 65535) {
            throw new IllegalArgumentException("MTU must be " + MIN_MTU + " to 65535: " + mtu);
        }
        if (routesFromAdvertisements && address6 == null) {
            throw new IllegalArgumentException("routes from router advertisements need IPv6 on the interface");
        }
        if (address6 != null && mtu < MIN_IPV6_MTU) {
            throw new IllegalArgumentException("an interface with an IPv6 address needs an MTU of at least "
                    + MIN_IPV6_MTU + " (RFC 8200 §5): " + mtu);
        }
    }

    /** IPv4 only. */
    public InterfaceSettings(InterfaceAddress address, int mtu) {
        this(address, mtu, null);
    }

    /** Routes from the file, none from advertisements. */
    public InterfaceSettings(InterfaceAddress address, int mtu, Ipv6InterfaceAddress address6) {
        this(address, mtu, address6, false);
    }

    public boolean hasAddress6() {
        return address6 != null;
    }
}
