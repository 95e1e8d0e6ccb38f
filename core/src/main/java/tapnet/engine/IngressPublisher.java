package tapnet.engine;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import tapnet.frame.FrameIntake;
import tapnet.frame.FrameSlot;

/**
 * The producer side of the ingress ring, for one reader thread: claim a slot, read a frame straight into
 * its buffer, publish. When the ring is full the frame is read into a spare slot and dropped, so the
 * reader never blocks on a slow engine (DESIGN: a full ring drops rather than blocking the TAP reader).
 */
public final class IngressPublisher implements FrameIntake {
    private final RingBuffer<FrameSlot> ring;
    private final FrameSlot spare;
    private long claimed = -1;
    private int dropped;

    IngressPublisher(RingBuffer<FrameSlot> ring, int slotCapacity, boolean direct) {
        this.ring = ring;
        this.spare = new FrameSlot(slotCapacity, direct);
    }

    /**
     * The slot to read the next frame into. Call {@link #publish} or {@link #abandon} after. A slot claimed
     * and abandoned is handed out again, so a read that finds nothing costs the ring nothing.
     */
    @Override
    public FrameSlot claim() {
        if (claimed >= 0) {
            return ring.get(claimed);
        }
        try {
            claimed = ring.tryNext();
            return ring.get(claimed);
        } catch (InsufficientCapacityException full) {
            claimed = -1;
            return spare;
        }
    }

    /**
     * Hands the claimed slot, now holding a frame of {@code length} bytes, to the engine. Returns false
     * when the frame was read into the spare slot because the ring was full: it is dropped, and counted
     * with the next frame that gets through.
     */
    public boolean publish(int length, long receivedNanos) {
        return publish(0, 0, length, tapnet.frame.Offload.NONE, receivedNanos);
    }

    /**
     * As {@link #publish(int, long)}, for a frame from {@code device} at {@code offset} in the slot, with its
     * offload descriptor.
     */
    @Override
    public boolean publish(int device, int offset, int length, long offload, long receivedNanos) {
        if (claimed < 0) {
            dropped++;
            return false;
        }
        ring.get(claimed).set(offset, length, offload, receivedNanos, device, dropped);
        dropped = 0;
        ring.publish(claimed);
        claimed = -1;
        return true;
    }

    /** The read failed or returned nothing: the claimed slot stays claimed for the next {@link #claim()}. */
    @Override
    public void abandon() {
        // Nothing to do: the slot is not published, and claim() returns it again.
    }
}
