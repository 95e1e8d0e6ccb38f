package tapnet.tap;

import java.nio.ByteBuffer;
import com.kenai.jffi.MemoryIO;

/**
 * The native address of a direct buffer's first byte, for the structs that hold pointers (recvmsg(2)'s
 * msghdr and iovec): jffi's, which jnr-ffi is built on, read without allocating.
 */
final class DirectAddress {
    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private DirectAddress() {
    }

    static long of(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("a heap buffer has no fixed native address");
        }
        return MEMORY.getDirectBufferAddress(buffer);
    }
}
