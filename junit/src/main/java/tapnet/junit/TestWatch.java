package tapnet.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import tapnet.client.Capture;
import tapnet.client.Counters;
import tapnet.client.Event;
import tapnet.client.Network;
import tapnet.client.TapnetException;

/**
 * What the network looked like as one test started (its events' sequence number, its counters, a capture
 * of its frames), and at its end, when it failed, what the network did during it: the events, the counters
 * that changed and the capture's path. That report goes out three ways: as report entries
 * ({@code tapnet.events}, {@code tapnet.counters}, {@code tapnet.capture}), on standard error (where
 * surefire shows it) and as a {@link NetworkReport} suppressed by the failure. A passing test's capture is
 * deleted. A capture the run cannot make does not fail the test: it is said on standard error.
 */
final class TestWatch {
    private final Network net;
    /** The number of the last event before the test. */
    private final long since;
    private final Counters before;
    private final Capture capture;

    private TestWatch(Network net, long since, Counters before, Capture capture) {
        this.net = net;
        this.since = since;
        this.before = before;
        this.capture = capture;
    }

    /** Notes where the run's events and counters stand, and starts capturing into {@code capturePath} (null: none). */
    static TestWatch start(Network net, AtomicLong eventCursor, Path capturePath) {
        // The last event's number, not the answer's "next": that is the number the next event will get, and
        // since= asks for those after it; the highest seen is right whichever way a server counts.
        long since = eventCursor.get();
        for (Event event : net.events(since).events()) {
            since = Math.max(since, event.seq());
        }
        eventCursor.set(since);
        Counters before = net.counters();
        Capture capture = null;
        if (capturePath != null) {
            try {
                Files.createDirectories(capturePath.getParent());
                Files.deleteIfExists(capturePath);
                capture = net.capture(capturePath);
            } catch (IOException | TapnetException e) {
                System.err.println("tapnet: no capture of this test's frames: " + e.getMessage());
            }
        }
        return new TestWatch(net, since, before, capture);
    }

    /**
     * Stops the capture; when the test failed ({@code failure} not null), reports what the network did and
     * keeps the capture, otherwise deletes it.
     */
    void finish(Throwable failure, BiConsumer<String, String> reportEntry, String test) {
        Capture.Summary captured = stopCapture();
        if (failure == null) {
            if (captured != null) {
                deleteQuietly(captured.path());
            }
            return;
        }
        List<Event> events = net.events(since).events().stream().filter(e -> e.seq() > since).toList();
        Counters changed = net.counters().diff(before);
        String eventLines = events.isEmpty() ? "(none)" : String.join("\n", events.stream().map(Event::toString).toList());
        String counterLines = changed.isEmpty() ? "(none)" : changed.toString().strip();
        String capturePath = captured == null ? "(none)" : captured.path().toString();
        reportEntry.accept("tapnet.events", eventLines);
        reportEntry.accept("tapnet.counters", counterLines);
        reportEntry.accept("tapnet.capture", capturePath);
        String report = "what the network did during " + test + ":\n"
                + "  events:\n" + indent(eventLines) + "\n"
                + "  counters that changed:\n" + indent(counterLines) + "\n"
                + "  capture: " + capturePath + (captured == null ? "" : " (" + captured.frames() + " frames; wireshark or tcpdump -r read it)");
        System.err.println("tapnet: " + report);
        failure.addSuppressed(new NetworkReport(report));
    }

    private Capture.Summary stopCapture() {
        if (capture == null) {
            return null;
        }
        try {
            return capture.stop();
        } catch (TapnetException e) {
            System.err.println("tapnet: the capture " + capture.path() + " did not stop cleanly: " + e.getMessage());
            return null;
        }
    }

    private static String indent(String lines) {
        return "    " + lines.replace("\n", "\n    ");
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.err.println("tapnet: could not delete the capture of a passing test, " + file + ": " + e.getMessage());
        }
    }
}
