package tapnet.testing;

import java.nio.ByteBuffer;
import java.util.Arrays;
import tapnet.wire.ArpPacket;
import tapnet.wire.EthernetFrame;
import tapnet.wire.IcmpMessage;
import tapnet.wire.Ipv4Packet;
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

        public byte[] build() {
            byte[] options = options();
            int headerLength = TcpSegment.MIN_HEADER_LENGTH + options.length;
            int length = headerLength + payload.length;
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
}
