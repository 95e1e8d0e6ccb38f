package tapnet.engine;

import tapnet.net.NetworkInput;
import tapnet.net.UdpHandler;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.route.HostSink;

/**
 * UDP the virtual hosts send themselves, as clients do (a script's dns probe from a host): a port of the
 * host's own to hear the answers on, and datagrams sent from it, after ARP when the neighbour is not known
 * yet, to a router when one is in between. Answers reach the bound port's handler like any datagram a
 * service gets. Engine thread only.
 */
public final class HostDatagrams {
    /** The MAC a host sends to for an address (the neighbour's, its router's), or negative: ask ARP first. */
    interface NextHop {
        long mac(VirtualHost from, int address);
    }

    private final HostTable hosts;
    private final NetworkInput input;
    private final HostSink sink;
    private final NextHop nextHop;

    HostDatagrams(HostTable hosts, NetworkInput input, HostSink sink, NextHop nextHop) {
        this.hosts = hosts;
        this.input = input;
        this.sink = sink;
        this.nextHop = nextHop;
    }

    /**
     * Serves a free port of {@code host} (49152 to 65535) with {@code handler}, for the answers to what it
     * sends from there; the port, or -1 when none is free. A port stays bound for the run.
     */
    public int bind(VirtualHost host, UdpHandler handler) {
        return input.bindUdp(host, handler);
    }

    /**
     * Sends {@code length} bytes of {@code payload} in one datagram from {@code from}'s {@code localPort} to
     * {@code address:port}. Returns false, sending nothing, when {@code from} is stopped or has no address
     * of the destination's family (an IPv4-only host and an IPv6 destination).
     *
     * @throws IllegalArgumentException for a payload longer than a frame carries
     */
    public boolean send(VirtualHost from, int localPort, int address, int port, byte[] payload, int length) {
        if (hosts.isStopped(from) || from.sourceFor(address) == tapnet.wire.Ipv6Addresses.NONE) {
            return false;
        }
        input.sendUdp(from, nextHop.mac(from, address), address, localPort, port, payload, length);
        sink.flush();
        return true;
    }
}
