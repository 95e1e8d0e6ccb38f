package tapnet.tap;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A named network namespace, kept the way iproute2 keeps them (ip-netns(8)): a bind mount of the namespace
 * file onto {@code /run/netns/NAME}, so that {@code ip netns list} shows it and {@code ip netns exec NAME
 * curl ...} runs in it, and one tapnet created can be deleted by {@code ip netns del} and the other way round.
 *
 * <p>Code runs inside with {@link #call}: on a dedicated thread that {@code setns(2)}s into the namespace
 * first. setns changes only the calling OS thread, and a Java platform thread is one OS thread, so a TAP, an
 * ioctl socket or a Java socket created by that code lives in the namespace and keeps living there when other
 * threads use it.
 */
public final class NetworkNamespace {
    static final Path RUN_DIR = Path.of("/run/netns");
    private static final Path THREAD_NAMESPACE = Path.of("/proc/thread-self/ns/net");
    // sched.h, sys/mount.h, fcntl.h
    private static final int CLONE_NEWNET = 0x40000000;
    private static final long MS_BIND = 0x1000;
    private static final long MS_REC = 0x4000;
    private static final long MS_SHARED = 0x100000;
    private static final int MNT_DETACH = 0x2;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;

    private final String name;
    private final Path path;

    private NetworkNamespace(String name) {
        this.name = name;
        this.path = RUN_DIR.resolve(name);
    }

    /**
     * Creates a new, empty network namespace named {@code name}, as {@code ip netns add NAME} does: its
     * only interface is a loopback that is down. Needs CAP_SYS_ADMIN.
     */
    public static NetworkNamespace create(String name) throws IOException {
        NetworkNamespace namespace = new NetworkNamespace(checkName(name));
        Files.createDirectories(RUN_DIR);
        makeRunDirShared();
        try {
            Files.createFile(namespace.path, PosixFilePermissions.asFileAttribute(Set.of()));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("network namespace " + name + " already exists (" + namespace.path + "); delete it with"
                    + " 'ip netns del " + name + "' or choose another name", e);
        }
        try {
            onNewThread("tapnet-netns-add-" + name, () -> {
                // unshare moves only this thread into the new namespace; the bind mount keeps the namespace
                // alive after the thread ends. thread-self, not self: self is the main thread's namespace.
                if (Native.LIBC.unshare(CLONE_NEWNET) < 0) {
                    throw SystemCallException.of("cannot create network namespace " + name, Native.errno(),
                            "Creating a network namespace needs root or CAP_SYS_ADMIN");
                }
                if (Native.LIBC.mount("/proc/thread-self/ns/net", namespace.path.toString(), "none", MS_BIND, null) < 0) {
                    throw SystemCallException.of("cannot bind network namespace " + name + " to " + namespace.path, Native.errno());
                }
                return null;
            });
        } catch (Exception e) {
            Files.deleteIfExists(namespace.path);
            throw e instanceof IOException io ? io : new IOException(e);
        }
        return namespace;
    }

    /** Brings the namespace's loopback up, as a fresh one has it down: programs there reach 127.0.0.1. */
    public void loopbackUp() throws Exception {
        call(() -> {
            try (InterfaceControl loopback = InterfaceControl.open("lo")) {
                loopback.setUp(true);
            }
            return null;
        });
    }

    /** The existing namespace {@code name}, made by tapnet or by {@code ip netns add}. */
    public static NetworkNamespace existing(String name) throws IOException {
        NetworkNamespace namespace = new NetworkNamespace(checkName(name));
        if (!Files.exists(namespace.path)) {
            throw new IOException("no network namespace " + name + " (" + namespace.path + " does not exist; 'ip netns list' shows those there are)");
        }
        return namespace;
    }

    public static boolean exists(String name) {
        return Files.exists(RUN_DIR.resolve(checkName(name)));
    }

    /**
     * Lets mounts under /run/netns propagate between mount namespaces, as iproute2 does before its first
     * namespace (netns_add in ip/ipnetns.c): make it a shared mount, after first making it a mount point
     * (a bind mount onto itself) if it is not one yet.
     */
    private static void makeRunDirShared() throws SystemCallException {
        boolean madeMountPoint = false;
        while (Native.LIBC.mount("", RUN_DIR.toString(), "none", MS_SHARED | MS_REC, null) < 0) {
            int errno = Native.errno();
            if (errno != Errno.EINVAL || madeMountPoint) {
                throw SystemCallException.of("cannot make " + RUN_DIR + " a shared mount point", errno);
            }
            if (Native.LIBC.mount(RUN_DIR.toString(), RUN_DIR.toString(), "none", MS_BIND | MS_REC, null) < 0) {
                throw SystemCallException.of("cannot make " + RUN_DIR + " a mount point", Native.errno());
            }
            madeMountPoint = true;
        }
    }

    private static String checkName(String name) {
        if (name.isEmpty() || name.length() > 255 || name.equals(".") || name.equals("..") || name.contains("/")) {
            throw new IllegalArgumentException("not a valid network namespace name (a file name under /run/netns): \"" + name + "\"");
        }
        return name;
    }

    public String name() {
        return name;
    }

    /** The file that holds the namespace, /run/netns/NAME. */
    public Path path() {
        return path;
    }

    /**
     * Runs {@code task} on a new thread inside this namespace and returns its result, or throws what it
     * threw. Descriptors it opens (TAP, sockets) stay in the namespace after it returns.
     */
    public <T> T call(Callable<T> task) throws Exception {
        return onNewThread("tapnet-netns-" + name, () -> {
            enter();
            return task.call();
        });
    }

    /** Moves the calling thread, and only it, into this namespace. Needs CAP_SYS_ADMIN. */
    private void enter() throws SystemCallException {
        int fd = Native.LIBC.open(path.toString(), O_RDONLY | O_CLOEXEC, 0);
        if (fd < 0) {
            throw SystemCallException.of("cannot open network namespace " + name + " (" + path + ")", Native.errno());
        }
        try {
            if (Native.LIBC.setns(fd, CLONE_NEWNET) < 0) {
                throw SystemCallException.of("cannot enter network namespace " + name, Native.errno(),
                        "Entering a network namespace needs root or CAP_SYS_ADMIN");
            }
        } finally {
            Native.LIBC.close(fd);
        }
    }

    /**
     * Removes the namespace, as {@code ip netns del NAME} does: detach the bind mount, remove the file. The
     * kernel frees the namespace, and the TAP devices in it, once no process, thread or socket uses it.
     */
    public void delete() throws IOException {
        if (Native.LIBC.umount2(path.toString(), MNT_DETACH) < 0) {
            int errno = Native.errno();
            if (errno != Errno.EINVAL && errno != Errno.ENOENT) { // EINVAL: not mounted (half made); go on
                throw SystemCallException.of("cannot unmount network namespace " + name + " (" + path + ")", errno);
            }
        }
        Files.deleteIfExists(path);
    }

    /**
     * Identifies the calling thread's network namespace: the inode of /proc/thread-self/ns/net, which two
     * threads share exactly when they are in the same namespace (namespaces(7)).
     */
    static long currentThreadNamespaceId() {
        try {
            return ((Number) Files.getAttribute(THREAD_NAMESPACE, "unix:ino")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot read " + THREAD_NAMESPACE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "network namespace " + name;
    }

    /** Runs {@code task} on a fresh platform thread (one OS thread, whose namespaces it may change) and waits. */
    private static <T> T onNewThread(String threadName, Callable<T> task) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                result.set(task.call());
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        thread.join();
        Throwable t = thrown.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return result.get();
    }
}
