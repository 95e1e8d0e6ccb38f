package tapnet.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongLongHashMapTest {
    @Test
    void behavesLikeAHashMapUnderRandomChurn() {
        LongLongHashMap map = new LongLongHashMap(4, -1);
        Map<Long, Long> reference = new HashMap<>();
        Random random = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            long key = random.nextInt(500) * 1024L;
            switch (random.nextInt(3)) {
                case 0 -> {
                    Long previous = reference.put(key, (long) i);
                    assertEquals(previous == null ? -1 : previous, map.put(key, i), "put " + key);
                }
                case 1 -> {
                    Long previous = reference.remove(key);
                    assertEquals(previous == null ? -1 : previous, map.remove(key), "remove " + key);
                }
                default -> assertEquals(reference.getOrDefault(key, -1L), map.get(key), "get " + key);
            }
        }
        assertEquals(reference.size(), map.size());
    }

    @Test
    void removalKeepsLaterEntriesOfTheProbeRunReachable() {
        LongLongHashMap map = new LongLongHashMap(8, -1);
        for (long k = 0; k < 1000; k++) {
            map.put(k * 16, k);
        }
        for (long k = 0; k < 1000; k += 2) {
            map.remove(k * 16);
        }
        for (long k = 1; k < 1000; k += 2) {
            assertEquals(k, map.get(k * 16));
        }
        assertEquals(500, map.size());
    }
}
