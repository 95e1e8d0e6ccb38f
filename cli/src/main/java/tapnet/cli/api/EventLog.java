package tapnet.cli.api;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tapnet.topology.Action;
import tapnet.topology.yaml.ActionText;

/**
 * What changed in a run, whoever asked (the API, {@code tapnet ctl}, the script's timeline, a reset): the
 * last {@link #CAPACITY} changes, each with its number, its time since the run started and its wall-clock
 * time, for {@code GET /v1/events}. Changes come from the engine thread and the API's threads: synchronized.
 */
public final class EventLog {
    /** Changes kept; older ones are dropped and counted. */
    public static final int CAPACITY = 10_000;

    /** One change: {@code source} is api, ctl, script or reset; {@code action} in the file's words. */
    record Event(long seq, long nanosSinceStart, Instant at, String source, String action) {
    }

    private final long startNanos = System.nanoTime();
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private final int capacity;
    private long next = 1;
    private long dropped;

    public EventLog() {
        this(CAPACITY);
    }

    EventLog(int capacity) {
        this.capacity = capacity;
    }

    /** Records that {@code action} was applied, as {@code source} asked. */
    public synchronized void record(String source, Action action) {
        if (events.size() == capacity) {
            events.removeFirst();
            dropped++;
        }
        events.addLast(new Event(next++, System.nanoTime() - startNanos, Instant.now(), source, ActionText.of(action)));
    }

    /** The events after {@code since}, the number the next will have, and how many were dropped, as the API answers. */
    synchronized Map<String, Object> since(long since) {
        List<Object> list = new ArrayList<>();
        for (Event e : events) {
            if (e.seq() > since) {
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("seq", e.seq());
                event.put("time", Math.round(e.nanosSinceStart() / 1e6) / 1e3); // seconds, to the millisecond
                event.put("at", e.at().toString());
                event.put("source", e.source());
                event.put("action", e.action());
                list.add(event);
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("events", list);
        answer.put("next", next - 1); // the latest event's number: as since, it asks for what came after
        answer.put("dropped", dropped);
        return answer;
    }
}
