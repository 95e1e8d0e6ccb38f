package tapnet.tap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A reusable {@code struct ifreq} (linux/if.h, netdevice(7)) in native memory, for the TUN and SIOC*IF*
 * ioctls. 40 bytes on LP64: {@code ifr_name[IFNAMSIZ = 16]}, then a 24-byte union of which tapnet uses
 * {@code short ifr_flags}, {@code int ifr_mtu} and {@code struct sockaddr_in ifr_addr} (sin_family in host
 * order at 16, sin_port at 18, sin_addr in network order at 20), all starting at offset 16.
 */
final class InterfaceRequest {
    static final int SIZE = 40;
    /** IFNAMSIZ: names are at most 15 bytes plus the terminating NUL. */
    static final int NAME_SIZE = 16;
    private static final int UNION_OFFSET = 16;
    private static final int SIN_ADDR_OFFSET = UNION_OFFSET + 4;
    private static final short AF_INET = 2;

    private final ByteBuffer struct = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());

    /** Clears the struct and writes {@code name}; the name must be valid ({@link #checkName}). */
    InterfaceRequest reset(String name) {
        for (int i = 0; i < SIZE; i++) {
            struct.put(i, (byte) 0);
        }
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        struct.put(0, bytes);
        return this;
    }

    String name() {
        int end = 0;
        while (end < NAME_SIZE && struct.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end];
        struct.get(0, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    short flags() {
        return struct.getShort(UNION_OFFSET);
    }

    InterfaceRequest flags(short flags) {
        struct.putShort(UNION_OFFSET, flags);
        return this;
    }

    int mtu() {
        return struct.getInt(UNION_OFFSET);
    }

    InterfaceRequest mtu(int mtu) {
        struct.putInt(UNION_OFFSET, mtu);
        return this;
    }

    /** The interface index SIOCGIFINDEX answers ({@code ifr_ifindex}, where {@code ifr_mtu} is). */
    int index() {
        return struct.getInt(UNION_OFFSET);
    }

    /** The IPv4 address of an {@code ifr_addr} or {@code ifr_netmask}, as an int in network order. */
    int ipv4() {
        return toNetworkOrder(struct.getInt(SIN_ADDR_OFFSET));
    }

    /** Writes a {@code struct sockaddr_in} with family AF_INET, port 0 and {@code address}. */
    InterfaceRequest ipv4(int address) {
        struct.putShort(UNION_OFFSET, AF_INET);
        struct.putShort(UNION_OFFSET + 2, (short) 0);
        struct.putInt(SIN_ADDR_OFFSET, toNetworkOrder(address));
        return this;
    }

    /** Swaps between host and network order (an involution, like htonl and ntohl). */
    private static int toNetworkOrder(int value) {
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? value : Integer.reverseBytes(value);
    }

    ByteBuffer struct() {
        return struct;
    }

    /**
     * Throws unless the kernel would take {@code name} as an interface name (dev_valid_name in
     * net/core/dev.c): 1 to 15 bytes of printable ASCII, no '/', ':' or white space, not "." or "..".
     * A "%d" in the name lets the kernel pick the number.
     */
    static String checkName(String name) {
        boolean valid = !name.isEmpty() && name.length() < NAME_SIZE && !name.equals(".") && !name.equals("..");
        for (int i = 0; valid && i < name.length(); i++) {
            char c = name.charAt(i);
            valid = c > ' ' && c < 0x7f && c != '/' && c != ':';
        }
        if (!valid) {
            throw new IllegalArgumentException("not a valid interface name (1 to 15 characters, no '/', ':' or spaces): \"" + name + "\"");
        }
        return name;
    }
}
