package tapnet.tap;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A Linux TAP device (Documentation/networking/tuntap.rst): Ethernet frames in and out through a file
 * descriptor on {@code /dev/net/tun}, bound to an interface by {@code TUNSETIFF} with
 * {@code IFF_TAP | IFF_NO_PI} (no packet-information header: a read or write is exactly one frame).
 *
 * <p>{@link #open} attaches to an existing persistent TAP of that name (which needs no privilege when the
 * device belongs to the user: {@code ip tuntap add dev tapnet0 mode tap user $USER}) or creates a new one
 * (which needs CAP_NET_ADMIN). A TAP tapnet created is not persistent: it vanishes when {@link #close()}
 * closes the descriptor. On an attached persistent TAP, close puts back what {@link #configure} changed.
 *
 * <p>The descriptor is non-blocking: {@link #read} never waits, a reader polls ({@link TapReader}). The
 * device and the interface it makes live in the network namespace of the thread that opens it.
 */
public final class TapDevice implements AutoCloseable {
    /** What {@link #read} returns when no frame is waiting: -EAGAIN. */
    public static final int WOULD_BLOCK = -Errno.EAGAIN;

    private static final System.Logger LOG = System.getLogger(TapDevice.class.getName());

    static final Path CLONE_DEVICE = Path.of("/dev/net/tun");
    // fcntl.h; the same values on x86_64 and AArch64
    private static final int O_RDWR = 0x2;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    // linux/if_tun.h; _IOW('T', 202, int) and _IOR('T', 210, unsigned int) in the asm-generic encoding
    private static final long TUNSETIFF = 0x400454caL;
    private static final long TUNGETIFF = 0x800454d2L;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_PERSIST = 0x0800;
    private static final short IFF_VNET_HDR = 0x4000;
    // _IOW('T', 208, unsigned int) and _IOW('T', 216, int)
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    private static final long TUNSETVNETHDRSZ = 0x400454d8L;
    // TUN_F_* of linux/if_tun.h: what tapnet takes from the kernel: partial checksums, TCP segments of up
    // to 64 KB over IPv4 and IPv6 (with ECN), UDP segments (USO, Linux 6.2 on). Never UFO: IP fragments.
    private static final long TUN_F_CSUM = 0x01;
    private static final long TUN_F_TSO4 = 0x02;
    private static final long TUN_F_TSO6 = 0x04;
    private static final long TUN_F_TSO_ECN = 0x08;
    private static final long TUN_F_USO4 = 0x20;
    private static final long TUN_F_USO6 = 0x40;
    /** Asked in turn until the kernel takes one: an older kernel refuses the bits it does not know. */
    private static final long[] OFFLOAD_CHOICES = {
        TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN | TUN_F_USO4 | TUN_F_USO6,
        TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN,
        TUN_F_CSUM | TUN_F_TSO4,
        TUN_F_CSUM,
    };

    /** The transmit queue tapnet gives the TAPs it makes: bursts wait there instead of being dropped. */
    static final int QUEUE_FRAMES = 16_384;

    /** Bytes of struct virtio_net_hdr (linux/virtio_net.h) before every frame with offloads on. */
    public static final int VNET_HEADER_LENGTH = tapnet.frame.VirtioNetHeader.LENGTH;
    /** The largest frame with offloads on: a 64 KB IPv4 packet, its Ethernet header and the virtio header. */
    public static final int MAX_OFFLOADED_FRAME = VNET_HEADER_LENGTH + 14 + 65535;

    private final String name;
    private final boolean persistent;
    /** Final, so the reader and engine threads see it without synchronization. */
    private final int fd;
    /** The network namespace the device is in: the one of the thread that opened it. */
    private final long namespaceId;
    private final boolean offloads;
    private InterfaceConfiguration configuration;
    private Ipv6Configuration ipv6Configuration;
    private boolean closed;

    private TapDevice(int fd, String name, boolean persistent, long namespaceId, boolean offloads) {
        this.fd = fd;
        this.name = name;
        this.persistent = persistent;
        this.namespaceId = namespaceId;
        this.offloads = offloads;
    }

    /**
     * Attaches to the persistent TAP {@code name}, or creates a TAP of that name if there is none; a "%d"
     * in the name lets the kernel number it ("tapnet%d" gives tapnet0, tapnet1, ...).
     */
    public static TapDevice open(String name) throws SystemCallException {
        return open(CLONE_DEVICE, name, false);
    }

    /**
     * As {@link #open(String)}; with {@code offloads}, the device carries a virtio-net header before every
     * frame ({@code IFF_VNET_HDR}) and the kernel may hand over TCP segments of up to 64 KB with their
     * checksums left to the receiver ({@code TUNSETOFFLOAD} with checksum and TSO): one read per 64 KB
     * instead of per 1.5 KB. When the kernel refuses the offloads the device works without them;
     * {@link #offloads()} says which.
     */
    public static TapDevice open(String name, boolean offloads) throws SystemCallException {
        return open(CLONE_DEVICE, name, offloads);
    }

    static TapDevice open(Path cloneDevice, String name) throws SystemCallException {
        return open(cloneDevice, name, false);
    }

    static TapDevice open(Path cloneDevice, String name, boolean offloads) throws SystemCallException {
        InterfaceRequest.checkName(name);
        int fd = Native.LIBC.open(cloneDevice.toString(), O_RDWR | O_NONBLOCK | O_CLOEXEC, 0);
        if (fd < 0) {
            int errno = Native.errno();
            throw SystemCallException.of("cannot open " + cloneDevice, errno, cloneDeviceFix(cloneDevice, errno));
        }
        try {
            InterfaceRequest request = new InterfaceRequest();
            request.reset(name).flags((short) (IFF_TAP | IFF_NO_PI | (offloads ? IFF_VNET_HDR : 0)));
            if (Native.LIBC.ioctl(fd, TUNSETIFF, request.struct()) < 0) {
                int errno = Native.errno();
                throw SystemCallException.of("cannot create or attach to TAP device " + name, errno, setIffFix(name, errno));
            }
            String actualName = request.name();
            if (Native.LIBC.ioctl(fd, TUNGETIFF, request.struct()) < 0) {
                throw SystemCallException.of("cannot read the flags of TAP device " + actualName, Native.errno());
            }
            // tun_set_iff attaches to an existing device only if it is persistent (a non-persistent one is
            // busy with its owner's descriptor), and creates devices without IFF_PERSIST.
            boolean persistent = (request.flags() & IFF_PERSIST) != 0;
            boolean offloaded = offloads && enableOffloads(fd, actualName);
            return new TapDevice(fd, actualName, persistent, NetworkNamespace.currentThreadNamespaceId(), offloaded);
        } catch (SystemCallException | RuntimeException e) {
            Native.LIBC.close(fd);
            throw e;
        }
    }

    /**
     * Sets the virtio header's size and asks for the most offloads the kernel grants (checksum, TSO over
     * IPv4 and IPv6, USO); logged when it grants none. The header stays either way: the frames still say
     * whether their checksums were checked, and tapnet may write offloaded frames (the kernel takes those
     * whatever was asked here, which only says what tapnet reads).
     */
    private static boolean enableOffloads(int fd, String name) throws SystemCallException {
        ByteBuffer size = ByteBuffer.allocateDirect(Integer.BYTES).order(java.nio.ByteOrder.nativeOrder());
        size.putInt(0, VNET_HEADER_LENGTH);
        if (Native.LIBC.ioctl(fd, TUNSETVNETHDRSZ, size) < 0) {
            throw SystemCallException.of("cannot set the virtio header size of TAP device " + name, Native.errno());
        }
        for (long offloads : OFFLOAD_CHOICES) {
            if (Native.LIBC.ioctl(fd, TUNSETOFFLOAD, offloads) == 0) {
                return true;
            }
        }
        LOG.log(Level.WARNING, "TAP device " + name + ": the kernel refused checksum/TSO offload ("
                + Errno.describe(Native.errno()) + "); frames come one MTU at a time");
        Native.LIBC.ioctl(fd, TUNSETOFFLOAD, 0L);
        return true;
    }

    /**
     * True when every frame read or written carries a {@link #VNET_HEADER_LENGTH}-byte virtio-net header
     * first, and reads may return offloaded frames up to {@link #MAX_OFFLOADED_FRAME} bytes.
     */
    public boolean offloads() {
        return offloads;
    }

    static String cloneDeviceFix(Path cloneDevice, int errno) {
        return switch (errno) {
            case Errno.ENOENT, Errno.ENODEV, Errno.ENXIO -> "The TUN/TAP driver is missing: load it with 'sudo modprobe tun'"
                    + " (it creates " + cloneDevice + "); in a container, pass the device in: docker run --device /dev/net/tun"
                    + " --cap-add NET_ADMIN ...";
            case Errno.EACCES, Errno.EPERM -> "Run tapnet as root (or with CAP_NET_ADMIN), or have an administrator make "
                    + cloneDevice + " usable (it is normally mode 0666) and create a persistent TAP owned by you:"
                    + " sudo ip tuntap add dev tapnet0 mode tap user $USER";
            default -> null;
        };
    }

    static String setIffFix(String name, int errno) {
        return switch (errno) {
            case Errno.EPERM, Errno.EACCES -> "Creating a TAP needs root or CAP_NET_ADMIN, and attaching to a persistent"
                    + " one needs to own it. Run tapnet as root, or have an administrator create a persistent TAP owned by"
                    + " you: sudo ip tuntap add dev " + name + " mode tap user $USER";
            case Errno.EBUSY -> "Another process has TAP device " + name + " open; stop it or choose another device name";
            case Errno.EINVAL -> "An interface named " + name + " exists and is not a TAP tapnet can attach to (a TUN, a"
                    + " multi-queue TAP or another kind of device); choose another device name";
            default -> null;
        };
    }

    /** The interface's name, as the kernel gave it. */
    public String name() {
        return name;
    }

    /** True when this attached to a persistent TAP (which stays after close), false when it created one. */
    public boolean persistent() {
        return persistent;
    }

    /**
     * Gives the kernel's side of the TAP its address, prefix and MTU and brings it up; the connected route
     * to the subnet follows. With an IPv6 address in {@code settings}, IPv6 is switched on for the device
     * and the address added too ({@link Ipv6Configuration}). On a persistent TAP, {@link #close()} undoes
     * these changes. Call on a thread in the TAP's network namespace.
     */
    public void configure(InterfaceSettings settings) throws SystemCallException {
        if (configuration != null) {
            throw new IllegalStateException("TAP device " + name + " is already configured");
        }
        if (NetworkNamespace.currentThreadNamespaceId() != namespaceId) {
            // The ioctls find interfaces by name in the caller's namespace: elsewhere they would reach
            // another interface of the same name, or none.
            throw new IllegalStateException("configure TAP device " + name + " on a thread in its network namespace"
                    + " (the one it was opened in), e.g. inside NetworkNamespace.call");
        }
        // IPv6's switches before the link comes up, its address after: a link going down loses it.
        Ipv6Configuration ipv6 = settings.hasAddress6() ? Ipv6Configuration.prepare(name, settings.address6()) : null;
        try {
            if (settings.routesFromAdvertisements()) {
                ipv6.learnRoutesFromAdvertisements();
            }
            configuration = InterfaceConfiguration.apply(name, settings);
            if (ipv6 != null) {
                ipv6.assign(settings.address6());
            }
        } catch (SystemCallException | RuntimeException e) {
            undoAfterFailure(ipv6, e);
            throw e;
        }
        ipv6Configuration = ipv6;
        if (!persistent) {
            lengthenQueue();
        }
    }

    private void undoAfterFailure(Ipv6Configuration ipv6, Exception failure) {
        try {
            if (ipv6 != null) {
                ipv6.close();
            }
        } catch (SystemCallException e) {
            failure.addSuppressed(e);
        }
        try {
            if (configuration != null) {
                configuration.close();
            }
        } catch (SystemCallException e) {
            failure.addSuppressed(e);
        } finally {
            configuration = null;
        }
    }

    /**
     * The kernel's side of a TAP queues what it sends to tapnet in a ring of {@code txqueuelen} frames
     * (1000 by default) and drops, unseen by tapnet, whatever does not fit: a burst of 2,000 handshakes
     * from a connection pool lost 37,204 frames to it, each a client waiting a second to retransmit. A
     * longer queue absorbs bursts; it costs memory only while frames wait. Only on a device tapnet made: an
     * administrator's persistent TAP keeps its settings.
     */
    private void lengthenQueue() {
        try (InterfaceControl control = InterfaceControl.open(name)) {
            control.setTransmitQueueLength(QUEUE_FRAMES);
        } catch (SystemCallException e) {
            if (e.errno() == Errno.EPERM && lengthenQueueByNetlink()) {
                return;
            }
            LOG.log(Level.WARNING, "TAP device " + name + " keeps its transmit queue: " + e.getMessage());
        }
    }

    /**
     * The kernel asks CAP_NET_ADMIN of the first user namespace for SIOCSIFTXQLEN (net/core/dev_ioctl.c), but
     * only of the namespace's own for the same change through rtnetlink: the root of a user namespace (a
     * rootless run) gets it from {@code ip link}. The child runs in the calling thread's network namespace.
     */
    private boolean lengthenQueueByNetlink() {
        try {
            Process ip = new ProcessBuilder("ip", "link", "set", "dev", name, "txqueuelen", Integer.toString(QUEUE_FRAMES))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return ip.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) && ip.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false; // no ip command: the warning says what was refused
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Reads one frame into {@code frame}, a direct buffer, at index 0; its position becomes 0 and its limit
     * the frame's end. Returns the frame's length, or {@code -errno} on failure: {@code -EAGAIN}
     * ({@link #WOULD_BLOCK}) when no frame is waiting. A frame longer than the buffer is cut to the
     * buffer's capacity without a sign (the kernel copies what fits and returns that), so buffers must hold
     * the MTU plus the 14-byte Ethernet header; {@link #configure} sets the MTU. No allocation.
     */
    public int read(ByteBuffer frame) {
        requireDirect(frame);
        frame.clear();
        long n = Native.LIBC.read(fd, frame, frame.capacity());
        if (n < 0) {
            return -Native.errno();
        }
        frame.limit((int) n);
        return (int) n;
    }

    /**
     * Writes the frame in {@code frame}, a direct buffer, from index 0 to {@code length}, with one
     * write(2). Returns the bytes written or {@code -errno}. No allocation.
     */
    public int write(ByteBuffer frame, int length) {
        return write(frame, 0, length);
    }

    /** As {@link #write(ByteBuffer, int)}, the frame (with its virtio-net header, with offloads) at {@code offset}. */
    public int write(ByteBuffer frame, int offset, int length) {
        requireDirect(frame);
        frame.position(offset);
        long n = Native.LIBC.write(fd, frame, length);
        return n < 0 ? -Native.errno() : (int) n;
    }

    /** A heap buffer would make jnr-ffi copy (and allocate) for every frame; tapnet's frame buffers are direct. */
    private static void requireDirect(ByteBuffer frame) {
        if (!frame.isDirect()) {
            throw new IllegalArgumentException("TAP frames go through direct buffers (ByteBuffer.allocateDirect)");
        }
    }

    /** Puts back what {@link #configure} changed on a persistent TAP: IPv6 first, as the link may go down after. */
    private void restore() {
        try {
            if (ipv6Configuration != null) {
                ipv6Configuration.close();
            }
        } catch (SystemCallException e) {
            LOG.log(Level.WARNING, "TAP device " + name + " keeps IPv6 settings tapnet gave it: " + e.getMessage());
        }
        try {
            if (configuration != null) {
                configuration.close();
            }
        } catch (SystemCallException e) {
            LOG.log(Level.WARNING, "TAP device " + name + " keeps settings tapnet gave it: " + e.getMessage());
        }
    }

    /** The descriptor, for {@link TapReader}'s poll. */
    int fd() {
        return fd;
    }

    /**
     * Closes the descriptor: a TAP tapnet created vanishes with it; a persistent one gets back its address,
     * MTU and link state first. Stop readers and writers before.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (persistent) {
            restore();
        } else {
            // The device goes with the descriptor, its settings with it.
            if (ipv6Configuration != null) {
                ipv6Configuration.keep();
            }
            if (configuration != null) {
                configuration.keep();
            }
        }
        Native.LIBC.close(fd);
    }
}
