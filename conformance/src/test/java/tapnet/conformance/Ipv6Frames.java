package tapnet.conformance;

import java.nio.ByteBuffer;
import java.util.Arrays;
import tapnet.testing.Decoded;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Icmpv6Message;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.Ipv6Address;
import tapnet.wire.Ipv6Packet;
import tapnet.wire.NeighborDiscovery;
import tapnet.wire.TcpOptions;
import tapnet.wire.TcpSegment;

/**
 * The fake peer's IPv6 (RFC 8200): a TCP segment that core's {@code FrameBuilder} built over IPv4 moved
 * into an IPv6 frame (the fixed header, no extension headers, the checksum over the IPv6 pseudo-header),
 * segments the target sent over IPv6 decoded and checked, and neighbour discovery (RFC 4861): the
 * solicitation that asks for the target's MAC, the advertisement that answers one for the peer's address.
 */
final class Ipv6Frames {
    private static final int ETH = EthernetFrame.HEADER_LENGTH;
    static final int HOP_LIMIT = 64;

    private Ipv6Frames() {
    }

    /** Where the TCP header starts in a frame of {@code family} built here. */
    static int tcpOffset(Family family) {
        return ETH + (family == Family.IPV4 ? Ipv4Packet.MIN_HEADER_LENGTH : Ipv6Packet.HEADER_LENGTH);
    }

    /**
     * The TCP segment of {@code ipv4Frame} (Ethernet, a 20-byte IPv4 header, TCP) in an IPv6 frame from
     * {@code source} to {@code destination}, same MACs, its checksum computed again.
     */
    static byte[] fromIpv4(byte[] ipv4Frame, long[] source, long[] destination) {
        int tcpLength = ipv4Frame.length - ETH - Ipv4Packet.MIN_HEADER_LENGTH;
        ByteBuffer b = ByteBuffer.allocate(ETH + Ipv6Packet.HEADER_LENGTH + tcpLength);
        b.put(0, ipv4Frame, 0, ETH);
        new EthernetFrame().wrap(b, 0, ETH).setEtherType(EthernetFrame.TYPE_IPV6);
        Ipv6Packet ip = new Ipv6Packet().wrap(b, ETH, Ipv6Packet.HEADER_LENGTH + tcpLength)
                .writeHeader(tcpLength, Ipv6Packet.NEXT_TCP, HOP_LIMIT)
                .setSource(source[0], source[1]).setDestination(destination[0], destination[1]);
        int at = ETH + Ipv6Packet.HEADER_LENGTH;
        b.put(at, ipv4Frame, ETH + Ipv4Packet.MIN_HEADER_LENGTH, tcpLength);
        new TcpSegment().wrap(b, at, tcpLength).writeChecksum(ip.pseudoHeader(0, 0));
        return b.array();
    }

    /**
     * The TCP segment an IPv6 frame carries, decoded; fails (AssertionError) on a header or checksum the
     * target must never send. Frames with extension headers are not expected from either target.
     */
    static Decoded.Tcp decodeTcp(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        Ipv6Packet ip = new Ipv6Packet().wrap(b, ETH, frame.length - ETH);
        if (!ip.isValid() || ip.nextHeader() != Ipv6Packet.NEXT_TCP) {
            throw new AssertionError("invalid IPv6 header, or not TCP right after it");
        }
        TcpSegment s = new TcpSegment().wrap(b, ip.payloadOffset(), ip.payloadLength());
        if (!s.isWellFormed() || !s.isChecksumValid(ip.pseudoHeader(0, 0))) {
            throw new AssertionError("TCP segment sent over IPv6 with a bad header or checksum");
        }
        TcpOptions o = new TcpOptions().parse(s);
        int[] sack = new int[2 * o.sackBlockCount()];
        for (int i = 0; i < o.sackBlockCount(); i++) {
            sack[2 * i] = o.sackLeft(i);
            sack[2 * i + 1] = o.sackRight(i);
        }
        byte[] payload = Arrays.copyOfRange(frame, s.payloadOffset(), s.payloadOffset() + s.payloadLength());
        return new Decoded.Tcp(s.sourcePort(), s.destinationPort(), s.sequenceNumber(), s.acknowledgmentNumber(), s.flags(),
                s.window(), s.headerLength(), o.mss(), o.windowScale(), o.sackPermitted(), o.hasTimestamps(),
                o.timestampValue(), o.timestampEcho(), sack, payload);
    }

