package tapnet.cli.command;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * The wall-clock instant {@code --start-at} names, at which a script's timeline starts, the same on every
 * part of a split file (their clocks assumed synchronised, as NTP keeps them): an instant with its offset
 * ({@code 2026-12-05T14:30:00Z}), or a time of day ({@code 14:30} or {@code 14:30:05}), the next one in the
 * machine's time zone. An instant already past or more than a day ahead is a mistake, said so.
 */
final class StartTime {
    static final Duration MAX_AHEAD = Duration.ofDays(1);

    private StartTime() {
    }

    /** The instant {@code text} names, seen at {@code now}; throws with what is wrong and what is expected. */
    static Instant parse(String text, ZonedDateTime now) {
        Instant start;
        if (text.contains("T")) {
            try {
                start = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--start-at " + text + ": not an instant; expected one with its offset,"
                        + " like 2026-12-05T14:30:00Z, or a time of day, like 14:30:00");
            }
        } else {
            LocalTime time;
            try {
                time = LocalTime.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--start-at " + text + ": not a time of day; expected HH:MM or HH:MM:SS,"
                        + " like 14:30:00, or an instant, like 2026-12-05T14:30:00Z");
            }
            ZonedDateTime today = now.with(time);
            start = (today.isAfter(now) ? today : today.plusDays(1)).toInstant();
        }
        if (!start.isAfter(now.toInstant())) {
            throw new IllegalArgumentException("--start-at " + text + ": that was " + Duration.between(start, now.toInstant())
                    .toSeconds() + " s ago; expected a time to come (the clock here says " + now.toInstant() + ")");
        }
        if (Duration.between(now.toInstant(), start).compareTo(MAX_AHEAD) > 0) {
            throw new IllegalArgumentException("--start-at " + text + ": more than a day ahead; expected a time within the"
                    + " next 24 hours");
        }
        return start;
    }
}
