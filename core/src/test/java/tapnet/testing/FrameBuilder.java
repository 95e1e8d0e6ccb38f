package tapnet.testing;

import java.nio.ByteBuffer;
import java.util.Arrays;
import tapnet.wire.ArpPacket;
import tapnet.wire.EthernetFrame;
import tapnet.wire.IcmpMessage;
import tapnet.wire.Icmpv6Message;
import tapnet.wire.InternetChecksum;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.Ipv6Address;
import tapnet.wire.Ipv6Packet;
import tapnet.wire.NeighborDiscovery;
import tapnet.wire.MacAddress;
import tapnet.wire.TcpOptions;
import tapnet.wire.TcpSegment;
import tapnet.wire.UdpDatagram;

/** Crafts frames as a peer on the TAP's segment would send them. Test code: allocation is fine here. */
public final class FrameBuilder {
    private static final int ETH = EthernetFrame.HEADER_LENGTH;
    private static final int IP = Ipv4Packet.MIN_HEADER_LENGTH;

    private FrameBuilder() {
    }

    public static byte[] arpRequest(long senderMac, int senderIp, int targetIp) {
        ByteBuffer b = ByteBuffer.allocate(ETH + ArpPacket.LENGTH);
        new EthernetFrame().wrap(b, 0, ETH).setDestination(MacAddress.BROADCAST).setSource(senderMac)
                .setEtherType(EthernetFrame.TYPE_ARP);
        new ArpPacket().wrap(b, ETH, ArpPacket.LENGTH)
                .write(ArpPacket.OPERATION_REQUEST, senderMac, senderIp, 0, targetIp);
        return b.array();
    }

    public static byte[] echoRequest(long srcMac, long dstMac, int src, int dst, int id, int seq, byte[] payload) {
        int icmpLength = IcmpMessage.HEADER_LENGTH + payload.length;
        ByteBuffer b = ipv4Frame(srcMac, dstMac, src, dst, Ipv4Packet.PROTOCOL_ICMP, icmpLength);
        b.put(ETH + IP + IcmpMessage.HEADER_LENGTH, payload);
        new IcmpMessage().wrap(b, ETH + IP, icmpLength).writeHeader(IcmpMessage.TYPE_ECHO_REQUEST, 0, (id << 16) | seq);
        return b.array();
    }

    public static byte[] udp(long srcMac, long dstMac, int src, int dst, int srcPort, int dstPort, byte[] payload) {
        int length = UdpDatagram.HEADER_LENGTH + payload.length;
        ByteBuffer b = ipv4Frame(srcMac, dstMac, src, dst, Ipv4Packet.PROTOCOL_UDP, length);
        b.put(ETH + IP + UdpDatagram.HEADER_LENGTH, payload);
        new UdpDatagram().wrap(b, ETH + IP, length).write(srcPort, dstPort, payload.length, src, dst);
        return b.array();
    }

    /** An Ethernet + IPv4 frame with room for {@code transportLength} bytes after the IP header. */
    public static ByteBuffer ipv4Frame(long srcMac, long dstMac, int src, int dst, int protocol, int transportLength) {
        ByteBuffer b = ByteBuffer.allocate(ETH + IP + transportLength);
        new EthernetFrame().wrap(b, 0, ETH).setDestination(dstMac).setSource(srcMac).setEtherType(EthernetFrame.TYPE_IPV4);
        new Ipv4Packet().wrap(b, ETH, IP).writeHeader(0x1234, 64, protocol, src, dst, transportLength);
        return b;
    }

    /**
     * Leaves the TCP checksum of an IPv4 frame as a kernel with checksum offload hands it over (NEEDS_CSUM):
     * only the pseudo-header's sum, folded and not complemented, for the receiver to complete. Returns the
     * frame.
     */
    public static byte[] withPartialTcpChecksum(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        int tcpLength = frame.length - ETH - IP;
        long pseudo = tapnet.wire.InternetChecksum.pseudoHeader(b.getInt(ETH + 12), b.getInt(ETH + 16), Ipv4Packet.PROTOCOL_TCP, tcpLength);
        b.putShort(ETH + IP + 16, (short) ~tapnet.wire.InternetChecksum.finish(pseudo));
        return frame;
    }

