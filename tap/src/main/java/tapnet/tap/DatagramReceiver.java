package tapnet.tap;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The receiving side of a UDP socket over recvmsg(2): one read takes one datagram, or with UDP_GRO (Linux 5.0,
 * turned on by {@link #enableBatches} at open) up to 64 KB of one sender's datagrams at once, back to back,
 * each of {@link #datagramSize()} bytes but the last, which the kernel says in a control message (level
 * SOL_UDP, type UDP_GRO: an int). The msghdr, the iovec and the control buffer are preallocated and hold raw
 * addresses ({@link DirectAddress}): nothing is allocated per read. Receiving thread only.
 */
final class DatagramReceiver {
    private static final System.Logger LOG = System.getLogger(DatagramReceiver.class.getName());
    // netinet/udp.h, linux/udp.h: the option, and the control message's level and type
    private static final int UDP_GRO = 104;
    // struct msghdr (LP64): name, namelen (and padding), iov, iovlen, control, controllen, flags (and padding)
    private static final int MSG_NAME = 0;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_CONTROL = 32;
    private static final int MSG_CONTROLLEN = 40;
    private static final int MSG_FLAGS = 48;
    private static final int MSGHDR_SIZE = 56;
    private static final int MSG_TRUNC = 0x20;
    /** struct cmsghdr before its data: size_t length, int level, int type. */
    private static final int CMSG_HEADER = 16;

    private final int fd;
    private final boolean batches;
    /** Where recvmsg(2) puts the sender. */
    private final Ipv4SocketAddress sender = new Ipv4SocketAddress();
    /** struct msghdr, pointing at {@link #sender}, {@link #iovec} and {@link #control}. */
    private final ByteBuffer message = ByteBuffer.allocateDirect(MSGHDR_SIZE).order(ByteOrder.nativeOrder());
    /** One struct iovec: where to read, set at each read. */
    private final ByteBuffer iovec = ByteBuffer.allocateDirect(2 * Long.BYTES).order(ByteOrder.nativeOrder());
    /** The control messages recvmsg(2) fills: UDP_GRO's segment size. */
    private final ByteBuffer control = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
    private int datagramSize;

    DatagramReceiver(int fd, boolean batches) {
        this.fd = fd;
        this.batches = batches;
        message.putLong(MSG_NAME, DirectAddress.of(sender.buffer()))
                .putLong(MSG_IOV, DirectAddress.of(iovec)).putLong(MSG_IOVLEN, 1)
                .putLong(MSG_CONTROL, DirectAddress.of(control));
    }

    /**
     * Turns UDP_GRO on: the kernel then hands over datagrams of one sender that arrived together (or were
     * sent as one with UDP_SEGMENT) in one read. Says whether it could; a kernel before 5.0 cannot, and the
     * socket then reads one datagram at a time (said once in the log).
     */
    static boolean enableBatches(int fd) {
        ByteBuffer on = ByteBuffer.allocateDirect(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(0, 1);
        if (Native.LIBC.setsockopt(fd, DatagramBatch.SOL_UDP, UDP_GRO, on, Integer.BYTES) < 0) {
            LOG.log(Level.INFO, "UDP_GRO not available (" + Errno.describe(Native.errno())
                    + "): the VXLAN socket reads one datagram at a time");
            return false;
        }
        return true;
    }

    /**
     * Reads into {@code buffer} (direct) from {@code offset}, at most {@code room} bytes; returns how many,
     * {@code room} when the kernel cut what it had (MSG_TRUNC), or {@code -errno}.
     */
    int read(ByteBuffer buffer, int offset, int room) {
        iovec.putLong(0, DirectAddress.of(buffer) + offset).putLong(Long.BYTES, room);
        message.putInt(MSG_NAMELEN, Ipv4SocketAddress.SIZE).putLong(MSG_CONTROLLEN, control.capacity()).putInt(MSG_FLAGS, 0);
        long n = Native.LIBC.recvmsg(fd, message, 0);
        if (n < 0) {
            return -Native.errno();
        }
        int length = (message.getInt(MSG_FLAGS) & MSG_TRUNC) != 0 ? room : (int) n;
        datagramSize = batches ? segmentSize() : 0;
        if (datagramSize >= length) {
            datagramSize = 0; // one datagram
        }
        return length;
    }

    /** The UDP_GRO control message's segment size, or 0 when there is none (one datagram). */
    private int segmentSize() {
        long used = message.getLong(MSG_CONTROLLEN);
        for (int at = 0; at + CMSG_HEADER <= used; ) {
            long length = control.getLong(at);
            if (length < CMSG_HEADER || at + length > used) {
                return 0;
            }
            if (control.getInt(at + 8) == DatagramBatch.SOL_UDP && control.getInt(at + 12) == UDP_GRO && length >= CMSG_HEADER + Integer.BYTES) {
                return control.getInt(at + CMSG_HEADER);
            }
            at += (int) ((length + 7) & ~7L); // CMSG_ALIGN
        }
        return 0;
    }

    /** The size of each datagram the last read took, all but the last of them; 0 when it took one. */
    int datagramSize() {
        return datagramSize;
    }

    /** The sender of the last read, IPv4, network order. */
    int senderAddress() {
        return sender.address();
    }

    boolean batches() {
        return batches;
    }
}
