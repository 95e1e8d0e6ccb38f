package tapnet.net;

import tapnet.collections.LongLongHashMap;
import tapnet.node.VirtualHost;

/**
 * Pings virtual hosts sent and still wait for, keyed by (host, identifier, sequence): a fixed ring of
 * {@link #CAPACITY} entries. When every entry waits, a new ping takes the oldest one's place and that one
 * is never heard of (its caller times it out). A ping whose neighbour's MAC is unknown waits here for ARP.
 * Allocates nothing once built. Engine thread only.
 */
final class PingTable {
    static final int CAPACITY = 1024;
    private static final int FREE = -1;

    private final LongLongHashMap slotByKey = new LongLongHashMap(CAPACITY, FREE);
    private final long[] keys = new long[CAPACITY];
    private final PingListener[] listeners = new PingListener[CAPACITY];
    private final VirtualHost[] hosts = new VirtualHost[CAPACITY];
    private final int[] addresses = new int[CAPACITY];
    private final int[] payloads = new int[CAPACITY];
    private final long[] askedAt = new long[CAPACITY];
    private final boolean[] awaitingArp = new boolean[CAPACITY];
    private int awaitingCount;
    private int next;

    private static long key(int hostIndex, int identifier, int sequence) {
        return (long) hostIndex << 32 | (identifier & 0xffffL) << 16 | (sequence & 0xffff);
    }

    /** Records a ping; returns its slot. The same (host, identifier, sequence) still waiting is replaced. */
    int add(VirtualHost host, int address, int identifier, int sequence, int payloadBytes, PingListener listener,
            long nowNanos, boolean waitsForArp) {
        long key = key(host.index(), identifier, sequence);
        int same = (int) slotByKey.get(key);
        if (same != FREE) {
            free(same);
        }
        int slot = next;
        next = (next + 1) % CAPACITY;
        if (listeners[slot] != null) {
            free(slot); // the oldest still waiting: overwritten
        }
        keys[slot] = key;
        listeners[slot] = listener;
        hosts[slot] = host;
        addresses[slot] = address;
        payloads[slot] = payloadBytes;
        askedAt[slot] = nowNanos;
        awaitingArp[slot] = waitsForArp;
        if (waitsForArp) {
            awaitingCount++;
        }
        slotByKey.put(key, slot);
        return slot;
    }

    /** The slot of the ping {@code host} sent with this identifier and sequence, or -1. */
    int find(VirtualHost host, int identifier, int sequence) {
        int slot = (int) slotByKey.get(key(host.index(), identifier, sequence));
        return slot == FREE || awaitingArp[slot] ? FREE : slot;
    }

    /** Takes the ping in {@code slot} out of the table; returns its listener. */
    PingListener take(int slot) {
        PingListener listener = listeners[slot];
        free(slot);
        return listener;
    }

    long askedAt(int slot) {
        return askedAt[slot];
    }

    int sequence(int slot) {
        return (int) (keys[slot] & 0xffff);
    }

    int identifier(int slot) {
        return (int) (keys[slot] >>> 16 & 0xffff);
    }

    VirtualHost host(int slot) {
        return hosts[slot];
    }

    int payload(int slot) {
        return payloads[slot];
    }

    /** Whether some ping waits for ARP. */
    boolean anyAwaitingArp() {
        return awaitingCount > 0;
    }

    /** Whether the ping in {@code slot} waits for the MAC of {@code address}; if so, it waits no more. */
    boolean resolves(int slot, int address) {
        if (listeners[slot] == null || !awaitingArp[slot] || addresses[slot] != address) {
            return false;
        }
        awaitingArp[slot] = false;
        awaitingCount--;
        return true;
    }

    /** Forgets every ping of {@code host} (it stopped): their listeners hear nothing. */
    void forget(VirtualHost host) {
        for (int slot = 0; slot < CAPACITY; slot++) {
            if (listeners[slot] != null && hosts[slot].index() == host.index()) {
                free(slot);
            }
        }
    }

    private void free(int slot) {
        slotByKey.remove(keys[slot]);
        if (awaitingArp[slot]) {
            awaitingArp[slot] = false;
            awaitingCount--;
        }
        listeners[slot] = null;
        hosts[slot] = null;
    }
}
