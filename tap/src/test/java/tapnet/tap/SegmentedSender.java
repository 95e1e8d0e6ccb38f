package tapnet.tap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A UDP socket for tests that sends several datagrams with one sendto(2) under UDP_SEGMENT (Linux 4.18): a
 * receiver with UDP_GRO on the same machine then reads them in one batch. Made in the calling thread's
 * network namespace (call it inside one).
 */
final class SegmentedSender implements AutoCloseable {
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_UDP = 17;
    private static final int UDP_SEGMENT = 103;
    private final int fd;

    /** Bound to {@code address} (network order), sending datagrams of {@code size} bytes each. */
    SegmentedSender(int address, int size) {
        fd = Native.LIBC.socket(Ipv4SocketAddress.AF_INET, SOCK_DGRAM, 0);
        if (fd < 0 || Native.LIBC.bind(fd, new Ipv4SocketAddress().set(address, 0).buffer(), Ipv4SocketAddress.SIZE) < 0) {
            throw new IllegalStateException("cannot make the segmented sender: errno " + Native.errno());
        }
        ByteBuffer value = ByteBuffer.allocateDirect(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(0, size);
        if (Native.LIBC.setsockopt(fd, SOL_UDP, UDP_SEGMENT, value, Integer.BYTES) < 0) {
            throw new IllegalStateException("UDP_SEGMENT refused: errno " + Native.errno());
        }
    }

    /** Sends {@code bytes} (direct, from 0 to its limit) to {@code address}:{@code port} in one call. */
    void send(ByteBuffer bytes, int address, int port) {
        long n = Native.LIBC.sendto(fd, bytes, bytes.limit(), 0, new Ipv4SocketAddress().set(address, port).buffer(),
                Ipv4SocketAddress.SIZE);
        if (n != bytes.limit()) {
            throw new IllegalStateException("sent " + n + " of " + bytes.limit() + ": errno " + Native.errno());
        }
    }

    @Override
    public void close() {
        Native.LIBC.close(fd);
    }
}
