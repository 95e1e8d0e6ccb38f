package tapnet.cli.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The two text formats, as their specifications write counters, gauges, labels and escapes. */
class ExpositionWriterTest {
    private static String write(boolean openMetrics) {
        ExpositionWriter w = new ExpositionWriter(openMetrics);
        w.counter("tapnet_frames_total", "frames \\ received\nor \"sent\"")
                .sample(6, "direction", "in")
                .sample(4, "direction", "out");
        w.gauge("tapnet_ring_occupancy", "slots in use").sample(0);
        w.counter("tapnet_link_frames_total", "per link").sample(1, "link", "a\"b\\c\nd", "outcome", "lost");
        return w.finish();
    }

    @Test
    void textFormatNamesCounterFamiliesAsTheirSamplesAndEscapesOnlyBackslashAndNewlineInHelp() {
        assertEquals("""
                # HELP tapnet_frames_total frames \\\\ received\\nor "sent"
                # TYPE tapnet_frames_total counter
                tapnet_frames_total{direction="in"} 6
                tapnet_frames_total{direction="out"} 4
                # HELP tapnet_ring_occupancy slots in use
                # TYPE tapnet_ring_occupancy gauge
                tapnet_ring_occupancy 0
                # HELP tapnet_link_frames_total per link
                # TYPE tapnet_link_frames_total counter
                tapnet_link_frames_total{link="a\\"b\\\\c\\nd",outcome="lost"} 1
                """, write(false));
    }

    @Test
    void openMetricsNamesCounterFamiliesWithoutTotalEscapesQuotesInHelpAndEndsWithEof() {
        assertEquals("""
                # HELP tapnet_frames frames \\\\ received\\nor \\"sent\\"
                # TYPE tapnet_frames counter
                tapnet_frames_total{direction="in"} 6
                tapnet_frames_total{direction="out"} 4
                # HELP tapnet_ring_occupancy slots in use
                # TYPE tapnet_ring_occupancy gauge
                tapnet_ring_occupancy 0
                # HELP tapnet_link_frames per link
                # TYPE tapnet_link_frames counter
                tapnet_link_frames_total{link="a\\"b\\\\c\\nd",outcome="lost"} 1
                # EOF
                """, write(true));
    }

    @Test
    void aCounterMustEndInTotalAndANameMustBeValid() {
        assertThrows(IllegalArgumentException.class, () -> new ExpositionWriter(false).counter("tapnet_frames", "x"));
        assertThrows(IllegalArgumentException.class, () -> new ExpositionWriter(false).gauge("tapnet-ring", "x"));
        assertTrue(ExpositionWriter.isValidName("tapnet_control_requests_total"));
        assertFalse(ExpositionWriter.isValidName("9lives"));
        assertFalse(ExpositionWriter.isValidName(""));
    }
}
