package tapnet.net;

import java.util.ArrayList;
import java.util.List;
import tapnet.collections.LongLongHashMap;
import tapnet.wire.Ipv4Address;

/** Which handler serves which UDP (address, port). Found without allocating: a primitive map to an index. */
final class UdpPorts {
    private final List<UdpHandler> handlers = new ArrayList<>();
    private final LongLongHashMap indexByEndpoint = new LongLongHashMap(64, -1);

    void listen(int address, int port, UdpHandler handler) {
        long key = key(address, port);
        if (indexByEndpoint.containsKey(key)) {
            throw new IllegalArgumentException("UDP port " + port + " is already served on " + Ipv4Address.format(address));
        }
        indexByEndpoint.put(key, handlers.size());
        handlers.add(handler);
    }

    /** The handler on this endpoint, or null. */
    UdpHandler find(int address, int port) {
        int index = (int) indexByEndpoint.get(key(address, port));
        return index < 0 ? null : handlers.get(index);
    }

    private static long key(int address, int port) {
        return ((address & 0xffff_ffffL) << 16) | (port & 0xffff);
    }
}
