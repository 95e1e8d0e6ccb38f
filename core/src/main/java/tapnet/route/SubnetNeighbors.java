package tapnet.route;

import java.nio.ByteBuffer;
import tapnet.collections.LongLongHashMap;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.EthernetFrame;

/**
 * The MACs of the machines on a router's subnet over VXLAN, by address (IPv4, or an IPv6 handle; bounded:
 * {@value #MAX_NEIGHBORS}), and the packets waiting for one: one per address, the latest, at most
 * {@value #WAITING} (as Linux queues a few per unresolved neighbour), each in a buffer made at the start.
 * Engine thread only; nothing allocated per frame.
 */
final class SubnetNeighbors {
    /** Addresses whose MAC is kept at most: the subnet may be a /8, the table may not. */
    static final int MAX_NEIGHBORS = 4_096;
    static final int WAITING = 16;
    /** An address unanswered is asked again when a packet for it comes this long after the last ask (Linux: 1 s). */
    static final long ASK_AGAIN_NANOS = 1_000_000_000L;

    private final SubnetStations stations;
    private final Counters counters;
    private final LongLongHashMap macs = new LongLongHashMap(64, -1);
    private final int[] waitingFor = new int[WAITING];
    private final int[] waitingLength = new int[WAITING];
    private final long[] askedAt = new long[WAITING];
    private final ByteBuffer[] waiting = new ByteBuffer[WAITING];
    private final EthernetFrame ethernet = new EthernetFrame();

    /** @param frameLength the longest wire frame that may wait */
    SubnetNeighbors(SubnetStations stations, Counters counters, int frameLength) {
        this.stations = stations;
        this.counters = counters;
        for (int i = 0; i < WAITING; i++) {
            waiting[i] = ByteBuffer.allocate(frameLength);
            waitingFor[i] = -1;
        }
    }

    /** The MAC of {@code address}, or -1 while unknown. */
    long mac(int address) {
        return macs.get(address & 0xffffffffL);
    }

    /** Whether {@code address}'s MAC is known. */
    boolean knows(int address) {
        return macs.containsKey(address & 0xffffffffL);
    }

    /**
     * Keeps the frame (its source MAC set) until {@code address} is learned, in place of the one that waited
     * for it; true when the address should be asked for now: not asked within {@value #ASK_AGAIN_NANOS} ns.
     */
    boolean wait(int address, ByteBuffer frame, int offset, int length, long now) {
        int slot = slot(address);
        boolean asked = waitingFor[slot] == address && now - askedAt[slot] < ASK_AGAIN_NANOS;
        if (waitingFor[slot] == address && waitingLength[slot] > 0) {
            counters.drop(DropReason.NEIGHBOR_UNRESOLVED); // the one before it gives way: the latest waits
        }
        waiting[slot].put(0, frame, offset, length);
        waitingLength[slot] = length;
        if (asked) {
            return false; // asked a moment ago: the answer is on its way
        }
        waitingFor[slot] = address;
        askedAt[slot] = now;
        return true;
    }

    /** The slot of the packet waiting for {@code address}, or a free one, or the oldest (its packet dropped). */
    private int slot(int address) {
        int free = -1;
        int oldest = 0;
        for (int i = 0; i < WAITING; i++) {
            if (waitingFor[i] == address) {
                return i;
            }
            if (waitingFor[i] == -1 && free < 0) {
                free = i;
            }
            if (askedAt[i] < askedAt[oldest]) {
                oldest = i;
            }
        }
        if (free >= 0) {
            return free;
        }
        counters.drop(DropReason.NEIGHBOR_UNRESOLVED);
        waitingFor[oldest] = -1;
        waitingLength[oldest] = 0;
        return oldest;
    }

    /** Learns {@code address}'s MAC and sends the packet that waited for it, if one did. */
    void learn(int address, long mac, long now) {
        long key = address & 0xffffffffL;
        if (macs.size() >= MAX_NEIGHBORS && !macs.containsKey(key)) {
            counters.increment(Counter.NEIGHBORS_NOT_LEARNED);
        } else {
            macs.put(key, mac);
        }
        for (int i = 0; i < WAITING; i++) {
            if (waitingFor[i] == address) {
                waitingFor[i] = -1;
                askedAt[i] = 0;
                ethernet.wrap(waiting[i], 0, waitingLength[i]).setDestination(mac);
                stations.toStation(mac, waiting[i], 0, waitingLength[i], now);
                waitingLength[i] = 0;
            }
        }
    }
}
