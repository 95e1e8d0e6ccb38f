package tapnet.wire;

import java.nio.ByteBuffer;

/**
 * Takes a frame through every wire view the way the engine's input does (tapnet.net.NetworkInput, then
 * TcpStack): each layer is wrapped with the length the layer below vouched for, and read only after its
 * validity method said yes. It reads every field, so a test sees any read that would go past a region,
 * and it allocates nothing, so {@link ParsingAllocationTest} can measure it.
 */
final class FrameDissector {
    static final int DROPPED_ETHERNET = 1;
    static final int DROPPED_ETHERTYPE = 2;
    static final int DROPPED_ARP = 3;
    static final int DROPPED_IPV4 = 4;
    static final int DROPPED_IPV4_CHECKSUM = 5;
    static final int DROPPED_FRAGMENT = 6;
    static final int DROPPED_PROTOCOL = 7;
    static final int DROPPED_TRANSPORT = 8;
    static final int DROPPED_TRANSPORT_CHECKSUM = 9;
    static final int ACCEPTED_ARP = 10;
    static final int ACCEPTED_ICMP = 11;
    static final int ACCEPTED_TCP = 12;
    static final int ACCEPTED_UDP = 13;

    private final EthernetFrame ethernet = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final IcmpMessage icmp = new IcmpMessage();
    private final TcpSegment tcp = new TcpSegment();
    private final TcpOptions options = new TcpOptions();
    private final UdpDatagram udp = new UdpDatagram();

    /** Sum of every field read, so that no read can be optimised away. */
    long digest;
    /** How many frames reached TCP option parsing. */
    int tcpOptionsParsed;

    int dissect(ByteBuffer buffer, int offset, int length) {
        ethernet.wrap(buffer, offset, length);
        if (!ethernet.isComplete()) {
            return DROPPED_ETHERNET;
        }
        digest += ethernet.destination() + ethernet.source();
        int type = ethernet.etherType();
        if (type == EthernetFrame.TYPE_ARP) {
            arp.wrap(buffer, ethernet.payloadOffset(), ethernet.payloadLength());
            if (!arp.isValidEthernetIpv4()) {
                return DROPPED_ARP;
            }
            digest += arp.operation() + arp.senderMac() + arp.senderIp() + arp.targetMac() + arp.targetIp();
            return ACCEPTED_ARP;
        }
        if (type != EthernetFrame.TYPE_IPV4) {
            return DROPPED_ETHERTYPE;
        }
        ip.wrap(buffer, ethernet.payloadOffset(), ethernet.payloadLength());
        Ipv4Packet.Validity validity = ip.check();
        if (validity == Ipv4Packet.Validity.MALFORMED) {
            return DROPPED_IPV4;
        }
        if (validity == Ipv4Packet.Validity.BAD_CHECKSUM) {
            return DROPPED_IPV4_CHECKSUM;
        }
        digest += ip.typeOfService() + ip.identification() + ip.ttl() + ip.source() + ip.destination() + ip.fragmentOffset();
        if (ip.isFragment()) {
            return DROPPED_FRAGMENT;
        }
        int protocol = ip.protocol();
        if (protocol == Ipv4Packet.PROTOCOL_TCP) {
            tcp.wrap(buffer, ip.payloadOffset(), ip.payloadLength());
            if (!tcp.isWellFormed()) {
                return DROPPED_TRANSPORT;
            }
            if (!tcp.isChecksumValid(ip.source(), ip.destination())) {
                return DROPPED_TRANSPORT_CHECKSUM;
            }
            options.parse(tcp);
            tcpOptionsParsed++;
            digest += tcp.sourcePort() + tcp.destinationPort() + tcp.sequenceNumber() + tcp.acknowledgmentNumber()
                    + tcp.flags() + tcp.window() + tcp.urgentPointer() + tcp.sequenceLength() + tcp.payloadOffset()
                    + options.mss() + options.windowScale() + (options.sackPermitted() ? 1 : 0)
                    + options.timestampValue() + options.timestampEcho() + (options.malformed() ? 1 : 0);
            for (int b = 0; b < options.sackBlockCount(); b++) {
                digest += options.sackLeft(b) + options.sackRight(b);
            }
            return ACCEPTED_TCP;
        }
        if (protocol == Ipv4Packet.PROTOCOL_UDP) {
            udp.wrap(buffer, ip.payloadOffset(), ip.payloadLength());
            if (!udp.isWellFormed()) {
                return DROPPED_TRANSPORT;
            }
            if (!udp.isChecksumValid(ip.source(), ip.destination())) {
                return DROPPED_TRANSPORT_CHECKSUM;
            }
            digest += udp.sourcePort() + udp.destinationPort() + udp.payloadOffset() + udp.payloadLength();
            return ACCEPTED_UDP;
        }
        if (protocol == Ipv4Packet.PROTOCOL_ICMP) {
            icmp.wrap(buffer, ip.payloadOffset(), ip.payloadLength());
            if (!icmp.isComplete()) {
                return DROPPED_TRANSPORT;
            }
            if (!icmp.isChecksumValid()) {
                return DROPPED_TRANSPORT_CHECKSUM;
            }
            digest += icmp.type() + icmp.code() + icmp.restOfHeader() + icmp.payloadLength();
            return ACCEPTED_ICMP;
        }
        return DROPPED_PROTOCOL;
    }
}
