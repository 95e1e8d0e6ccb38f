package tapnet.wire;

import java.nio.ByteBuffer;

/**
 * Who a frame is from and for at the IP layer, read once per hop: an IPv4 or IPv6 packet's source and
 * destination, an Ethernet/IPv4 ARP packet's sender and target, or a neighbour solicitation's source and
 * target (the ARP of IPv6, sent to a multicast group). What partitions, routers and load shedding decide
 * by. IPv6 addresses come as their handles ({@link Ipv6Addresses}): {@link Ipv6Addresses#NONE} for one the
 * engine does not know, which no node has. A flyweight: {@link #read} fills it, nothing is allocated.
 */
public final class FrameAddresses {
    private final Ipv6Addresses addresses6;
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final Ipv6Packet ip6 = new Ipv6Packet();
    private final ArpPacket arp = new ArpPacket();
    private boolean neighborDiscovery;
    private long destinationHigh;
    private long destinationLow;
    private long sourceHigh;
    private long sourceLow;
    private int etherType;
    private long sourceMac;
    private int source;
    private int destination;
    private boolean known;

    /** @param addresses6 the engine's IPv6 addresses, by which IPv6 packets' addresses are named */
    public FrameAddresses(Ipv6Addresses addresses6) {
        this.addresses6 = addresses6;
    }

    /**
     * Reads a frame's addresses; returns {@link #known()}: false for an incomplete Ethernet frame, another
     * EtherType, an IPv4 payload shorter than a header, or an ARP packet not for Ethernet and IPv4.
     */
    public boolean read(ByteBuffer frame, int offset, int length) {
        known = false;
        neighborDiscovery = false;
        ethernet.wrap(frame, offset, length);
        if (!ethernet.isComplete()) {
            etherType = -1;
            return false;
        }
        etherType = ethernet.etherType();
        sourceMac = ethernet.source();
        if (etherType == EthernetFrame.TYPE_IPV4) {
            ip.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength());
            if (ip.length() >= Ipv4Packet.MIN_HEADER_LENGTH) {
                source = ip.source();
                destination = ip.destination();
                known = true;
            }
        } else if (etherType == EthernetFrame.TYPE_IPV6) {
            readIpv6(frame, ethernet.payloadOffset(), ethernet.payloadLength());
        } else if (etherType == EthernetFrame.TYPE_ARP) {
            arp.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength());
            if (arp.isValidEthernetIpv4()) {
                source = arp.senderIp();
                destination = arp.targetIp();
                known = true;
            }
        }
        return known;
    }

    /** A neighbour solicitation goes to its target's group: the target is who it is for, as ARP's is. */
    private void readIpv6(ByteBuffer frame, int offset, int length) {
        ip6.wrap(frame, offset, length);
        if (length < Ipv6Packet.HEADER_LENGTH || ip6.version() != 6) {
            return;
        }
        source = addresses6.find(frame, offset + Ipv6Packet.SOURCE);
        sourceHigh = ip6.sourceHigh();
        sourceLow = ip6.sourceLow();
        destinationHigh = ip6.destinationHigh();
        destinationLow = ip6.destinationLow();
        int icmp = ip6.payloadOffset();
        if (Ipv6Address.isMulticast(ip6.destinationHigh()) && ip6.nextHeader() == Ipv6Packet.NEXT_ICMPV6
                && length >= Ipv6Packet.HEADER_LENGTH + NeighborDiscovery.MIN_LENGTH
                && (frame.get(icmp) & 0xff) == Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION) {
            destination = addresses6.find(frame, icmp + 8);
            neighborDiscovery = true;
        } else {
            destination = addresses6.find(frame, offset + Ipv6Packet.DESTINATION);
            neighborDiscovery = ip6.nextHeader() == Ipv6Packet.NEXT_ICMPV6
                    && length >= Ipv6Packet.HEADER_LENGTH + Icmpv6Message.HEADER_LENGTH
                    && isNeighborDiscoveryType(frame.get(icmp) & 0xff);
        }
        known = true;
    }

    private static boolean isNeighborDiscoveryType(int type) {
        return type >= Icmpv6Message.TYPE_ROUTER_SOLICITATION && type <= Icmpv6Message.TYPE_REDIRECT;
    }

    /** Whether the last frame read had addresses (IPv4, IPv6, ARP). */
    public boolean known() {
        return known;
    }

    /** An IPv6 packet's source, first half: for an address the engine does not know yet. */
    public long sourceHigh() {
        return sourceHigh;
    }

    public long sourceLow() {
        return sourceLow;
    }

    /** An IPv6 packet's destination, first half: for an address no node has, which {@link #destination} cannot name. */
    public long destinationHigh() {
        return destinationHigh;
    }

    public long destinationLow() {
        return destinationLow;
    }

    /** The EtherType of the last frame read, or -1 when it was not a complete Ethernet frame. */
    public int etherType() {
        return etherType;
    }

    public boolean isIpv4() {
        return known && etherType == EthernetFrame.TYPE_IPV4;
    }

    public boolean isArp() {
        return known && etherType == EthernetFrame.TYPE_ARP;
    }

    public boolean isIpv6() {
        return known && etherType == EthernetFrame.TYPE_IPV6;
    }

    /**
     * Whether the frame finds neighbours on its link: ARP, or IPv6 neighbour discovery (solicitations,
     * advertisements, router messages, redirects). Such frames never cross a router.
     */
    public boolean isNeighborDiscovery() {
        return known && (etherType == EthernetFrame.TYPE_ARP || neighborDiscovery);
    }

    /** The Ethernet source of the last complete frame read. */
    public long sourceMac() {
        return sourceMac;
    }

    /** The sender's address (the packet's source, the ARP sender); only when {@link #known()}. */
    public int source() {
        return source;
    }

    /** The receiver's address (the packet's destination, the ARP or NS target); only when {@link #known()}. */
    public int destination() {
        return destination;
    }
}
