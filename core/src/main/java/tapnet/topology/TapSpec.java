package tapnet.topology;

import java.util.regex.Pattern;
import tapnet.wire.Ipv4Address;

/**
 * The kernel's side of the TAP device: the interface's name, the address the kernel gets on it, and the
 * prefix length of the subnet routed into it. Every virtual host lives inside that subnet.
 *
 * @param device       interface name, like {@code tapnet0}
 * @param address      the kernel's address on the TAP (an IPv4 address as an {@code int})
 * @param prefixLength length of the subnet's prefix, {@value #MIN_PREFIX_LENGTH} to {@value #MAX_PREFIX_LENGTH}
 * @param mtu          largest IPv4 datagram on the TAP, {@value #MIN_MTU} to {@value #MAX_MTU} bytes
 * @param address6     the kernel's IPv6 address and the prefix the hosts' IPv6 addresses lie in; null: the
 *                     segment speaks IPv4 only
 * @param vxlan        the segment extended over VXLAN; null: it stays on this machine
 */
public record TapSpec(String device, int address, int prefixLength, int mtu, Prefix6 address6, VxlanSpec vxlan) {
    public static final String DEFAULT_DEVICE = "tapnet0";
    public static final int DEFAULT_MTU = 1500;
    /** A /8 is already 16 million addresses; shorter prefixes would swallow the host's other routes. */
    public static final int MIN_PREFIX_LENGTH = 8;
    /** A /30 leaves two usable addresses: the kernel's and one virtual host's. */
    public static final int MAX_PREFIX_LENGTH = 30;
    /** RFC 791: every host must accept datagrams of 576 bytes. */
    public static final int MIN_MTU = 576;
    /** Jumbo frames, as far as common NICs and the TAP driver go. */
    public static final int MAX_MTU = 9000;
    /** Linux's IFNAMSIZ is 16 bytes, the terminating NUL included. */
    public static final int MAX_DEVICE_LENGTH = 15;

    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_DEVICE_LENGTH + "}");

    /** A TAP without IPv6. */
    public TapSpec(String device, int address, int prefixLength, int mtu) {
        this(device, address, prefixLength, mtu, null, null);
    }

    /** A TAP whose segment stays on this machine. */
    public TapSpec(String device, int address, int prefixLength, int mtu, Prefix6 address6) {
        this(device, address, prefixLength, mtu, address6, null);
    }

    public TapSpec {
        String problem = deviceProblem(device);
        if (problem == null && (prefixLength < MIN_PREFIX_LENGTH || prefixLength > MAX_PREFIX_LENGTH)) {
            problem = "prefix length " + prefixLength + " out of range " + MIN_PREFIX_LENGTH + "-" + MAX_PREFIX_LENGTH;
        }
        if (problem == null && (mtu < MIN_MTU || mtu > MAX_MTU)) {
            problem = "MTU " + mtu + " out of range " + MIN_MTU + "-" + MAX_MTU;
        }
        if (problem == null && (address == network(address, prefixLength) || address == broadcast(address, prefixLength))) {
            problem = Ipv4Address.format(address) + " is not a host address of its /" + prefixLength;
        }
        if (problem == null && mtu < 1280 && address6 != null) {
            problem = "MTU " + mtu + " is below IPv6's minimum of 1280 (RFC 8200 §5)";
        }
        if (problem != null) {
            throw new IllegalArgumentException("invalid TAP: " + problem);
        }
    }

    /** Null when {@code name} can name a Linux network interface, else what is wrong with it. */
    public static String deviceProblem(String name) {
        if (name == null || !DEVICE.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            return "'" + name + "' is not an interface name; expected 1 to " + MAX_DEVICE_LENGTH
                    + " letters, digits, '-', '_' or '.', like " + DEFAULT_DEVICE;
        }
        return null;
    }

    /** Whether the segment speaks IPv6. */
    public boolean hasIpv6() {
        return address6 != null;
    }

    /** The same TAP with IPv6 {@code address6} (null: none). */
    public TapSpec withIpv6(Prefix6 address6) {
        return new TapSpec(device, address, prefixLength, mtu, address6, vxlan);
    }

    /** The same TAP with its segment extended over {@code vxlan} (null: not). */
    public TapSpec withVxlan(VxlanSpec vxlan) {
        return new TapSpec(device, address, prefixLength, mtu, address6, vxlan);
    }

    public int netmask() {
        return Ipv4Address.mask(prefixLength);
    }

    /** The subnet's network address (all host bits zero). */
    public int network() {
        return network(address, prefixLength);
    }

    /** The subnet's broadcast address (all host bits one). */
    public int broadcast() {
        return broadcast(address, prefixLength);
    }

    /** True when {@code ip} is inside the subnet, its network and broadcast addresses included. */
    public boolean contains(int ip) {
        return (ip & netmask()) == network();
    }

    /** The lowest address a host can have in the subnet. */
    public int firstHost() {
        return network() + 1;
    }

    /** The highest address a host can have in the subnet. */
    public int lastHost() {
        return broadcast() - 1;
    }

    /** The kernel's address with the prefix length, like {@code 10.77.0.1/24}. */
    public String addressWithPrefix() {
        return Ipv4Address.format(address) + "/" + prefixLength;
    }

    /** The subnet, like {@code 10.77.0.0/24}. */
    public String subnet() {
        return Ipv4Address.format(network()) + "/" + prefixLength;
    }

    private static int network(int address, int prefixLength) {
        return address & Ipv4Address.mask(prefixLength);
    }

    private static int broadcast(int address, int prefixLength) {
        return address | ~Ipv4Address.mask(prefixLength);
    }
}
