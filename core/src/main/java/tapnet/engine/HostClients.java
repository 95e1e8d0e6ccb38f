package tapnet.engine;

import tapnet.net.NeighborTable;
import tapnet.net.NetworkInput;
import tapnet.net.PingListener;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.route.HostSink;
import tapnet.route.NodeTree;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConnection;
import tapnet.tcp.TcpStack;
import tapnet.time.Clock;
import tapnet.wire.Ipv6Addresses;

/**
 * What the virtual hosts start themselves, as clients: TCP connections and pings ({@link Engine#connect},
 * {@link Engine#ping}), each sent to the neighbour's MAC when known, to the router's when one is in between,
 * or after ARP. Engine thread only.
 */
final class HostClients {
    private final HostTable hosts;
    private final NeighborTable neighbors;
    private final NodeTree tree;
    private final NetworkInput input;
    private final TcpStack tcp;
    private final HostSink sink;
    private final Clock clock;

    HostClients(HostTable hosts, NeighborTable neighbors, NodeTree tree, NetworkInput input, TcpStack tcp, HostSink sink,
                Clock clock) {
        this.hosts = hosts;
        this.neighbors = neighbors;
        this.tree = tree;
        this.input = input;
        this.tcp = tcp;
        this.sink = sink;
        this.clock = clock;
    }

    TcpConnection connect(VirtualHost host, int remoteAddress, int remotePort, ConnectionHandler handler) {
        int local = host.sourceFor(remoteAddress);
        if (hosts.isStopped(host) || local == Ipv6Addresses.NONE) {
            return null;
        }
        TcpConnection c = tcp.connect(local, host.mac(), remoteAddress, nextHop(host, remoteAddress), remotePort, handler, clock.nanos());
        sink.flush();
        return c;
    }

    boolean ping(VirtualHost from, int address, int identifier, int sequence, int payloadBytes, PingListener listener) {
        if ((identifier | sequence) >>> 16 != 0 || payloadBytes < 0 || payloadBytes > input.maxPingPayload()) {
            throw new IllegalArgumentException("ping identifier " + identifier + ", sequence " + sequence
                    + " or payload of " + payloadBytes + " bytes out of range");
        }
        if (hosts.isStopped(from) || from.sourceFor(address) == Ipv6Addresses.NONE) {
            return false; // stopped, or an IPv4-only host asked to ping an IPv6 address
        }
        input.ping(from, nextHop(from, address), address, identifier, sequence, payloadBytes, listener, clock.nanos());
        sink.flush();
        return true;
    }

    /** The MAC {@code host} sends to for {@code address}, or {@link TcpConnection#MAC_UNKNOWN} (-1, as the neighbour table says it) when it must ask ARP first. */
    long nextHop(VirtualHost host, int address) {
        long mac = neighbors.lookup(address);
        return mac >= 0 ? mac : tree.nextHopMac(host, address); // behind a router, to the router (no ARP across it)
    }
}
