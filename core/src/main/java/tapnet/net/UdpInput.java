package tapnet.net;

import tapnet.link.HeldFrames;
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
    /** Replies services send late ({@link UdpExchange#sendReplyAfter}) waiting at most; past it they are dropped. */
    static final int HELD_REPLIES = 1024;
    /**
     * The longest payload a held reply may have: DNS's over UDP is at most 1,232 bytes (its EDNS0 limit here),
     * and a bound this size keeps a full store to a few megabytes whatever the frames' size.
     */
    static final int HELD_PAYLOAD = 4096;

    private final Counters counters;
    private final PacketWriter out;
    private final UdpPorts ports = new UdpPorts();
    private final UdpDatagram udp = new UdpDatagram();
    private final UdpExchange exchange;

    /** What became of a datagram. */
    public enum Outcome { DELIVERED, DROPPED, NO_SERVICE }

    /** Whole reply frames held until their time; a buffer is made the first time a slot is used. */
    private final HeldFrames held;
    /** Sends a held reply when its time comes; made once, so that releasing allocates nothing. */
    private final HeldFrames.Release sendHeld;

    UdpInput(Counters counters, PacketWriter out) {
        this.counters = counters;
        this.out = out;
        this.held = new HeldFrames(HELD_REPLIES, PacketWriter.TRANSPORT_OFFSET
                + Math.min(out.maxTransportLength(), UdpDatagram.HEADER_LENGTH + HELD_PAYLOAD));
        this.exchange = new UdpExchange(out, counters, held);
        this.sendHeld = (frame, length, tag, dueNanos) -> {
            out.send(frame, length);
            counters.increment(Counter.UDP_DATAGRAMS_OUT);
        };
    }

    /** Sends the replies held until {@code nowNanos} or before, in time order. */
    void releaseDue(long nowNanos) {
        held.releaseDue(nowNanos, sendHeld);
    }

    /** When the next held reply is due, or {@link HeldFrames#NONE}. */
    long nextRelease() {
        return held.nextRelease();
    }

    /** Serves UDP {@code port} of the host at {@code address} with {@code handler}. Before the engine starts. */
    void listen(int address, int port, UdpHandler handler) {
        ports.listen(address, port, handler);
    }

    /** Stops the service on UDP {@code port} of {@code address}, or starts it again; false when there is none. */
    boolean serve(int address, int port, boolean serving) {
        return ports.serve(address, port, serving);
    }

    /** Serves a free dynamic port of the host at {@code address}, for the answers to its own datagrams; -1: none free. */
    int bindDynamic(int address, UdpHandler handler) {
        return ports.bindDynamic(address, handler);
    }

    /** A datagram in {@code ip} for {@code host}, from the neighbour at {@code remoteMac}. */
    Outcome receive(VirtualHost host, long remoteMac, Ipv4Packet ip, boolean checksumVerified, long nowNanos) {
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
        exchange.wrap(host.mac(), remoteMac, host.address(), ip.source(), udp, maxTransport(host.address()), nowNanos);
        try {
            handler.onDatagram(exchange);
        } finally {
            exchange.finish();
        }
        return Outcome.DELIVERED;
    }

    /** What one frame back can carry: the host's interface MTU, as the writer knows it. */
    private int maxTransport(int address) {
        return out.mtu(address) - Ipv4Packet.MIN_HEADER_LENGTH;
    }
}
