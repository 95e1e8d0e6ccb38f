package tapnet.tcp;

import java.util.ArrayList;
import java.util.List;
import tapnet.collections.LongLongHashMap;

/** Which handler listens on which (address, port): the LISTEN state of every virtual host's services. */
public final class ListenerTable {
    private final List<Listener> listeners = new ArrayList<>();
    private final LongLongHashMap indexByEndpoint = new LongLongHashMap(64, -1);

    public void listen(int address, int port, ConnectionHandler handler, boolean noDelay, ConnectionFaults faults) {
        long key = key(address, port);
        if (indexByEndpoint.containsKey(key)) {
            throw new IllegalArgumentException("port " + port + " already has a listener on " + tapnet.wire.Ipv4Address.format(address));
        }
        indexByEndpoint.put(key, listeners.size());
        // Most listeners have no faults: they share the one empty set rather than hold one each (100,000 hosts).
        listeners.add(new Listener(address, port, handler, noDelay, faults.isEmpty() ? ConnectionFaults.none() : faults));
    }

    /**
     * The listener on {@code address:port} listens on {@code alias:port} too: a host's IPv6 addresses share
     * its service, with its faults and counters. Before the engine starts.
     */
    public void alias(int address, int port, int alias) {
        int index = (int) indexByEndpoint.get(key(address, port));
        if (index < 0) {
            throw new IllegalArgumentException("no listener on port " + port + " to share");
        }
        indexByEndpoint.put(key(alias, port), index);
    }

    /** The listener on this endpoint, or null. */
    public Listener find(int address, int port) {
        int index = (int) indexByEndpoint.get(key(address, port));
        return index < 0 ? null : listeners.get(index);
    }

    /** How many listeners there are; {@link #get} takes 0 to this, in the order they were made. */
    public int size() {
        return listeners.size();
    }

    public Listener get(int index) {
        return listeners.get(index);
    }

    private static long key(int address, int port) {
        return ((address & 0xffff_ffffL) << 16) | (port & 0xffff);
    }
}
