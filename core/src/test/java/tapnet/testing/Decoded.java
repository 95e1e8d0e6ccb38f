package tapnet.testing;

import java.nio.ByteBuffer;
import java.util.Arrays;
import tapnet.wire.ArpPacket;
import tapnet.wire.EthernetFrame;
import tapnet.wire.IcmpMessage;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Icmpv6Message;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.Ipv6Address;
import tapnet.wire.Ipv6Packet;
import tapnet.wire.NeighborDiscovery;
import tapnet.wire.TcpOptions;
import tapnet.wire.TcpSegment;
import tapnet.wire.UdpDatagram;

/**
 * A frame the engine sent, decoded into plain values for assertions. Decoding checks every checksum the
 * frame carries and fails the test when one is wrong: every frame tapnet sends must be valid.
 */
public record Decoded(long ethSource, long ethDestination, int etherType,
                      int ipSource, int ipDestination, int protocol, int ttl,
                      Arp arp, Tcp tcp, Icmp icmp, Udp udp, byte[] raw, Ipv6 ipv6, Ndp ndp) {

    /**
     * The IPv6 header of a frame sent over IPv6 (its {@code ipSource}/{@code ipDestination} are 0): the
     * addresses as text ({@link Ipv6Address#format}), and halves for exact checks.
     */
    public record Ipv6(String source, String destination, long sourceHigh, long sourceLow, long destinationHigh,
                       long destinationLow, int hopLimit, int nextHeader, int payloadLength) {
    }

    /** A neighbour solicitation's or advertisement's body: flags (R, S, O), target, link-layer option (-1: none). */
    public record Ndp(int flags, String target, long sourceLinkLayer, long targetLinkLayer) {
        public boolean router() {
            return (flags & NeighborDiscovery.FLAG_ROUTER) != 0;
        }

        public boolean solicited() {
            return (flags & NeighborDiscovery.FLAG_SOLICITED) != 0;
        }

        public boolean override() {
            return (flags & NeighborDiscovery.FLAG_OVERRIDE) != 0;
        }
    }

    public record Arp(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
    }

    public record Tcp(int sourcePort, int destinationPort, int seq, int ack, int flags, int window,
                      int headerLength, int mss, int windowScale, boolean sackPermitted,
                      boolean timestamps, int tsVal, int tsEcr, int[] sackBlocks, byte[] payload) {
        public boolean has(int flag) {
            return (flags & flag) != 0;
        }

        /** Exactly these flags, for assertions like {@code only(SYN | ACK)}. */
        public boolean only(int expected) {
            return flags == expected;
        }

        public int sequenceLength() {
            return payload.length + (has(TcpSegment.SYN) ? 1 : 0) + (has(TcpSegment.FIN) ? 1 : 0);
        }

        @Override
        public String toString() {
            return sourcePort + ">" + destinationPort + " [" + TcpSegment.flagsToString(flags) + "] seq " + Integer.toUnsignedString(seq)
                    + " ack " + Integer.toUnsignedString(ack) + " win " + window + " len " + payload.length
                    + (mss >= 0 ? " mss " + mss : "");
        }
    }

    private static int[] sackBlocks(TcpOptions o) {
        int[] blocks = new int[2 * o.sackBlockCount()];
        for (int i = 0; i < o.sackBlockCount(); i++) {
            blocks[2 * i] = o.sackLeft(i);
            blocks[2 * i + 1] = o.sackRight(i);
        }
        return blocks;
    }

    public record Icmp(int type, int code, int identifier, int sequence, byte[] payload) {
        /** The 32 bits after the checksum: an ICMPv6 parameter problem's pointer, for one. */
        public int restOfHeader() {
            return (identifier << 16) | sequence;
        }
    }

    public record Udp(int sourcePort, int destinationPort, byte[] payload) {
    }

    public static Decoded of(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        EthernetFrame eth = new EthernetFrame().wrap(b, 0, frame.length);
        if (!eth.isComplete()) {
            throw new AssertionError("frame shorter than an Ethernet header: " + frame.length);
        }
        if (eth.etherType() == EthernetFrame.TYPE_ARP) {
            ArpPacket a = new ArpPacket().wrap(b, eth.payloadOffset(), eth.payloadLength());
            if (!a.isValidEthernetIpv4()) {
                throw new AssertionError("invalid ARP sent");
            }
            Arp arp = new Arp(a.operation(), a.senderMac(), a.senderIp(), a.targetMac(), a.targetIp());
            return new Decoded(eth.source(), eth.destination(), eth.etherType(), 0, 0, 0, 0, arp, null, null, null, frame,
                    null, null);
        }
        if (eth.etherType() == EthernetFrame.TYPE_IPV6) {
            return ofIpv6(frame, b, eth);
        }
        if (eth.etherType() != EthernetFrame.TYPE_IPV4) {
            throw new AssertionError("unexpected ethertype " + Integer.toHexString(eth.etherType()));
        }
        Ipv4Packet ip = new Ipv4Packet().wrap(b, eth.payloadOffset(), eth.payloadLength());
        if (ip.check() != Ipv4Packet.Validity.VALID) {
            throw new AssertionError("invalid IPv4 header sent: " + ip.check());
        }
        if (ip.totalLength() != eth.payloadLength()) {
            throw new AssertionError("IPv4 total length " + ip.totalLength() + " but frame carries " + eth.payloadLength());
        }
        Tcp tcp = null;
        Icmp icmp = null;
        Udp udp = null;
        if (ip.isFragment()) {
            // a piece of a datagram: its transport is read once the pieces are joined (Fragments.join)
        } else if (ip.protocol() == Ipv4Packet.PROTOCOL_TCP) {
            TcpSegment s = new TcpSegment().wrap(b, ip.payloadOffset(), ip.payloadLength());
            if (!s.isWellFormed() || !s.isChecksumValid(ip.source(), ip.destination())) {
                throw new AssertionError("TCP segment sent with a bad header or checksum");
            }
            TcpOptions o = new TcpOptions().parse(s);
            byte[] payload = Arrays.copyOfRange(frame, s.payloadOffset(), s.payloadOffset() + s.payloadLength());
            tcp = new Tcp(s.sourcePort(), s.destinationPort(), s.sequenceNumber(), s.acknowledgmentNumber(), s.flags(),
                    s.window(), s.headerLength(), o.mss(), o.windowScale(), o.sackPermitted(), o.hasTimestamps(),
                    o.timestampValue(), o.timestampEcho(), sackBlocks(o), payload);
        } else if (ip.protocol() == Ipv4Packet.PROTOCOL_ICMP) {
            IcmpMessage m = new IcmpMessage().wrap(b, ip.payloadOffset(), ip.payloadLength());
            if (!m.isChecksumValid()) {
                throw new AssertionError("ICMP sent with a bad checksum");
            }
            byte[] payload = Arrays.copyOfRange(frame, m.payloadOffset(), m.payloadOffset() + m.payloadLength());
            icmp = new Icmp(m.type(), m.code(), m.identifier(), m.sequence(), payload);
        } else if (ip.protocol() == Ipv4Packet.PROTOCOL_UDP) {
            UdpDatagram d = new UdpDatagram().wrap(b, ip.payloadOffset(), ip.payloadLength());
            if (!d.isWellFormed() || d.checksum() == 0 || !d.isChecksumValid(ip.source(), ip.destination())) {
                throw new AssertionError("UDP sent with a bad header or checksum");
            }
            byte[] payload = Arrays.copyOfRange(frame, d.payloadOffset(), d.payloadOffset() + d.payloadLength());
            udp = new Udp(d.sourcePort(), d.destinationPort(), payload);
        }
        return new Decoded(eth.source(), eth.destination(), eth.etherType(), ip.source(), ip.destination(),
                ip.protocol(), ip.ttl(), null, tcp, icmp, udp, frame, null, null);
    }

    /** An IPv6 frame as tapnet sends them: no extension headers, every checksum over the IPv6 pseudo-header. */
    private static Decoded ofIpv6(byte[] frame, ByteBuffer b, EthernetFrame eth) {
        Ipv6Packet ip = new Ipv6Packet().wrap(b, eth.payloadOffset(), eth.payloadLength());
        if (!ip.isValid()) {
            throw new AssertionError("invalid IPv6 header sent");
        }
        if (Ipv6Packet.HEADER_LENGTH + ip.payloadLength() != eth.payloadLength()) {
            throw new AssertionError("IPv6 payload length " + ip.payloadLength() + " but frame carries " + eth.payloadLength());
        }
        long addressSum = ip.pseudoHeader(0, 0);
        int at = ip.payloadOffset();
        int length = ip.payloadLength();
        Tcp tcp = null;
        Icmp icmp = null;
        Udp udp = null;
        Ndp ndp = null;
        if (ip.nextHeader() == Ipv6Packet.NEXT_TCP) {
            TcpSegment s = new TcpSegment().wrap(b, at, length);
            if (!s.isWellFormed() || !s.isChecksumValid(addressSum)) {
                throw new AssertionError("TCP segment sent over IPv6 with a bad header or checksum");
            }
            TcpOptions o = new TcpOptions().parse(s);
            byte[] payload = Arrays.copyOfRange(frame, s.payloadOffset(), s.payloadOffset() + s.payloadLength());
            tcp = new Tcp(s.sourcePort(), s.destinationPort(), s.sequenceNumber(), s.acknowledgmentNumber(), s.flags(),
                    s.window(), s.headerLength(), o.mss(), o.windowScale(), o.sackPermitted(), o.hasTimestamps(),
                    o.timestampValue(), o.timestampEcho(), sackBlocks(o), payload);
        } else if (ip.nextHeader() == Ipv6Packet.NEXT_ICMPV6) {
            Icmpv6Message m = new Icmpv6Message().wrap(b, at, length);
            if (!m.isComplete() || !m.isChecksumValid(ip.pseudoHeader(Ipv6Packet.NEXT_ICMPV6, length))) {
                throw new AssertionError("ICMPv6 sent with a bad checksum");
            }
            byte[] payload = Arrays.copyOfRange(frame, m.payloadOffset(), m.payloadOffset() + m.payloadLength());
            icmp = new Icmp(m.type(), m.code(), m.identifier(), m.sequence(), payload);
            if (m.type() == Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION || m.type() == Icmpv6Message.TYPE_NEIGHBOR_ADVERTISEMENT) {
                NeighborDiscovery nd = new NeighborDiscovery().wrap(b, at, length);
                if (!nd.isValid()) {
                    throw new AssertionError("invalid neighbour discovery message sent");
                }
                ndp = new Ndp(nd.flags(), Ipv6Address.format(nd.targetHigh(), nd.targetLow()),
                        nd.linkLayerAddress(NeighborDiscovery.OPTION_SOURCE_LINK_LAYER),
                        nd.linkLayerAddress(NeighborDiscovery.OPTION_TARGET_LINK_LAYER));
            }
        } else if (ip.nextHeader() == Ipv6Packet.NEXT_UDP) {
            UdpDatagram d = new UdpDatagram().wrap(b, at, length);
            if (!d.isWellFormed() || !d.isChecksumValid(addressSum, true)) {
                throw new AssertionError("UDP sent over IPv6 with a bad header or checksum");
            }
            byte[] payload = Arrays.copyOfRange(frame, d.payloadOffset(), d.payloadOffset() + d.payloadLength());
            udp = new Udp(d.sourcePort(), d.destinationPort(), payload);
        }
        Ipv6 header = new Ipv6(Ipv6Address.format(ip.sourceHigh(), ip.sourceLow()),
                Ipv6Address.format(ip.destinationHigh(), ip.destinationLow()), ip.sourceHigh(), ip.sourceLow(),
                ip.destinationHigh(), ip.destinationLow(), ip.hopLimit(), ip.nextHeader(), ip.payloadLength());
        return new Decoded(eth.source(), eth.destination(), eth.etherType(), 0, 0, ip.nextHeader(), ip.hopLimit(), null,
                tcp, icmp, udp, frame, header, ndp);
    }

    @Override
    public String toString() {
        if (arp != null) {
            return "ARP op " + arp.operation + " " + Ipv4Address.format(arp.senderIp) + " -> " + Ipv4Address.format(arp.targetIp);
        }
        String addresses = ipv6 != null ? ipv6.source + " > " + ipv6.destination
                : Ipv4Address.format(ipSource) + " > " + Ipv4Address.format(ipDestination);
        if (tcp != null) {
            return "TCP " + addresses + " " + tcp;
        }
        if (udp != null) {
            return "UDP " + addresses + " " + udp.sourcePort + ">" + udp.destinationPort + " len " + udp.payload.length;
        }
        if (icmp != null) {
            return (ipv6 != null ? "ICMPv6 " : "ICMP ") + addresses + " type " + icmp.type + " code " + icmp.code;
        }
        return "IPv4 " + addresses + " proto " + protocol;
    }
}
