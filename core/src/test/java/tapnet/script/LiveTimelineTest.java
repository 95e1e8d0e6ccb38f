package tapnet.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The wall-clock timeline: tasks at their time, and those due together in the order they were given. */
class LiveTimelineTest {
    @Test
    void tasksDueTogetherRunInTheOrderGivenAndNoneBeforeItsTime() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(4);
        try (LiveTimeline timeline = new LiveTimeline()) {
            long at = timeline.now() + 50_000_000L;
            for (String name : new String[] {"event", "sample", "mark"}) {
                timeline.at(at, () -> {
                    assertTrue(timeline.now() >= at, "not before its time");
                    ran.add(name);
                    done.countDown();
                });
            }
            timeline.at(at - 30_000_000L, () -> {
                ran.add("earlier");
                done.countDown();
            });
            assertTrue(done.await(5, TimeUnit.SECONDS));
        }
        assertEquals(List.of("earlier", "event", "sample", "mark"), ran);
    }
}
