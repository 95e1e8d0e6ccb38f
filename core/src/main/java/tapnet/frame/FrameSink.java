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

    /** The longest frame the sink takes (Ethernet header included). */
    int maxFrameLength();

    /** The engine finished a batch of input; a sink that batches writes sends them now. */
    default void flush() {
    }
}
