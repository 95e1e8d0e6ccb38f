package tapnet.tcp;

import java.util.Arrays;
import java.util.function.IntFunction;
import tapnet.buffer.ChunkPool;

/**
 * Connection slots, allocated once, and an index from the 4-tuple to a slot: open addressing with linear
 * probing over an {@code int[]}, no boxing, backward-shift deletion so churn leaves no tombstones. The hash
 * is salted so that outsiders cannot aim many tuples at one probe run.
 */
public final class ConnectionTable {
    private static final int EMPTY = -1;
    private final TcpConnection[] connections;
    private final int[] freeIds;
    private int freeCount;
    private final int[] index;
    private final int mask;
    private final int salt;

    public ConnectionTable(int capacity, ChunkPool pool, int bufferSize, IntFunction<RetransmissionTimeout> rto, int salt) {
        this.connections = new TcpConnection[capacity];
        this.freeIds = new int[capacity];
        for (int id = 0; id < capacity; id++) {
            connections[id] = new TcpConnection(id, pool, bufferSize, rto.apply(id));
            freeIds[id] = capacity - 1 - id; // hand out low ids first: deterministic and cache friendly
        }
        this.freeCount = capacity;
        int indexSize = Integer.highestOneBit(Math.max(4, capacity) * 2 - 1) << 1;
        this.index = new int[indexSize];
        Arrays.fill(index, EMPTY);
        this.mask = indexSize - 1;
        this.salt = salt;
    }

    public int capacity() {
        return connections.length;
    }

    /** Connections in use, TIME-WAIT included. */
    public int size() {
        return connections.length - freeCount;
    }

    public TcpConnection get(int id) {
        return connections[id];
    }

    /** The connection with this 4-tuple, or null. */
    public TcpConnection find(int localAddress, int localPort, int remoteAddress, int remotePort) {
        for (int i = slot(localAddress, localPort, remoteAddress, remotePort); index[i] != EMPTY; i = (i + 1) & mask) {
            TcpConnection c = connections[index[i]];
            if (c.remoteAddress == remoteAddress && c.remotePort == remotePort
                    && c.localAddress == localAddress && c.localPort == localPort) {
                return c;
            }
        }
        return null;
    }

    /** Takes a free slot for a new connection with this 4-tuple (which must not be present); null when full. */
    public TcpConnection open(int localAddress, int localPort, int remoteAddress, int remotePort) {
        if (freeCount == 0) {
            return null;
        }
        TcpConnection c = connections[freeIds[--freeCount]];
        c.reset();
        c.localAddress = localAddress;
        c.localPort = localPort;
        c.remoteAddress = remoteAddress;
        c.remotePort = remotePort;
        int i = slot(localAddress, localPort, remoteAddress, remotePort);
        while (index[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        index[i] = c.id;
        return c;
    }

    /** Returns the connection's slot; it must be in the table. */
    public void release(TcpConnection c) {
        int i = slot(c.localAddress, c.localPort, c.remoteAddress, c.remotePort);
        while (index[i] != c.id) {
            if (index[i] == EMPTY) {
                throw new IllegalStateException("connection not in table: " + c);
            }
            i = (i + 1) & mask;
        }
        shiftBack(i);
        c.reset();
        freeIds[freeCount++] = c.id;
    }

    private void shiftBack(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            if (index[i] == EMPTY) {
                break;
            }
            TcpConnection c = connections[index[i]];
            int home = slot(c.localAddress, c.localPort, c.remoteAddress, c.remotePort);
            boolean homeBetween = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
            if (!homeBetween) {
                index[hole] = index[i];
                hole = i;
            }
        }
        index[hole] = EMPTY;
    }

    private int slot(int localAddress, int localPort, int remoteAddress, int remotePort) {
        int h = salt;
        h = mix(h ^ localAddress);
        h = mix(h ^ remoteAddress);
        h = mix(h ^ ((localPort << 16) | remotePort));
        return h & mask;
    }

    private static int mix(int h) {
        h *= 0x9E3779B1;
        h ^= h >>> 15;
        h *= 0x85EBCA77;
        h ^= h >>> 13;
        return h;
    }
}
