package tapnet.tap;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A named network namespace, kept the way iproute2 keeps them (ip-netns(8)): a bind mount of the namespace
 * file onto {@code /run/netns/NAME}, so that {@code ip netns list} shows it and {@code ip netns exec NAME
 * curl ...} runs in it, and one tapnet created can be deleted by {@code ip netns del} and the other way round.
 *
 * <p>A run takes its namespaces with {@link #claim}, which marks those it makes as tapnet's: a file
 * {@code /run/tapnet/netns/NAME} holds the owning process's pid and start time, and the namespace's inode
 * (see {@link Mark}). A namespace left by a
 * tapnet that was killed (kill -9 runs no cleanup) is then known as tapnet's, and the next run of that name
 * takes it over and removes it at its exit; one a live tapnet owns is refused; one tapnet did not make
 * ({@code ip netns add}) is used and kept.
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

    /** Where tapnet marks the namespaces it owns, a file per namespace: {@code tapnet PID STARTTIME NAMESPACE}. */
    static final Path OWNERS = Path.of("/run/tapnet/netns");
    /** Held (fcntl lock) while a process reads or changes the marks, so two runs never take one namespace. */
    static final Path OWNERS_LOCK = Path.of("/run/tapnet/netns.lock");
    /** The namespaces this process has claimed and not released, by name. */
    private static final Set<String> CLAIMED = new HashSet<>();

    private final String name;
    private final Path path;
    /** How {@link #claim} found it; null for a namespace not claimed (made or looked up directly). */
    private final Origin origin;

    /** How a claimed namespace came to the run: made now, taken over from a dead tapnet, or someone else's. */
    public enum Origin {
        /** Made by this run, which removes it at exit. */
        MADE,
        /** Made by a tapnet that died without cleaning up (kill -9); this run removes it at exit. */
        TAKEN_OVER,
        /** Not tapnet's (made with ip netns add, say), or already this process's: used, and kept. */
        EXISTING
    }

    /** Thrown by {@link #claim} when a live tapnet owns the namespace. */
    public static final class InUseException extends IOException {
        InUseException(String message) {
            super(message);
        }
    }

    private NetworkNamespace(String name) {
        this(name, null);
    }

    private NetworkNamespace(String name, Origin origin) {
        this.name = name;
        this.path = RUN_DIR.resolve(name);
        this.origin = origin;
    }

    /**
     * The namespace {@code name} for a run: made (and marked as this process's) when missing; taken over when
     * a tapnet that is no longer running made it; used as it is when tapnet did not make it, or when this
     * process claimed it already. {@link #release} undoes what this did. Needs root (CAP_SYS_ADMIN).
     *
     * @throws InUseException when a tapnet that is still running owns it
     */
    public static NetworkNamespace claim(String name) throws IOException {
        checkName(name);
        synchronized (CLAIMED) {
            if (CLAIMED.contains(name)) {
                return new NetworkNamespace(name, Origin.EXISTING); // a second port in it, say: its first claim owns it
            }
            try (OwnersLock lock = lockOwners()) {
                Path file = OWNERS.resolve(name);
                Mark mark = Files.exists(file) ? Mark.read(file) : null;
                boolean exists = exists(name);
                // the mark is of this very namespace, not of one deleted by hand and made again since under its name
                boolean marksIt = mark != null && exists && mark.namespace() == namespaceId(name);
                ProcessIdentity self = ProcessIdentity.current();
                if (mark != null && mark.owner().isAlive() && !mark.owner().equals(self)) {
                    if (marksIt || !exists) {
                        throw new InUseException("network namespace " + name + " belongs to another tapnet, still running"
                                + " (pid " + mark.owner().pid() + "); stop it, or give this run another name");
                    }
                    return new NetworkNamespace(name, Origin.EXISTING); // another's now; its tapnet will not touch it
                }
                Origin origin;
                if (marksIt) {
                    origin = Origin.TAKEN_OVER; // its tapnet died: what is left in it was tapnet's
                } else {
                    Files.deleteIfExists(file); // no mark, or a stale one of a namespace that is gone
                    if (exists) {
                        return new NetworkNamespace(name, Origin.EXISTING);
                    }
                    create(name);
                    origin = Origin.MADE;
                }
                try {
                    Files.writeString(file, new Mark(self, namespaceId(name)).text(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    if (origin == Origin.MADE) {
                        new NetworkNamespace(name).delete();
                    }
                    throw new IOException("cannot mark network namespace " + name + " as tapnet's (" + file + "): "
                            + reason(e), e);
                }
                CLAIMED.add(name);
                return new NetworkNamespace(name, origin);
            }
        }
    }

    /** How {@link #claim} found this namespace; null when it was not claimed. */
    public Origin origin() {
        return origin;
    }

    /** True when this run removes the namespace at its end: it made it, or took it over. */
    public boolean owned() {
        return origin == Origin.MADE || origin == Origin.TAKEN_OVER;
    }

    /**
     * Ends this process's claim: an owned namespace is removed with its mark (unless the mark is no longer
     * this process's); one used as it was is left alone.
     */
    public void release() throws IOException {
        if (!owned()) {
            return;
        }
        synchronized (CLAIMED) {
            CLAIMED.remove(name);
            try (OwnersLock lock = lockOwners()) {
                Path file = OWNERS.resolve(name);
                Mark mark = Files.exists(file) ? Mark.read(file) : null;
                if (mark == null || !mark.owner().equals(ProcessIdentity.current())
                        || !exists(name) || mark.namespace() != namespaceId(name)) {
                    return; // not ours any more (deleted by hand, made again by someone else): leave it
                }
                delete();
                Files.deleteIfExists(file);
            }
        }
    }

    /** The lock on {@link #OWNERS_LOCK}, and its file: closing releases both. */
    private record OwnersLock(FileChannel channel) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close(); // releases the lock
        }
    }

    private static OwnersLock lockOwners() throws IOException {
        try {
            Files.createDirectories(OWNERS);
            FileChannel channel = FileChannel.open(OWNERS_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                channel.lock(); // fcntl: the kernel drops it when the process dies
                return new OwnersLock(channel);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new IOException("cannot lock " + OWNERS_LOCK + ", where tapnet keeps which namespaces it made: "
                    + reason(e) + ". Running in a network namespace needs root", e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    /**
     * What {@code /run/tapnet/netns/NAME} says, {@code tapnet PID STARTTIME NAMESPACE}: the process that owns
     * the namespace, and which namespace it made (the inode of its file, as {@code ip netns identify} and
     * namespaces(7) tell namespaces apart).
     */
    record Mark(ProcessIdentity owner, long namespace) {
        /** The mark in {@code file}; one that cannot be read names no process and no namespace. */
        static Mark read(Path file) {
            try {
                String[] words = Files.readString(file, StandardCharsets.UTF_8).strip().split("\\s+");
                if (words.length == 4 && words[0].equals("tapnet")) {
                    return new Mark(new ProcessIdentity(Long.parseLong(words[1]), Long.parseLong(words[2])),
                            Long.parseLong(words[3]));
                }
            } catch (IOException | NumberFormatException e) {
                // unreadable: as good as a dead owner's
            }
            return new Mark(new ProcessIdentity(-1, -1), -1);
        }

        String text() {
            return "tapnet " + owner.pid() + " " + owner.startTime() + " " + namespace + "\n";
        }
    }

    /** The inode of /run/netns/NAME: the namespace's own (nsfs), which no other namespace has while it lives. */
    static long namespaceId(String name) throws IOException {
        return ((Number) Files.getAttribute(RUN_DIR.resolve(name), "unix:ino")).longValue();
    }

    /**
     * A process as /proc/PID/stat tells it: its pid and its start time (clock ticks after boot), which
     * together name it even after the pid is reused.
     */
    record ProcessIdentity(long pid, long startTime) {
        static ProcessIdentity current() throws IOException {
            long pid = ProcessHandle.current().pid();
            return new ProcessIdentity(pid, startTimeOf(pid));
        }

        /**
         * The process still runs: the pid exists, started when the mark says (not a reused pid), and is not a
         * zombie (killed, and not yet reaped by its parent: its descriptors, TAPs included, are closed).
         */
        boolean isAlive() {
            if (pid <= 0) {
                return false;
            }
            try {
                String[] fields = statFields(pid);
                return Long.parseLong(fields[22 - 3]) == startTime && !fields[0].equals("Z") && !fields[0].equals("X");
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        /** Field 22 of /proc/PID/stat (proc(5)): when the process started, in clock ticks after boot. */
        static long startTimeOf(long pid) throws IOException {
            return Long.parseLong(statFields(pid)[22 - 3]);
        }

        /** The fields of /proc/PID/stat from the third (the state) on: after the command name, which may hold spaces and ')'. */
        private static String[] statFields(long pid) throws IOException {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        }
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
            Loopback.up();
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