    /**
     * A neighbour solicitation or advertisement ({@code type}, RFC 4861 §4.3, §4.4) that passes §7.1's
     * checks (hop limit 255, code 0, checksum, whole options): its target and the MAC of its link-layer
     * address option (source for a solicitation, target for an advertisement; -1 when none), as
     * {targetHigh, targetLow, mac}; null for anything else.
     */
    static long[] neighborMessage(ByteBuffer b, Ipv6Packet ip, int type) {
        int length = ip.payloadLength();
        if (ip.nextHeader() != Ipv6Packet.NEXT_ICMPV6 || ip.hopLimit() != NeighborDiscovery.HOP_LIMIT) {
            return null;
        }
        Icmpv6Message m = new Icmpv6Message().wrap(b, ip.payloadOffset(), length);
        if (!m.isComplete() || m.type() != type || m.code() != 0
                || !m.isChecksumValid(ip.pseudoHeader(Ipv6Packet.NEXT_ICMPV6, length))) {
            return null;
        }
        NeighborDiscovery nd = new NeighborDiscovery().wrap(b, ip.payloadOffset(), length);
        if (!nd.isValid()) {
            return null;
        }
        int option = type == Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION ? NeighborDiscovery.OPTION_SOURCE_LINK_LAYER
                : NeighborDiscovery.OPTION_TARGET_LINK_LAYER;
        return new long[] {nd.targetHigh(), nd.targetLow(), nd.linkLayerAddress(option)};
    }

    /**
     * A neighbour solicitation (RFC 4861 §7.2.2) from {@code source} at {@code mac} for {@code target}, to
     * the target's solicited-node group, with the source link-layer address option.
     */
    static byte[] solicitation(long mac, long[] source, long[] target) {
        long[] group = {Ipv6Address.ALL_NODES_HIGH, Ipv6Address.solicitedNodeLow(target[1])};
        return neighborMessage(mac, source, Ipv6Address.multicastMac(group[1]), group, Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION,
                0, target, NeighborDiscovery.OPTION_SOURCE_LINK_LAYER);
    }

    /**
     * A solicited neighbour advertisement (RFC 4861 §7.2.4) for {@code address} at {@code mac}, to
     * {@code to} at {@code toMac}: flags S and O, the target link-layer address option.
     */
    static byte[] advertisement(long mac, long[] address, long toMac, long[] to) {
        return neighborMessage(mac, address, toMac, to, Icmpv6Message.TYPE_NEIGHBOR_ADVERTISEMENT,
                NeighborDiscovery.FLAG_SOLICITED | NeighborDiscovery.FLAG_OVERRIDE, address, NeighborDiscovery.OPTION_TARGET_LINK_LAYER);
    }

    private static byte[] neighborMessage(long mac, long[] source, long toMac, long[] to, int type, int flags, long[] target,
                                          int option) {
        int length = NeighborDiscovery.LENGTH_WITH_LINK_LAYER;
        ByteBuffer b = ByteBuffer.allocate(ETH + Ipv6Packet.HEADER_LENGTH + length);
        new EthernetFrame().wrap(b, 0, ETH).setDestination(toMac).setSource(mac).setEtherType(EthernetFrame.TYPE_IPV6);
        Ipv6Packet ip = new Ipv6Packet().wrap(b, ETH, Ipv6Packet.HEADER_LENGTH + length)
                .writeHeader(length, Ipv6Packet.NEXT_ICMPV6, NeighborDiscovery.HOP_LIMIT)
                .setSource(source[0], source[1]).setDestination(to[0], to[1]);
        int at = ETH + Ipv6Packet.HEADER_LENGTH;
        new NeighborDiscovery().wrap(b, at, length).writeBody(target[0], target[1], option, mac);
        new Icmpv6Message().wrap(b, at, length).writeHeader(type, 0, flags, ip.pseudoHeader(Ipv6Packet.NEXT_ICMPV6, length));
        return b.array();
    }
}
