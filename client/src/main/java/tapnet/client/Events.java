package tapnet.client;

import java.util.List;

/**
 * The events of one {@link Network#events(long)} call, those numbered after {@code since}, oldest first;
 * {@code next} is the number the next event will get (so {@code events(next - 1)} asks for only later ones);
 * {@code dropped} how many older ones the run no longer keeps (it keeps 10,000).
 */
public record Events(List<Event> events, long next, long dropped) {
    public Events {
        events = List.copyOf(events);
    }
}
