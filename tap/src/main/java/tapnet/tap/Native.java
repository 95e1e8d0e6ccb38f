package tapnet.tap;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/** The one loaded binding of libc, and errno of the calling thread's last call through it. */
final class Native {
    static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private Native() {
    }

    /** errno as the last call through {@link #LIBC} on this thread left it. */
    static int errno() {
        return RUNTIME.getLastError();
    }
}
