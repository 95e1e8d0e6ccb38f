package tapnet.tcp;

import java.util.ArrayList;
import java.util.List;
import tapnet.collections.LongLongHashMap;

/** Which handler listens on which (address, port): the LISTEN state of every virtual host's services. */
public final class ListenerTable {
    private final List<ConnectionHandler> handlers = new ArrayList<>();
    private final LongLongHashMap indexByEndpoint = new LongLongHashMap(64, -1);

    public void listen(int address, int port, ConnectionHandler handler) {
        long key = key(address, port);
        if (indexByEndpoint.containsKey(key)) {
            throw new IllegalArgumentException("port " + port + " already has a listener on " + tapnet.wire.Ipv4Address.format(address));
        }
        indexByEndpoint.put(key, handlers.size());
        handlers.add(handler);
    }

    /** The handler listening on this endpoint, or null. */
    public ConnectionHandler find(int address, int port) {
        int index = (int) indexByEndpoint.get(key(address, port));
        return index < 0 ? null : handlers.get(index);
    }

    private static long key(int address, int port) {
        return ((address & 0xffff_ffffL) << 16) | (port & 0xffff);
    }
}
