package tapnet.net;

import java.nio.ByteBuffer;
import tapnet.link.HeldFrames;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.Ipv6Addresses;
import tapnet.wire.Ipv6Packet;
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
        return receive(host, remoteMac, ip.source(), ip.destination(), ip.buffer(), ip.payloadOffset(), ip.payloadLength(),
                checksumVerified, nowNanos);
    }

    /**
     * A datagram for {@code host} at its address {@code local} (IPv4, or an IPv6 handle) from {@code remote}
     * at {@code remoteMac}: the IP payload is {@code length} bytes at {@code offset}. A host's UDP services
     * serve both its families.
     */
    Outcome receive(VirtualHost host, long remoteMac, int remote, int local, ByteBuffer buffer, int offset, int length,
                    boolean checksumVerified, long nowNanos) {
        udp.wrap(buffer, offset, length);
        if (!udp.isWellFormed()) {
            counters.drop(DropReason.UDP_MALFORMED);
            return Outcome.DROPPED;
        }
        if (!checksumVerified && !udp.isChecksumValid(out.addressSum(remote, local), Ipv6Addresses.isHandle(local))) {
            counters.drop(DropReason.UDP_BAD_CHECKSUM);
            return Outcome.DROPPED;
        }
        UdpHandler handler = ports.find(host.address(), udp.destinationPort());
        if (handler == null) {
            return Outcome.NO_SERVICE;
        }
        counters.increment(Counter.UDP_DATAGRAMS_IN);
        exchange.wrap(host.mac(), remoteMac, local, remote, udp, maxTransport(host.address(), local), nowNanos);
        try {
            handler.onDatagram(exchange);
        } finally {
            exchange.finish();
        }
        return Outcome.DELIVERED;
    }

    /** What one frame back from {@code local} can carry: the host's interface MTU less its family's header. */
    private int maxTransport(int hostAddress, int local) {
        int header = Ipv6Addresses.isHandle(local) ? Ipv6Packet.HEADER_LENGTH : Ipv4Packet.MIN_HEADER_LENGTH;
        return out.mtu(hostAddress) - header;
    }
}
