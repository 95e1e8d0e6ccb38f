package tapnet.link;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class HeldFramesTest {
    private final HeldFrames held = new HeldFrames(64, 100);
    private final List<String> out = new ArrayList<>();

    private void hold(int value, long at) {
        ByteBuffer b = ByteBuffer.allocate(1).put(0, (byte) value);
        assertNotNull(held.hold(b, 0, 1, at, value * 10));
    }

    private void release(long now) {
        held.releaseDue(now, (frame, length, tag, t) -> out.add(frame.get(0) + "/" + tag + "@" + t));
    }

    @Test
    void framesLeaveInReleaseOrderAndOnlyWhenDue() {
        hold(1, 300);
        hold(2, 100);
        hold(3, 200);
        release(150);
        assertEquals(List.of("2/20@100"), out, "released with the time it was due");
        assertEquals(200, held.nextRelease());
        release(1000);
        assertEquals(List.of("2/20@100", "3/30@200", "1/10@300"), out);
        assertEquals(HeldFrames.NONE, held.nextRelease());
    }

    @Test
    void equalReleaseTimesKeepArrivalOrder() {
        for (int i = 0; i < 20; i++) {
            hold(i, 500);
        }
        release(500);
        for (int i = 0; i < 20; i++) {
            assertEquals(i + "/" + i * 10 + "@500", out.get(i));
        }
    }

    @Test
    void aFullPoolRefusesAndReleasingMakesRoom() {
        for (int i = 0; i < 64; i++) {
            hold(i, i);
        }
        assertNull(held.hold(ByteBuffer.allocate(1), 0, 1, 0, 0));
        release(10);
        assertNotNull(held.hold(ByteBuffer.allocate(1), 0, 1, 0, 0));
    }

    @Test
    void randomTimesComeOutSorted() {
        HeldFrames many = new HeldFrames(1000, 8);
        Random r = new Random(3);
        for (int i = 0; i < 1000; i++) {
            ByteBuffer b = ByteBuffer.allocate(8).putLong(0, r.nextInt(10_000));
            many.hold(b, 0, 8, b.getLong(0), 0);
        }
        long[] last = {-1};
        many.releaseDue(Long.MAX_VALUE - 1, (frame, length, tag, now) -> {
            long at = frame.getLong(0);
            assertEquals(true, at >= last[0]);
            last[0] = at;
        });
        assertEquals(0, many.size());
    }
}
