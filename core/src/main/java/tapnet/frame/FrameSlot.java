package tapnet.frame;

import java.nio.ByteBuffer;

/**
 * One preallocated slot of the ingress ring: a frame's bytes, its length and when it arrived. The reader
 * fills it in place (the TAP reads straight into {@link #buffer()}), the engine reads it, and the slot is
 * reused for the frame after next lap.
 */
public final class FrameSlot {
    private final ByteBuffer buffer;
    private int length;
    private long receivedNanos;
    private int port;
    private int droppedBefore;

    public FrameSlot(int capacity, boolean direct) {
        this.buffer = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    public int capacity() {
        return buffer.capacity();
    }

    public int length() {
        return length;
    }

    public long receivedNanos() {
        return receivedNanos;
    }

    /** Which attachment (TAP, link end) the frame came from; 0 for the TAP. */
    public int port() {
        return port;
    }

    /**
     * Frames the reader had to drop, ring full, since the previous published slot. Carried in the slot so
     * the engine thread stays the only writer of its counters.
     */
    public int droppedBefore() {
        return droppedBefore;
    }

    public void set(int length, long receivedNanos, int port, int droppedBefore) {
        this.length = length;
        this.receivedNanos = receivedNanos;
        this.port = port;
        this.droppedBefore = droppedBefore;
    }
}
