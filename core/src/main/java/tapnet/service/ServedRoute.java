package tapnet.service;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import tapnet.observe.Counters;

/**
 * A route of a {@link RoutedHttpService} as the engine thread uses it: what it matches, as bytes; its answer;
 * its faults, each with a generator of its own; and its counters. Its faults may be replaced while running
 * ({@link #setFaults}); the requests counted for {@code first} then start again.
 */
final class ServedRoute {
    final byte[] method;
    final byte[] path;
    /** Ends with {@code *}: takes every path below it, so a path cut short by the parser may still match. */
    final boolean prefix;
    final HttpAnswer answer;
    /** Names this route's counters: {@code PREFIX.route.N}; null when the service counts nothing. */
    private final String counterName;
    private final int requestsSlot;
    /** Seeds the faults' generators: the same faults set again draw the same again, so a run replays. */
    private final long seed;
    private HttpFault[] faults;
    private SplittableRandom[] random;
    /** Requests since the faults were set, for {@code first}. */
    private long requests;

    ServedRoute(RoutedHttpService.Route route, Counters counters, String counterName, long seed) {
        this.method = route.method() == null ? null : route.method().getBytes(StandardCharsets.US_ASCII);
        this.prefix = route.path().endsWith("*");
        this.path = route.path().getBytes(StandardCharsets.US_ASCII);
        this.answer = route.answer();
        this.counterName = counterName;
        this.seed = seed;
        this.requestsSlot = counterName == null ? -1 : counters.named(counterName + ".requests");
        if (counterName != null) {
            answer.statusSlot = counters.named(counterName + ".status." + answer.status);
        }
        setFaults(route.faults(), counters);
    }

    /**
     * Its faults become {@code replacement} (empty: none), counted from the next request on. Engine thread.
     *
     * @throws IllegalArgumentException when a status they answer needs a counter and there is no room left
     */
    void setFaults(List<HttpFault> replacement, Counters counters) {
        HttpFault[] next = replacement.toArray(new HttpFault[0]);
        SplittableRandom seeds = new SplittableRandom(seed);
        SplittableRandom[] generators = new SplittableRandom[next.length];
        for (int i = 0; i < next.length; i++) {
            generators[i] = seeds.split(); // one generator per rule: adding a rule does not change the others' draws
            if (next[i].answer != null && counterName != null) {
                try {
                    next[i].answer.statusSlot = counters.named(counterName + ".status." + next[i].answer.status);
                } catch (IllegalStateException e) {
                    throw new IllegalArgumentException(e.getMessage() + "; expected statuses this run already counts");
                }
            }
        }
        faults = next;
        random = generators;
        requests = 0;
    }

    /**
     * Counts a request it takes and returns the fault that acts on it, or null. Every rule with a probability
     * draws once per request, whether or not an earlier rule acts, so that each rule's draws replay alone.
     */
    HttpFault take(Counters counters) {
        if (requestsSlot >= 0) {
            counters.incrementNamed(requestsSlot);
        }
        long n = ++requests;
        HttpFault acting = null;
        for (int i = 0; i < faults.length; i++) {
            HttpFault f = faults[i];
            boolean drawn = f.probability >= 1 || random[i].nextDouble() < f.probability;
            if (acting == null && drawn && (f.first == 0 || n <= f.first)) {
                acting = f;
            }
        }
        return acting;
    }

    /**
     * Whether it takes a request whose method is {@code line[0, methodEnd)} and path {@code line[targetStart,
     * targetEnd)}; {@code whole}: the path was kept whole (a cut one may match a prefix only).
     */
    boolean matches(byte[] line, int methodEnd, int targetStart, int targetEnd, boolean whole) {
        if (method != null && !regionEquals(line, 0, methodEnd, method)) {
            return false;
        }
        return (whole || prefix) && pathMatches(line, targetStart, Math.min(targetEnd, line.length));
    }

    /**
     * The route's path against {@code line[from, to)}: a {@code *} inside it takes any characters but
     * {@code /} (one segment's worth, as in {@code /users/}{@code *}{@code /orders}), a final one takes everything after it.
     * Backtracks to the last {@code *} only, which suffices since a segment's star can never need to reach
     * past the {@code /} that ends it; no allocation.
     */
    private boolean pathMatches(byte[] line, int from, int to) {
        int p = 0;
        int t = from;
        int starP = -1;
        int starT = -1;
        while (t < to) {
            if (p < path.length && path[p] == '*') {
                if (p == path.length - 1) {
                    return true; // a final star: everything below
                }
                starP = p++;
                starT = t;
            } else if (p < path.length && path[p] == line[t]) {
                p++;
                t++;
            } else if (starP >= 0 && line[starT] != '/') {
                t = ++starT; // the star takes one character more
                p = starP + 1;
            } else {
                return false;
            }
        }
        while (p < path.length && path[p] == '*') {
            p++;
        }
        return p == path.length;
    }

    private static boolean regionEquals(byte[] line, int from, int to, byte[] expected) {
        if (to - from != expected.length || to > line.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (line[from + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
