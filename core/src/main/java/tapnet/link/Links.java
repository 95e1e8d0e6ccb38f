package tapnet.link;

import java.nio.ByteBuffer;
import tapnet.frame.Offload;
import tapnet.frame.WireFrames;
import tapnet.observe.Counters;
import tapnet.observe.DropReason;

/**
 * The engine's emulated links, as one mechanism for every layer that has them (the segment's ports, the
 * routers' node links). Each direction is made and changed here ({@link #update}: a change keeps the
 * direction's generators and queue, so a run with changes replays like one without). A frame crosses one
 * direction through {@link #cross}: the link decides, dropped frames are counted by reason, and delayed,
 * duplicated or corrupted ones are copied into the one {@link HeldFrames} queue with the layer's tag. When
 * they are due ({@link #releaseDue}), each goes back to the layer that sent it across ({@link #addLayer}),
 * which carries it on from where its link held it. Engine thread only.
 *
 * <p>Links act on wire frames. An offloaded frame (a GSO frame of up to 64 KB, or one whose checksum
 * the kernel left to the receiver) crosses a perfect link whole, counted as the wire frames it stands for;
 * before any other link, or one whose frames are captured, the caller makes it into wire frames
 * ({@link #needsWireFrames}, {@link WireFrames}) and sends each across: so loss, rate, delay and
 * corruption act frame by frame exactly as with offloads off.
 */
public final class Links {
    /** Low bits of a held frame's tag that say which layer it goes back to. */
    private static final int LAYER_BITS = 2;
    private static final int MAX_LAYERS = 1 << LAYER_BITS;

    private final Counters counters;
    private final HeldFrames held;
    private final Verdict verdict = new Verdict();

    /** Counts the wire frames an offloaded frame stands for. */
    private final WireFrames wireFrames;

    /** How each layer carries on a frame its link held, now due; the tag is what the layer gave {@link #cross}. */
    private final HeldFrames.Release[] layers = new HeldFrames.Release[MAX_LAYERS];
    private int layerCount;
    private final HeldFrames.Release release = this::release;
    /** The time of the poll releasing held frames: what they carry reaches the hosts then. */
    private long pollNanos;

    /**
     * @param heldFrames    frames held in flight at most, over all links (a link's delay times its rate, summed)
     * @param frameCapacity bytes of the longest wire frame
     */
    public Links(Counters counters, int heldFrames, int frameCapacity) {
        this.counters = counters;
        this.held = new HeldFrames(heldFrames, frameCapacity);
        this.wireFrames = new WireFrames(frameCapacity);
    }

    /** A layer whose links hold frames; returns its number, to give {@link #cross}. Before the engine starts. */
    public int addLayer(HeldFrames.Release resume) {
        if (layerCount == MAX_LAYERS) {
            throw new IllegalStateException("at most " + MAX_LAYERS + " layers have links");
        }
        layers[layerCount] = resume;
        return layerCount++;
    }

    /**
     * A direction with settings {@code next}: a new one drawing from {@code seed} when {@code current} is
     * null, else {@code current} changed in place (it keeps its generators and queue: a change while running
     * continues the same run).
     */
    public static LinkDirection update(LinkDirection current, Impairments next, long seed) {
        if (current == null) {
            return new LinkDirection(next, seed);
        }
        current.set(next);
        return current;
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
     * corrupted as decided), to go back to {@code layer} with {@code tag} when due. An offloaded frame may
     * only come here for a perfect link (see {@link #needsWireFrames}), which it crosses whole.
     */
    public boolean cross(int layer, LinkDirection link, ByteBuffer frame, int offset, int length, long offload,
                         long now, int tag) {
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
            ByteBuffer kept = held.hold(frame, offset, length, verdict.releaseNanos(copy), tag << LAYER_BITS | layer);
            if (kept == null) {
                counters.drop(DropReason.LINK_HELD_FULL);
            } else if (verdict.corrupted(copy)) {
                verdict.corrupt(copy, kept, 0);
            }
        }
        return false;
    }

    /** The earliest time a held frame is due, or {@link HeldFrames#NONE}. */
    public long nextRelease() {
        return held.nextRelease();
    }

    /** Carries on every held frame due at {@code now}, in the order they are due, each in its layer. */
    public void releaseDue(long now) {
        pollNanos = now;
        held.releaseDue(now, release);
    }

    /** The time of the last {@link #releaseDue}: what held frames carry reaches the hosts no earlier. */
    public long pollNanos() {
        return pollNanos;
    }

    private void release(ByteBuffer frame, int length, int tag, long dueNanos) {
        layers[tag & (MAX_LAYERS - 1)].release(frame, length, tag >>> LAYER_BITS, dueNanos);
    }
}
