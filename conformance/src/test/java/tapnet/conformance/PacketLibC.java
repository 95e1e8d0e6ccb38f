package tapnet.conformance;

import java.nio.ByteBuffer;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.u_int64_t;

/**
 * The libc calls the conformance peer makes, bound by jnr-ffi: an AF_PACKET socket (packet(7)), poll, and
 * the ethtool ioctl that turns off the kernel's checksum and segmentation offloads on a veth. Direct
 * {@link ByteBuffer}s pass as their address plus position. Public only because jnr-ffi implements it in
 * a class loader of its own.
 */
public interface PacketLibC {
    PacketLibC LIBC = LibraryLoader.create(PacketLibC.class).load("c");
    Runtime RUNTIME = Runtime.getRuntime(LIBC);

    int socket(int domain, int type, int protocol);

    int bind(int fd, @In ByteBuffer address, int addressLength);

    @ssize_t long send(int fd, @In ByteBuffer buffer, @size_t long length, int flags);

    /** recvfrom(2); {@code addressLength} is a socklen_t in and out. */
    @ssize_t long recvfrom(int fd, @Out ByteBuffer buffer, @size_t long length, int flags,
                           @Out ByteBuffer address, ByteBuffer addressLength);

    int setsockopt(int fd, int level, int name, @In ByteBuffer value, int length);

    /** poll(2) over struct pollfd entries of 8 bytes: int fd, short events, short revents. */
    int poll(ByteBuffer fds, @u_int64_t long count, int timeoutMillis);

    int close(int fd);

    int if_nametoindex(String name);

    /** ioctl(2) with a pointer argument (struct ifreq for SIOCETHTOOL). */
    int ioctl(int fd, @u_int64_t long request, Pointer argument);

    static int errno() {
        return RUNTIME.getLastError();
    }
}
