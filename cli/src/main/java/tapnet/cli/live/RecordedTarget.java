package tapnet.cli.live;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tapnet.cli.api.RunChanges;
import tapnet.script.RunReport;
import tapnet.script.ScriptTarget;
import tapnet.topology.Action;

/**
 * A live script's target, whose applied changes are recorded as the script's in {@link RunChanges}: the
 * control API's events list them, and a reset undoes them, as it does the API's and ctl's.
 */
final class RecordedTarget implements ScriptTarget {
    private final ScriptTarget target;
    private final RunChanges changes;

    RecordedTarget(ScriptTarget target, RunChanges changes) {
        this.target = target;
        this.changes = changes;
    }

    @Override
    public CompletableFuture<String> apply(Action action) {
        // recorded when applied (on the engine thread): a failed action changed nothing
        return target.apply(action).thenApply(done -> {
            changes.applied("script", action);
            return done;
        });
    }

    @Override
    public Map<String, Long> counters() {
        return target.counters();
    }

    @Override
    public List<RunReport.LinkCounters> links() {
        return target.links();
    }

    @Override
    public void comment(String text, long atNanos) {
        target.comment(text, atNanos);
    }
}
