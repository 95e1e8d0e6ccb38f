package tapnet.tcp;

import static tapnet.tcp.SequenceNumbers.greaterThan;
import static tapnet.tcp.SequenceNumbers.lessThan;

/**
 * Out-of-order data a connection holds: up to {@link #MAX} disjoint ranges of sequence numbers
 * [start, end), kept sorted, merged as segments arrive. Primitive arrays, allocated once per connection.
 * The range that most recently grew is remembered: RFC 2018 §4 wants it reported first in SACK blocks.
 */
final class SequenceRanges {
    static final int MAX = 8;
    private final int[] start = new int[MAX];
    private final int[] end = new int[MAX];
    private int count;
    private int latest = -1;

    void clear() {
        count = 0;
        latest = -1;
    }

    int count() {
        return count;
    }

    int start(int i) {
        return start[i];
    }

    int end(int i) {
        return end[i];
    }

    /** The index of the range that grew last, or -1. */
    int latest() {
        return latest;
    }

    /**
     * Adds [from, to). Returns false, changing nothing, when it would need a new range and all are taken
     * (the data is then dropped; the sender sends it again).
     */
    boolean add(int from, int to) {
        int i = 0;
        while (i < count && lessThan(end[i], from)) {
            i++;
        }
        // Ranges from i on that overlap or touch [from, to) merge into one.
        int j = i;
        while (j < count && !greaterThan(start[j], to)) {
            j++;
        }
        if (i == j) {
            if (count == MAX) {
                return false;
            }
            System.arraycopy(start, i, start, i + 1, count - i);
            System.arraycopy(end, i, end, i + 1, count - i);
            start[i] = from;
            end[i] = to;
            count++;
        } else {
            start[i] = lessThan(start[i], from) ? start[i] : from;
            end[i] = greaterThan(end[j - 1], to) ? end[j - 1] : to;
            int removed = j - i - 1;
            System.arraycopy(start, j, start, i + 1, count - j);
            System.arraycopy(end, j, end, i + 1, count - j);
            count -= removed;
        }
        latest = i;
        return true;
    }

    /** If the first range starts at or before {@code sequence}, removes it and returns its end; else {@code sequence}. */
    int takeContiguous(int sequence) {
        if (count == 0 || greaterThan(start[0], sequence)) {
            return sequence;
        }
        int reached = greaterThan(end[0], sequence) ? end[0] : sequence;
        System.arraycopy(start, 1, start, 0, count - 1);
        System.arraycopy(end, 1, end, 0, count - 1);
        count--;
        latest = latest == 0 ? -1 : latest - 1;
        return reached;
    }
}
