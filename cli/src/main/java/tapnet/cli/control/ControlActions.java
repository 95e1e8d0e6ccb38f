package tapnet.cli.control;

import tapnet.topology.Action;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyException;
import tapnet.topology.yaml.TopologyLoader;

/**
 * The changes {@code tapnet ctl} asks for, read into the {@link Action}s a script's events are: a change
 * from ctl and one from a timeline take the same path to the engine ({@code EngineActions}). Names are
 * checked against the topology here, so a mistake is answered before the engine is asked.
 */
final class ControlActions {
    /** Errors in a spec name this as their source: {@code ctl:1:23: ...}. */
    static final String SOURCE = "ctl";

    private ControlActions() {
    }

    /**
     * The action {@code request} asks for, in {@code topology}'s names.
     *
     * @throws TopologyException        a link or partition spec with mistakes, each at its line and column
     * @throws IllegalArgumentException a name the topology does not have
     */
    static Action of(ControlRequest request, Topology topology) throws TopologyException {
        String argument = request.argument();
        return switch (request.command()) {
            case "link" -> new Action.Link(TopologyLoader.parseLink(SOURCE, argument, topology));
            case "down" -> new Action.LinkDown(linkedNode(argument, topology), true);
            case "up" -> new Action.LinkDown(linkedNode(argument, topology), false);
            case "partition" -> new Action.Partition(TopologyLoader.parsePartition(SOURCE, argument, topology));
            case "heal" -> new Action.Heal();
            default -> throw new IllegalStateException("a request tapnet knows but does not handle: " + request.command());
        };
    }

    /** A node that has (or may have) a link: a host, a router or a port. */
    private static String linkedNode(String name, Topology topology) {
        String node = name.strip();
        if (!topology.linkedNodes().contains(node)) {
            throw new IllegalArgumentException("there is no host, router or port named '" + node + "'; expected one of: "
                    + String.join(", ", topology.linkedNodes()));
        }
        return node;
    }
}
