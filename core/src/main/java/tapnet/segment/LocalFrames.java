package tapnet.segment;

import java.nio.ByteBuffer;

/**
 * Frames from one virtual host to another, copied out of the hosts' output buffer (which is reused while
 * the frame that caused them is still being handled) and delivered afterwards, oldest first. A bounded
 * ring; a slot's buffer is made the first time it is used and reused after, so in steady state nothing
 * is allocated. Engine thread only.
 */
public final class LocalFrames {
    /** Where a queued frame goes when its turn comes. */
    @FunctionalInterface
    public interface Delivery {
        void deliver(ByteBuffer frame, int length);
    }

    private final ByteBuffer[] buffers;
    private final int[] lengths;
    private final int frameCapacity;
    private int head;
    private int size;

    public LocalFrames(int capacity, int frameCapacity) {
        this.buffers = new ByteBuffer[capacity];
        this.lengths = new int[capacity];
        this.frameCapacity = frameCapacity;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Copies the frame in; false, copying nothing, when the ring is full or the frame too long. */
    public boolean add(ByteBuffer frame, int offset, int length) {
        if (size == buffers.length || length > frameCapacity) {
            return false;
        }
        int slot = (head + size) % buffers.length;
        if (buffers[slot] == null) {
            buffers[slot] = ByteBuffer.allocate(frameCapacity);
        }
        buffers[slot].put(0, frame, offset, length);
        lengths[slot] = length;
        size++;
        return true;
    }

    /**
     * Delivers the frames queued now, oldest first. Frames queued meanwhile (answers) wait for the next
     * call, so that two hosts answering each other at once cannot keep one call going forever.
     */
    public void deliver(Delivery delivery) {
        for (int n = size; n > 0; n--) {
            delivery.deliver(buffers[head], lengths[head]); // its slot stays taken until it has been handled
            head = (head + 1) % buffers.length;
            size--;
        }
    }
}
