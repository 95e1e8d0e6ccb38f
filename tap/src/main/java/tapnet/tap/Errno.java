package tapnet.tap;

/**
 * The errno values this package reacts to (asm-generic/errno-base.h and errno.h; the same numbers on
 * x86_64 and AArch64), and their names for messages.
 */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EFAULT = 14;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int EBADFD = 77;
    static final int EMSGSIZE = 90;
    static final int EADDRNOTAVAIL = 99;

    private Errno() {
    }

    /** "No such file or directory (ENOENT)": the error's text and its symbolic name. */
    static String describe(int errno) {
        jnr.constants.platform.Errno known = jnr.constants.platform.Errno.valueOf(errno);
        if (known == null || !known.defined()) {
            return "error " + errno;
        }
        return known.description() + " (" + known.name() + ")";
    }
}
