package tapnet.link;

import java.nio.ByteBuffer;

/**
 * What a {@link LinkDirection} decided for one frame, filled by {@link LinkDirection#decide} into a
 * holder the caller owns and reuses (no object per frame). Either the frame is dropped
 * ({@link #copies()} is 0, {@link #dropReason()} says why), or 1 or 2 copies go out (2 when it was
 * duplicated), each at its own release time and each possibly with one bit to flip.
 *
 * <p>The caller sends copy {@code i} at {@link #releaseNanos(int) releaseNanos(i)}; if
 * {@link #corrupted(int) corrupted(i)}, it first flips {@link #corruptionMask(int)} in the byte at
 * {@link #corruptionOffset(int)} of that copy ({@link #corrupt} does it). The two copies of a
 * duplicated frame are corrupted independently, so corrupt a copy, not the frame both share.
 */
public final class Verdict {
    public static final int MAX_COPIES = 2;

    private int copies;
    private LinkDropReason dropReason;
    private int mtu;
    private final long[] releaseNanos = new long[MAX_COPIES];
    private final int[] corruptionOffset = new int[MAX_COPIES];
    private final int[] corruptionMask = new int[MAX_COPIES];
    private final boolean[] reordered = new boolean[MAX_COPIES];

    /** How many copies of the frame go out: 0 (dropped), 1, or 2 (duplicated). */
    public int copies() {
        return copies;
    }

    public boolean dropped() {
        return copies == 0;
    }

    /** Why the frame was dropped; null when a copy goes out. */
    public LinkDropReason dropReason() {
        return dropReason;
    }

    /** True when the frame was dropped for being larger than the link's MTU. */
    public boolean tooBig() {
        return dropReason == LinkDropReason.TOO_BIG;
    }

    /**
     * The link's MTU when the frame was {@linkplain #tooBig() too big}, for the ICMP "fragmentation needed"
     * answer to a packet with DF set (RFC 1191 §4: its next-hop MTU field); 0 otherwise.
     */
    public int mtu() {
        return mtu;
    }

    /** When copy {@code copy} leaves the link, on the clock {@code decide} was given. */
    public long releaseNanos(int copy) {
        return releaseNanos[index(copy)];
    }

    public boolean corrupted(int copy) {
        return corruptionMask[index(copy)] != 0;
    }

    /** The byte of copy {@code copy} to flip a bit in, from the frame's first byte; -1 when not corrupted. */
    public int corruptionOffset(int copy) {
        return corruptionOffset[index(copy)];
    }

    /** The bit to flip (a single bit, 1 to 128); 0 when not corrupted. */
    public int corruptionMask(int copy) {
        return corruptionMask[index(copy)];
    }

    /** Whether copy {@code copy} was reordered: sent at once, ahead of frames being delayed. */
    public boolean reordered(int copy) {
        return reordered[index(copy)];
    }

    /**
     * Flips copy {@code copy}'s corrupted bit in its frame, which starts at {@code frameOffset} in
     * {@code frame}; does nothing if the copy is not corrupted.
     */
    public void corrupt(int copy, ByteBuffer frame, int frameOffset) {
        int i = index(copy);
        if (corruptionMask[i] != 0) {
            int at = frameOffset + corruptionOffset[i];
            frame.put(at, (byte) (frame.get(at) ^ corruptionMask[i]));
        }
    }

    void clear() {
        copies = 0;
        dropReason = null;
        mtu = 0;
    }

    void drop(LinkDropReason reason) {
        dropReason = reason;
    }

    void dropTooBig(int linkMtu) {
        dropReason = LinkDropReason.TOO_BIG;
        mtu = linkMtu;
    }

    void addCopy(long release, int offset, int mask, boolean wasReordered) {
        releaseNanos[copies] = release;
        corruptionOffset[copies] = offset;
        corruptionMask[copies] = mask;
        reordered[copies] = wasReordered;
        copies++;
    }

    private int index(int copy) {
        if (copy < 0 || copy >= copies) {
            throw new IndexOutOfBoundsException("copy " + copy + " of a verdict with " + copies + " copies");
        }
        return copy;
    }
}
