package tapnet.tap;

import java.nio.ByteBuffer;

/**
 * The system calls {@link ThreadCredentials} needs, bound by jnr-ffi (public only for jnr-ffi's generated
 * class). setresuid and friends go through syscall(2) because glibc's wrappers change every thread of the
 * process; the raw calls change only the calling thread.
 */
public interface CredentialCalls {
    long syscall(long number, long a, long b, long c);

    int prctl(int option, long a, long b, long c, long d);

    int capset(ByteBuffer header, ByteBuffer data);
}
