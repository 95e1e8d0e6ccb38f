package tapnet.engine;

import java.nio.ByteBuffer;
import tapnet.frame.HeldFrames;
import tapnet.link.LinkDirection;
import tapnet.link.Verdict;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;

/**
 * Puts frames through one direction of an emulated link: the link decides, dropped frames are counted by
 * reason, delayed, duplicated or corrupted ones are copied into {@link HeldFrames} with a tag saying where
 * they go on. Engine thread only.
 */
final class LinkCrossing {
    private final Counters counters;
    private final HeldFrames held;
    private final Verdict verdict = new Verdict();

    LinkCrossing(Counters counters, HeldFrames held) {
        this.counters = counters;
        this.held = held;
    }

    /** The last decision: why a frame did not go on (its MTU when it was too big). */
    Verdict verdict() {
        return verdict;
    }

    /**
     * True when the frame goes on at once and unchanged; false when the link dropped it or holds it (copies,
     * corrupted as decided), to be released with {@code tag}.
     */
    boolean cross(LinkDirection link, ByteBuffer frame, int offset, int length, long now, int tag) {
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
