package tapnet.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Reference values of Φ⁻¹ (Python's statistics.NormalDist.inv_cdf, also AS 241, agrees to the last digit). */
class NormalQuantileTest {

    @Test
    void matchesReferenceValuesInEveryRegion() {
        assertEquals(0.0, NormalQuantile.of(0.5));
        assertEquals(1.959963984540054, NormalQuantile.of(0.975), 1e-15);
        assertEquals(-0.5244005127080407, NormalQuantile.of(0.3), 1e-15);
        assertEquals(-1.9729610513118845, NormalQuantile.of(0.02425), 1e-14);
        assertEquals(-3.090232306167813, NormalQuantile.of(0.001), 1e-14);
        assertEquals(3.090232306167813, NormalQuantile.of(0.999), 1e-13);
        assertEquals(-6.361340902404056, NormalQuantile.of(1e-10), 1e-13);
        assertEquals(5.199337582290662, NormalQuantile.of(0.9999999), 1e-9);
        assertEquals(-37.0470962993612, NormalQuantile.of(1e-300), 1e-12);
    }

    @Test
    void isSymmetric() {
        for (double p = 0.0001; p < 0.5; p += 0.0123) {
            assertEquals(-NormalQuantile.of(p), NormalQuantile.of(1 - p), 1e-9);
        }
    }

    @Test
    void endsAtInfinityAndRefusesWhatIsNotAProbability() {
        assertEquals(Double.NEGATIVE_INFINITY, NormalQuantile.of(0));
        assertEquals(Double.POSITIVE_INFINITY, NormalQuantile.of(1));
        assertThrows(IllegalArgumentException.class, () -> NormalQuantile.of(1.5));
        assertThrows(IllegalArgumentException.class, () -> NormalQuantile.of(Double.NaN));
    }
}