    /** A TCP segment, built field by field. */
    public static Tcp tcp(long srcMac, long dstMac, int src, int dst) {
        return new Tcp(srcMac, dstMac, src, dst);
    }

    public static final class Tcp {
        private final long srcMac;
        private final long dstMac;
        private final int src;
        private final int dst;
        private int srcPort = 40000;
        private int dstPort = 80;
        private int seq;
        private int ack;
        private int flags;
        private int window = 65535;
        private int mss = -1;
        private int windowScale = -1;
        private boolean sackPermitted;
        private boolean timestamps;
        private int tsVal;
        private int tsEcr;
        private byte[] rawOptions;
        private byte[] payload = new byte[0];
        private long[] source6;
        private long[] destination6;
        private Extension[] extensions = new Extension[0];

        private Tcp(long srcMac, long dstMac, int src, int dst) {
            this.srcMac = srcMac;
            this.dstMac = dstMac;
            this.src = src;
            this.dst = dst;
        }

        public Tcp ports(int from, int to) {
            srcPort = from;
            dstPort = to;
            return this;
        }

        public Tcp seq(int value) {
            seq = value;
            return this;
        }

        public Tcp ack(int value) {
            ack = value;
            return this;
        }

        public Tcp flags(int value) {
            flags = value;
            return this;
        }

        public Tcp window(int value) {
            window = value;
            return this;
        }

        public Tcp mss(int value) {
            mss = value;
            return this;
        }

        public Tcp windowScale(int shift) {
            windowScale = shift;
            return this;
        }

        public Tcp sackPermitted() {
            sackPermitted = true;
            return this;
        }

        public Tcp timestamps(int value, int echo) {
            timestamps = true;
            tsVal = value;
            tsEcr = echo;
            return this;
        }

        /** Options bytes exactly as given (padded to 4 with EOL), instead of the typed ones. */
        public Tcp rawOptions(byte... options) {
            rawOptions = options;
            return this;
        }

        public Tcp payload(byte[] value) {
            payload = value;
            return this;
        }

        /** Sends it over IPv6 from {@code source} to {@code destination} instead (the IPv4 addresses unused). */
        public Tcp ipv6(long[] source, long[] destination) {
            source6 = source;
            destination6 = destination;
            return this;
        }

        /** Over IPv6, these extension headers before the segment. */
        public Tcp extensions(Extension... headers) {
            extensions = headers;
            return this;
        }

        public byte[] build() {
            byte[] options = options();
            int headerLength = TcpSegment.MIN_HEADER_LENGTH + options.length;
            int length = headerLength + payload.length;
            if (source6 != null) {
                ByteBuffer segment = ByteBuffer.allocate(length);
                segment.put(TcpSegment.MIN_HEADER_LENGTH, options);
                segment.put(headerLength, payload);
                new TcpSegment().wrap(segment, 0, length)
                        .writeHeader(srcPort, dstPort, seq, ack, headerLength, flags, window)
                        .writeChecksum(addressSum(source6, destination6));
                return FrameBuilder.ipv6(srcMac, dstMac, source6, destination6, 64, Ipv6Packet.NEXT_TCP, segment.array(),
                        extensions);
            }
            ByteBuffer b = ipv4Frame(srcMac, dstMac, src, dst, Ipv4Packet.PROTOCOL_TCP, length);
            int at = ETH + IP;
            b.put(at + TcpSegment.MIN_HEADER_LENGTH, options);
            b.put(at + headerLength, payload);
            new TcpSegment().wrap(b, at, length)
                    .writeHeader(srcPort, dstPort, seq, ack, headerLength, flags, window)
                    .writeChecksum(src, dst);
            return b.array();
        }

