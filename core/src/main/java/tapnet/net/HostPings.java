package tapnet.net;

import java.nio.ByteBuffer;
import tapnet.node.VirtualHost;
import tapnet.wire.IcmpMessage;
import tapnet.wire.Icmpv6Message;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.Ipv6Addresses;
import tapnet.wire.Ipv6Packet;

/**
 * The hosts' own pings, over either family (ICMP echo, RFC 792; ICMPv6 echo, RFC 4443 §4.1): sends the
 * request once the neighbour's MAC is known, and hands the listener the reply, or an error quoting the
 * request. At most {@value PingTable#CAPACITY} pings wait at once; beyond, the oldest is forgotten. Engine
 * thread only; nothing allocated per ping.
 */
final class HostPings {
    /** Asks who has an address (ARP, or a neighbour solicitation) on a host's behalf. */
    interface Resolver {
        void resolve(int hostAddress, long hostMac, int target);
    }

    private final PacketWriter out;
    private final Resolver resolver;
    private final PingTable pings = new PingTable();
    private final IcmpMessage icmpOut = new IcmpMessage();
    private final Icmpv6Message icmpv6Out = new Icmpv6Message();
    /** The datagram an ICMP error for a host quotes (RFC 792: its IPv4 header and first 8 bytes) and the echo in it. */
    private final Ipv4Packet quotedDatagram = new Ipv4Packet();
    private final IcmpMessage quotedEcho = new IcmpMessage();
    private final Ipv6Packet quotedPacket = new Ipv6Packet();

    HostPings(PacketWriter out, Resolver resolver) {
        this.out = out;
        this.resolver = resolver;
    }

    /**
     * Sends an echo request from {@code host} to {@code address} (IPv4, or an IPv6 handle) with
     * {@code payloadBytes} bytes of payload (0, 1, 2, ... as bytes): to {@code mac} at once, or after the
     * neighbour answers when {@code mac} is negative (unknown).
     */
    void ping(VirtualHost host, long mac, int address, int identifier, int sequence, int payloadBytes,
              PingListener listener, long nowNanos) {
        boolean resolve = mac < 0;
        pings.add(host, address, identifier, sequence, payloadBytes, listener, nowNanos, resolve);
        if (resolve) {
            resolver.resolve(host.sourceFor(address), host.mac(), address);
        } else {
            sendEchoRequest(host, mac, address, identifier, sequence, payloadBytes);
        }
    }

    /** Forgets the pings {@code host} waits for (it stopped): their listeners hear nothing. */
    void forget(VirtualHost host) {
        pings.forget(host);
    }

    private void sendEchoRequest(VirtualHost host, long mac, int address, int identifier, int sequence, int payloadBytes) {
        int length = IcmpMessage.HEADER_LENGTH + payloadBytes;
        int source = host.sourceFor(address);
        int at = PacketWriter.transportOffset(address);
        ByteBuffer frame = out.beginIp(host.mac(), mac, address, length);
        for (int i = 0; i < payloadBytes; i++) {
            frame.put(at + IcmpMessage.HEADER_LENGTH + i, (byte) i);
        }
        if (Ipv6Addresses.isHandle(address)) {
            icmpv6Out.wrap(frame, at, length).writeHeader(Icmpv6Message.TYPE_ECHO_REQUEST, 0, identifier << 16 | sequence,
                    out.addressSum(source, address) + Ipv6Packet.NEXT_ICMPV6 + length);
            out.commitIp(source, address, Ipv6Packet.NEXT_ICMPV6, length);
        } else {
            icmpOut.wrap(frame, at, length).writeHeader(IcmpMessage.TYPE_ECHO_REQUEST, 0, identifier << 16 | sequence);
            out.commitIpv4(source, address, Ipv4Packet.PROTOCOL_ICMP, length);
        }
    }

    /** A neighbour told us {@code address}'s MAC: the pings that waited for it go out. */
    void learned(int address, long mac) {
        if (!pings.anyAwaitingArp()) {
            return;
        }
        for (int slot = 0; slot < PingTable.CAPACITY; slot++) {
            if (pings.resolves(slot, address)) {
                sendEchoRequest(pings.host(slot), mac, address, pings.identifier(slot), pings.sequence(slot), pings.payload(slot));
            }
        }
    }

    /** An echo reply for {@code host}: true when it answers a ping of its own, whose listener hears it. */
    boolean echoReply(VirtualHost host, int identifier, int sequence, long nowNanos) {
        int slot = pings.find(host, identifier, sequence);
        if (slot < 0) {
            return false;
        }
        long rtt = nowNanos - pings.askedAt(slot);
        pings.take(slot).onReply(sequence, rtt);
        return true;
    }

    /**
     * An ICMP error for {@code host} whose quoted datagram is {@code quotedLength} bytes at {@code at}: true
     * when it quotes one of its pings (RFC 792: the IPv4 header and the first 8 bytes, which hold the echo's
     * identifier and sequence), whose listener hears it.
     */
    boolean error(VirtualHost host, ByteBuffer buffer, int at, int quotedLength, int type, int code) {
        if (quotedLength < Ipv4Packet.MIN_HEADER_LENGTH) {
            return false;
        }
        quotedDatagram.wrap(buffer, at, quotedLength); // cut short: its header's lengths say more than is here
        int headerLength = quotedDatagram.headerLength();
        if (headerLength < Ipv4Packet.MIN_HEADER_LENGTH || quotedLength < headerLength + IcmpMessage.HEADER_LENGTH
                || quotedDatagram.protocol() != Ipv4Packet.PROTOCOL_ICMP || quotedDatagram.source() != host.address()) {
            return false;
        }
        return quotedEcho(host, buffer, at + headerLength, IcmpMessage.TYPE_ECHO_REQUEST, type, code);
    }

    /**
     * An ICMPv6 error for {@code host} quoting {@code quotedLength} bytes at {@code at}: true when they are
     * one of its echo requests (an IPv6 header without extension headers, then the echo), whose listener hears it.
     */
    boolean error6(VirtualHost host, ByteBuffer buffer, int at, int quotedLength, int type, int code) {
        if (quotedLength < Ipv6Packet.HEADER_LENGTH + Icmpv6Message.HEADER_LENGTH) {
            return false;
        }
        quotedPacket.wrap(buffer, at, quotedLength);
        if (quotedPacket.nextHeader() != Ipv6Packet.NEXT_ICMPV6 || host.address6() == Ipv6Addresses.NONE
                || quotedPacket.sourceHigh() != out.addresses6().high(host.address6())
                || quotedPacket.sourceLow() != out.addresses6().low(host.address6())) {
            return false;
        }
        return quotedEcho(host, buffer, at + Ipv6Packet.HEADER_LENGTH, Icmpv6Message.TYPE_ECHO_REQUEST, type, code);
    }

    private boolean quotedEcho(VirtualHost host, ByteBuffer buffer, int echoAt, int requestType, int type, int code) {
        quotedEcho.wrap(buffer, echoAt, IcmpMessage.HEADER_LENGTH); // the echo's fields lie where ICMPv6's do
        if (quotedEcho.type() != requestType) {
            return false;
        }
        int sequence = quotedEcho.sequence();
        int slot = pings.find(host, quotedEcho.identifier(), sequence);
        if (slot < 0) {
            return false;
        }
        pings.take(slot).onUnreachable(sequence, type, code);
        return true;
    }
}
