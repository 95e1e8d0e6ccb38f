package tapnet.cli.api;

import tapnet.topology.Action;
import tapnet.topology.Topology;

/**
 * Every change applied to a run, whoever asked: the log {@code GET /v1/events} reads, and the state a
 * reset undoes. The API and ctl record theirs as they apply them; a live run's script records its own
 * ({@code tapnet.cli.live}).
 */
public final class RunChanges {
    private final RunState state;
    private final EventLog events = new EventLog();

    public RunChanges(Topology topology) {
        this.state = new RunState(topology);
    }

    /** {@code action} was applied, as {@code source} (api, ctl, script, reset) asked. */
    public void applied(String source, Action action) {
        if (action instanceof Action.Run || action instanceof Action.Mark) {
            return; // a command or a marker changes nothing of the network
        }
        state.applied(action);
        events.record(source, action);
    }

    RunState state() {
        return state;
    }

    EventLog events() {
        return events;
    }
}
