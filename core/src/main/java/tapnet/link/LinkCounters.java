package tapnet.link;

/**
 * What one link direction did, counted as plain long fields written only by the engine thread that owns
 * the direction (readers elsewhere see them as of some recent moment). Copies are counted: a duplicated
 * frame adds one to {@link #duplicated()}, and each of its copies is then delivered or dropped on its own,
 * so that {@code framesIn + duplicated = framesDelivered + dropped} always holds.
 */
public final class LinkCounters {
    long framesIn;
    long bytesIn;
    long framesDelivered;
    long bytesDelivered;
    long duplicated;
    long corrupted;
    long reordered;
    long droppedLoss;
    long droppedQueueFull;
    long droppedDown;
    long droppedTooBig;

    /** Frames offered to the link. */
    public long framesIn() {
        return framesIn;
    }

    public long bytesIn() {
        return bytesIn;
    }

    /** Copies given a release time (duplicates included). */
    public long framesDelivered() {
        return framesDelivered;
    }

    public long bytesDelivered() {
        return bytesDelivered;
    }

    /** Frames that got a second copy. */
    public long duplicated() {
        return duplicated;
    }

    /** Delivered copies with a bit flipped. */
    public long corrupted() {
        return corrupted;
    }

    /** Delivered copies sent at once by netem's reorder, ahead of delayed ones. */
    public long reordered() {
        return reordered;
    }

    public long dropped(LinkDropReason reason) {
        return switch (reason) {
            case LOSS -> droppedLoss;
            case QUEUE_FULL -> droppedQueueFull;
            case DOWN -> droppedDown;
            case TOO_BIG -> droppedTooBig;
        };
    }

    /** Copies dropped, every reason. */
    public long dropped() {
        return droppedLoss + droppedQueueFull + droppedDown + droppedTooBig;
    }

    void countDrop(LinkDropReason reason) {
        switch (reason) {
            case LOSS -> droppedLoss++;
            case QUEUE_FULL -> droppedQueueFull++;
            case DOWN -> droppedDown++;
            case TOO_BIG -> droppedTooBig++;
        }
    }

    @Override
    public String toString() {
        return "in " + framesIn + " (" + bytesIn + " bytes), delivered " + framesDelivered + " (" + bytesDelivered
                + " bytes), lost " + droppedLoss + ", queue full " + droppedQueueFull + ", down " + droppedDown
                + ", too big " + droppedTooBig + ", duplicated " + duplicated + ", corrupted " + corrupted
                + ", reordered " + reordered;
    }
}
