package tapnet.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** What {@code --start-at} takes: an instant to come, or the next time of day, within a day. */
class StartTimeTest {
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 12, 5, 14, 0, 0, 0, ZoneId.of("Europe/Paris"));

    @Test
    void anInstantWithItsOffsetIsThatInstant() {
        assertEquals(Instant.parse("2026-12-05T13:30:00Z"), StartTime.parse("2026-12-05T13:30:00Z", NOW));
        assertEquals(Instant.parse("2026-12-05T13:30:00Z"), StartTime.parse("2026-12-05T14:30:00+01:00", NOW));
    }

    @Test
    void aTimeOfDayIsTheNextOneInTheMachinesZone() {
        assertEquals(Instant.parse("2026-12-05T13:30:00Z"), StartTime.parse("14:30", NOW), "later today");
        assertEquals(Instant.parse("2026-12-05T13:00:05Z"), StartTime.parse("14:00:05", NOW));
        assertEquals(Instant.parse("2026-12-06T12:59:00Z"), StartTime.parse("13:59", NOW), "passed today: tomorrow");
    }

    @Test
    void whatCannotBeAStartSaysWhatIsExpected() {
        assertEquals("--start-at 2026-12-05T12:59:00Z: that was 60 s ago; expected a time to come (the clock here says"
                        + " 2026-12-05T13:00:00Z)",
                assertThrows(IllegalArgumentException.class, () -> StartTime.parse("2026-12-05T12:59:00Z", NOW)).getMessage());
        assertEquals("--start-at 2026-12-07T13:00:00Z: more than a day ahead; expected a time within the next 24 hours",
                assertThrows(IllegalArgumentException.class, () -> StartTime.parse("2026-12-07T13:00:00Z", NOW)).getMessage());
        assertEquals("--start-at 2026-12-05T13:00: not an instant; expected one with its offset, like 2026-12-05T14:30:00Z,"
                        + " or a time of day, like 14:30:00",
                assertThrows(IllegalArgumentException.class, () -> StartTime.parse("2026-12-05T13:00", NOW)).getMessage());
        assertEquals("--start-at 25:00: not a time of day; expected HH:MM or HH:MM:SS, like 14:30:00, or an instant, like"
                        + " 2026-12-05T14:30:00Z",
                assertThrows(IllegalArgumentException.class, () -> StartTime.parse("25:00", NOW)).getMessage());
    }
}
