package tapnet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Thresholds read from an expectation's words, in the unit of a plot's axis. */
class ThresholdTest {
    @Test
    void aStatisticsThresholdIsReadInTheAxisUnitAndSharesOrCountsOfSamplesAreNotOnTheAxis() {
        assertEquals(5, Threshold.onAxis("median > 5mbit", "Mbit/s").value(), 1e-9);
        assertEquals(0.5, Threshold.onAxis("p90 <= 500us", "ms").value(), 1e-9);
        assertEquals(0, Threshold.onAxis("max == 0", "count").value(), 1e-9);
        assertEquals(null, Threshold.onAxis("success >= 99%", "ms"), "a share of samples is not on the axis");
        assertEquals(null, Threshold.onAxis("failures <= 1", "ms"));
        assertEquals(null, Threshold.onAxis("p99 < fast", "ms"), "words it cannot read");
    }
}
