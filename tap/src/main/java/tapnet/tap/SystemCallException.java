package tapnet.tap;

import java.io.IOException;

/** A system call failed; the message says what tapnet was doing, why it failed and, when known, the fix. */
public final class SystemCallException extends IOException {
    private final int errno;

    SystemCallException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** Builds "{@code what}: {@code strerror} (ENAME)" and appends {@code fix} when there is one. */
    static SystemCallException of(String what, int errno, String fix) {
        String message = what + ": " + Errno.describe(errno);
        return new SystemCallException(fix == null ? message : message + ". " + fix, errno);
    }

    static SystemCallException of(String what, int errno) {
        return of(what, errno, null);
    }

    /** The errno the call left, e.g. 1 for EPERM. */
    public int errno() {
        return errno;
    }
}
