package tapnet.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import tapnet.frame.FrameSink;

/**
 * A frame sink for tests: keeps every frame the engine sends, in buffers it reuses after {@link #clear()},
 * so that steady-state loops (allocation tests) allocate nothing once the buffers exist.
 */
public final class CapturingSink implements FrameSink {
    private final int maxFrameLength;
    private final List<ByteBuffer> frames = new ArrayList<>();
    private int[] lengths = new int[64];
    private int count;

    public CapturingSink(int maxFrameLength) {
        this.maxFrameLength = maxFrameLength;
    }

    public CapturingSink() {
        this(1514);
    }

    @Override
    public ByteBuffer claim() {
        if (count == frames.size()) {
            frames.add(ByteBuffer.allocate(maxFrameLength));
            if (lengths.length < frames.size()) {
                lengths = java.util.Arrays.copyOf(lengths, lengths.length * 2);
            }
        }
        ByteBuffer b = frames.get(count);
        b.clear();
        return b;
    }

    @Override
    public void commit(int length) {
        lengths[count++] = length;
    }

    @Override
    public int maxFrameLength() {
        return maxFrameLength;
    }

    public int count() {
        return count;
    }

    /** Frame {@code i} of those sent since the last clear; valid until the next clear. */
    public ByteBuffer frame(int i) {
        return frames.get(i);
    }

    public int length(int i) {
        return lengths[i];
    }

    /** Copies of every frame since the last clear, then clears. */
    public List<byte[]> drain() {
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] copy = new byte[lengths[i]];
            frames.get(i).get(0, copy);
            out.add(copy);
        }
        clear();
        return out;
    }

    public void clear() {
        count = 0;
    }
}
