package tapnet.topology.yaml;

import java.util.stream.Collectors;
import tapnet.topology.Action;

/** An action in the words of the file, for reports and capture comments: {@code down web}, {@code heal}. */
public final class ActionText {
    private ActionText() {
    }

    public static String of(Action action) {
        if (action instanceof Action.Link l) {
            String directions = l.change().towardNode() && l.change().towardParent() ? ""
                    : l.change().towardNode() ? " (toward it)" : " (from it)";
            return "link " + l.change().node() + directions + ": {" + LinkYaml.keys(l.change().impairments()) + "}";
        }
        if (action instanceof Action.LinkDown d) {
            return (d.down() ? "down " : "up ") + d.node();
        }
        if (action instanceof Action.Partition p) {
            return "partition " + p.groups().stream().map(g -> "[" + String.join(", ", g) + "]")
                    .collect(Collectors.joining(", ", "[", "]"));
        }
        if (action instanceof Action.Heal) {
            return "heal";
        }
        if (action instanceof Action.Host h) {
            return (h.running() ? "start " : "stop ") + h.host();
        }
        if (action instanceof Action.Service s) {
            return (s.running() ? "startService " : "stopService ") + s.host() + ":" + s.port();
        }
        if (action instanceof Action.Faults f) {
            return "faults " + f.host() + ":" + f.port() + (f.faults().isEmpty() ? " (none)" : " " + FaultYaml.list(f.faults()));
        }
        if (action instanceof Action.RouteFaults r) {
            return "routeFaults " + r.host() + ":" + r.port() + " route " + r.route() + ": " + FaultYaml.routeList(r.faults());
        }
        if (action instanceof Action.DnsFaults d) {
            return "dnsFaults " + FaultYaml.dnsList(d.faults());
        }
        if (action instanceof Action.Run r) {
            return "run in " + r.in() + ": " + String.join(" ", r.command());
        }
        return "mark " + ((Action.Mark) action).text();
    }
}
