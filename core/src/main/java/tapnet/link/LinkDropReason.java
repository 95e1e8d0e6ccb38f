package tapnet.link;

/** Why a link direction did not deliver a frame (or a copy of one). */
public enum LinkDropReason {
    /** The loss model chose it ({@link LossModel}). */
    LOSS("lost by the link's loss model"),
    /** The rate limiter's queue was full (tail drop). */
    QUEUE_FULL("dropped at the tail of the link's full queue"),
    /** The link is down. */
    DOWN("dropped because the link is down"),
    /** Larger than the link's MTU; a router would answer with ICMP fragmentation needed if DF is set. */
    TOO_BIG("larger than the link's MTU");

    private final String description;

    LinkDropReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
