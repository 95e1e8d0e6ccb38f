package tapnet.frame;

import java.nio.ByteBuffer;

/**
 * Where the engine's outgoing frames go: the TAP, an egress ring, a link, or a list in a test. The engine
 * claims a buffer, writes one frame into it from index 0, and commits its length (or abandons it); a claim
 * is always followed by one of the two, on the engine thread.
 */
public interface FrameSink {
    /** A buffer to write the next frame into, from index 0, of at least {@link #maxFrameLength()} bytes. */
    ByteBuffer claim();

    /** Sends the frame written into the buffer {@link #claim()} returned. */
    void commit(int length);

    /** The frame written into the claimed buffer is not to be sent after all (a link dropped or held it). */
    default void abandon() {
    }

    /** The longest frame the sink takes (Ethernet header included) through {@link #claim()}. */
    int maxFrameLength();

    /**
     * Whether the sink takes offloaded frames ({@link Offload}: partial checksums, GSO frames up to 64 KB)
     * through {@link #send}, as a TAP with virtio-net headers does; other sinks get wire frames only.
     */
    default boolean takesOffloads() {
        return false;
    }

    /**
     * Sends a frame that lies in another buffer, with its offload descriptor ({@link Offload#NONE} for a
     * wire frame), as if it were written into {@link #claim()} and committed; by default it is copied so,
     * which only suits a wire frame. A sink that {@link #takesOffloads()} overrides it.
     */
    default void send(ByteBuffer frame, int offset, int length, long offload) {
        ByteBuffer out = claim();
        out.put(0, frame, offset, length);
        commit(length);
    }

    /** The engine finished a batch of input; a sink that batches writes sends them now. */
    default void flush() {
    }
}
