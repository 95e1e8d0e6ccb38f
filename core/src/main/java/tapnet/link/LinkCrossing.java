package tapnet.link;

import java.nio.ByteBuffer;
import tapnet.frame.Offload;
import tapnet.frame.WireFrames;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;

/**
 * Puts frames through one direction of an emulated link: the link decides, dropped frames are counted by
 * reason, delayed, duplicated or corrupted ones are copied into {@link HeldFrames} with a tag saying where
 * they go on. Engine thread only.
 *
 * <p>Links act on wire frames. An offloaded frame (a GSO frame of up to 64 KB, or one whose checksum
 * the kernel left to the receiver) crosses a perfect link whole, counted as the wire frames it stands for;
 * before any other link, or one whose frames are captured, the caller makes it into wire frames
 * ({@link #needsWireFrames}, {@link WireFrames}) and sends each across: so loss, rate, delay and
 * corruption act frame by frame exactly as with offloads off.
 */
public final class LinkCrossing {
    private final Counters counters;
    private final HeldFrames held;
    private final Verdict verdict = new Verdict();

    /** Counts the wire frames an offloaded frame stands for. */
    private final WireFrames wireFrames;

    /** @param frameCapacity bytes of the longest wire frame */
    public LinkCrossing(Counters counters, HeldFrames held, int frameCapacity) {
        this.counters = counters;
        this.held = held;
        this.wireFrames = new WireFrames(frameCapacity);
    }

    /** The last decision: why a frame did not go on (its MTU when it was too big). */
    public Verdict verdict() {
        return verdict;
    }

    /**
     * Whether a frame with {@code offload} must be made into wire frames before crossing {@code link}: it
     * is offloaded, and the link acts on frames one by one (any link but a perfect one) or is watched.
     */
    public static boolean needsWireFrames(LinkDirection link, long offload, boolean captured) {
        return offload != Offload.NONE && (captured || !link.isPerfect());
    }

    /**
     * True when the frame goes on at once and unchanged; false when the link dropped it or holds it (copies,
     * corrupted as decided), to be released with {@code tag}. An offloaded frame may only come here for a
     * perfect link (see {@link #needsWireFrames}), which it crosses whole.
     */
    public boolean cross(LinkDirection link, ByteBuffer frame, int offset, int length, long offload, long now, int tag) {
        if (offload != Offload.NONE && link.isPerfect()) {
            int frames = wireFrames.count(frame, offset, length, offload);
            link.countPassed(Math.max(1, frames), frames > 1 ? wireFrames.countedBytes() : length);
            return true;
        }
        link.decide(length, now, verdict);
        if (verdict.dropped()) {
            counters.drop(switch (verdict.dropReason()) {
                case LOSS -> DropReason.LINK_LOSS;
                case QUEUE_FULL -> DropReason.LINK_QUEUE_FULL;
                case DOWN -> DropReason.LINK_DOWN;
                case TOO_BIG -> DropReason.LINK_TOO_BIG;
            });
            return false;
        }
        if (verdict.copies() == 1 && verdict.releaseNanos(0) <= now && !verdict.corrupted(0)) {
            return true;
        }
        for (int copy = 0; copy < verdict.copies(); copy++) {
            ByteBuffer kept = held.hold(frame, offset, length, verdict.releaseNanos(copy), tag);
            if (kept == null) {
                counters.drop(DropReason.LINK_HELD_FULL);
            } else if (verdict.corrupted(copy)) {
                verdict.corrupt(copy, kept, 0);
            }
        }
        return false;
    }
}
