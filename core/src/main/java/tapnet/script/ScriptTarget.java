package tapnet.script;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tapnet.topology.Action;

/**
 * What a scripted run acts on: the running engine (through its thread, for live runs) and, for commands,
 * the namespaces. Called from the run's timeline.
 */
public interface ScriptTarget {
    /**
     * Does what {@code action} says; the future completes with what was done, in a few words, or fails
     * with why it could not be (a command runs on in the background; the rest completes at once).
     */
    CompletableFuture<String> apply(Action action);

    /** The engine's counters now, by name. */
    Map<String, Long> counters();

    /** Every link's counters now, each direction. */
    List<RunReport.LinkCounters> links();

    /** Notes an event in the capture, if there is one, at run time {@code atNanos}. */
    void comment(String text, long atNanos);
}
