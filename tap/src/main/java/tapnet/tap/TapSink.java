package tapnet.tap;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import tapnet.frame.FrameSink;
import tapnet.frame.Offload;
import tapnet.frame.VirtioNetHeader;

/**
 * Sends the engine's frames into a TAP: the engine writes each frame into one reused direct buffer and
 * {@link #commit} hands it to the kernel with a single write(2). A frame from another device
 * ({@link #send}) goes with its offload descriptor in the virtio-net header, when the TAP has one:
 * a GSO frame of 64 KB reaches the kernel whole, as through a kernel bridge. Engine thread only; no
 * allocation per frame. A failed write drops the frame, is counted and logged, and never throws into the
 * engine.
 */
public final class TapSink implements FrameSink {
    private static final System.Logger LOG = System.getLogger(TapSink.class.getName());

    private final TapDevice tap;
    /**
     * What write(2) sends: the virtio-net header when the TAP has one (all zeros for the hosts' own frames,
     * whose checksums are complete), then the frame.
     */
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
        if (header > 0) {
            VirtioNetHeader.write(wire, 0, Offload.NONE, 0);
        }
        written(length, tap.write(wire, header + length));
    }

    @Override
    public boolean takesOffloads() {
        return header > 0;
    }

    /**
     * A frame read from another device, written with its descriptor. A frame in a direct buffer with room
     * for the header before it (a ring slot, where its own header was read) goes out from there, header
     * written in place, without a copy; any other is copied into this sink's buffer.
     */
    @Override
    public void send(ByteBuffer source, int offset, int length, long offload) {
        if (header == 0 && offload != Offload.NONE) {
            failed(length, "an offloaded frame (" + Offload.describe(offload) + ") for a TAP without virtio-net headers");
            return;
        }
        if (header > 0 && source.isDirect() && offset >= header) {
            VirtioNetHeader.write(source, offset - header, offload, 0);
            written(length, tap.write(source, offset - header, header + length));
            return;
        }
        if (length > frame.capacity()) {
            failed(length, "a frame of " + length + " bytes, longer than " + frame.capacity());
            return;
        }
        wire.put(header, source, offset, length);
        if (header > 0) {
            VirtioNetHeader.write(wire, 0, offload, 0);
        }
        written(length, tap.write(wire, header + length));
    }

    /** Counts the outcome of writing a frame of {@code length} bytes, given what write(2) returned. */
    private void written(int length, int raw) {
        int written = raw < 0 ? raw : raw - header;
        if (written == length) {
            framesWritten.setRelease(framesWritten.getPlain() + 1);
            return;
        }
        failed(length, written < 0 ? Errno.describe(-written) : "wrote " + written + " of " + length + " bytes");
    }

    private void failed(int length, String why) {
        long errors = writeErrors.getPlain() + 1;
        writeErrors.setRelease(errors);
        if (Long.bitCount(errors) == 1) { // 1st, 2nd, 4th, 8th ...: visible, not flooding
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
