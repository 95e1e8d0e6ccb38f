package tapnet.net;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.time.Deadline;

/**
 * Datagrams being put together from their fragments (RFC 791 §3.2, RFC 815), whatever the IP version: a
 * datagram is known by (source, destination, identification, protocol), a fragment by its payload's byte
 * offset, length and whether more follow. The headers in front of the first fragment's payload (offset 0)
 * are kept, so that the caller makes the whole datagram of them and the payload.
 *
 * <p>Bounded by the same 4 MiB as Linux ({@code ipfrag_high_thresh}): {@value #SLOTS} slots of 64 KiB, each
 * able to hold the largest datagram, so that fragments are copied once into place and nothing is allocated
 * or moved per fragment. Linux counts bytes and so keeps more small datagrams at once; 64 at a time is
 * plenty for a test network and bounds a flood. A fragment of a new datagram while all slots are taken is
 * refused ({@link Result#MEMORY_FULL}); the datagrams in progress go on. A slot's buffer is made the first
 * time the slot is used and kept: a run that never sees 64 datagrams at once never holds 4 MiB. Overlaps as Linux treats them ({@code inet_frag_queue_insert}): a fragment that
 * repeats one exactly is dropped alone, any other overlap drops the datagram. Each datagram has
 * {@value #TIMEOUT_SECONDS} s from its first fragment ({@code ipfrag_time}). Engine thread only.
 */
public final class FragmentReassembly {
    /** Datagrams reassembled at once: with {@link #MAX_PAYLOAD} bytes each, Linux's 4 MiB. */
    public static final int SLOTS = 64;
    public static final int TIMEOUT_SECONDS = 30;
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    /** The longest payload kept: an IPv4 datagram's 65,535 bytes less its shortest header. */
    public static final int MAX_PAYLOAD = 65_535 - 20;
    /** Room before the payload for the first fragment's headers (Ethernet and IPv4 with options: 74 bytes). */
    public static final int HEADROOM = 128;
    /** Fragment offsets count 8-byte blocks: one bit per block. */
    private static final int BLOCKS = (MAX_PAYLOAD + 7) / 8 + 1;
    private static final int WORDS = (BLOCKS + 63) / 64;

    /** What became of a fragment. */
    public enum Result {
        /** Kept; its datagram waits for more. */
        KEPT,
        /** It completed its datagram: {@link #completed()} is the slot to read, then {@link #release}. */
        COMPLETE,
        /** The same bytes came before: this copy is dropped, the datagram goes on. */
        DUPLICATE,
        /** It overlaps another fragment without repeating it: the datagram is dropped. */
        OVERLAP,
        /** Its lengths contradict the datagram's (or itself): the datagram is dropped. */
        INCONSISTENT,
        /** It starts a datagram while every slot is taken: dropped. */
        MEMORY_FULL
    }

    private final ByteBuffer[] buffers = new ByteBuffer[SLOTS];
    private final boolean[] used = new boolean[SLOTS];
    private final int[] sources = new int[SLOTS];
    private final int[] destinations = new int[SLOTS];
    private final int[] identifications = new int[SLOTS];
    private final int[] protocols = new int[SLOTS];
    private final long[] deadlines = new long[SLOTS];
    /** Bytes of payload received (fragments never overlap once kept), the highest end seen, the end a last fragment gave (-1: none yet). */
    private final int[] received = new int[SLOTS];
    private final int[] highestEnd = new int[SLOTS];
    private final int[] lastEnd = new int[SLOTS];
    /** The length of the first fragment's headers, kept just before the payload; 0 until it came. */
    private final int[] headerLengths = new int[SLOTS];
    /** Per slot: the blocks received, the blocks where a fragment starts, the block boundaries where one ends. */
    private final long[][] covered = new long[SLOTS][WORDS];
    private final long[][] starts = new long[SLOTS][WORDS];
    private final long[][] ends = new long[SLOTS][WORDS];
    private int inUse;
    private int completed = -1;

    /**
     * Adds a fragment: {@code length} bytes of payload at {@code payloadAt} in {@code buffer}, at byte
     * {@code offset} of its datagram's payload; when {@code offset} is 0, the {@code headerLength} bytes at
     * {@code headerAt} are its headers, kept. {@code maxPayload}: the longest payload the datagram may have.
     */
    public Result add(int source, int destination, int identification, int protocol, ByteBuffer buffer,
                      int headerAt, int headerLength, int payloadAt, int offset, int length, boolean more,
                      int maxPayload, long now) {
        int end = offset + length;
        int slot = find(source, destination, identification, protocol);
        if (length == 0 || end > Math.min(maxPayload, MAX_PAYLOAD) || more && (end & 7) != 0
                || offset == 0 && headerLength > HEADROOM || (offset & 7) != 0) {
            release(slot);
            return Result.INCONSISTENT;
        }
        if (slot < 0) {
            slot = claim(source, destination, identification, protocol, now);
            if (slot < 0) {
                return Result.MEMORY_FULL;
            }
        }
        // ip_frag_queue: a last fragment may not end before data already seen, nor a second last elsewhere;
        // no fragment may go past a known end
        if (!more && (end < highestEnd[slot] || lastEnd[slot] >= 0 && end != lastEnd[slot])
                || more && lastEnd[slot] >= 0 && end > lastEnd[slot]) {
            release(slot);
            return Result.INCONSISTENT;
        }
        int first = offset >>> 3;
        int after = (end + 7) >>> 3;
        if (anySet(covered[slot], first, after)) {
            if (isSet(starts[slot], first) && isSet(ends[slot], after) && !anySet(starts[slot], first + 1, after)) {
                return Result.DUPLICATE;
            }
            release(slot);
            return Result.OVERLAP;
        }
        setRange(covered[slot], first, after);
        set(starts[slot], first);
        set(ends[slot], after);
        ByteBuffer kept = buffers[slot];
        kept.put(HEADROOM + offset, buffer, payloadAt, length);
        if (offset == 0) {
            kept.put(HEADROOM - headerLength, buffer, headerAt, headerLength);
            headerLengths[slot] = headerLength;
        }
        received[slot] += length;
        highestEnd[slot] = Math.max(highestEnd[slot], end);
        if (!more) {
            lastEnd[slot] = end;
        }
        if (lastEnd[slot] >= 0 && received[slot] == lastEnd[slot]) {
            completed = slot;
            return Result.COMPLETE;
        }
        return Result.KEPT;
    }

