package tapnet.net;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import tapnet.collections.LongLongHashMap;
import tapnet.wire.Ipv4Address;

/** Which handler serves which UDP (address, port). Found without allocating: a primitive map to an index. */
final class UdpPorts {
    /** RFC 6335 §6: the dynamic ports, where a client's own ports come from. */
    static final int FIRST_DYNAMIC = 49152;
    private static final int DYNAMIC_PORTS = 65536 - FIRST_DYNAMIC;

    private final List<UdpHandler> handlers = new ArrayList<>();
    private final LongLongHashMap indexByEndpoint = new LongLongHashMap(64, -1);
    /** Handlers stopped live (by index): their datagrams meet port unreachable, as if none listened. */
    private final BitSet stopped = new BitSet();
    private int nextDynamic;

    void listen(int address, int port, UdpHandler handler) {
        long key = key(address, port);
        if (indexByEndpoint.containsKey(key)) {
            throw new IllegalArgumentException("UDP port " + port + " is already served on " + Ipv4Address.format(address));
        }
        indexByEndpoint.put(key, handlers.size());
        handlers.add(handler);
    }

    /** Serves a free dynamic port of {@code address} with {@code handler}: the port, or -1 when all are taken. */
    int bindDynamic(int address, UdpHandler handler) {
        for (int tried = 0; tried < DYNAMIC_PORTS; tried++) {
            int port = FIRST_DYNAMIC + nextDynamic;
            nextDynamic = (nextDynamic + 1) % DYNAMIC_PORTS;
            if (index(address, port) < 0) {
                listen(address, port, handler);
                return port;
            }
        }
        return -1;
    }

    /** The handler on this endpoint, or null: none listens there, or it is stopped. */
    UdpHandler find(int address, int port) {
        int index = index(address, port);
        return index < 0 || stopped.get(index) ? null : handlers.get(index);
    }

    /** Stops the handler on this endpoint ({@code serving} false) or starts it again; false when there is none. */
    boolean serve(int address, int port, boolean serving) {
        int index = index(address, port);
        if (index >= 0) {
            stopped.set(index, !serving);
        }
        return index >= 0;
    }

    private int index(int address, int port) {
        return (int) indexByEndpoint.get(key(address, port));
    }

    private static long key(int address, int port) {
        return ((address & 0xffff_ffffL) << 16) | (port & 0xffff);
    }
}
