package tapnet.frame;

import java.nio.ByteBuffer;

/**
 * One preallocated slot of the ingress ring: a frame's bytes, its length, its offload descriptor and
 * when it arrived. The reader
 * fills it in place (the TAP reads straight into {@link #buffer()}), the engine reads it, and the slot is
 * reused for the frame after next lap.
 */
public final class FrameSlot {
    private final ByteBuffer buffer;
    private int offset;
    private int length;
    private long offload;
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

    /** Where the frame starts in {@link #buffer()}: past any header the device puts before it. */
    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /**
     * What the frame's virtio-net header said ({@link Offload}): checksums left to us or checked, a GSO
     * frame standing for several wire frames; {@link Offload#NONE} for a plain wire frame.
     */
    public long offload() {
        return offload;
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
        set(0, length, Offload.NONE, receivedNanos, port, droppedBefore);
    }

    public void set(int offset, int length, long offload, long receivedNanos, int port, int droppedBefore) {
        this.offset = offset;
        this.offload = offload;
        this.length = length;
        this.receivedNanos = receivedNanos;
        this.port = port;
        this.droppedBefore = droppedBefore;
    }
}
