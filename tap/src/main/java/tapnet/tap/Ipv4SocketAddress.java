package tapnet.tap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A reusable {@code struct sockaddr_in} (netinet/in.h, ip(7)) in native memory, for bind(2), sendto(2),
 * recvfrom(2) and getsockname(2): 16 bytes, {@code sin_family} in host order at 0, {@code sin_port} at 2
 * and {@code sin_addr} at 4 in network order, zeros after. Allocated once; reading and writing it allocates
 * nothing.
 */
final class Ipv4SocketAddress {
    static final int SIZE = 16;
    static final short AF_INET = 2;
    private static final int FAMILY = 0;
    private static final int PORT = 2;
    private static final int ADDRESS = 4;

    /** Network order, as the port and address are; the family is written in host order on its own. */
    private final ByteBuffer struct = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.BIG_ENDIAN);
    /** Its native address, for a struct that points at it (sendmsg(2)'s msghdr). */
    private final long nativeAddress = DirectAddress.of(struct);

    /** {@code address} (network order, as {@link tapnet.wire.Ipv4Address} holds it) and {@code port}. */
    Ipv4SocketAddress set(int address, int port) {
        for (int i = 0; i < SIZE; i++) {
            struct.put(i, (byte) 0);
        }
        struct.order(ByteOrder.nativeOrder()).putShort(FAMILY, AF_INET).order(ByteOrder.BIG_ENDIAN);
        struct.putShort(PORT, (short) port);
        struct.putInt(ADDRESS, address);
        return this;
    }

    /** The IPv4 address, network order: compared as an int against the ones configured. */
    int address() {
        return struct.getInt(ADDRESS);
    }

    int port() {
        return Short.toUnsignedInt(struct.getShort(PORT));
    }

    long nativeAddress() {
        return nativeAddress;
    }

    /** What the system calls read and fill, at position 0. */
    ByteBuffer buffer() {
        return struct;
    }
}
