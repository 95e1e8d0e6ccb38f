package tapnet.net;

import java.nio.ByteBuffer;
import tapnet.frame.FrameSink;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Ipv4Packet;

/**
 * Writes outgoing frames straight into the sink's buffer: the Ethernet and IPv4 headers here, the
 * transport above writes its own header and payload at {@link #TRANSPORT_OFFSET} in between.
 */
public final class PacketWriter {
    /** Where the IPv4 header starts in an outgoing frame. */
    public static final int IP_OFFSET = EthernetFrame.HEADER_LENGTH;
    /** Where the transport header starts: past Ethernet and an option-less IPv4 header. */
    public static final int TRANSPORT_OFFSET = IP_OFFSET + Ipv4Packet.MIN_HEADER_LENGTH;
    private static final int DEFAULT_TTL = 64;

    private final FrameSink sink;
    private final Counters counters;
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private ByteBuffer frame;
    private int identification;

    public PacketWriter(FrameSink sink, Counters counters) {
        this.sink = sink;
        this.counters = counters;
    }

    /** The largest transport segment (header and payload) a frame can carry. */
    public int maxTransportLength() {
        return sink.maxFrameLength() - TRANSPORT_OFFSET;
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
