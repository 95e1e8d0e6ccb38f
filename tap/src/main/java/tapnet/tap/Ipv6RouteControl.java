package tapnet.tap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Adds and removes IPv6 routes through a gateway with the SIOCADDRT and SIOCDELRT ioctls on an AF_INET6
 * socket of the calling thread's network namespace (net/ipv6/route.c, ipv6_route_ioctl), as
 * {@link Ipv4RouteControl} does for IPv4. No {@code ip} command, no netlink. Needs CAP_NET_ADMIN. Cold path.
 *
 * <p>{@code struct in6_rtmsg} (linux/ipv6_route.h) on LP64, 80 bytes: rtmsg_dst (in6_addr, at 0),
 * rtmsg_src (at 16), rtmsg_gateway (at 32), rtmsg_type (u32, at 48), rtmsg_dst_len (u16, at 52),
 * rtmsg_src_len (u16, at 54), rtmsg_metric (u32, at 56), rtmsg_info (unsigned long, at 64), rtmsg_flags
 * (u32, at 72), rtmsg_ifindex (int, at 76). Addresses in network order; metric 0 is the kernel's 1024,
 * ifindex 0 lets the kernel find the device through the gateway; the route goes to the main table.
 */
public final class Ipv6RouteControl {
    private static final long SIOCADDRT = 0x890B;
    private static final long SIOCDELRT = 0x890C;
    private static final int RTF_UP = 0x0001;
    private static final int RTF_GATEWAY = 0x0002;
    private static final int RTMSG_SIZE = 80;
    private static final int DST = 0;
    private static final int GATEWAY = 32;
    private static final int DST_LEN = 52;
    private static final int FLAGS = 72;

    private Ipv6RouteControl() {
    }

    /**
     * Routes {@code subnet} through the gateway {@code gatewayHigh}, {@code gatewayLow}, which must be
     * on the prefix of a connected interface (the TAP's address6).
     */
    public static void add(Ipv6Subnet subnet, long gatewayHigh, long gatewayLow) throws SystemCallException {
        call(SIOCADDRT, subnet, gatewayHigh, gatewayLow,
                "cannot add the route to " + subnet + " via " + Ipv6Text.format(gatewayHigh, gatewayLow));
    }

    /** Removes the route {@link #add} made. */
    public static void delete(Ipv6Subnet subnet, long gatewayHigh, long gatewayLow) throws SystemCallException {
        call(SIOCDELRT, subnet, gatewayHigh, gatewayLow, "cannot remove the route to " + subnet);
    }

    private static void call(long request, Ipv6Subnet subnet, long gatewayHigh, long gatewayLow, String what)
            throws SystemCallException {
        ByteBuffer message = ByteBuffer.allocateDirect(RTMSG_SIZE).order(ByteOrder.BIG_ENDIAN);
        message.putLong(DST, subnet.high()).putLong(DST + 8, subnet.low());
        message.putLong(GATEWAY, gatewayHigh).putLong(GATEWAY + 8, gatewayLow);
        message.order(ByteOrder.nativeOrder());
        message.putShort(DST_LEN, (short) subnet.prefixLength());
        message.putInt(FLAGS, RTF_UP | RTF_GATEWAY);
        int socket = Ipv6Socket.open(what);
        try {
            if (Native.LIBC.ioctl(socket, request, message) < 0) {
                throw SystemCallException.of(what, Native.errno());
            }
        } finally {
            Native.LIBC.close(socket);
        }
    }
}
