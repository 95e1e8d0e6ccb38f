package tapnet.tap;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import tapnet.frame.FrameIntake;
import tapnet.frame.FrameSlot;
import tapnet.frame.Offload;
import tapnet.frame.VirtioNetHeader;
import tapnet.segment.VxlanRemotes;

/**
 * The thread that owns a TAP's read side (DESIGN: threads): it waits in ppoll(2) until a frame is waiting,
 * claims a ring slot, reads the frame straight into the slot's buffer and publishes it with its arrival
 * time. Nothing is allocated per frame. Between frames the thread sleeps in ppoll for as long as its
 * intake allows ({@link FrameIntake#waitNanos()}: until the engine's next deadline when it runs the engine
 * itself), in three stages after the last frame: it keeps looking for {@code spinNanos} (a frame that
 * follows at once costs no wake-up); then, for a second, it naps a millisecond at a time (on the 2-core VMs
 * measured, a thread woken from such a nap answers a ping in half the time of one woken from a long sleep:
 * 0.10 against 0.21 ms median, at about 8 % of a core); then it sleeps until its intake needs it: an idle
 * reader costs no CPU. With real ports it reads their TAP devices too, in the same poll, and publishes each frame with the
 * number of its device (0 the TAP, 1 onwards the ports, in the order given).
 *
 * <p>With a VXLAN underlay ({@link VxlanSocket}) it polls its socket too and publishes each datagram whole,
 * VXLAN header first, unjudged (the engine checks the header and counts what it drops): with P ports and R
 * remotes, a datagram from remote i comes as device P+1+i, one from an address that is no remote as device
 * P+R+1. It lies at {@link #UNDERLAY_OFFSET}; one that filled the slot to the last byte may have been cut
 * and is published with length 0, for the engine to count as malformed. When the socket {@link
 * VxlanSocket#batches} a read may take several datagrams of one sender at once: they go in one slot, back to
 * back, published with the size of each in the offload ({@link VxlanRemotes#batchOf}; 0 for one datagram),
 * and the engine takes them one by one.
 *
 * <p>An eventfd wakes it: for a command its intake must run ({@link FrameIntake#wakeWith}), and for
 * {@link #close()}, which then waits for it to end. A failed read is counted and logged; the thread stops
 * only on an error that cannot go away (the device is gone), and then says so in the log and in
 * {@link #failure()}.
 */
public final class TapReader implements AutoCloseable {
    private static final int MAX_READS_PER_POLL = 64;
    private static final System.Logger LOG = System.getLogger(TapReader.class.getName());

    // poll.h; struct pollfd is {int fd; short events; short revents;}, 8 bytes
    private static final short POLLIN = 0x1;
    private static final int POLLFD_SIZE = 8;
    private static final int REVENTS_OFFSET = 6;
    // sys/eventfd.h
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;
    /** Reads failing in a row before the reader gives up: a fault that persists is not transient. */
    static final int MAX_CONSECUTIVE_ERRORS = 1000;
    /**
     * Where a VXLAN datagram starts in its slot: its inner frame then starts at {@link VirtioNetHeader#LENGTH},
     * with room for the virtio-net header before it, so a TAP with offloads takes the frame from the slot
     * without a copy ({@link TapSink#send}), writing that header over the VXLAN one.
     */
    public static final int UNDERLAY_OFFSET = VirtioNetHeader.LENGTH - tapnet.wire.VxlanHeader.LENGTH;

