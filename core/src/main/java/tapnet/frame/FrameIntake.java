package tapnet.frame;

/**
 * Where a device's reader puts the frames it reads: into the ingress ring for the engine thread, or
 * straight into the engine on the reader's own thread. One reader thread uses an intake.
 */
public interface FrameIntake {
    /** The slot to read the next frame into; {@link #publish} or {@link #abandon} follows. */
    FrameSlot claim();

    /**
     * The claimed slot holds a frame at {@code offset} from device {@code device} (0 the TAP, 1 onwards the
     * real ports), with what its virtio-net header said ({@link Offload}); returns false when it had to be
     * dropped.
     */
    boolean publish(int device, int offset, int length, long offload, long receivedNanos);

    /** The read found nothing: the claimed slot is kept for the next claim. */
    void abandon();

    /**
     * Whether the reader is behind its devices: a round of reads left a queue undrained (true), or the
     * queues are drained again (false). Said when it changes, before {@link #endOfBurst()}.
     */
    default void behind(boolean value) {
    }

    /** The reader read what was waiting and is about to wait again. */
    default void endOfBurst() {
    }

    /**
     * How long the reader may wait for a frame before calling {@link #idle()}, in nanoseconds (0: look and
     * come back at once); -1 for as long as it takes.
     */
    default long waitNanos() {
        return -1;
    }

    /**
     * The reader waited {@link #waitNanos()} and no frame came, or it was woken by {@link #wakeWith}'s
     * callback.
     */
    default void idle() {
    }

    /**
     * Gives the intake a callback that wakes its reader from any thread, so that a reader waiting for as long
     * as {@link #waitNanos()} says can be told that something else needs it sooner (a command to run).
     */
    default void wakeWith(Runnable wake) {
    }
}
