package tapnet.tap;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.Runtime;

/**
 * UDP datagrams to one address, laid end to end in one buffer and sent together with one sendmsg(2) under
 * UDP generic segmentation offload ({@code UDP_SEGMENT}, udp(7), Linux 4.18): the kernel cuts the payload
 * into datagrams of the segment size, the last one shorter or not, as it would cut a TCP GSO packet. Every
 * datagram but the last therefore has the first one's size; {@link #place} says when the batch must go
 * before another fits: a larger one or one after a shorter last, the kernel's limit of
 * {@value #MAX_SEGMENTS} segments (UDP_MAX_SEGMENTS), or the {@value #MAX_BYTES} bytes of one UDP payload.
 *
 * <p>A batch of one datagram goes as a plain one, without the control message. When segmenting is off
 * ({@link #segmenting()}: the kernel lacks the option, or refused a segmented send), every datagram is a
 * batch of its own.
 *
 * <p>The msghdr, iovec and cmsghdr are direct buffers laid out as on LP64 Linux (x86_64, AArch64, as
 * {@link LibC} assumes), pointing at each other and at the datagrams by address, written once at
 * construction and patched per send: nothing is allocated per send. One thread only (the sender's).
 */
final class DatagramBatch {
    private static final System.Logger LOG = System.getLogger(DatagramBatch.class.getName());
    /** The most datagrams one segmented send may carry (include/linux/udp.h UDP_MAX_SEGMENTS in 4.18 to 6.x). */
    static final int MAX_SEGMENTS = 64;
    /** The largest UDP payload over IPv4, and so the most bytes one segmented send carries: 65535 less 20 and 8. */
    static final int MAX_BYTES = 65_507;
    static final int SOL_UDP = 17;
    /** linux/udp.h: the segment size, a socket option or a control message of a u16. */
    static final int UDP_SEGMENT = 103;

    // struct msghdr (LP64): name 0, namelen 8, iov 16, iovlen 24, control 32, controllen 40, flags 48
    private static final int MESSAGE_SIZE = 56;
    private static final int NAME = 0;
    private static final int NAME_LENGTH = 8;
    private static final int VECTOR = 16;
    private static final int VECTOR_LENGTH = 24;
    private static final int CONTROL = 32;
    private static final int CONTROL_LENGTH = 40;
    // struct iovec: base 0, length 8
    private static final int VECTOR_SIZE = 16;
    // struct cmsghdr: len 0 (size_t), level 8, type 12, data 16; CMSG_LEN(2) = 18, CMSG_SPACE(2) = 24
    private static final int CONTROL_SIZE = 24;
    private static final int CONTROL_USED = 18;
    private static final int CONTROL_DATA = 16;

