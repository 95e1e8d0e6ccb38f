package tapnet.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import tapnet.frame.FrameSink;

/** A frame sink that keeps a copy of every frame the engine sends, for tests to take and inspect. */
public final class CapturedFrames implements FrameSink {
    private final int maxFrameLength;
    private final ByteBuffer scratch;
    private final List<ByteBuffer> frames = new ArrayList<>();

    public CapturedFrames(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
        this.scratch = ByteBuffer.allocate(maxFrameLength);
    }

    @Override
    public ByteBuffer claim() {
        return scratch.clear();
    }

    @Override
    public void commit(int length) {
        ByteBuffer copy = ByteBuffer.allocate(length);
        copy.put(0, scratch, 0, length);
        frames.add(copy);
    }

    @Override
    public int maxFrameLength() {
        return maxFrameLength;
    }

    /** The frames sent since the last call, oldest first. */
    public List<ByteBuffer> take() {
        List<ByteBuffer> taken = List.copyOf(frames);
        frames.clear();
        return taken;
    }
}