    private final TapDevice tap;
    /** The TAP, then the ports. */
    private final TapDevice[] devices;
    /** The VXLAN underlay's socket, polled after the ports; null without one. */
    private final VxlanSocket underlay;
    /** Poll entries: the devices, the underlay's socket if any, then the eventfd. */
    private final int pollCount;
    private final FrameIntake publisher;
    private final int wakeFd;
    /** One pollfd per device, then the underlay socket's if any, then the eventfd's. */
    private final ByteBuffer pollFds;
    private final ByteBuffer wakeValue = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
    /** The reader thread's own: what it reads the eventfd's count into. */
    private final ByteBuffer wakeDrain = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
    /** struct timespec for ppoll: seconds, nanoseconds. */
    private final ByteBuffer timeout = ByteBuffer.allocateDirect(2 * Long.BYTES).order(ByteOrder.nativeOrder());
    /** How long to keep looking (ppoll without waiting) after a frame before sleeping; 0: sleep at once. */
    private final long spinNanos;
    private long lastFrameNanos;
    /** Whether the reader is behind (a round of reads left a queue undrained lately); the intake is told of changes. */
    private boolean behind;
    private long lastUndrainedNanos;
    /** How long queues must stay drained before the reader counts as caught up again. */
    private static final long CAUGHT_UP_NANOS = 100_000_000L;
    /** When the current round of reads began: the arrival time of the frames it reads. */
    private long roundNanos;
    /** After the spin, how long the reader keeps napping rather than sleeping, and how long each nap lasts. */
    private static final long WARM_NANOS = 1_000_000_000L;
    private static final long NAP_NANOS = 1_000_000L;
    private final AtomicLong framesRead = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Exception failure;
    /** Told when the reader stops on its own, for a reason that will not go away. */
    private volatile java.util.function.Consumer<Throwable> onFailure = failed -> { };
    private int consecutiveErrors;

    /** A reader of {@code tap} publishing into {@code publisher}, which no other thread may use. */
    public TapReader(TapDevice tap, FrameIntake publisher) throws SystemCallException {
        this(tap, java.util.List.of(), publisher, 0);
    }

    /**
     * A reader of {@code tap} and the real ports' devices {@code ports}, publishing into {@code publisher};
     * after each frame it keeps looking for the next for {@code spinNanos} before it sleeps.
     */
    public TapReader(TapDevice tap, java.util.List<TapDevice> ports, FrameIntake publisher, long spinNanos)
            throws SystemCallException {
        this(tap, ports, null, publisher, spinNanos);
    }

    /** As above, polling the VXLAN {@code underlay}'s socket too when it is not null. */
    public TapReader(TapDevice tap, java.util.List<TapDevice> ports, VxlanSocket underlay, FrameIntake publisher,
                     long spinNanos) throws SystemCallException {
        this.tap = tap;
        this.underlay = underlay;
        this.spinNanos = spinNanos;
        this.devices = new TapDevice[ports.size() + 1];
        devices[0] = tap;
        for (int i = 0; i < ports.size(); i++) {
            devices[i + 1] = ports.get(i);
        }
        this.publisher = publisher;
        this.wakeFd = Native.LIBC.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (wakeFd < 0) {
            throw SystemCallException.of("cannot create the eventfd that stops the TAP reader", Native.errno());
        }
        this.pollCount = devices.length + (underlay != null ? 1 : 0) + 1;
        this.pollFds = ByteBuffer.allocateDirect(pollCount * POLLFD_SIZE).order(ByteOrder.nativeOrder());
        for (int d = 0; d < devices.length; d++) {
            pollFds.putInt(d * POLLFD_SIZE, devices[d].fd()).putShort(d * POLLFD_SIZE + 4, POLLIN);
        }
        if (underlay != null) {
            pollFds.putInt(devices.length * POLLFD_SIZE, underlay.fd()).putShort(devices.length * POLLFD_SIZE + 4, POLLIN);
        }
        int wake = (pollCount - 1) * POLLFD_SIZE;
        pollFds.putInt(wake, wakeFd).putShort(wake + 4, POLLIN);
        this.thread = new Thread(this::run, "tapnet-tap-reader-" + tap.name());
        thread.setDaemon(true);
        publisher.wakeWith(this::wake);
    }

    public void start() {
        thread.start();
    }

    /** Frames read and published (or dropped by the publisher when the ring was full). */
    public long framesRead() {
        return framesRead.get();
    }

    /** Reads that failed, transient or not. */
    public long readErrors() {
        return readErrors.get();
    }

