package tapnet.tap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Adds and removes IPv4 routes through a gateway with the SIOCADDRT and SIOCDELRT ioctls (route(8)'s
 * old interface, still served by Linux), on an AF_INET socket of the calling thread's network namespace.
 * No {@code ip} command, no netlink. Needs CAP_NET_ADMIN. Cold path.
 *
 * <p>{@code struct rtentry} (linux/route.h) on LP64, 120 bytes: rt_pad1 (8), rt_dst (sockaddr, 16, at 8),
 * rt_gateway (16, at 24), rt_genmask (16, at 40), rt_flags (u16, at 56), rt_pad2, rt_pad3 (8, at 64),
 * rt_pad4 (8, at 72), rt_metric (i16, at 80), rt_dev (char*, at 88), rt_mtu (at 96), rt_window (at 104),
 * rt_irtt (at 112). A sockaddr_in is family (u16, host order), port (u16), address (network order).
 */
public final class Ipv4RouteControl {
    private static final long SIOCADDRT = 0x890B;
    private static final long SIOCDELRT = 0x890C;
    private static final short RTF_UP = 0x0001;
    private static final short RTF_GATEWAY = 0x0002;
    private static final short AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int RTENTRY_SIZE = 120;
    private static final int DST = 8;
    private static final int GATEWAY = 24;
    private static final int GENMASK = 40;
    private static final int FLAGS = 56;

    private Ipv4RouteControl() {
    }

    /** Routes {@code subnet} through {@code gateway}, which must be reachable on a connected interface. */
    public static void add(Ipv4Subnet subnet, int gateway) throws SystemCallException {
        call(SIOCADDRT, subnet, gateway, "cannot add the route to " + subnet + " via " + tapnet.wire.Ipv4Address.format(gateway));
    }

    /** Removes the route {@link #add} made. */
    public static void delete(Ipv4Subnet subnet, int gateway) throws SystemCallException {
        call(SIOCDELRT, subnet, gateway, "cannot remove the route to " + subnet);
    }

    private static void call(long request, Ipv4Subnet subnet, int gateway, String what) throws SystemCallException {
        ByteBuffer entry = ByteBuffer.allocateDirect(RTENTRY_SIZE).order(ByteOrder.nativeOrder());
        sockaddr(entry, DST, subnet.network());
        sockaddr(entry, GATEWAY, gateway);
        sockaddr(entry, GENMASK, subnet.netmask());
        entry.putShort(FLAGS, (short) (RTF_UP | RTF_GATEWAY));
        int socket = Native.LIBC.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (socket < 0) {
            throw SystemCallException.of(what, Native.errno());
        }
        try {
            if (Native.LIBC.ioctl(socket, request, entry) < 0) {
                throw SystemCallException.of(what, Native.errno());
            }
        } finally {
            Native.LIBC.close(socket);
        }
    }

    private static void sockaddr(ByteBuffer entry, int at, int address) {
        entry.putShort(at, AF_INET);
        entry.order(ByteOrder.BIG_ENDIAN).putInt(at + 4, address).order(ByteOrder.nativeOrder());
    }
}
