package tapnet.net;

import java.nio.ByteBuffer;
import tapnet.frame.FrameSink;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.Ipv6Addresses;
import tapnet.wire.Ipv6Packet;

/**
 * Writes outgoing frames straight into the sink's buffer: the Ethernet and IP headers here, the transport
 * above writes its own header and payload in between, at {@link #transportOffset} of its destination:
 * {@link #TRANSPORT_OFFSET} past an IPv4 header, {@link #TRANSPORT_OFFSET_6} past an IPv6 one. Addresses
 * are {@code int}s, IPv6 ones their handles ({@link Ipv6Addresses}), so one call serves both families.
 */
public final class PacketWriter {
    /** Where the IPv4 header starts in an outgoing frame. */
    public static final int IP_OFFSET = EthernetFrame.HEADER_LENGTH;
    /** Where the transport header starts: past Ethernet and an option-less IPv4 header. */
    public static final int TRANSPORT_OFFSET = IP_OFFSET + Ipv4Packet.MIN_HEADER_LENGTH;
    /** Where the transport header starts past Ethernet and IPv6's fixed header. */
    public static final int TRANSPORT_OFFSET_6 = IP_OFFSET + Ipv6Packet.HEADER_LENGTH;
    private static final int DEFAULT_TTL = 64;

    private final FrameSink sink;
    private final Counters counters;
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final Ipv6Packet ip6 = new Ipv6Packet();
    private final Ipv6Addresses addresses6;
    private ByteBuffer frame;
    private int identification;

    public PacketWriter(FrameSink sink, Counters counters, Ipv6Addresses addresses6) {
        this.sink = sink;
        this.counters = counters;
        this.addresses6 = addresses6;
    }

    /** The largest transport segment (header and payload) an IPv4 frame can carry. */
    public int maxTransportLength() {
        return sink.maxFrameLength() - TRANSPORT_OFFSET;
    }

    /** The largest transport segment a frame to {@code destination} can carry. */
    public int maxTransportLength(int destination) {
        return sink.maxFrameLength() - transportOffset(destination);
    }

    /** Where the transport header goes in a frame to {@code destination}: past its family's IP header. */
    public static int transportOffset(int destination) {
        return Ipv6Addresses.isHandle(destination) ? TRANSPORT_OFFSET_6 : TRANSPORT_OFFSET;
    }

    /** The engine's IPv6 addresses, by which handles are written. */
    public Ipv6Addresses addresses6() {
        return addresses6;
    }

    /**
     * The unfolded sum of the two addresses of a pseudo-header (RFC 9293 §3.1, RFC 8200 §8.1): what TCP's
     * and UDP's checksums add their protocol and length to. IPv4 addresses or two handles.
     */
    public long addressSum(int source, int destination) {
        if (Ipv6Addresses.isHandle(source)) {
            return addresses6.sum(source) + addresses6.sum(destination);
        }
        return (source & 0xffff_ffffL) + (destination & 0xffff_ffffL);
    }

    /** Claims a frame to {@code destination} (IPv4 or IPv6); the transport goes at {@link #transportOffset}. */
    public ByteBuffer beginIp(long sourceMac, long destinationMac, int destination) {
        return begin(sourceMac, destinationMac,
                Ipv6Addresses.isHandle(destination) ? EthernetFrame.TYPE_IPV6 : EthernetFrame.TYPE_IPV4);
    }

    /** Writes the IPv4 or IPv6 header around a transport segment already in place, then sends the frame. */
    public void commitIp(int source, int destination, int protocol, int transportLength) {
        if (!Ipv6Addresses.isHandle(destination)) {
            commitIpv4(source, destination, protocol, transportLength);
            return;
        }
        writeIpv6Header(source, destination, protocol, transportLength);
        commit(Ipv6Packet.HEADER_LENGTH + transportLength);
    }

