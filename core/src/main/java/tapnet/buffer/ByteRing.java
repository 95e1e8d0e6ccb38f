package tapnet.buffer;

import java.nio.ByteBuffer;

/**
 * A byte FIFO of fixed capacity whose storage is borrowed from a {@link ChunkPool} only while it holds
 * bytes. Reads at an offset without consuming serve TCP retransmission: the send buffer keeps bytes until
 * they are acknowledged.
 */
public final class ByteRing {
    private final ChunkPool pool;
    private final int capacity;
    private byte[] chunk;
    private int head;
    private int size;

    public ByteRing(ChunkPool pool) {
        this.pool = pool;
        this.capacity = pool.chunkSize();
    }

    public int capacity() {
        return capacity;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * Room for more bytes. An empty ring whose pool is exhausted has none, which closes the window rather
     * than failing.
     */
    public int free() {
        if (chunk == null && !pool.canTake()) {
            return 0;
        }
        return capacity - size;
    }

    /** Borrows storage for the first byte; callers have checked {@link #free()}. */
    private void ensureChunk() {
        if (chunk == null) {
            chunk = pool.take();
            head = 0;
        }
    }

    /** Appends up to {@code length} bytes from {@code source} at absolute index {@code from}; returns how many. */
    public int write(ByteBuffer source, int from, int length) {
        int n = Math.min(length, free());
        if (n == 0) {
            return 0;
        }
        ensureChunk();
        int tail = (head + size) % capacity;
        int first = Math.min(n, capacity - tail);
        source.get(from, chunk, tail, first);
        if (n > first) {
            source.get(from + first, chunk, 0, n - first);
        }
        size += n;
        releaseIfEmpty();
        return n;
    }

    /** Appends up to {@code length} bytes of {@code source} from {@code from}; returns how many. */
    public int write(byte[] source, int from, int length) {
        int n = Math.min(length, free());
        if (n == 0) {
            return 0;
        }
        ensureChunk();
        int tail = (head + size) % capacity;
        int first = Math.min(n, capacity - tail);
        System.arraycopy(source, from, chunk, tail, first);
        if (n > first) {
            System.arraycopy(source, from + first, chunk, 0, n - first);
        }
        size += n;
        releaseIfEmpty();
        return n;
    }

    /** Copies {@code length} bytes starting {@code skip} bytes into the ring to {@code target} at absolute index {@code to}. */
    public void copyTo(int skip, ByteBuffer target, int to, int length) {
        if (skip < 0 || length < 0 || skip + length > size) {
            throw new IndexOutOfBoundsException("skip " + skip + " length " + length + " size " + size);
        }
        int start = (head + skip) % capacity;
        int first = Math.min(length, capacity - start);
        target.put(to, chunk, start, first);
        if (length > first) {
            target.put(to + first, chunk, 0, length - first);
        }
    }

    /** Copies {@code length} bytes starting {@code skip} bytes into the ring to {@code target}. */
    public void copyTo(int skip, byte[] target, int to, int length) {
        if (skip < 0 || length < 0 || skip + length > size) {
            throw new IndexOutOfBoundsException("skip " + skip + " length " + length + " size " + size);
        }
        int start = (head + skip) % capacity;
        int first = Math.min(length, capacity - start);
        System.arraycopy(chunk, start, target, to, first);
        if (length > first) {
            System.arraycopy(chunk, 0, target, to + first, length - first);
        }
    }

    /** The byte {@code index} bytes from the front, unsigned. */
    public int peek(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " size " + size);
        }
        return chunk[(head + index) % capacity] & 0xff;
    }

    /** Moves up to {@code length} bytes from the front of this ring to the end of {@code target}; returns how many. */
    public int moveTo(ByteRing target, int length) {
        int n = Math.min(Math.min(length, size), target.free());
        int moved = 0;
        while (moved < n) {
            int start = (head + moved) % capacity;
            int run = Math.min(n - moved, capacity - start);
            target.write(chunk, start, run);
            moved += run;
        }
        discard(n);
        return n;
    }

    /** Drops up to {@code length} bytes from the front; returns how many. */
    public int discard(int length) {
        int n = Math.min(length, size);
        head = (head + n) % capacity;
        size -= n;
        releaseIfEmpty();
        return n;
    }

    /** Empties the ring and returns its storage to the pool. */
    public void clear() {
        size = 0;
        releaseIfEmpty();
    }

    private void releaseIfEmpty() {
        if (size == 0 && chunk != null) {
            pool.give(chunk);
            chunk = null;
            head = 0;
        }
    }
}
