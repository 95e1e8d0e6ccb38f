package tapnet.dns;

/**
 * What the faults decided for one query ({@link DnsFaults#decide}): the outcome that replaces the answer
 * (null: the zone's answer), and what changes the answer that goes out: a delay, an address for its A
 * records, a TTL for all its records. A mutable holder, reused query after query (a TCP connection keeps
 * one for a query it holds back): nothing is allocated per query.
 */
public final class DnsFaultDecision {
    /** No TTL override. */
    public static final int NO_TTL = -1;

    DnsFaults.Kind outcome;
    long delayNanos;
    boolean replaceAddress;
    int address;
    int ttl = NO_TTL;
    /** Which kinds hit, a bit per {@link DnsFaults.Kind#ordinal()}: what is counted. */
    int hits;

    /** No fault: the zone's answer, at once. */
    public void clear() {
        outcome = null;
        delayNanos = 0;
        replaceAddress = false;
        address = 0;
        ttl = NO_TTL;
        hits = 0;
    }

    public void copyFrom(DnsFaultDecision other) {
        outcome = other.outcome;
        delayNanos = other.delayNanos;
        replaceAddress = other.replaceAddress;
        address = other.address;
        ttl = other.ttl;
        hits = other.hits;
    }

    /** The kind that replaces the answer (nxdomain, servfail, refused, timeout, truncate), or null. */
    public DnsFaults.Kind outcome() {
        return outcome;
    }

    /** True when no answer is to be sent at all: the client times out. */
    public boolean silent() {
        return outcome == DnsFaults.Kind.TIMEOUT;
    }

    /** How long the answer is held before it goes; 0: at once. */
    public long delayNanos() {
        return delayNanos;
    }

    /** Whether any fault hit the query. */
    public boolean anyHit() {
        return hits != 0;
    }

    /** Whether a fault of {@code kind} hit the query (and was applied: truncate over TCP is not). */
    public boolean hit(DnsFaults.Kind kind) {
        return (hits & 1 << kind.ordinal()) != 0;
    }
}
