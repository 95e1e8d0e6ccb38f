package tapnet.link;

import java.nio.ByteBuffer;

/**
 * Frames held back until a time: what an emulated link's delay, jitter and rate limit keep in flight.
 * A bounded pool of buffers and a binary heap ordered by release time (ties in arrival order, so equal
 * delays never reorder). A buffer is made the first time a slot is used and reused after: in steady state
 * holding and releasing allocate nothing, and an engine whose links hold nothing pays nothing. Engine
 * thread only.
 */
public final class HeldFrames {
    /**
     * Where a released frame goes; {@code tag} is what {@link #hold} was given (a direction, a link) and
     * {@code dueNanos} the time it was held until, which may be earlier than the poll that releases it.
     */
    @FunctionalInterface
    public interface Release {
        void release(ByteBuffer frame, int length, int tag, long dueNanos);
    }

    public static final long NONE = tapnet.time.Deadline.NONE;

    private final ByteBuffer[] buffers;
    private final int frameCapacity;
    private final int[] lengths;
    private final int[] tags;
    private final long[] releaseAt;
    private final long[] order;
    private final int[] heap;
    private final int[] freeSlots;
    private int freeCount;
    private int size;
    private long arrivals;

    /** @param capacity frames held at most; @param frameCapacity bytes per frame at most */
    public HeldFrames(int capacity, int frameCapacity) {
        buffers = new ByteBuffer[capacity];
        this.frameCapacity = frameCapacity;
        lengths = new int[capacity];
        tags = new int[capacity];
        releaseAt = new long[capacity];
        order = new long[capacity];
        heap = new int[capacity];
        freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            freeSlots[i] = capacity - 1 - i;
        }
        freeCount = capacity;
    }

    public int size() {
        return size;
    }

    /**
     * Copies {@code length} bytes of {@code frame} from {@code offset} to be released at {@code releaseNanos}.
     * Returns the held copy (index 0 onwards), which the caller may still change (a link's corruption), or
     * null, holding nothing, when the pool is full or the frame too long.
     */
    public ByteBuffer hold(ByteBuffer frame, int offset, int length, long releaseNanos, int tag) {
        if (freeCount == 0 || length > frameCapacity) {
            return null;
        }
        int slot = freeSlots[--freeCount];
        if (buffers[slot] == null) {
            buffers[slot] = ByteBuffer.allocate(frameCapacity);
        }
        buffers[slot].put(0, frame, offset, length);
        lengths[slot] = length;
        tags[slot] = tag;
        releaseAt[slot] = releaseNanos;
        order[slot] = arrivals++;
        heap[size] = slot;
        siftUp(size++);
        return buffers[slot];
    }

    /** The earliest release time, or {@link #NONE}. */
    public long nextRelease() {
        return size == 0 ? NONE : releaseAt[heap[0]];
    }

    /**
     * Releases, in time order, every frame due at {@code nowNanos}, frames held again meanwhile included
     * (a frame that crosses several links within one poll). Returns how many.
     */
    public int releaseDue(long nowNanos, Release release) {
        int released = 0;
        while (size > 0 && releaseAt[heap[0]] <= nowNanos) {
            int slot = heap[0];
            heap[0] = heap[--size];
            siftDown(0);
            release.release(buffers[slot], lengths[slot], tags[slot], releaseAt[slot]);
            freeSlots[freeCount++] = slot; // only now: what the release does may hold other frames meanwhile
            released++;
        }
        return released;
    }

    private boolean before(int a, int b) {
        return releaseAt[a] < releaseAt[b] || (releaseAt[a] == releaseAt[b] && order[a] < order[b]);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!before(heap[i], heap[parent])) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            int right = left + 1;
            int smallest = i;
            if (left < size && before(heap[left], heap[smallest])) {
                smallest = left;
            }
            if (right < size && before(heap[right], heap[smallest])) {
                smallest = right;
            }
            if (smallest == i) {
                return;
            }
            swap(i, smallest);
            i = smallest;
        }
    }

    private void swap(int a, int b) {
        int t = heap[a];
        heap[a] = heap[b];
        heap[b] = t;
    }
}