        private byte[] options() {
            if (rawOptions != null) {
                return Arrays.copyOf(rawOptions, (rawOptions.length + 3) / 4 * 4);
            }
            ByteBuffer o = ByteBuffer.allocate(40);
            int at = 0;
            if (mss >= 0) at += TcpOptions.writeMss(o, at, mss);
            if (sackPermitted) at += TcpOptions.writeSackPermitted(o, at);
            if (timestamps) at += TcpOptions.writeTimestamps(o, at, tsVal, tsEcr);
            if (windowScale >= 0) at += TcpOptions.writeWindowScale(o, at, windowScale);
            return Arrays.copyOf(o.array(), at);
        }
    }

    // ---- IPv6 (RFC 8200): frames, ICMPv6 and neighbour discovery, UDP; TCP is Tcp#ipv6 ----

    /** An address as {@link Ipv6Address#parse} gives it: {high, low}. */
    public static long[] v6(String text) {
        return Ipv6Address.parse(text);
    }

    /** The link-local address a MAC makes (fe80:: + modified EUI-64, RFC 4291 appendix A). */
    public static long[] linkLocal(long mac) {
        return new long[] {Ipv6Address.LINK_LOCAL_HIGH, Ipv6Address.linkLocalLow(mac)};
    }

    /** The solicited-node multicast group of {@code address} (RFC 4291 §2.7.1). */
    public static long[] solicitedNode(long[] address) {
        return new long[] {Ipv6Address.ALL_NODES_HIGH, Ipv6Address.solicitedNodeLow(address[1])};
    }

    /** One extension header: its type (as the header before names it) and its bytes, whose first byte, its own Next Header, is filled in. */
    public record Extension(int type, byte[] bytes) {
        /** Hop-by-hop options holding one PadN of 4 bytes: a header every host takes (RFC 8200 §4.3). */
        public static Extension hopByHopPadN() {
            return new Extension(Ipv6Packet.NEXT_HOP_BY_HOP, new byte[] {0, 0, 1, 4, 0, 0, 0, 0});
        }

        /** Destination options with one unknown option of type {@code optionType} (its top two bits the action). */
        public static Extension destinationOption(int optionType) {
            return new Extension(60, new byte[] {0, 0, (byte) optionType, 4, 0, 0, 0, 0});
        }
    }

    /** The unfolded sum of two addresses, as the pseudo-header holds them (RFC 8200 §8.1). */
    public static long addressSum(long[] source, long[] destination) {
        ByteBuffer b = ByteBuffer.allocate(32).putLong(source[0]).putLong(source[1]).putLong(destination[0]).putLong(destination[1]);
        return InternetChecksum.add(0, b, 0, 32);
    }

    /**
     * An Ethernet + IPv6 frame carrying {@code upper} (already checksummed) of protocol {@code protocol}
     * after {@code extensions}, chained in order.
     */
    public static byte[] ipv6(long srcMac, long dstMac, long[] source, long[] destination, int hopLimit, int protocol,
                              byte[] upper, Extension... extensions) {
        int extensionBytes = 0;
        for (Extension e : extensions) {
            extensionBytes += e.bytes().length;
        }
        int payload = extensionBytes + upper.length;
        ByteBuffer b = ByteBuffer.allocate(ETH + Ipv6Packet.HEADER_LENGTH + payload);
        new EthernetFrame().wrap(b, 0, ETH).setDestination(dstMac).setSource(srcMac).setEtherType(EthernetFrame.TYPE_IPV6);
        int first = extensions.length > 0 ? extensions[0].type() : protocol;
        new Ipv6Packet().wrap(b, ETH, Ipv6Packet.HEADER_LENGTH).writeHeader(payload, first, hopLimit)
                .setSource(source[0], source[1]).setDestination(destination[0], destination[1]);
        int at = ETH + Ipv6Packet.HEADER_LENGTH;
        for (int i = 0; i < extensions.length; i++) {
            b.put(at, extensions[i].bytes());
            b.put(at, (byte) (i + 1 < extensions.length ? extensions[i + 1].type() : protocol));
            at += extensions[i].bytes().length;
        }
        b.put(at, upper);
        return b.array();
    }

