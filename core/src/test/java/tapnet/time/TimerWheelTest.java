package tapnet.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerWheelTest {
    private static final long MS = 1_000_000;
    private final TimerWheel wheel = new TimerWheel(16, MS, 8, 0);
    private final List<String> fired = new ArrayList<>();

    private int poll(long now) {
        return wheel.poll(now, (handle, t) -> fired.add(handle + "@" + t / MS));
    }

    @Test
    void firesAtTheDeadlineNotBefore() {
        wheel.schedule(3, 5 * MS + 500);
        poll(5 * MS);
        assertEquals(List.of(), fired);
        poll(5 * MS + 500);
        assertEquals(List.of("3@5"), fired);
        assertFalse(wheel.isScheduled(3));
    }

    @Test
    void deadlinesBeyondOneRevolutionWaitForTheirTurn() {
        wheel.schedule(1, 20 * MS); // 8 buckets of 1 ms: 2.5 revolutions away
        for (long t = 0; t < 20; t++) {
            poll(t * MS);
        }
        assertEquals(List.of(), fired);
        poll(20 * MS);
        assertEquals(List.of("1@20"), fired);
    }

    @Test
    void rescheduleMovesTheDeadline() {
        wheel.schedule(2, 3 * MS);
        wheel.schedule(2, 6 * MS);
        poll(4 * MS);
        assertEquals(List.of(), fired);
        poll(6 * MS);
        assertEquals(List.of("2@6"), fired);
    }

    @Test
    void cancelledHandlesNeverFire() {
        wheel.schedule(4, 2 * MS);
        wheel.cancel(4);
        poll(10 * MS);
        assertEquals(List.of(), fired);
        assertEquals(0, wheel.scheduledCount());
    }

    @Test
    void aLongIdleGapFiresEverythingDue() {
        for (int h = 0; h < 16; h++) {
            wheel.schedule(h, (h + 1) * 3 * MS);
        }
        assertEquals(16, poll(1000 * MS));
    }

    @Test
    void handlerMayRescheduleItself() {
        wheel.schedule(0, MS);
        wheel.poll(MS, (handle, now) -> wheel.schedule(handle, now + 2 * MS));
        assertEquals(3 * MS, wheel.deadline(0));
        assertEquals(3 * MS, wheel.earliestDeadline());
    }

    @Test
    void theEarliestDeadlineIsAlwaysTheSmallestScheduledThroughSchedulesCancelsAndPolls() {
        java.util.Random random = new java.util.Random(5);
        long[] truth = new long[16];
        java.util.Arrays.fill(truth, TimerWheel.NONE);
        long now = 0;
        for (int step = 0; step < 20_000; step++) {
            int handle = random.nextInt(16);
            switch (random.nextInt(4)) {
                case 0, 1 -> { // near, far (beyond a revolution of 8 ms) or overdue
                    long deadline = now + (random.nextInt(3) == 0 ? random.nextInt(40) : random.nextInt(8)) * MS
                            + random.nextInt((int) MS) - (random.nextInt(10) == 0 ? 2 * MS : 0);
                    wheel.schedule(handle, deadline);
                    truth[handle] = deadline;
                }
                case 2 -> {
                    wheel.cancel(handle);
                    truth[handle] = TimerWheel.NONE;
                }
                default -> {
                    now += random.nextInt((int) (3 * MS));
                    long at = now;
                    wheel.poll(now, (h, t) -> truth[h] = TimerWheel.NONE);
                    for (int h = 0; h < 16; h++) {
                        assertFalse(truth[h] != TimerWheel.NONE && truth[h] <= at, "handle " + h + " was due");
                    }
                }
            }
            long smallest = java.util.Arrays.stream(truth).filter(d -> d != TimerWheel.NONE).min().orElse(TimerWheel.NONE);
            assertEquals(smallest, wheel.earliestDeadline(), "after step " + step);
        }
    }
}
