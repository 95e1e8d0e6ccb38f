package tapnet.wire;

import java.nio.ByteBuffer;

/**
 * Who a frame is from and for at the IPv4 layer, read once per hop: an IPv4 packet's source and
 * destination, or an Ethernet/IPv4 ARP packet's sender and target. What partitions, routers and load
 * shedding decide by. A flyweight: {@link #read} fills it, nothing is allocated.
 */
public final class FrameAddresses {
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final ArpPacket arp = new ArpPacket();
    private int etherType;
    private long sourceMac;
    private int source;
    private int destination;
    private boolean known;

    /**
     * Reads a frame's addresses; returns {@link #known()}: false for an incomplete Ethernet frame, another
     * EtherType, an IPv4 payload shorter than a header, or an ARP packet not for Ethernet and IPv4.
     */
    public boolean read(ByteBuffer frame, int offset, int length) {
        known = false;
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

    /** Whether the last frame read had IPv4 addresses (IPv4 or ARP). */
    public boolean known() {
        return known;
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

    /** The Ethernet source of the last complete frame read. */
    public long sourceMac() {
        return sourceMac;
    }

    /** The sender's IPv4 address (the packet's source, the ARP sender); only when {@link #known()}. */
    public int source() {
        return source;
    }

    /** The receiver's IPv4 address (the packet's destination, the ARP target); only when {@link #known()}. */
    public int destination() {
        return destination;
    }
}
