package tapnet.buffer;

/**
 * Fixed-size byte arrays lent to connections' send and receive buffers while those hold data. Memory follows
 * what is actually buffered, not the number of connections, and is bounded: past {@code maxChunks} a
 * buffer simply has no room (its window closes) instead of the heap growing. Chunks are made on first need
 * and then recycled, so steady state allocates nothing.
 */
public final class ChunkPool {
    /** Small enough that a connection holding a few bytes pins little; large enough for few boundaries per segment. */
    public static final int DEFAULT_CHUNK_SIZE = 4096;

    private final int chunkSize;
    private final int maxChunks;
    private final byte[][] free;
    private int freeCount;
    private int created;

    public ChunkPool(int chunkSize, int maxChunks) {
        if (chunkSize <= 0 || maxChunks <= 0) {
            throw new IllegalArgumentException("chunk size and count must be positive");
        }
        this.chunkSize = chunkSize;
        this.maxChunks = maxChunks;
        this.free = new byte[maxChunks][];
    }

    public int chunkSize() {
        return chunkSize;
    }

    /** A chunk, or null when all {@code maxChunks} are lent out. */
    public byte[] take() {
        if (freeCount > 0) {
            byte[] chunk = free[--freeCount];
            free[freeCount] = null;
            return chunk;
        }
        if (created < maxChunks) {
            created++;
            return new byte[chunkSize];
        }
        return null;
    }

    /** How many chunks {@link #take()} can still hand out. */
    public int available() {
        return freeCount + (maxChunks - created);
    }

    public void give(byte[] chunk) {
        free[freeCount++] = chunk;
    }

    /** Chunks lent out now. */
    public int inUse() {
        return created - freeCount;
    }
}
