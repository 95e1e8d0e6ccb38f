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

    /**
     * A file of /proc failed to read or write: the errno its exception stands for (ENOENT, EACCES, else
     * EIO), the message as {@link #of(String, int, String)} builds it.
     */
    static SystemCallException ofFile(String what, java.io.IOException e, String fix) {
        int errno = e instanceof java.nio.file.NoSuchFileException ? Errno.ENOENT
                : e instanceof java.nio.file.AccessDeniedException ? Errno.EACCES : Errno.EIO;
        SystemCallException failure = of(what, errno, fix);
        failure.initCause(e);
        return failure;
    }

    /** The errno the call left, e.g. 1 for EPERM. */
    public int errno() {
        return errno;
    }
}
