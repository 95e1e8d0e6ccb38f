package tapnet.tap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and changes one interface's IPv6 addresses: reads from {@code /proc/thread-self/net/if_inet6},
 * adds and removes with SIOCSIFADDR and SIOCDIFADDR on an AF_INET6 socket (net/ipv6/addrconf.c,
 * addrconf_add_ifaddr: a permanent address, and the prefix route to its subnet). No {@code ip}, no netlink.
 *
 * <p>{@code struct in6_ifreq} (linux/ipv6.h), 24 bytes: ifr6_addr (in6_addr, network order, at 0),
 * ifr6_prefixlen (u32, at 16), ifr6_ifindex (int, at 20). The socket and the file belong to the calling
 * thread's network namespace. Changing needs CAP_NET_ADMIN. Cold path, one thread.
 */
final class Ipv6AddressControl implements AutoCloseable {
    static final Path THREAD_ADDRESSES = Path.of("/proc/thread-self/net/if_inet6");
    // linux/sockios.h
    private static final long SIOCGIFINDEX = 0x8933;
    private static final long SIOCSIFADDR = 0x8916;
    private static final long SIOCDIFADDR = 0x8936;
    private static final int IN6_IFREQ_SIZE = 24;
    private static final int PREFIX_LENGTH = 16;
    private static final int INDEX = 20;
    /** linux/if_addr.h: still in duplicate address detection, not yet usable. */
    static final int IFA_F_TENTATIVE = 0x40;

    private final String name;
    private final int index;
    private final ByteBuffer request = ByteBuffer.allocateDirect(IN6_IFREQ_SIZE);
    private int socket;

    private Ipv6AddressControl(String name, int socket, int index) {
        this.name = name;
        this.socket = socket;
        this.index = index;
    }

    /** Opens a control socket for interface {@code name} of the calling thread's network namespace. */
    static Ipv6AddressControl open(String name) throws SystemCallException {
        InterfaceRequest.checkName(name);
        int socket = Ipv6Socket.open("cannot open an AF_INET6 socket to configure " + name);
        InterfaceRequest ifreq = new InterfaceRequest();
        if (Native.LIBC.ioctl(socket, SIOCGIFINDEX, ifreq.reset(name).struct()) < 0) {
            int errno = Native.errno();
            Native.LIBC.close(socket);
            throw SystemCallException.of("cannot find interface " + name, errno,
                    errno == Errno.ENODEV ? "No interface " + name + " in this network namespace" : null);
        }
        return new Ipv6AddressControl(name, socket, ifreq.index());
    }

    /** The interface's IPv6 addresses, link-local ones among them, with their prefix lengths. */
    List<Ipv6InterfaceAddress> addresses() throws IOException {
        return addresses(name, Files.exists(THREAD_ADDRESSES) ? Files.readAllLines(THREAD_ADDRESSES) : List.of());
    }

    /**
     * The addresses of {@code device} in if_inet6 text: one line per address, space-separated: the address
     * (32 hex digits), interface index, prefix length, scope and flags (hex), device name.
     */
    static List<Ipv6InterfaceAddress> addresses(String device, List<String> lines) {
        List<Ipv6InterfaceAddress> addresses = new ArrayList<>();
        for (String line : lines) {
            String[] field = line.trim().split("\\s+");
            if (field.length == 6 && field[5].equals(device)) {
                addresses.add(new Ipv6InterfaceAddress(Ipv6Text.procHigh(field[0]), Ipv6Text.procLow(field[0]),
                        Integer.parseInt(field[2], 16)));
            }
        }
        return addresses;
    }

    void add(Ipv6InterfaceAddress address) throws SystemCallException {
        call(SIOCSIFADDR, address, "cannot add address " + address + " to interface " + name);
    }

    /** Removes {@code address}; the kernel matches the address and its prefix length. */
    void remove(Ipv6InterfaceAddress address) throws SystemCallException {
        call(SIOCDIFADDR, address, "cannot remove address " + address + " from interface " + name);
    }

    private void call(long ioctl, Ipv6InterfaceAddress address, String what) throws SystemCallException {
        request.order(ByteOrder.BIG_ENDIAN).putLong(0, address.high()).putLong(8, address.low());
        request.order(ByteOrder.nativeOrder()).putInt(PREFIX_LENGTH, address.prefixLength()).putInt(INDEX, index);
        if (Native.LIBC.ioctl(socket, ioctl, request) < 0) {
            int errno = Native.errno();
            String fix = switch (errno) {
                case Errno.EPERM, Errno.EACCES -> "Changing an interface needs root or CAP_NET_ADMIN; without them, have an"
                        + " administrator configure " + name + " once (ip -6 addr add " + address + " dev " + name
                        + ") and tapnet will leave it as it is";
                case Errno.EEXIST -> "The interface has this address already, with another prefix length";
                default -> null;
            };
            throw SystemCallException.of(what, errno, fix);
        }
    }

    @Override
    public void close() {
        if (socket >= 0) {
            Native.LIBC.close(socket);
            socket = -1;
        }
    }
}
