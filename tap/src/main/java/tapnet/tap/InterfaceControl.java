package tapnet.tap;

import tapnet.wire.Ipv4Address;

/**
 * Reads and changes one kernel interface through the SIOC*IF* ioctls of netdevice(7), on an AF_INET
 * datagram socket: flags (up), MTU, IPv4 address and netmask. No {@code ip} command, no netlink.
 *
 * <p>The socket belongs to the network namespace of the thread that opened it, and so does the interface it
 * can see: open this on the thread (or in the namespace) where the interface lives. Reading needs no
 * privilege; changing needs CAP_NET_ADMIN. Cold path, one thread.
 */
final class InterfaceControl implements AutoCloseable {
    // linux/sockios.h
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final long SIOCGIFADDR = 0x8915;
    private static final long SIOCSIFADDR = 0x8916;
    private static final long SIOCGIFNETMASK = 0x891b;
    private static final long SIOCSIFNETMASK = 0x891c;
    private static final long SIOCGIFMTU = 0x8921;
    private static final long SIOCSIFMTU = 0x8922;
    private static final long SIOCSIFTXQLEN = 0x8943;
    // linux/if.h
    static final short IFF_UP = 0x1;
    // socket(2), bits/socket_type.h
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;

    private final String name;
    private final InterfaceRequest request = new InterfaceRequest();
    private int socket;

    private InterfaceControl(String name, int socket) {
        this.name = name;
        this.socket = socket;
    }

    /** Opens a control socket for interface {@code name} in the calling thread's network namespace. */
    static InterfaceControl open(String name) throws SystemCallException {
        InterfaceRequest.checkName(name);
        int socket = Native.LIBC.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (socket < 0) {
            throw SystemCallException.of("cannot open an AF_INET socket to configure " + name, Native.errno());
        }
        return new InterfaceControl(name, socket);
    }

    String name() {
        return name;
    }

    boolean isUp() throws SystemCallException {
        return (flags() & IFF_UP) != 0;
    }

    void setUp(boolean up) throws SystemCallException {
        short flags = flags();
        short wanted = (short) (up ? flags | IFF_UP : flags & ~IFF_UP);
        if (wanted != flags) {
            call(SIOCSIFFLAGS, request.reset(name).flags(wanted), up ? "bring up" : "bring down");
        }
    }

    private short flags() throws SystemCallException {
        call(SIOCGIFFLAGS, request.reset(name), "read the flags of");
        return request.flags();
    }

    int mtu() throws SystemCallException {
        call(SIOCGIFMTU, request.reset(name), "read the MTU of");
        return request.mtu();
    }

    void setMtu(int mtu) throws SystemCallException {
        call(SIOCSIFMTU, request.reset(name).mtu(mtu), "set MTU " + mtu + " on");
    }

    /** The length of the interface's transmit queue, in frames ({@code ifr_qlen}, where {@code ifr_mtu} is). */
    void setTransmitQueueLength(int frames) throws SystemCallException {
        call(SIOCSIFTXQLEN, request.reset(name).mtu(frames), "set the transmit queue length " + frames + " on");
    }

    /** The interface's primary IPv4 address, or 0 when it has none. */
    int address() throws SystemCallException {
        return readIpv4(SIOCGIFADDR, "read the IPv4 address of");
    }

    /**
     * Sets the primary IPv4 address (with a classful netmask until {@link #setNetmask}); 0 removes it, as
     * {@code ifconfig NAME 0.0.0.0} does (net/ipv4/devinet.c frees an address of 0.0.0.0 instead of
     * inserting it).
     */
    void setAddress(int address) throws SystemCallException {
        call(SIOCSIFADDR, request.reset(name).ipv4(address),
                address == 0 ? "remove the IPv4 address of" : "set address " + Ipv4Address.format(address) + " on");
    }

    /** The netmask of the primary IPv4 address, or 0 when there is none. */
    int netmask() throws SystemCallException {
        return readIpv4(SIOCGIFNETMASK, "read the netmask of");
    }

    /** Sets the primary address's netmask; with the link up the kernel adds the connected route for it. */
    void setNetmask(int netmask) throws SystemCallException {
        call(SIOCSIFNETMASK, request.reset(name).ipv4(netmask), "set netmask " + Ipv4Address.format(netmask) + " on");
    }

    private int readIpv4(long request, String what) throws SystemCallException {
        this.request.reset(name).ipv4(0);
        if (Native.LIBC.ioctl(socket, request, this.request.struct()) < 0) {
            int errno = Native.errno();
            if (errno == Errno.EADDRNOTAVAIL) {
                return 0; // devinet_ioctl: no IPv4 address on the interface
            }
            throw failure(what, errno);
        }
        return this.request.ipv4();
    }

    private void call(long ioctl, InterfaceRequest argument, String what) throws SystemCallException {
        if (Native.LIBC.ioctl(socket, ioctl, argument.struct()) < 0) {
            throw failure(what, Native.errno());
        }
    }

    private SystemCallException failure(String what, int errno) {
        String fix = switch (errno) {
            case Errno.EPERM, Errno.EACCES -> "Changing an interface needs root or CAP_NET_ADMIN; without them, have an"
                    + " administrator configure " + name + " once (ip addr add ADDRESS/PREFIX dev " + name
                    + "; ip link set " + name + " mtu MTU up) and tapnet will leave it as it is";
            case Errno.ENODEV -> "No interface " + name + " in this network namespace";
            default -> null;
        };
        return SystemCallException.of("cannot " + what + " interface " + name, errno, fix);
    }

    @Override
    public void close() {
        if (socket >= 0) {
            Native.LIBC.close(socket);
            socket = -1;
        }
    }
}
