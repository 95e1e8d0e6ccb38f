package tapnet.collections;

import java.util.Arrays;

/**
 * A map from {@code long} to {@code long} with open addressing and linear probing: no boxing, no entry
 * objects, nothing allocated after construction unless it grows. Removal shifts later entries back
 * instead of leaving tombstones, so lookups stay short under churn.
 */
public final class LongLongHashMap {
    private final long missingValue;
    private long[] keys;
    private long[] values;
    private boolean[] used;
    private int mask;
    private int size;

    /** @param missingValue what {@link #get} returns for an absent key */
    public LongLongHashMap(int expectedSize, long missingValue) {
        this.missingValue = missingValue;
        allocate(tableSizeFor(expectedSize));
    }

    public int size() {
        return size;
    }

    public long missingValue() {
        return missingValue;
    }

    public long get(long key) {
        for (int i = slot(key); used[i]; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
        }
        return missingValue;
    }

    public boolean containsKey(long key) {
        for (int i = slot(key); used[i]; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return true;
            }
        }
        return false;
    }

    /** Associates {@code value} with {@code key}; returns the previous value or the missing value. */
    public long put(long key, long value) {
        int i = slot(key);
        for (; used[i]; i = (i + 1) & mask) {
            if (keys[i] == key) {
                long previous = values[i];
                values[i] = value;
                return previous;
            }
        }
        used[i] = true;
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
            grow();
        }
        return missingValue;
    }

    /** Removes {@code key}; returns its value or the missing value. */
    public long remove(long key) {
        for (int i = slot(key); used[i]; i = (i + 1) & mask) {
            if (keys[i] == key) {
                long previous = values[i];
                shiftBack(i);
                size--;
                return previous;
            }
        }
        return missingValue;
    }

    public void clear() {
        Arrays.fill(used, false);
        size = 0;
    }

    private void shiftBack(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            if (!used[i]) {
                break;
            }
            int home = slot(keys[i]);
            // Move the entry into the hole unless its home lies cyclically in (hole, i].
            boolean homeBetween = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
            if (!homeBetween) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                hole = i;
            }
        }
        used[hole] = false;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        boolean[] oldUsed = used;
        allocate(oldKeys.length * 2);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldUsed[i]) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new long[capacity];
        used = new boolean[capacity];
        mask = capacity - 1;
    }

    private static int tableSizeFor(int expected) {
        int n = Math.max(8, expected * 2);
        return Integer.highestOneBit(n - 1) << 1;
    }
}
