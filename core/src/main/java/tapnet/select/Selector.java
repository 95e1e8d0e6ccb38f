package tapnet.select;

/**
 * Which of a sequence of events (SYNs, connections, DNS queries) a fault rule hits: all of them, the first
 * N, or each with a probability. The counting and drawing are {@link Selections}'.
 */
public sealed interface Selector {
    record All() implements Selector {
    }

    /** The first {@code count}. */
    record First(int count) implements Selector {
    }

    /** Each one with this probability, 0 to 1. */
    record Probability(double probability) implements Selector {
    }

    /** Null when {@code selector} is one a rule can hold; else what is out of range. */
    static String problem(Selector selector) {
        if (selector instanceof First f && f.count() < 0
                || selector instanceof Probability p && (p.probability() < 0 || p.probability() > 1)) {
            return "fault selector out of range: " + selector;
        }
        return null;
    }

    /** @throws IllegalArgumentException when {@code selector} is out of range (a negative count, a probability past 0..1) */
    static Selector checked(Selector selector) {
        String problem = problem(selector);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return selector;
    }
}