    /** A batch, and room past a full one for the next datagram, made in place before it is known to fit. */
    private final ByteBuffer datagrams = ByteBuffer.allocateDirect(2 * MAX_BYTES);
    private final ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE_SIZE).order(ByteOrder.nativeOrder());
    private final ByteBuffer vector = ByteBuffer.allocateDirect(VECTOR_SIZE).order(ByteOrder.nativeOrder());
    private final ByteBuffer control = ByteBuffer.allocateDirect(CONTROL_SIZE).order(ByteOrder.nativeOrder());
    private final long datagramsAddress;
    private final long controlAddress;
    private boolean segmenting;
    private int errno;
    private int used;
    private int count;
    private int segmentSize;
    /** A datagram shorter than the segment size was placed: it must be the last. */
    private boolean ended;

    /** @param segmenting whether to send segmented batches: the socket was found to take UDP_SEGMENT */
    DatagramBatch(boolean segmenting) {
        this.segmenting = segmenting;
        this.datagramsAddress = DirectAddress.of(datagrams);
        this.controlAddress = DirectAddress.of(control);
        message.putLong(VECTOR, DirectAddress.of(vector)).putLong(VECTOR_LENGTH, 1);
        message.putInt(NAME_LENGTH, Ipv4SocketAddress.SIZE);
        control.putLong(0, CONTROL_USED).putInt(8, SOL_UDP).putInt(12, UDP_SEGMENT);
    }

    /**
     * Whether a socket takes UDP_SEGMENT: a getsockopt(2) of it succeeds (ENOPROTOOPT before Linux 4.18).
     * Also false where a pointer is not 8 bytes, since the structs here are laid out for LP64. Says so in the
     * log when not: datagrams then go one by one.
     */
    static boolean supported(int fd) {
        ByteBuffer value = ByteBuffer.allocateDirect(Integer.BYTES).order(ByteOrder.nativeOrder());
        ByteBuffer length = ByteBuffer.allocateDirect(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(0, Integer.BYTES);
        if (Runtime.getRuntime(Native.LIBC).addressSize() != Long.BYTES
                || Native.LIBC.getsockopt(fd, SOL_UDP, UDP_SEGMENT, value, length) != 0) {
            LOG.log(Level.INFO, "no UDP_SEGMENT here (Linux 4.18, 64 bits): VXLAN datagrams are sent one by one");
            return false;
        }
        return true;
    }

    /** Whether batches of several datagrams are sent segmented; when not, each datagram is a batch. */
    boolean segmenting() {
        return segmenting;
    }

    /** From now on every datagram goes on its own, as on a kernel without UDP_SEGMENT (tests force it so). */
    void stopSegmenting() {
        segmenting = false;
    }

    /** Where the datagrams are written, each at the index {@link #place} gave. */
    ByteBuffer buffer() {
        return datagrams;
    }

    /**
     * Makes room for a datagram of {@code size} bytes (1 to {@link #MAX_BYTES}) and returns its index in
     * {@link #buffer()}, or -1 when it cannot join this batch: send the batch first, then place it again.
     */
    int place(int size) {
        if (count > 0 && (!segmenting || ended || count == MAX_SEGMENTS || size > segmentSize || used + size > MAX_BYTES)) {
            return -1;
        }
        if (count == 0) {
            segmentSize = size;
        } else if (size < segmentSize) {
            ended = true;
        }
        int at = used;
        used += size;
        count++;
        return at;
    }

    /** Datagrams placed since the last send. */
    int count() {
        return count;
    }

    /** Their bytes, together. */
    int bytes() {
        return used;
    }

    /**
     * Sends the batch to {@code to} (the {@link #address} of an {@link Ipv4SocketAddress}'s buffer) through
     * socket {@code fd}: several datagrams with one sendmsg(2) under UDP_SEGMENT, one plainly. Returns how
     * many datagrams went; when not all, {@link #errno()} says why. A segmented send the kernel refuses, as
     * it does when a segment and its headers exceed the route's MTU (EMSGSIZE; EINVAL before Linux 5.x; EIO
     * through IPsec), is sent again one datagram per call, which IP may fragment; and so is every later one.
     * The batch stays as it is until {@link #clear()}.
     */
    int send(int fd, long to) {
        errno = 0;
        if (count == 1 || !segmenting) {
            return sendOneByOne(fd, to);
        }
        control.putShort(CONTROL_DATA, (short) segmentSize);
        message.putLong(CONTROL, controlAddress).putLong(CONTROL_LENGTH, CONTROL_SIZE);
        long n = sendFrom(fd, to, 0, used);
        if (n == used) {
            return count;
        }
        errno = n < 0 ? Native.errno() : 0;
        if (errno == Errno.EMSGSIZE || errno == Errno.EINVAL || errno == Errno.EIO) {
            stopSegmenting();
            LOG.log(Level.WARNING, "the kernel refused to send " + count + " UDP datagrams of " + segmentSize
                    + " bytes in one call (" + Errno.describe(errno) + "): from now on they go one by one");
            return sendOneByOne(fd, to);
        }
        return 0;
    }

    /** Why the last {@link #send} did not send every datagram: the last failed call's errno, or 0 (a short send). */
    int errno() {
        return errno;
    }

    private int sendOneByOne(int fd, long to) {
        message.putLong(CONTROL, 0).putLong(CONTROL_LENGTH, 0);
        int sent = 0;
        for (int at = 0; at < used; at += segmentSize) {
            int size = Math.min(segmentSize, used - at);
            long n = sendFrom(fd, to, at, size);
            if (n == size) {
                sent++;
            } else {
                errno = n < 0 ? Native.errno() : 0;
            }
        }
        return sent;
    }

    private long sendFrom(int fd, long to, int at, int size) {
        message.putLong(NAME, to);
        vector.putLong(0, datagramsAddress + at).putLong(8, size);
        return Native.LIBC.sendmsg(fd, message, 0);
    }

    /** Empties the batch. */
    void clear() {
        used = 0;
        count = 0;
        segmentSize = 0;
        ended = false;
    }
}
