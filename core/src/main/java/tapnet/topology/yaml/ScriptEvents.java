package tapnet.topology.yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import tapnet.topology.Action;
import tapnet.topology.EventSpec;
import tapnet.topology.EventSpec.Trigger;

/**
 * Reads a script's {@code events:}: each entry one trigger ({@code at}, {@code every}, {@code after},
 * {@code when}), one action (read by {@link ScriptActions}), and optionally a name that {@code after} can
 * follow. The triggers are read here, against the run's duration and the script's probes.
 */
final class ScriptEvents {
    static final List<String> TRIGGERS = List.of("at", "every", "after", "when");
    static final Section.Keys EVENT = new Section.Keys("an event", Section.concat(
            List.of("name", "at", "every", "from", "until", "after", "delay", "when"), ScriptActions.ACTIONS));
    static final Section.Keys WHEN = new Section.Keys("when", List.of("probe", "fails"));

    private final ScriptReader script;
    private final Problems problems;
    private final Scalars scalars;
    private final ScriptActions actions;
    /** Where each event name is given: a second event of the name is reported, and {@code after:} is checked against them. */
    private final Map<String, Node> named = new LinkedHashMap<>();
    /** The {@code after:} values, checked once every name is known (an event may follow one further down). */
    private final List<Node> follows = new ArrayList<>();

    ScriptEvents(ScriptReader script) {
        this.script = script;
        this.problems = script.problems;
        this.scalars = script.scalars;
        this.actions = new ScriptActions(script);
    }

    List<EventSpec> read(Node value) {
        if (!(value instanceof SequenceNode list)) {
            problems.at(value, "'events' is " + Section.describe(value) + "; expected a list of events, like"
                    + " [ { at: 5s, down: web }, { at: 8s, up: web } ]");
            return List.of();
        }
        List<EventSpec> events = new ArrayList<>();
        for (Node item : list.getValue()) {
            EventSpec event = event(item);
            if (event != null) {
                events.add(event);
            }
        }
        for (Node node : follows) {
            String name = ((ScalarNode) node).getValue();
            if (!named.containsKey(name)) {
                problems.at(node, "there is no event named '" + name + "'; expected " + (named.isEmpty()
                        ? "the name of an event (no event has a name: give one name: flap)"
                        : "one of: " + String.join(", ", named.keySet())));
            }
        }
        return events;
    }

    private EventSpec event(Node item) {
        int before = problems.count();
        Section event = Section.read(item, item, "this event", EVENT, problems);
        if (event == null) {
            return null;
        }
        boolean strangeKeys = problems.count() != before;
        String name = event.has("name") ? name(event.get("name")) : null;
        String triggerKey = exactlyOne(event, item, TRIGGERS, "trigger", strangeKeys);
        String actionKey = exactlyOne(event, item, ScriptActions.ACTIONS, "action", strangeKeys);
        Trigger trigger = triggerKey == null ? null : trigger(event, triggerKey, name);
        Action action = actionKey == null ? null : actions.read(event.get(actionKey), event.keyNode(actionKey), actionKey);
        if (problems.count() != before || trigger == null || action == null) {
            return null;
        }
        return new EventSpec(name, trigger, action);
    }

    private String name(Node node) {
        String name = scalars.text(node, "name", "a name other events can follow, like flap");
        if (name == null) {
            return null;
        }
        if (name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
            problems.at(node, "'" + name + "' is not an event name; expected one line of text, like flap");
            return null;
        }
        Node first = named.putIfAbsent(name, node);
        if (first != null) {
            problems.at(node, "'" + name + "' is already the name of the event on line " + Problems.line(first)
                    + "; expected each event name once");
        }
        return name;
    }

    /**
     * The one key of {@code choices} the event has. None is reported unless a misspelt key was (that report
     * lists the keys already), a second one always; the first is still read, for its own problems.
     */
    private String exactlyOne(Section event, Node item, List<String> choices, String what, boolean strangeKeys) {
        List<String> present = event.keys().stream().filter(choices::contains).toList();
        if (present.isEmpty()) {
            if (!strangeKeys) {
                problems.at(item, "this event has no " + what + "; expected exactly one of: " + String.join(", ", choices));
            }
            return null;
        }
        for (String extra : present.subList(1, present.size())) {
            problems.at(event.keyNode(extra), "'" + extra + "' is a second " + what + " of this event, which already has '"
                    + present.get(0) + "'; expected exactly one of: " + String.join(", ", choices));
        }
        return present.get(0);
    }

    // ------------------------------------------------------------------------------------------------
    // triggers
    // ------------------------------------------------------------------------------------------------

    private Trigger trigger(Section event, String key, String name) {
        for (String modifier : List.of("from", "until")) {
            if (event.has(modifier) && !key.equals("every")) {
                problems.at(event.keyNode(modifier), "'" + modifier + "' goes with an 'every' trigger, and this event's"
                        + " trigger is '" + key + "'; expected from and until only with every");
            }
        }
        if (event.has("delay") && !key.equals("after") && !key.equals("when")) {
            problems.at(event.keyNode("delay"), "'delay' goes with an 'after' or 'when' trigger, and this event's"
                    + " trigger is '" + key + "'; expected delay only with after or when");
        }
        Node value = event.get(key);
        return switch (key) {
            case "at" -> {
                Duration at = script.time(value, "at");
                yield at == null ? null : new Trigger.At(at);
            }
            case "every" -> every(event, value);
            case "after" -> after(event, value, name);
            case "when" -> when(event, value);
            default -> throw new AssertionError("a trigger without a reader: " + key);
        };
    }

    private Trigger every(Section event, Node value) {
        Duration every = script.period(value, "every");
        Duration from = event.has("from") ? script.time(event.get("from"), "from") : Duration.ZERO;
        Duration until = event.has("until") ? script.time(event.get("until"), "until") : script.duration;
        if (every == null || from == null || until == null) {
            return null;
        }
        if (from.compareTo(until) >= 0) {
            problems.at(event.has("from") ? event.get("from") : event.get("until"), "from " + Units.format(from)
                    + " is not before until " + Units.format(until) + "; expected from < until");
            return null;
        }
        return new Trigger.Every(every, from, until);
    }

    private Trigger after(Section event, Node value, String name) {
        String followed = scalars.text(value, "after", "the name of another event, like after: flap");
        Duration delay = delay(event);
        if (followed == null) {
            return null;
        }
        if (followed.equals(name)) {
            problems.at(value, "this event follows itself, so it would never happen; expected the name of another event");
            return null;
        }
        follows.add(value);
        return delay == null ? null : new Trigger.After(followed, delay);
    }

    /** {@code when: { probe: web, fails: true }}: after the first failed (or good) sample of a probe. */
    private Trigger when(Section event, Node value) {
        Section when = Section.read(value, event.keyNode("when"), "when", WHEN, problems);
        Duration delay = delay(event);
        if (when == null) {
            return null;
        }
        Node probeNode = when.require("probe", "the probe whose samples it waits for, like when: { probe: web, fails: true }");
        Node failsNode = when.require("fails", "true (after the first failed sample) or false (after the first good one)");
        String probe = probeNode == null ? null : script.name(probeNode, "probe", List.copyOf(script.probeNames), "probe");
        if (probe == null || failsNode == null || delay == null) {
            return null;
        }
        int before = problems.count();
        boolean fails = scalars.bool(failsNode, "fails");
        return problems.count() != before ? null : new Trigger.When(probe, !fails, delay);
    }

    private Duration delay(Section event) {
        return event.has("delay") ? script.time(event.get("delay"), "delay") : Duration.ZERO;
    }
}