    /**
     * Counts what became of a fragment that neither completed its datagram nor was simply kept (a copy,
     * an overlap, inconsistent lengths, no room); true for {@link Result#COMPLETE}.
     */
    public static boolean completes(Result result, Counters counters) {
        switch (result) {
            case DUPLICATE -> counters.drop(DropReason.FRAGMENT_DUPLICATE);
            case OVERLAP -> counters.drop(DropReason.FRAGMENT_OVERLAP);
            case INCONSISTENT -> counters.drop(DropReason.FRAGMENT_INCONSISTENT);
            case MEMORY_FULL -> counters.drop(DropReason.FRAGMENT_MEMORY_FULL);
            default -> {
            }
        }
        return result == Result.COMPLETE;
    }

    /** The slot the last {@link Result#COMPLETE} completed. */
    public int completed() {
        return completed;
    }

    /** The buffer of {@code slot}: its headers end, and its payload starts, at {@link #HEADROOM}. */
    public ByteBuffer buffer(int slot) {
        return buffers[slot];
    }

    /** The length of the first fragment's headers in {@code slot}, before {@link #HEADROOM}; 0 until it came. */
    public int headerLength(int slot) {
        return headerLengths[slot];
    }

    /** The payload's length: whole once complete; before, the bytes up to the highest end seen. */
    public int payloadLength(int slot) {
        return lastEnd[slot] >= 0 ? lastEnd[slot] : highestEnd[slot];
    }

    public int destination(int slot) {
        return destinations[slot];
    }

    public int protocol(int slot) {
        return protocols[slot];
    }

    /** Datagrams in progress. */
    public int inUse() {
        return inUse;
    }

    /** Frees {@code slot} (nothing when negative): its datagram is done or dropped. */
    public void release(int slot) {
        if (slot < 0 || !used[slot]) {
            return;
        }
        used[slot] = false;
        inUse--;
        if (completed == slot) {
            completed = -1;
        }
    }

    /** When the next datagram in progress times out, or {@link Deadline#NONE}. */
    public long nextDeadline() {
        long next = Deadline.NONE;
        for (int slot = 0; inUse > 0 && slot < SLOTS; slot++) {
            if (used[slot]) {
                next = Math.min(next, deadlines[slot]);
            }
        }
        return next;
    }

    /** A slot whose datagram's time ran out by {@code now} (read it, then {@link #release} it), or -1. */
    public int expired(long now) {
        for (int slot = 0; inUse > 0 && slot < SLOTS; slot++) {
            if (used[slot] && deadlines[slot] <= now) {
                return slot;
            }
        }
        return -1;
    }

    private int find(int source, int destination, int identification, int protocol) {
        for (int slot = 0; inUse > 0 && slot < SLOTS; slot++) {
            if (used[slot] && identifications[slot] == identification && sources[slot] == source
                    && destinations[slot] == destination && protocols[slot] == protocol) {
                return slot;
            }
        }
        return -1;
    }

    private int claim(int source, int destination, int identification, int protocol, long now) {
        for (int slot = 0; slot < SLOTS; slot++) {
            if (!used[slot]) {
                if (buffers[slot] == null) {
                    buffers[slot] = ByteBuffer.allocate(HEADROOM + MAX_PAYLOAD);
                }
                used[slot] = true;
                inUse++;
                sources[slot] = source;
                destinations[slot] = destination;
                identifications[slot] = identification;
                protocols[slot] = protocol;
                deadlines[slot] = now + TIMEOUT_NANOS;
                received[slot] = 0;
                highestEnd[slot] = 0;
                lastEnd[slot] = -1;
                headerLengths[slot] = 0;
                Arrays.fill(covered[slot], 0);
                Arrays.fill(starts[slot], 0);
                Arrays.fill(ends[slot], 0);
                return slot;
            }
        }
        return -1;
    }

    private static boolean isSet(long[] bits, int index) {
        return (bits[index >>> 6] & 1L << index) != 0;
    }

    private static void set(long[] bits, int index) {
        bits[index >>> 6] |= 1L << index;
    }

    /** Whether any bit in [from, to) is set. */
    private static boolean anySet(long[] bits, int from, int to) {
        for (int i = from; i < to; ) {
            int word = i >>> 6;
            int last = Math.min(to, (word + 1) << 6);
            long mask = rangeMask(i, last);
            if ((bits[word] & mask) != 0) {
                return true;
            }
            i = last;
        }
        return false;
    }

    private static void setRange(long[] bits, int from, int to) {
        for (int i = from; i < to; ) {
            int word = i >>> 6;
            int last = Math.min(to, (word + 1) << 6);
            bits[word] |= rangeMask(i, last);
            i = last;
        }
    }

    /** The bits [from, to) of one word, both in the same word (to may be its end). */
    private static long rangeMask(int from, int to) {
        int count = to - from;
        long ones = count == 64 ? -1L : (1L << count) - 1;
        return ones << (from & 63);
    }
}
