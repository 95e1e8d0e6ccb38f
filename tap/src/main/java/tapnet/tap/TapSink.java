package tapnet.tap;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import tapnet.frame.FrameSink;

/**
 * Sends the engine's frames into a TAP: the engine writes each frame into one reused direct buffer and
 * {@link #commit} hands it to the kernel with a single write(2). Engine thread only; no allocation per frame.
 * A failed write drops the frame, is counted and logged, and never throws into the engine.
 */
public final class TapSink implements FrameSink {
    private static final System.Logger LOG = System.getLogger(TapSink.class.getName());

    private final TapDevice tap;
    private final ByteBuffer frame;
    private final AtomicLong framesWritten = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();

    /** @param maxFrameLength the longest frame, Ethernet header included: the TAP's MTU plus 14 */
    public TapSink(TapDevice tap, int maxFrameLength) {
        this.tap = tap;
        this.frame = ByteBuffer.allocateDirect(maxFrameLength);
    }

    @Override
    public ByteBuffer claim() {
        frame.clear();
        return frame;
    }

    @Override
    public void commit(int length) {
        int written = tap.write(frame, length);
        if (written == length) {
            framesWritten.setRelease(framesWritten.getPlain() + 1);
            return;
        }
        long errors = writeErrors.getPlain() + 1;
        writeErrors.setRelease(errors);
        if (Long.bitCount(errors) == 1) { // 1st, 2nd, 4th, 8th ...: visible, not flooding
            String why = written < 0 ? Errno.describe(-written) : "wrote " + written + " of " + length + " bytes";
            LOG.log(Level.WARNING, "write to TAP " + tap.name() + " failed (" + errors + " so far): " + why);
        }
    }

    @Override
    public int maxFrameLength() {
        return frame.capacity();
    }

    public long framesWritten() {
        return framesWritten.get();
    }

    public long writeErrors() {
        return writeErrors.get();
    }
}
