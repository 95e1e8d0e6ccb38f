package tapnet.net;

import tapnet.collections.LongLongHashMap;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.UdpDatagram;

/**
 * UDP for every virtual host (RFC 768): checks a datagram once (length, and checksum unless its device
 * vouched for it) and hands it to the handler of its port. The caller answers port unreachable where
 * none listens, as it answers other protocols. One flyweight and one exchange, reused: nothing allocated.
 */
public final class UdpInput {
    private final Counters counters;
    private final PacketWriter out;
    private final UdpPorts ports = new UdpPorts();
    private final UdpDatagram udp = new UdpDatagram();
    private final UdpExchange exchange;
    /** Each host's interface MTU (absent: the frame sink's limit), so that replies fit the way back. */
    private final LongLongHashMap mtuByAddress = new LongLongHashMap(64, 0);

    /** What became of a datagram. */
    public enum Outcome { DELIVERED, DROPPED, NO_SERVICE }

    UdpInput(Counters counters, PacketWriter out) {
        this.counters = counters;
        this.out = out;
        this.exchange = new UdpExchange(out, counters);
    }

    /** Serves UDP {@code port} of the host at {@code address} with {@code handler}. Before the engine starts. */
    void listen(int address, int port, UdpHandler handler) {
        ports.listen(address, port, handler);
    }

    /** Serves a free dynamic port of the host at {@code address}, for the answers to its own datagrams; -1: none free. */
    int bindDynamic(int address, UdpHandler handler) {
        return ports.bindDynamic(address, handler);
    }

    /** The smallest MTU between the host at {@code address} and the TAP (0: none), as its interface's. */
    void interfaceMtu(int address, int mtu) {
        mtuByAddress.put(address & 0xffff_ffffL, mtu);
    }

    /** A datagram in {@code ip} for {@code host}, from the neighbour at {@code remoteMac}. */
    Outcome receive(VirtualHost host, long remoteMac, Ipv4Packet ip, boolean checksumVerified) {
        udp.wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength());
        if (!udp.isWellFormed()) {
            counters.drop(DropReason.UDP_MALFORMED);
            return Outcome.DROPPED;
        }
        if (!checksumVerified && !udp.isChecksumValid(ip.source(), ip.destination())) {
            counters.drop(DropReason.UDP_BAD_CHECKSUM);
            return Outcome.DROPPED;
        }
        UdpHandler handler = ports.find(host.address(), udp.destinationPort());
        if (handler == null) {
            return Outcome.NO_SERVICE;
        }
        counters.increment(Counter.UDP_DATAGRAMS_IN);
        exchange.wrap(host.mac(), remoteMac, host.address(), ip.source(), udp, maxTransport(host.address()));
        try {
            handler.onDatagram(exchange);
        } finally {
            exchange.finish();
        }
        return Outcome.DELIVERED;
    }

    private int maxTransport(int address) {
        int mtu = (int) mtuByAddress.get(address & 0xffff_ffffL);
        int frame = out.maxTransportLength();
        return mtu <= 0 ? frame : Math.min(frame, mtu - Ipv4Packet.MIN_HEADER_LENGTH);
    }
}