    /** Why the reader stopped before {@link #close()}, or null while it runs or after an orderly stop. */
    public Exception failure() {
        return failure;
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    private void run() {
        try {
            while (!stopping) {
                long wait = publisher.waitNanos();
                long sinceFrame = System.nanoTime() - lastFrameNanos;
                boolean spinning = wait != 0 && spinNanos > 0 && sinceFrame < spinNanos;
                if (sinceFrame < WARM_NANOS && (wait < 0 || wait > NAP_NANOS)) {
                    wait = NAP_NANOS;
                }
                int ready = poll(spinning ? 0 : wait);
                if (ready == 0) {
                    if (!spinning || publisher.waitNanos() == 0) {
                        publisher.idle();
                    }
                    continue;
                }
                if (ready < 0) {
                    int errno = Native.errno();
                    if (errno == Errno.EINTR) {
                        continue;
                    }
                    throw SystemCallException.of("TAP reader cannot poll " + tap.name(), errno);
                }
                if (pollFds.getShort((pollCount - 1) * POLLFD_SIZE + REVENTS_OFFSET) != 0) {
                    if (stopping) {
                        break; // woken by close()
                    }
                    Native.LIBC.read(wakeFd, wakeDrain, Long.BYTES); // woken for a command: the intake runs it
                    publisher.idle();
                }
                boolean read = false;
                boolean drained = true;
                roundNanos = System.nanoTime(); // one clock read per round of reads, not one per frame
                for (int d = 0; d < pollCount - 1; d++) {
                    if (pollFds.getShort(d * POLLFD_SIZE + REVENTS_OFFSET) != 0) {
                        // Drain what is queued before polling again: under load one poll serves many frames.
                        int i = 0;
                        while (i < MAX_READS_PER_POLL && readOne(d)) {
                            i++;
                        }
                        drained &= i < MAX_READS_PER_POLL;
                        read = true;
                    }
                }
                if (read) {
                    if (!drained) {
                        lastUndrainedNanos = roundNanos;
                    }
                    // Behind from a round that left a queue full until queues stayed drained a while (a flood
                    // drains now and then: turning shedding off at each would cost the answers it saves).
                    boolean nowBehind = !drained || roundNanos - lastUndrainedNanos < CAUGHT_UP_NANOS;
                    if (behind != nowBehind) {
                        behind = nowBehind;
                        publisher.behind(behind);
                    }
                    publisher.endOfBurst();
                    lastFrameNanos = roundNanos;
                }
            }
        } catch (Exception | Error e) {
            failure = e instanceof Exception ex ? ex : new IllegalStateException(e);
            LOG.log(Level.ERROR, "TAP reader of " + tap.name() + " stopped after " + framesRead.get() + " frames: " + e, e);
            onFailure.accept(e);
        }
    }

    /**
     * Tells {@code listener} (on the reader's thread) when the reader stops on its own: a device gone, or
     * an error from the engine it runs (in the default mode an engine's error ends its thread with it).
     */
    public void onFailure(java.util.function.Consumer<Throwable> listener) {
        this.onFailure = listener;
    }

    /** Waits up to {@code nanos} for a descriptor to be ready: 0 looks and returns, -1 waits for ever. */
    private int poll(long nanos) {
        if (nanos < 0) {
            return Native.LIBC.ppoll(pollFds, pollCount, (jnr.ffi.Pointer) null, null);
        }
        timeout.putLong(0, nanos / 1_000_000_000L).putLong(Long.BYTES, nanos % 1_000_000_000L);
        return Native.LIBC.ppoll(pollFds, pollCount, timeout, null);
    }

    /** Any thread: wakes the reader, which then lets its intake run what it was woken for. */
    private synchronized void wake() {
        if (!stopping) {
            wakeValue.putLong(0, 1);
            Native.LIBC.write(wakeFd, wakeValue, Long.BYTES);
        }
    }

    /**
     * Reads one frame (the descriptor is non-blocking) and says whether there was one. A slot is claimed
     * before the read; when none was waiting the claimed slot goes to the engine empty and is skipped.
     */
    private boolean readOne(int device) throws SystemCallException {
        if (device == devices.length) {
            return readDatagram();
        }
        FrameSlot slot = publisher.claim();
        TapDevice from = devices[device];
        int length = from.read(slot.buffer());
        if (length > 0) {
            if (from.offloads()) {
                publishOffloaded(device, slot, length);
            } else {
                publisher.publish(device, 0, length, Offload.NONE, roundNanos);
            }
            framesRead.setRelease(framesRead.getPlain() + 1);
            consecutiveErrors = 0;
            return true;
        }
        publisher.abandon();
        if (length == TapDevice.WOULD_BLOCK || length == -Errno.EINTR || length == 0) {
            return false;
        }
        onReadError("TAP " + from.name(), -length, isGone(-length), "The TAP device was removed or closed");
        return false;
    }

    /**
     * Reads one datagram of the VXLAN underlay, if one waits, straight into a claimed slot, and publishes it
     * as its sender's device (see the class comment); says whether there was one.
     */
    private boolean readDatagram() throws SystemCallException {
        FrameSlot slot = publisher.claim();
        int room = slot.capacity() - UNDERLAY_OFFSET;
        int length = underlay.receive(slot.buffer(), UNDERLAY_OFFSET, room);
        if (length >= 0) {
            int sender = underlay.sender();
            int device = devices.length + (sender == VxlanSocket.UNKNOWN_SENDER ? underlay.remoteCount() : sender);
            // a datagram that filled the room may have been longer: length 0 marks it malformed, not a cut frame
            publisher.publish(device, UNDERLAY_OFFSET, length < room ? length : 0,
                    VxlanRemotes.batchOf(underlay.datagramSize()), roundNanos);
            framesRead.setRelease(framesRead.getPlain() + 1);
            consecutiveErrors = 0;
            return true;
        }
        publisher.abandon();
        if (length == VxlanSocket.WOULD_BLOCK || length == -Errno.EINTR) {
            return false;
        }
        onReadError(underlay.toString(), -length, isGone(-length), "The socket was closed");
        return false;
    }

    private static boolean isGone(int errno) {
        return errno == Errno.EBADFD || errno == Errno.EBADF || errno == Errno.ENODEV;
    }

    /**
     * A frame behind its virtio-net header: published with what the header says (partial or checked
     * checksums, a GSO frame), which travels with it ({@link Offload}). A read shorter than the header is
     * published empty, to be counted as malformed.
     */
    private void publishOffloaded(int device, FrameSlot slot, int length) {
        int frameLength = Math.max(0, length - VirtioNetHeader.LENGTH);
        long offload = length >= VirtioNetHeader.LENGTH ? VirtioNetHeader.read(slot.buffer(), 0) : Offload.NONE;
        publisher.publish(device, VirtioNetHeader.LENGTH, frameLength, offload, roundNanos);
    }

    /** Counts a failed read from {@code source}; gives up when it is {@code gone}, saying {@code whyGone}. */
    private void onReadError(String source, int errno, boolean gone, String whyGone) throws SystemCallException {
        long errors = readErrors.getPlain() + 1;
        readErrors.setRelease(errors);
        consecutiveErrors++;
        if (gone || consecutiveErrors >= MAX_CONSECUTIVE_ERRORS) {
            throw SystemCallException.of("TAP reader gives up on " + source + " after " + consecutiveErrors
                    + " failed reads in a row", errno, gone ? whyGone : null);
        }
        if (Long.bitCount(errors) == 1) { // 1st, 2nd, 4th, 8th ...: visible, not flooding
            LOG.log(Level.WARNING, "read from " + source + " failed (" + errors + " so far): " + Errno.describe(errno));
        }
    }

    /** Wakes the reader and waits for it to end (up to 5 s), then releases the eventfd. */
    @Override
    public void close() {
        synchronized (this) {
            if (stopping) {
                return; // closed before: the eventfd's number may belong to someone else by now
            }
            stopping = true;
            wakeValue.putLong(0, 1);
            Native.LIBC.write(wakeFd, wakeValue, Long.BYTES);
        }
        if (thread.isAlive() && thread != Thread.currentThread()) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (thread.isAlive()) {
            LOG.log(Level.WARNING, "TAP reader of " + tap.name() + " did not stop within 5 s");
            return; // it may still poll the eventfd: leave it open rather than let the number be reused
        }
        Native.LIBC.close(wakeFd);
    }
}
