package tapnet.cli.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import tapnet.build.EngineActions;
import tapnet.engine.Engine;
import tapnet.engine.EngineAccess;
import tapnet.link.Impairments;
import tapnet.link.LinkDirection;
import tapnet.topology.Action;
import tapnet.topology.HostSpec;
import tapnet.topology.Topology;
import tapnet.topology.yaml.LinkYaml;
import tapnet.topology.yaml.TopologyError;
import tapnet.topology.yaml.TopologyException;

/**
 * Does what control requests ask of a running topology. A change is read into an {@link Action}
 * ({@link ControlActions}) and applied by {@link EngineActions}, as a script's event is; the reply then
 * describes what the engine holds. It reads and changes the engine only through {@link EngineAccess} (the
 * engine thread, between batches): it runs on the control socket's threads, and the engine is not
 * thread-safe.
 */
public final class ControlHandler {
    /** How long a request waits for the engine thread before it gives up. */
    static final long ENGINE_TIMEOUT_SECONDS = 5;

    private final Topology topology;
    private final EngineAccess engine;
    /** Counters kept outside the engine (the control socket's own), listed after the engine's. */
    private final Supplier<Map<String, Long>> others;

    ControlHandler(Topology topology, EngineAccess engine) {
        this(topology, engine, Map::of);
    }

    public ControlHandler(Topology topology, EngineAccess engine, Supplier<Map<String, Long>> others) {
        this.topology = topology;
        this.engine = engine;
        this.others = others;
    }

    /** The reply to one request line; never throws. */
    public ControlReply handle(String line) {
        try {
            ControlRequest request = ControlRequest.parse(line);
            return switch (request.command()) {
                case "links" -> ControlReply.ok(onEngine(this::links));
                case "counters" -> ControlReply.ok(counters());
                default -> ControlReply.ok(apply(ControlActions.of(request, topology))); // a change
            };
        } catch (IllegalArgumentException | IllegalStateException e) { // a mistake in the request; the engine gone
            return ControlReply.error(e.getMessage());
        } catch (TopologyException e) {
            return ControlReply.error(String.join("\n", e.errors().stream().map(TopologyError::toString).toList()));
        } catch (Exception e) {
            return ControlReply.error("tapnet could not do it: " + e);
        }
    }

    /** The action applied on the engine thread, the way a script's is, and what it did in the reply's lines. */
    private List<String> apply(Action action) throws Exception {
        return onEngine(e -> {
            EngineActions.apply(e, action);
            return describe(e, action);
        });
    }

    /** What an action did, as the reply says it. Engine thread. */
    private List<String> describe(Engine e, Action action) {
        if (action instanceof Action.Link l) {
            return link(e, l.change().node(), false);
        }
        if (action instanceof Action.LinkDown d) {
            return link(e, d.node(), false);
        }
        if (action instanceof Action.Partition p) {
            return List.of("partitioned: " + String.join(" | ", p.groups().stream().map(g -> String.join(", ", g)).toList()));
        }
        if (action instanceof Action.Heal) {
            return List.of("healed: every node reaches every other");
        }
        if (action instanceof Action.Host h) {
            return List.of((h.running() ? "started: " : "stopped: ") + h.host());
        }
        if (action instanceof Action.Service s) {
            return List.of((s.running() ? "started: " : "stopped: ") + s.host() + ":" + s.port());
        }
        if (action instanceof Action.RouteFaults || action instanceof Action.DnsFaults) {
            return List.of(tapnet.topology.yaml.ActionText.of(action));
        }
        throw new IllegalStateException("an action ctl asks for but cannot describe: " + action);
    }

    /** Every node that has a link, with what it does and its counters. Engine thread. */
    private List<String> links(Engine e) {
        List<String> lines = new ArrayList<>();
        for (String name : topology.linkedNodes()) {
            if (direction(e, name, true) != null || direction(e, name, false) != null) {
                lines.addAll(link(e, name, true));
            }
        }
        if (lines.isEmpty()) {
            lines.add("# no links: every node is reached perfectly");
        }
        return lines;
    }

    /** The engine's non-zero counters, then the others', {@code name value} a line. */
    private List<String> counters() throws Exception {
        List<String> lines = new ArrayList<>(onEngine(e -> lines(e.counters().snapshot())));
        lines.addAll(lines(others.get()));
        return lines;
    }

    private static List<String> lines(Map<String, Long> counters) {
        List<String> lines = new ArrayList<>();
        counters.forEach((name, value) -> lines.add(name + " " + value));
        return lines;
    }

    /**
     * A node's link as {@code links:} entries, each direction's counters after them as YAML comments when
     * asked, so that the whole can be pasted into a file. Engine thread.
     */
    private List<String> link(Engine e, String name, boolean withCounters) {
        String parent = topology.parentOf(name).orElse(HostSpec.RESERVED_NAME);
        List<String> lines = new ArrayList<>();
        for (String entry : LinkYaml.entries(parent, name, current(e, name, true), current(e, name, false))) {
            lines.add("- " + entry);
        }
        if (withCounters) {
            lines.add("  # " + parent + " -> " + name + ": " + counters(direction(e, name, true)));
            lines.add("  # " + name + " -> " + parent + ": " + counters(direction(e, name, false)));
        }
        return lines;
    }

    private static String counters(LinkDirection direction) {
        return direction == null ? "no link" : direction.counters().toString();
    }

    private static Impairments current(Engine e, String name, boolean towardNode) {
        LinkDirection direction = direction(e, name, towardNode);
        return direction == null ? Impairments.NONE : direction.impairments();
    }

    /** One direction of a node's link, a port's or a host's or router's; null when it has none. Engine thread. */
    private static LinkDirection direction(Engine e, String name, boolean towardNode) {
        return e.link(name, towardNode);
    }

    private <T> T onEngine(Function<Engine, T> query) throws Exception {
        try {
            return engine.call(query).get(ENGINE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the engine did not answer within " + ENGINE_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
