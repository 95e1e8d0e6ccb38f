package tapnet.tcp;

import java.nio.ByteBuffer;
import tapnet.wire.TcpOptions;
import tapnet.wire.TcpSegment;

/**
 * The segment being received, its options, and the link and network addresses it came with: one
 * flyweight, rewrapped for every segment, that the parts of TCP an arrival passes through read in turn.
 * Valid until the next segment; engine thread only.
 */
final class IncomingSegment {
    final TcpSegment segment = new TcpSegment();
    final TcpOptions options = new TcpOptions();
    /** The virtual host's MAC, and the sender's. */
    long localMac;
    long remoteMac;
    /** The virtual host's address (the destination), and the sender's. */
    int localAddress;
    int remoteAddress;

    /** Wraps the TCP segment at {@code offset}; its options are parsed by {@link #parseOptions} once it is found sound. */
    TcpSegment wrap(long localMac, long remoteMac, int remoteAddress, int localAddress, ByteBuffer buffer, int offset, int length) {
        this.localMac = localMac;
        this.remoteMac = remoteMac;
        this.remoteAddress = remoteAddress;
        this.localAddress = localAddress;
        return segment.wrap(buffer, offset, length);
    }

    void parseOptions() {
        options.parse(segment);
    }
}
