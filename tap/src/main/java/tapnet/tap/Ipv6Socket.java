package tapnet.tap;

/** The AF_INET6 datagram socket the IPv6 ioctls go through, in the calling thread's network namespace. */
final class Ipv6Socket {
    // socket(2), bits/socket_type.h
    private static final int AF_INET6 = 10;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    // asm-generic/errno.h
    private static final int EAFNOSUPPORT = 97;

    private Ipv6Socket() {
    }

    /** A new socket's descriptor; {@code what} says, on failure, what it was for. */
    static int open(String what) throws SystemCallException {
        int socket = Native.LIBC.socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (socket < 0) {
            int errno = Native.errno();
            throw SystemCallException.of(what, errno, errno == EAFNOSUPPORT
                    ? "This kernel has no IPv6 (built without it, or booted with ipv6.disable=1); leave out the topology's tap.address6"
                    : null);
        }
        return socket;
    }
}