    /** An ICMPv6 message (RFC 4443 §2.1) from {@code source} to {@code destination}, checksum over the pseudo-header. */
    public static byte[] icmpv6(long[] source, long[] destination, int type, int code, int restOfHeader, byte[] body) {
        int length = Icmpv6Message.HEADER_LENGTH + body.length;
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put(Icmpv6Message.HEADER_LENGTH, body);
        new Icmpv6Message().wrap(b, 0, length).writeHeader(type, code, restOfHeader,
                addressSum(source, destination) + Ipv6Packet.NEXT_ICMPV6 + length);
        return b.array();
    }

    /** An echo request frame (RFC 4443 §4.1) from the peer at {@code srcMac}. */
    public static byte[] echoRequest6(long srcMac, long dstMac, long[] source, long[] destination, int id, int seq, byte[] data) {
        return ipv6(srcMac, dstMac, source, destination, 64, Ipv6Packet.NEXT_ICMPV6,
                icmpv6(source, destination, Icmpv6Message.TYPE_ECHO_REQUEST, 0, (id << 16) | seq, data));
    }

    /**
     * The body of an NS or NA after the ICMPv6 header: the target, then options; each option is given as
     * {type, mac} and written as an 8-byte link-layer address option.
     */
    public static byte[] ndBody(long[] target, long[]... linkLayerOptions) {
        ByteBuffer b = ByteBuffer.allocate(16 + 8 * linkLayerOptions.length);
        b.putLong(target[0]).putLong(target[1]);
        for (long[] option : linkLayerOptions) {
            b.put((byte) option[0]).put((byte) 1).putShort((short) (option[1] >>> 32)).putInt((int) option[1]);
        }
        return b.array();
    }

    /** A source link-layer address option of {@code mac}, for {@link #ndBody}. */
    public static long[] sourceLinkLayer(long mac) {
        return new long[] {NeighborDiscovery.OPTION_SOURCE_LINK_LAYER, mac};
    }

    /** A target link-layer address option of {@code mac}, for {@link #ndBody}. */
    public static long[] targetLinkLayer(long mac) {
        return new long[] {NeighborDiscovery.OPTION_TARGET_LINK_LAYER, mac};
    }

    /**
     * A neighbour solicitation frame as a kernel sends it (RFC 4861 §7.2.2): hop limit 255, to the target's
     * solicited-node group (and its 33:33 MAC), with the asker's MAC as source link-layer option.
     */
    public static byte[] neighborSolicitation(long srcMac, long[] source, long[] target) {
        long[] group = solicitedNode(target);
        return ipv6(srcMac, Ipv6Address.multicastMac(group[1]), source, group, 255, Ipv6Packet.NEXT_ICMPV6,
                icmpv6(source, group, Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION, 0, 0, ndBody(target, sourceLinkLayer(srcMac))));
    }

    /** A UDP datagram over IPv6, checksum over the pseudo-header (never 0: RFC 8200 §8.1). */
    public static byte[] udp6(long srcMac, long dstMac, long[] source, long[] destination, int srcPort, int dstPort,
                              byte[] payload) {
        return ipv6(srcMac, dstMac, source, destination, 64, Ipv6Packet.NEXT_UDP,
                udp6Datagram(source, destination, srcPort, dstPort, payload));
    }

    /** The UDP datagram alone, for frames with extension headers. */
    public static byte[] udp6Datagram(long[] source, long[] destination, int srcPort, int dstPort, byte[] payload) {
        int length = UdpDatagram.HEADER_LENGTH + payload.length;
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put(UdpDatagram.HEADER_LENGTH, payload);
        new UdpDatagram().wrap(b, 0, length).write(srcPort, dstPort, payload.length, addressSum(source, destination));
        return b.array();
    }
}
