package tapnet.frame;

import java.nio.ByteBuffer;

/**
 * A sink with nobody behind it: frames are written into one reused buffer and forgotten. The TAP of a
 * simulated run (what the hosts send to the kernel goes nowhere), and tests that only need the engine.
 */
public final class DiscardingSink implements FrameSink {
    private final ByteBuffer buffer;

    /** @param maxFrameLength the longest frame, Ethernet header included */
    public DiscardingSink(int maxFrameLength) {
        this.buffer = ByteBuffer.allocate(maxFrameLength);
    }

    @Override
    public ByteBuffer claim() {
        return buffer.clear();
    }

    @Override
    public void commit(int length) {
    }

    @Override
    public int maxFrameLength() {
        return buffer.capacity();
    }
}
