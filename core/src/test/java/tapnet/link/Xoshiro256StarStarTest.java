package tapnet.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Xoshiro256StarStarTest {

    @Test
    void matchesTheReferenceImplementation() {
        // xoshiro256starstar.c by Blackman and Vigna, from state {1, 2, 3, 4}.
        Xoshiro256StarStar random = Xoshiro256StarStar.ofState(1, 2, 3, 4);
        long[] expected = {11520L, 0L, 1509978240L, 1215971899390074240L, 1216172134540287360L};
        long[] actual = new long[expected.length];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = random.nextLong();
        }
        assertArrayEquals(expected, actual);
    }

    @Test
    void theSameSeedGivesTheSameNumbersAndAnotherSeedOthers() {
        Xoshiro256StarStar a = new Xoshiro256StarStar(42);
        Xoshiro256StarStar b = new Xoshiro256StarStar(42);
        Xoshiro256StarStar c = new Xoshiro256StarStar(43);
        long first = a.nextLong();
        assertEquals(first, b.nextLong());
        assertNotEquals(first, c.nextLong());
    }

    @Test
    void doublesAreInTheUnitInterval() {
        Xoshiro256StarStar random = new Xoshiro256StarStar(7);
        double sum = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            assertTrue(u >= 0 && u < 1);
            sum += u;
        }
        Statistics.assertWithin("mean of uniform draws", sum / n, 0.5, Math.sqrt(1.0 / 12 / n));
    }

    @Test
    void boundedIntsCoverTheRangeEvenly() {
        Xoshiro256StarStar random = new Xoshiro256StarStar(7);
        int bound = 8;
        int n = 80_000;
        int[] counts = new int[bound];
        for (int i = 0; i < n; i++) {
            counts[random.nextInt(bound)]++;
        }
        for (int value = 0; value < bound; value++) {
            Statistics.assertBinomial("draws of " + value, counts[value], n, 1.0 / bound);
        }
        assertThrows(IllegalArgumentException.class, () -> random.nextInt(0));
    }

    @Test
    void derivedSeedsDifferByStreamAndBySeed() {
        assertNotEquals(SplitMix64.derive(1, 0), SplitMix64.derive(1, 1));
        assertNotEquals(SplitMix64.derive(1, 0), SplitMix64.derive(2, 0));
        assertEquals(SplitMix64.derive(1, 5), SplitMix64.derive(1, 5));
    }
}
