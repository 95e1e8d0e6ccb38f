package tapnet.topology.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {

    @ParameterizedTest(name = "{0} is {1} ns")
    @CsvSource({
            "500ns, 500",
            "500us, 500000",
            "500µs, 500000",
            "200ms, 200000000",
            "1.5s, 1500000000",
            "2s, 2000000000",
            "0s, 0",
            "2m, 120000000000",
            "1h, 3600000000000",
            "0.25ms, 250000",
            ".5s, 500000000",
            "'20 ms', 20000000",
    })
    void durationsAreANumberAndAUnit(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), Units.duration(text));
    }

    @Test
    void aDurationWithoutAUnitSaysToAddOne() {
        assertMessage("'20' is not a duration; write it with a unit, like 20ms or 1.5s", () -> Units.duration("20"));
    }

    @Test
    void aDurationWithAnUnknownUnitListsTheUnits() {
        assertMessage("'20sec' is not a duration: 'sec' is not a unit of time; expected a number and a unit"
                + " (ns, us, ms, s, m or h), like 200ms or 1.5s", () -> Units.duration("20sec"));
    }

    @Test
    void aDurationThatIsNotANumberSaysWhatIsExpected() {
        assertMessage("'soon' is not a duration; expected a number and a unit (ns, us, ms, s, m or h), like 200ms or 1.5s",
                () -> Units.duration("soon"));
    }

    @Test
    void aNegativeDurationIsRefused() {
        assertMessage("'-5ms' is negative; expected a duration of zero or more, like 0s or 200ms", () -> Units.duration("-5ms"));
    }

    @Test
    void aDurationFinerThanANanosecondIsRefused() {
        assertMessage("'0.5ns' is finer than a nanosecond; expected a whole number of nanoseconds", () -> Units.duration("0.5ns"));
    }

    @Test
    void aDurationTooLongForNanosecondsIsRefused() {
        assertMessage("'999999999h' is too large", () -> Units.duration("999999999h"));
    }

    @ParameterizedTest(name = "{0} is {1} bytes")
    @CsvSource({
            "1500, 1500",
            "1500B, 1500",
            "64KiB, 65536",
            "1MiB, 1048576",
            "1.5KiB, 1536",
            "2GiB, 2147483648",
            "1TiB, 1099511627776",
            "0, 0",
    })
    void sizesAreBytesOrANumberAndABinaryUnit(String text, long bytes) {
        assertEquals(bytes, Units.size(text));
    }

    @Test
    void decimalSizeUnitsAreRefusedBecauseTheyAreAmbiguous() {
        assertMessage("'64KB' is not a size: 'KB' is not a unit of size; expected a number of bytes, or a number and a unit"
                + " (B, KiB, MiB, GiB or TiB; 1KiB is 1024 bytes), like 1500 or 64KiB", () -> Units.size("64KB"));
    }

    @Test
    void aSizeThatIsNotANumberSaysWhatIsExpected() {
        assertMessage("'big' is not a size; expected a number of bytes, or a number and a unit"
                + " (B, KiB, MiB, GiB or TiB; 1KiB is 1024 bytes), like 1500 or 64KiB", () -> Units.size("big"));
    }

    @Test
    void aSizeMustBeWholeBytes() {
        assertMessage("'1.5B' is not a whole number of bytes; expected like 1536 or 1.5KiB", () -> Units.size("1.5B"));
    }

    @Test
    void aNegativeSizeIsRefused() {
        assertMessage("'-1KiB' is negative; expected a size of zero or more, like 1500 or 64KiB", () -> Units.size("-1KiB"));
    }

    @Test
    void formattingUsesTheLargestExactUnit() {
        assertEquals("2s", Units.format(Duration.ofSeconds(2)));
        assertEquals("1500ms", Units.format(Duration.ofMillis(1500)));
        assertEquals("2m", Units.format(Duration.ofMinutes(2)));
        assertEquals("500us", Units.format(Duration.ofNanos(500_000)));
        assertEquals("0s", Units.format(Duration.ZERO));
        assertEquals("64KiB", Units.formatSize(65_536));
        assertEquals("512MiB", Units.formatSize(512L << 20));
        assertEquals("1500B", Units.formatSize(1500));
    }

    @Test
    void formattedQuantitiesParseBack() {
        for (Duration d : new Duration[] {Duration.ofMillis(1500), Duration.ofNanos(7), Duration.ofHours(3)}) {
            assertEquals(d, Units.duration(Units.format(d)));
        }
        for (long size : new long[] {0, 1, 1500, 65_536, 3L << 30}) {
            assertEquals(size, Units.size(Units.formatSize(size)));
        }
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable parse) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, parse).getMessage());
    }
}
