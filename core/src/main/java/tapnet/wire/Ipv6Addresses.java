package tapnet.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The IPv6 addresses the engine knows, each named by a 32-bit handle, so that every layer above the wire
 * (the host table, TCP's 4-tuples, UDP's ports, neighbours, partitions, routers) keeps one {@code int}
 * address for both families. A handle lies in 240.0.0.0/4, which IPv4 reserves (RFC 6890) and tapnet takes
 * neither as a node's address nor from the wire ({@link #isHandle}), so no IPv4 address is ever mistaken
 * for one.
 *
 * <p>The nodes' own addresses are added before the engine starts; peers' addresses are added on the engine
 * thread as their packets are accepted. The table is bounded: when it is full a new address gets
 * {@link #NONE} and its packet is dropped (counted by the caller). Entries are never taken back, so a handle
 * always names the same address. Other threads may {@link #format} handles: an entry is written before the
 * volatile count that publishes it.
 */
public final class Ipv6Addresses {
    /** No address: 0.0.0.0 is never a handle. */
    public static final int NONE = 0;
    /** Peers' addresses a run takes at most, nodes' own included. */
    public static final int DEFAULT_CAPACITY = 65_536;
    private static final int BASE = 0xf000_0000;
    private static final int EMPTY = -1;

    private final long[] high;
    private final long[] low;
    private final int[] index;
    private final int mask;
    private volatile int count;

    public Ipv6Addresses() {
        this(DEFAULT_CAPACITY);
    }

    public Ipv6Addresses(int capacity) {
        if (capacity < 1 || capacity > 0x0fff_fff0) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.high = new long[capacity];
        this.low = new long[capacity];
        int size = Integer.highestOneBit(capacity * 2 - 1) << 1;
        this.index = new int[size];
        Arrays.fill(index, EMPTY);
        this.mask = size - 1;
    }

    /** Whether an {@code int} address is a handle (IPv6), not an IPv4 address; 255.255.255.255 is not. */
    public static boolean isHandle(int address) {
        return (address >>> 28) == 0xf && address != Ipv4Address.BROADCAST;
    }

    /** The handle of high/low, added when new; {@link #NONE} when the table is full. Engine thread only. */
    public int intern(long high, long low) {
        int at = probe(high, low);
        if (index[at] != EMPTY) {
            return BASE | index[at];
        }
        int n = count;
        if (n == this.high.length) {
            return NONE;
        }
        this.high[n] = high;
        this.low[n] = low;
        index[at] = n;
        count = n + 1;
        return BASE | n;
    }

    /** The handle of the 16 bytes at {@code at}, added when new; {@link #NONE} when full. */
    public int intern(ByteBuffer buffer, int at) {
        return intern(buffer.getLong(at), buffer.getLong(at + 8));
    }

    /** The handle of high/low, or {@link #NONE} when the table does not hold it. */
    public int find(long high, long low) {
        int entry = index[probe(high, low)];
        return entry == EMPTY ? NONE : BASE | entry;
    }

    /** The handle of the 16 bytes at {@code at}, or {@link #NONE}. */
    public int find(ByteBuffer buffer, int at) {
        return find(buffer.getLong(at), buffer.getLong(at + 8));
    }

    private int probe(long high, long low) {
        long h = (high * 0x9e37_79b9_7f4a_7c15L) ^ (low * 0xc2b2_ae3d_27d4_eb4fL);
        int at = (int) (h ^ (h >>> 32)) & mask;
        while (index[at] != EMPTY && (this.high[index[at]] != high || this.low[index[at]] != low)) {
            at = (at + 1) & mask;
        }
        return at;
    }

    public long high(int handle) {
        return high[handle & ~BASE];
    }

    public long low(int handle) {
        return low[handle & ~BASE];
    }

    /** Writes the address of {@code handle} as 16 bytes at {@code at}. */
    public void write(int handle, ByteBuffer buffer, int at) {
        buffer.putLong(at, high(handle));
        buffer.putLong(at + 8, low(handle));
    }

    /** Unfolded sum of the address's eight 16-bit words, two at a time: its part of a checksum. */
    public long sum(int handle) {
        long h = high(handle);
        long l = low(handle);
        return (h >>> 32) + (h & 0xffff_ffffL) + (l >>> 32) + (l & 0xffff_ffffL);
    }

    /** Addresses held, nodes' and peers'. */
    public int size() {
        return count;
    }

    public int capacity() {
        return high.length;
    }

    /** The address a handle names (IPv6 text), or an IPv4 address as dotted quad. Any thread. */
    public String format(int address) {
        if (!isHandle(address)) {
            return Ipv4Address.format(address);
        }
        int entry = address & ~BASE;
        return entry < count ? Ipv6Address.format(high[entry], low[entry]) : "unknown-ipv6-" + entry;
    }
}