    /** As {@link #writeIpv4Header}, for either family. */
    public int writeIpHeader(int source, int destination, int protocol, int transportLength) {
        if (!Ipv6Addresses.isHandle(destination)) {
            return writeIpv4Header(source, destination, protocol, transportLength);
        }
        writeIpv6Header(source, destination, protocol, transportLength);
        return TRANSPORT_OFFSET_6 + transportLength;
    }

    private void writeIpv6Header(int source, int destination, int nextHeader, int transportLength) {
        ip6.wrap(frame, IP_OFFSET, Ipv6Packet.HEADER_LENGTH).writeHeader(transportLength, nextHeader, DEFAULT_TTL);
        addresses6.write(source, frame, IP_OFFSET + Ipv6Packet.SOURCE);
        addresses6.write(destination, frame, IP_OFFSET + Ipv6Packet.DESTINATION);
    }

    /**
     * Claims an IPv6 frame to a multicast group or from an address without a handle: the caller sets the
     * addresses on the header returned and writes the transport at {@link #TRANSPORT_OFFSET_6}.
     */
    public Ipv6Packet beginIpv6(long sourceMac, long destinationMac, int payloadLength, int nextHeader, int hopLimit) {
        begin(sourceMac, destinationMac, EthernetFrame.TYPE_IPV6);
        return ip6.wrap(frame, IP_OFFSET, Ipv6Packet.HEADER_LENGTH).writeHeader(payloadLength, nextHeader, hopLimit);
    }

    /** Claims a frame and writes its Ethernet header; the payload goes at {@link #IP_OFFSET}. */
    public ByteBuffer begin(long sourceMac, long destinationMac, int etherType) {
        frame = sink.claim();
        ethernet.wrap(frame, 0, EthernetFrame.HEADER_LENGTH)
                .setDestination(destinationMac)
                .setSource(sourceMac)
                .setEtherType(etherType);
        return frame;
    }

    /** Claims an IPv4 frame; the transport's header and payload go at {@link #TRANSPORT_OFFSET}. */
    public ByteBuffer beginIpv4(long sourceMac, long destinationMac) {
        return begin(sourceMac, destinationMac, EthernetFrame.TYPE_IPV4);
    }

    /** Sends a frame begun with {@link #begin} whose payload is {@code payloadLength} bytes. */
    public void commit(int payloadLength) {
        int length = EthernetFrame.HEADER_LENGTH + payloadLength;
        sink.commit(length);
        frame = null;
        counters.increment(Counter.FRAMES_OUT);
        counters.add(Counter.BYTES_OUT, length);
    }

    /** The frame begun is not sent after all (a UDP service began a reply and did not send it). */
    public void abandon() {
        sink.abandon();
        frame = null;
    }

    /** Writes the IPv4 header around a transport segment already in place, then sends the frame. */
    public void commitIpv4(int source, int destination, int protocol, int transportLength) {
        writeIpv4Header(source, destination, protocol, transportLength);
        commit(Ipv4Packet.MIN_HEADER_LENGTH + transportLength);
    }

    /**
     * Writes the IPv4 header around a transport segment already in place, sending nothing: the frame is whole,
     * to be copied and sent later ({@link #send}), then {@link #abandon}ed. Returns the frame's length.
     */
    public int writeIpv4Header(int source, int destination, int protocol, int transportLength) {
        identification = (identification + 1) & 0xffff;
        ip.wrap(frame, IP_OFFSET, Ipv4Packet.MIN_HEADER_LENGTH)
                .writeHeader(identification, DEFAULT_TTL, protocol, source, destination, transportLength);
        return IP_OFFSET + Ipv4Packet.MIN_HEADER_LENGTH + transportLength;
    }

    /** Sends a whole frame written before, {@code length} bytes of {@code whole} from index 0. */
    public void send(ByteBuffer whole, int length) {
        frame = sink.claim();
        frame.put(0, whole, 0, length);
        commit(length - EthernetFrame.HEADER_LENGTH);
    }
}
