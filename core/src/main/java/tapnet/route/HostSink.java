package tapnet.route;

import java.nio.ByteBuffer;
import tapnet.frame.FrameSink;
import tapnet.time.Clock;

/**
 * What the hosts write their frames into: a frame from a node behind a router or with a link goes up its
 * path ({@link Paths}: links may drop, delay or change it, routers forward it), any other straight onto the
 * TAP's segment, in the buffer the segment lent, without a copy. Engine thread only.
 */
public final class HostSink implements FrameSink {
    private final FrameSink segment;
    private final NodeTree tree;
    private final Clock clock;
    private Paths paths;
    private ByteBuffer claimed;

    public HostSink(FrameSink segment, NodeTree tree, Clock clock) {
        this.segment = segment;
        this.tree = tree;
        this.clock = clock;
    }

    /**
     * The paths frames go up; before the first frame (the paths deliver to the hosts, whose network layer
     * writes into this sink: one of the two is told of the other after it is made).
     */
    public void carryThrough(Paths value) {
        this.paths = value;
    }

    @Override
    public ByteBuffer claim() {
        claimed = segment.claim();
        return claimed;
    }

    @Override
    public void commit(int length) {
        if (!tree.active() || !paths.takeOutgoing(claimed, length, clock.nanos())) {
            segment.commit(length); // the direct path; otherwise the paths committed, held or dropped it
        }
    }

    @Override
    public void abandon() {
        segment.abandon();
    }

    @Override
    public int maxFrameLength() {
        return segment.maxFrameLength();
    }

    @Override
    public void flush() {
        segment.flush();
    }
}
