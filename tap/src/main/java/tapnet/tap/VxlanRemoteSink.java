package tapnet.tap;

import java.nio.ByteBuffer;
import tapnet.frame.FrameSink;

/**
 * The engine's {@link FrameSink} towards one VXLAN remote: a frame the engine writes into {@link #claim()}
 * lies in the {@link VxlanSocket}'s outgoing buffer right behind the VXLAN header, so {@link #commit} sends
 * it with one sendto(2) and no copy. Every remote's sink shares that buffer: claim and commit (or abandon)
 * one frame before claiming the next, as the engine does. Engine thread only; a frame not sent is counted
 * by the socket ({@link VxlanSocket#unsent(int)}), never thrown into the engine.
 */
public final class VxlanRemoteSink implements FrameSink {
    private final VxlanSocket socket;
    private final int remote;
    private final ByteBuffer frame;

    /** The sink of {@code socket}'s remote number {@code remote}. */
    public VxlanRemoteSink(VxlanSocket socket, int remote) {
        if (remote < 0 || remote >= socket.remoteCount()) {
            throw new IllegalArgumentException("no VXLAN remote " + remote + " of " + socket.remoteCount());
        }
        this.socket = socket;
        this.remote = remote;
        this.frame = socket.outgoingFrame();
    }

    @Override
    public ByteBuffer claim() {
        frame.clear();
        return frame;
    }

    @Override
    public void commit(int length) {
        socket.sendOutgoing(length, remote);
    }

    @Override
    public int maxFrameLength() {
        return socket.maxFrameLength();
    }

    /** Which of the socket's remotes this sink sends to. */
    public int remote() {
        return remote;
    }
}
