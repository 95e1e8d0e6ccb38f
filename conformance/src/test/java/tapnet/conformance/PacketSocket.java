package tapnet.conformance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * An AF_PACKET / SOCK_RAW socket bound to one interface (packet(7)): whole Ethernet frames out and in,
 * with the kernel's classification of each received frame ({@code sll_pkttype}), so that the frames this
 * socket itself sent ({@link #PACKET_OUTGOING}) can be told apart. Open it on a thread inside the
 * interface's network namespace; the socket stays there whatever thread uses it afterwards.
 */
final class PacketSocket implements AutoCloseable {
    // linux/socket.h, linux/if_ether.h, linux/if_packet.h, poll.h, sys/socket.h
    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int ETH_P_ALL = 0x0003;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int MSG_DONTWAIT = 0x40;
    private static final short POLLIN = 0x1;
    private static final int SOCKADDR_LL_LENGTH = 20;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    /** sll_pkttype of a frame sent from this host (our own, seen again on the way out). */
    static final int PACKET_OUTGOING = 4;
    // linux/sockios.h, linux/ethtool.h
    private static final long SIOCETHTOOL = 0x8946;
    private static final int ETHTOOL_STXCSUM = 0x17;
    private static final int ETHTOOL_SSG = 0x19;
    private static final int ETHTOOL_STSO = 0x1f;
    private static final int ETHTOOL_SGSO = 0x24;
    private static final int ETHTOOL_SGRO = 0x2c;
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;

    private final int fd;
    private final String interfaceName;
    private final ByteBuffer out = ByteBuffer.allocateDirect(65536);
    private final ByteBuffer in = ByteBuffer.allocateDirect(65536);
    private final ByteBuffer address = ByteBuffer.allocateDirect(SOCKADDR_LL_LENGTH).order(ByteOrder.nativeOrder());
    private final ByteBuffer addressLength = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
    private final ByteBuffer pollFd = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    private volatile boolean closed;

    private PacketSocket(int fd, String interfaceName) {
        this.fd = fd;
        this.interfaceName = interfaceName;
    }

    /** Opens a packet socket bound to {@code interfaceName}. Call on a thread in the interface's namespace. */
    static PacketSocket open(String interfaceName) throws IOException {
        int index = PacketLibC.LIBC.if_nametoindex(interfaceName);
        if (index == 0) {
            throw new IOException("no interface " + interfaceName + " in this thread's network namespace (errno " + PacketLibC.errno() + ")");
        }
        int fd = PacketLibC.LIBC.socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, Short.toUnsignedInt(htons(ETH_P_ALL)));
        if (fd < 0) {
            throw new IOException("cannot open a packet socket (errno " + PacketLibC.errno() + "; needs CAP_NET_RAW)");
        }
        ByteBuffer sll = ByteBuffer.allocateDirect(SOCKADDR_LL_LENGTH).order(ByteOrder.nativeOrder());
        sll.putShort(0, (short) AF_PACKET);
        sll.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) ETH_P_ALL).order(ByteOrder.nativeOrder());
        sll.putInt(4, index);
        if (PacketLibC.LIBC.bind(fd, sll, SOCKADDR_LL_LENGTH) < 0) {
            int errno = PacketLibC.errno();
            PacketLibC.LIBC.close(fd);
            throw new IOException("cannot bind a packet socket to " + interfaceName + " (errno " + errno + ")");
        }
        ByteBuffer size = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putInt(0, 4 << 20);
        PacketLibC.LIBC.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, size, 4); // room for bursts; best effort
        PacketSocket socket = new PacketSocket(fd, interfaceName);
        socket.drain(); // frames of other interfaces queued between socket() and bind()
        return socket;
    }

    private static short htons(int value) {
        return Short.reverseBytes((short) value);
    }

    /** Sends one whole Ethernet frame. */
    synchronized void send(byte[] frame) throws IOException {
        out.clear();
        out.put(frame).flip();
        long n = PacketLibC.LIBC.send(fd, out, frame.length, 0);
        if (n != frame.length) {
            throw new IOException("cannot send a frame of " + frame.length + " bytes on " + interfaceName + " (sent " + n
                    + ", errno " + PacketLibC.errno() + ")");
        }
    }

    /** One received frame and its sll_pkttype. */
    record Frame(byte[] bytes, int packetType) {
    }

    /** The next frame, waiting up to {@code timeoutMillis}; null when none came or the socket closed. */
    Frame receive(int timeoutMillis) throws IOException {
        if (closed) {
            return null;
        }
        pollFd.putInt(0, fd).putShort(4, POLLIN).putShort(6, (short) 0);
        int ready = PacketLibC.LIBC.poll(pollFd, 1, timeoutMillis);
        if (ready < 0) {
            int errno = PacketLibC.errno();
            if (errno == EINTR) {
                return null;
            }
            throw new IOException("poll on the packet socket failed (errno " + errno + ")");
        }
        if (ready == 0 || closed) {
            return null;
        }
        in.clear();
        address.clear();
        addressLength.putInt(0, SOCKADDR_LL_LENGTH);
        long n = PacketLibC.LIBC.recvfrom(fd, in, in.capacity(), MSG_DONTWAIT, address, addressLength);
        if (n < 0) {
            int errno = PacketLibC.errno();
            if (errno == EAGAIN || errno == EINTR) {
                return null;
            }
            throw new IOException("recvfrom on the packet socket failed (errno " + errno + ")");
        }
        byte[] frame = new byte[(int) n];
        in.get(0, frame);
        return new Frame(frame, address.get(10) & 0xff);
    }

    private void drain() throws IOException {
        while (receive(0) != null) {
            // discard
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            PacketLibC.LIBC.close(fd);
        }
    }

    /**
     * Turns off checksum offload, scatter-gather, TSO, GSO and GRO on {@code interfaceName} (SIOCETHTOOL,
     * what {@code ethtool -K} does), so that what the kernel sends over a veth arrives at the other end as
     * it would on a wire: one segment per frame, each with its real checksum. Call on a thread in the
     * interface's namespace.
     */
    static void disableOffloads(String interfaceName) throws IOException {
        int fd = PacketLibC.LIBC.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("cannot open an ioctl socket (errno " + PacketLibC.errno() + ")");
        }
        try {
            jnr.ffi.Runtime runtime = PacketLibC.RUNTIME;
            Pointer value = Memory.allocateDirect(runtime, 8, true);
            Pointer request = Memory.allocateDirect(runtime, 40, true);
            request.putString(0, interfaceName, 16, java.nio.charset.StandardCharsets.US_ASCII);
            request.putAddress(16, value.address());
            for (int command : new int[] {ETHTOOL_SGRO, ETHTOOL_SGSO, ETHTOOL_STSO, ETHTOOL_SSG, ETHTOOL_STXCSUM}) {
                value.putInt(0, command);
                value.putInt(4, 0);
                if (PacketLibC.LIBC.ioctl(fd, SIOCETHTOOL, request) < 0) {
                    throw new IOException("cannot turn off offload 0x" + Integer.toHexString(command) + " of " + interfaceName
                            + " (errno " + PacketLibC.errno() + ")");
                }
            }
        } finally {
            PacketLibC.LIBC.close(fd);
        }
    }
}
