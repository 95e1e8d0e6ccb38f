package tapnet.tap;

/**
 * What the kernel's side of the TAP should look like: its IPv4 address and prefix (which give the
 * connected route to the virtual hosts), its MTU, and up.
 */
public record InterfaceSettings(InterfaceAddress address, int mtu) {
    /** The smallest MTU IPv4 allows (RFC 791: every host must take 68-byte datagrams). */
    public static final int MIN_MTU = 68;

    public InterfaceSettings {
        if (address == null) {
            throw new IllegalArgumentException("the interface needs an IPv4 address");
        }
        if (mtu < MIN_MTU || mtu > 65535) {
            throw new IllegalArgumentException("MTU must be " + MIN_MTU + " to 65535: " + mtu);
        }
    }
}
