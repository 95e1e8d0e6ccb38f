package tapnet.buffer;

import java.nio.ByteBuffer;

/**
 * A byte FIFO of fixed capacity laid over chunks borrowed from a {@link ChunkPool}: a chunk is taken when
 * the first byte lands in it and given back when the last byte leaves it, so an idle connection holds no
 * memory and a busy one holds what it buffers, rounded up to chunks. Reads at an offset without consuming
 * serve TCP retransmission: the send buffer keeps bytes until they are acknowledged.
 *
 * <p>Positions live in a circle of {@code capacity} bytes; byte position p is in chunk slot
 * {@code p / chunkSize}, at offset {@code p % chunkSize}.
 */
public final class ByteRing {
    private final ChunkPool pool;
    private final int chunkSize;
    private final int capacity;
    private final byte[][] chunks;
    private int head;
    private int size;
    /** Bytes past {@link #size} that hold data written ahead (out of order), still not readable. */
    private int ahead;

    /** @param capacity bytes the ring holds at most; rounded up to whole chunks */
    public ByteRing(ChunkPool pool, int capacity) {
        this.pool = pool;
        this.chunkSize = pool.chunkSize();
        int slots = Math.max(1, (capacity + chunkSize - 1) / chunkSize);
        this.chunks = new byte[slots][];
        this.capacity = slots * chunkSize;
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
     * Room for more bytes: what the ring's capacity leaves, as far as the chunks it holds and the pool's
     * spare chunks can carry. An exhausted pool closes the window rather than failing.
     */
    public int free() {
        int room = capacity - size;
        int tail = (head + size) % capacity;
        int inTailChunk = chunks[tail / chunkSize] != null && size > 0 ? chunkSize - tail % chunkSize : 0;
        long backed = inTailChunk + (long) pool.available() * chunkSize;
        return (int) Math.min(room, backed);
    }

    /**
     * Appends up to {@code length} bytes from {@code source} at absolute index {@code from}; returns how many.
     * Bytes stored ahead are overwritten as the readable end passes over them (TCP writes the same bytes).
     */
    public int write(ByteBuffer source, int from, int length) {
        int n = Math.min(length, free());
        int done = 0;
        while (done < n) {
            int position = (head + size) % capacity;
            byte[] chunk = chunkFor(position);
            int at = position % chunkSize;
            int run = Math.min(n - done, chunkSize - at);
            source.get(from + done, chunk, at, run);
            size += run;
            done += run;
        }
        ahead = Math.max(0, ahead - n);
        return n;
    }

    /** Appends up to {@code length} bytes of {@code source} from {@code from}; returns how many. */
    public int write(byte[] source, int from, int length) {
        int n = Math.min(length, free());
        int done = 0;
        while (done < n) {
            int position = (head + size) % capacity;
            byte[] chunk = chunkFor(position);
            int at = position % chunkSize;
            int run = Math.min(n - done, chunkSize - at);
            System.arraycopy(source, from + done, chunk, at, run);
            size += run;
            done += run;
        }
        ahead = Math.max(0, ahead - n);
        return n;
    }

    /**
     * Stores {@code length} bytes {@code skip} bytes past the end of the readable bytes, without making them
     * readable: TCP keeps out-of-order data here until the gap before it is filled, then {@link #extend}s.
     * Returns how many bytes were stored from the start of the range (fewer when capacity or the pool ends).
     */
    public int writeAhead(int skip, ByteBuffer source, int from, int length) {
        int room = capacity - size - skip;
        int n = Math.min(length, room);
        int done = 0;
        while (done < n) {
            int position = (head + size + skip + done) % capacity;
            int slot = position / chunkSize;
            if (chunks[slot] == null) {
                byte[] chunk = pool.take();
                if (chunk == null) {
                    break;
                }
                chunks[slot] = chunk;
            }
            int at = position % chunkSize;
            int run = Math.min(n - done, chunkSize - at);
            source.get(from + done, chunks[slot], at, run);
            done += run;
        }
        ahead = Math.max(ahead, skip + done);
        return done;
    }

    /** Makes {@code n} bytes already stored ahead readable (the gap before them was filled). */
    public void extend(int n) {
        if (n < 0 || n > ahead) {
            throw new IndexOutOfBoundsException("extend " + n + " but " + ahead + " bytes are stored ahead");
        }
        size += n;
        ahead -= n;
    }

    /** Forgets bytes stored ahead (keeps the readable ones). */
    public void dropAhead() {
        ahead = 0;
        for (int slot = 0; slot < chunks.length; slot++) {
            if (!occupies(slot)) {
                release(slot);
            }
        }
    }

    /** Copies {@code length} bytes starting {@code skip} bytes into the ring to {@code target} at absolute index {@code to}. */
    public void copyTo(int skip, ByteBuffer target, int to, int length) {
        checkRange(skip, length);
        int done = 0;
        while (done < length) {
            int position = (head + skip + done) % capacity;
            int at = position % chunkSize;
            int run = Math.min(length - done, chunkSize - at);
            target.put(to + done, chunks[position / chunkSize], at, run);
            done += run;
        }
    }

    /** Copies {@code length} bytes starting {@code skip} bytes into the ring to {@code target}. */
    public void copyTo(int skip, byte[] target, int to, int length) {
        checkRange(skip, length);
        int done = 0;
        while (done < length) {
            int position = (head + skip + done) % capacity;
            int at = position % chunkSize;
            int run = Math.min(length - done, chunkSize - at);
            System.arraycopy(chunks[position / chunkSize], at, target, to + done, run);
            done += run;
        }
    }

    /** The byte {@code index} bytes from the front, unsigned. */
    public int peek(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " size " + size);
        }
        int position = (head + index) % capacity;
        return chunks[position / chunkSize][position % chunkSize] & 0xff;
    }

    /** Moves up to {@code length} bytes from the front of this ring to the end of {@code target}; returns how many. */
    public int moveTo(ByteRing target, int length) {
        int n = Math.min(Math.min(length, size), target.free());
        int moved = 0;
        while (moved < n) {
            int position = head % capacity;
            int at = position % chunkSize;
            int run = Math.min(n - moved, chunkSize - at);
            target.write(chunks[position / chunkSize], at, run);
            discard(run);
            moved += run;
        }
        return n;
    }

    /** Drops up to {@code length} bytes from the front; returns how many. */
    public int discard(int length) {
        int n = Math.min(length, size);
        int done = 0;
        while (done < n) {
            int at = head % chunkSize;
            int run = Math.min(n - done, chunkSize - at);
            int slot = head / chunkSize;
            head = (head + run) % capacity;
            size -= run;
            done += run;
            if (at + run == chunkSize && !occupies(slot)) {
                release(slot);
            }
        }
        if (size == 0 && ahead == 0) {
            clear();
        }
        return n;
    }

    /** Empties the ring and returns its chunks to the pool. */
    public void clear() {
        for (int slot = 0; slot < chunks.length; slot++) {
            release(slot);
        }
        head = 0;
        size = 0;
        ahead = 0;
    }

    /** Chunks held now. */
    public int chunksHeld() {
        int held = 0;
        for (byte[] chunk : chunks) {
            if (chunk != null) {
                held++;
            }
        }
        return held;
    }

    private byte[] chunkFor(int position) {
        int slot = position / chunkSize;
        byte[] chunk = chunks[slot];
        if (chunk == null) {
            chunk = pool.take(); // free() promised one
            chunks[slot] = chunk;
        }
        return chunk;
    }

    /** Whether any buffered byte, readable or stored ahead, lies in chunk slot {@code slot}. */
    private boolean occupies(int slot) {
        int extent = size + ahead;
        if (extent == 0) {
            return false;
        }
        int first = head / chunkSize;
        int distance = Math.floorMod(slot - first, chunks.length) * chunkSize - head % chunkSize;
        return distance < extent;
    }

    private void release(int slot) {
        if (chunks[slot] != null) {
            pool.give(chunks[slot]);
            chunks[slot] = null;
        }
    }

    private void checkRange(int skip, int length) {
        if (skip < 0 || length < 0 || skip + length > size) {
            throw new IndexOutOfBoundsException("skip " + skip + " length " + length + " size " + size);
        }
    }
}
