package tapnet.net;

import tapnet.collections.LongLongHashMap;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.wire.Ipv6Addresses;

/**
 * IPv4 address to MAC, learned from ARP (RFC 826's "merge" step) so that virtual hosts can address
 * frames to peers they did not hear from first. Bounded, since any frame on the segment can teach it:
 * it learns only senders on the segment's own subnet (when told which, {@link #limitTo}; a sender
 * elsewhere is no neighbour, as Linux's ARP has it), and holds at most {@code capacity} entries, evicting
 * the one learned longest ago to make room (first in, first out; re-learning a known address keeps its
 * place). Evictions are counted; a peer evicted and heard again is simply learned again. Engine thread
 * only; nothing allocated once built.
 */
public final class NeighborTable {
    /** Entries at most by default: four times Linux's default gc_thresh3 (1024 per machine). */
    public static final int DEFAULT_CAPACITY = 4096;
    private static final long UNKNOWN = -1;

    private final int capacity;
    private final Counters counters;
    private final LongLongHashMap macByAddress;
    /** The addresses in the order they were learned, a ring: the oldest is evicted first. */
    private final int[] order;
    private int oldest;
    private long evicted;
    private int network;
    private int mask; // 0: any sender is on the segment

    public NeighborTable(Counters counters) {
        this(DEFAULT_CAPACITY, counters);
    }

    /** Counts its evictions and the senders it would not learn into {@code counters}. */
    public NeighborTable(int capacity, Counters counters) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a neighbour table holds at least one entry: " + capacity);
        }
        this.capacity = capacity;
        this.counters = counters;
        this.macByAddress = new LongLongHashMap(capacity, UNKNOWN);
        this.order = new int[capacity];
    }

    /** Learns only senders whose address lies in {@code network}/{@code prefixLength}. Before traffic. */
    public void limitTo(int network, int prefixLength) {
        this.mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        this.network = network & mask;
    }

    /** Whether {@code address} is on the segment's subnet: the only senders learned. */
    public boolean onSegment(int address) {
        return Ipv6Addresses.isHandle(address) || (address & mask) == network; // IPv6: the caller checks on-link
    }

    /**
     * Learns that {@code address} is at {@code mac}; false, learning nothing, for an address off the
     * segment. A new address in a full table evicts the oldest.
     */
    public boolean learn(int address, long mac) {
        if (!onSegment(address)) {
            counters.increment(Counter.ARP_SENDERS_OFF_SEGMENT);
            return false;
        }
        long key = address & 0xffffffffL;
        if (macByAddress.containsKey(key)) {
            macByAddress.put(key, mac);
            return true;
        }
        int size = macByAddress.size();
        if (size == capacity) {
            macByAddress.remove(order[oldest] & 0xffffffffL);
            order[oldest] = address;
            oldest = (oldest + 1) % capacity;
            evicted++;
            counters.increment(Counter.NEIGHBORS_EVICTED);
        } else {
            order[(oldest + size) % capacity] = address;
        }
        macByAddress.put(key, mac);
        return true;
    }

    /** The MAC for {@code address}, or -1 when not known. */
    public long lookup(int address) {
        return macByAddress.get(address & 0xffffffffL);
    }

    public boolean knows(int address) {
        return macByAddress.containsKey(address & 0xffffffffL);
    }

    public int size() {
        return macByAddress.size();
    }

    public int capacity() {
        return capacity;
    }

    /** Entries evicted to make room for newer ones, since the start. */
    public long evicted() {
        return evicted;
    }
}
