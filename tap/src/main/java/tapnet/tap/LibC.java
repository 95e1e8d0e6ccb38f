package tapnet.tap;

import java.nio.ByteBuffer;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.u_int64_t;

/**
 * The libc functions this package calls, bound by jnr-ffi (see {@link Native}). A direct {@link ByteBuffer}
 * argument is passed as its address plus its position, without a copy and without allocating; errno is
 * saved after every call and read with {@link Native#errno()}.
 *
 * <p>{@code open} and {@code ioctl} are variadic in C; they are declared here with fixed integer and
 * pointer arguments, which the x86_64 and AArch64 Linux calling conventions pass the same way.
 *
 * <p>Public only because jnr-ffi implements it in a class loader of its own; not an API of tapnet.
 */
public interface LibC {
    int open(String path, int flags, int mode);

    int close(int fd);

    @ssize_t long read(int fd, @Out ByteBuffer buffer, @size_t long count);

    @ssize_t long write(int fd, @In ByteBuffer buffer, @size_t long count);

    /** ioctl(2) whose third argument points at a struct: ifreq, or an int for TUNGETIFF. */
    int ioctl(int fd, @u_int64_t long request, ByteBuffer argument);

    /** ioctl(2) whose third argument is a value, not a pointer: TUNSETOFFLOAD takes its flags so. */
    int ioctl(int fd, @u_int64_t long request, @u_int64_t long value);

    /** poll(2) over an array of struct pollfd, 8 bytes each: int fd, short events, short revents. */
    int poll(ByteBuffer fds, @u_int64_t long count, int timeoutMillis);

    /** ppoll(2): as poll, the timeout a struct timespec (long seconds, long nanoseconds); no signal mask. */
    int ppoll(ByteBuffer fds, @u_int64_t long count, ByteBuffer timeout, Pointer signalMask);

    /** ppoll(2) without a timeout (a null pointer): waits until a descriptor is ready. */
    int ppoll(ByteBuffer fds, @u_int64_t long count, Pointer noTimeout, Pointer signalMask);

    int eventfd(int initialValue, int flags);

    int socket(int domain, int type, int protocol);

    /** bind(2) to a struct sockaddr ({@link Ipv4SocketAddress}). */
    int bind(int fd, @In ByteBuffer address, int addressLength);

    /** setsockopt(2) of an option whose value is a struct or an int in {@code value}. */
    int setsockopt(int fd, int level, int name, @In ByteBuffer value, int length);

    /** getsockopt(2): fills {@code value}; {@code length} is an in-out socklen_t. */
    int getsockopt(int fd, int level, int name, @Out ByteBuffer value, ByteBuffer length);

    /** getsockname(2): fills {@code address}; {@code addressLength} is an in-out socklen_t. */
    int getsockname(int fd, @Out ByteBuffer address, ByteBuffer addressLength);

    /**
     * recvmsg(2) with a struct msghdr in {@code message}, whose pointers (the sender's address, the iovec,
     * the control messages' buffer) are raw addresses of direct buffers.
     */
    @ssize_t long recvmsg(int fd, ByteBuffer message, int flags);

    /** sendto(2): one datagram from {@code buffer} (its position on) to a struct sockaddr. */
    @ssize_t long sendto(int fd, @In ByteBuffer buffer, @size_t long length, int flags, @In ByteBuffer address,
                         int addressLength);

    /**
     * sendmsg(2) of a struct msghdr whose pointers (address, iovec, control messages) are native addresses
     * written into it ({@link DatagramBatch}).
     */
    @ssize_t long sendmsg(int fd, @In ByteBuffer message, int flags);

    int unshare(int flags);

    int setns(int fd, int namespaceType);

    int mount(String source, String target, String filesystemType, @u_int64_t long flags, Pointer data);

    int umount2(String target, int flags);
}
