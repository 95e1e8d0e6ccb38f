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
    /** What write(2) sends: the virtio-net header (all zeros: no offload asked) when the TAP has one, then the frame. */
    private final ByteBuffer wire;
    /** The engine's view: the frame alone, at index 0. */
    private final ByteBuffer frame;
    private final int header;
    private final AtomicLong framesWritten = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();

    /** @param maxFrameLength the longest frame, Ethernet header included: the TAP's MTU plus 14 */
    public TapSink(TapDevice tap, int maxFrameLength) {
        this.tap = tap;
        this.header = tap.offloads() ? TapDevice.VNET_HEADER_LENGTH : 0;
        this.wire = ByteBuffer.allocateDirect(header + maxFrameLength);
        this.frame = wire.slice(header, maxFrameLength);
    }

    @Override
    public ByteBuffer claim() {
        frame.clear();
        return frame;
    }

    @Override
    public void commit(int length) {
        int raw = tap.write(wire, header + length);
        int written = raw < 0 ? raw : raw - header;
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
