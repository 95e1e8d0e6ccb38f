package tapnet.net;

import tapnet.collections.LongLongHashMap;

/**
 * IPv4 address to MAC, learned from ARP (RFC 826's "merge" step) so that virtual hosts can address
 * frames to peers they did not hear from first.
 */
public final class NeighborTable {
    private static final long UNKNOWN = -1;
    private final LongLongHashMap macByAddress = new LongLongHashMap(256, UNKNOWN);

    public void learn(int address, long mac) {
        macByAddress.put(address, mac);
    }

    /** The MAC for {@code address}, or -1 when not known. */
    public long lookup(int address) {
        return macByAddress.get(address);
    }

    public boolean knows(int address) {
        return macByAddress.containsKey(address);
    }

    public int size() {
        return macByAddress.size();
    }
}
