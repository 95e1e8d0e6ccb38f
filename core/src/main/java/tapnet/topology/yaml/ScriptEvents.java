package tapnet.topology.yaml;

import tapnet.topology.HostSpec;
import tapnet.topology.LinkChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import tapnet.topology.Action;
import tapnet.topology.EventSpec;
import tapnet.topology.EventSpec.Trigger;
import tapnet.tcp.ConnectionFaults;

/**
 * A script's {@code events:}: each entry one trigger ({@code at}, {@code every}, {@code after}, {@code when})
 * and one action, and optionally a name that {@code after} can follow.
 */
final class ScriptEvents {
    static final List<String> TRIGGERS = List.of("at", "every", "after", "when");
    static final List<String> ACTIONS = List.of("link", "down", "up", "partition", "heal", "stop", "start",
            "stopService", "startService", "faults", "run", "mark");
    static final Section.Keys EVENT = new Section.Keys("an event", ScriptReader.concat(
            List.of("name", "at", "every", "from", "until", "after", "delay", "when"), ACTIONS));
    static final Section.Keys WHEN = new Section.Keys("when", List.of("probe", "fails"));
    static final Section.Keys RUN = new Section.Keys("run", List.of("in", "command", "timeout", "exit"));
    static final Section.Keys FAULTS = new Section.Keys("faults", ScriptReader.concat(List.of("service"), TopologyReader.FAULT_KINDS));
    /** A fault kind's value in an event may be a mapping, to choose which connections it hits. */
    static final Section.Keys FAULT_SETTINGS = new Section.Keys("a fault's settings", List.of("value", "first", "probability"));
    static final Duration DEFAULT_RUN_TIMEOUT = Duration.ofSeconds(10);

    private final ScriptReader script;
    private final Problems problems;
    private final TopologyReader scalars;
    /** Where each event name is given: a second event of the name is reported, and {@code after:} is checked against them. */
    private final Map<String, Node> named = new LinkedHashMap<>();
    /** The {@code after:} values, checked once every name is known (an event may follow one further down). */
    private final List<Node> follows = new ArrayList<>();

    ScriptEvents(ScriptReader script) {
        this.script = script;
        this.problems = script.problems;
        this.scalars = script.scalars;
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
        String actionKey = exactlyOne(event, item, ACTIONS, "action", strangeKeys);
        Trigger trigger = triggerKey == null ? null : trigger(event, triggerKey, name);
        Action action = actionKey == null ? null : action(event.get(actionKey), event.keyNode(actionKey), actionKey);
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

    // ------------------------------------------------------------------------------------------------
    // actions
    // ------------------------------------------------------------------------------------------------

    private Action action(Node value, Node keyNode, String key) {
        return switch (key) {
            case "link" -> {
                LinkChange change = scalars.readLink(value);
                yield change == null ? null : new Action.Link(change);
            }
            case "down", "up" -> {
                String node = script.nodeName(value, key, scalars.linkedNodes(), "host, router or port");
                yield node == null ? null : new Action.LinkDown(node, key.equals("down"));
            }
            case "partition" -> {
                List<List<String>> groups = scalars.readPartition(value);
                yield groups == null ? null : new Action.Partition(groups);
            }
            case "heal" -> heal(value);
            case "stop", "start" -> {
                String host = script.nodeName(value, key, script.hostNames(), "host");
                yield host == null ? null : new Action.Host(host, key.equals("start"));
            }
            case "stopService", "startService" -> {
                Service service = service(value, key);
                yield service == null ? null : new Action.Service(service.host(), service.port(), key.equals("startService"));
            }
            case "faults" -> faults(value, keyNode);
            case "run" -> run(value, keyNode);
            case "mark" -> {
                String text = scalars.text(value, "mark", "a few words for the timeline, like mark: \"web stopped\"");
                if (text != null && text.isBlank()) {
                    problems.at(value, "'mark' is blank; expected a few words for the timeline, like mark: \"web stopped\"");
                }
                yield text == null || text.isBlank() ? null : new Action.Mark(text);
            }
            default -> throw new AssertionError("an action without a reader: " + key);
        };
    }

    private Action heal(Node value) {
        int before = problems.count();
        boolean heal = scalars.bool(value, "heal");
        if (problems.count() != before) {
            return null;
        }
        if (!heal) {
            problems.at(value, "heal: false does nothing; expected heal: true");
            return null;
        }
        return new Action.Heal();
    }

    /** A host's TCP port that a service listens on. */
    private record Service(String host, int port) {
    }

    /** {@code web:80}: a host and the port of one of its services; null when reported. */
    private Service service(Node node, String key) {
        String expected = "a host and the port of one of its services, like web:80";
        String text = scalars.text(node, key, expected);
        if (text == null) {
            return null;
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || !ScriptReader.isPort(text.substring(colon + 1).strip())) {
            problems.at(node, "'" + text + "' is not a service; expected " + expected);
            return null;
        }
        String hostName = text.substring(0, colon).strip();
        int port = Integer.parseInt(text.substring(colon + 1).strip());
        HostSpec host = scalars.hosts().stream().filter(h -> h.name().equals(hostName)).findFirst().orElse(null);
        if (host == null) {
            if (!scalars.unread(hostName)) { // a host with mistakes of its own was reported where it is defined
                problems.at(node, "there is no host named '" + hostName + "'; expected one of: "
                        + String.join(", ", TopologyReader.listed(scalars.withUnread(script.hostNames(), "host"))));
            }
            return null;
        }
        if (host.service(port).isEmpty()) {
            problems.at(node, "host '" + hostName + "' has no service on port " + port + "; expected "
                    + (host.services().isEmpty() ? "a host with services (" + hostName + " has none)"
                    : "one of: " + String.join(", ", host.services().stream().map(s -> hostName + ":" + s.port()).toList())));
            return null;
        }
        return new Service(hostName, port);
    }

    /**
     * {@code faults: { service: web:80, synDrop: { first: 2 }, synAckDelay: 200ms }}: the service's faults
     * become these (none without any). Each kind takes what it takes under a service's {@code faults:}; a
     * mapping instead chooses which connections it hits ({@code first}, {@code probability}), its value
     * under {@code value}. Each kind is read as that service fault entry would be.
     */
    private Action faults(Node value, Node keyNode) {
        int before = problems.count();
        Section faults = Section.read(value, keyNode, "this faults change", FAULTS, problems);
        if (faults == null) {
            return null;
        }
        Node serviceNode = faults.require("service", "the service whose faults change, like service: web:80");
        Service service = serviceNode == null ? null : service(serviceNode, "service");
        List<ConnectionFaults.Rule> rules = new ArrayList<>();
        for (String kind : faults.keys()) {
            if (!kind.equals("service")) {
                ConnectionFaults.Rule rule = fault(faults.keyNode(kind), faults.get(kind));
                if (rule != null) {
                    rules.add(rule);
                }
            }
        }
        if (service == null || problems.count() != before) {
            return null;
        }
        return new Action.Faults(service.host(), service.port(), rules);
    }

    /** One kind as a service's fault entry: {@code { KIND: VALUE, first: N }}, made from the file's own nodes. */
    private ConnectionFaults.Rule fault(Node kindNode, Node value) {
        List<NodeTuple> entry = new ArrayList<>();
        if (value instanceof MappingNode) {
            Section settings = Section.read(value, kindNode, "this fault", FAULT_SETTINGS, problems);
            if (settings == null) {
                return null;
            }
            Node kindValue = settings.has("value") ? settings.get("value")
                    : new MappingNode(Tag.MAP, true, List.of(), FlowStyle.FLOW, value.getStartMark(), value.getEndMark());
            entry.add(new NodeTuple(kindNode, kindValue));
            for (String selector : List.of("first", "probability")) {
                if (settings.has(selector)) {
                    entry.add(new NodeTuple(settings.keyNode(selector), settings.get(selector)));
                }
            }
        } else {
            entry.add(new NodeTuple(kindNode, value));
        }
        return scalars.fault(new MappingNode(Tag.MAP, true, entry, FlowStyle.FLOW, kindNode.getStartMark(), value.getEndMark()));
    }

    /** {@code run: { in: tap, command: [curl, -sf, URL], timeout: 5s, exit: 0 }}. */
    private Action run(Node value, Node keyNode) {
        int before = problems.count();
        Section run = Section.read(value, keyNode, "run", RUN, problems);
        if (run == null) {
            return null;
        }
        Node inNode = run.require("in", "where the command runs: tap or a port, like in: tap");
        List<String> places = new ArrayList<>();
        places.add(HostSpec.RESERVED_NAME);
        places.addAll(script.portNames());
        String in = null;
        if (inNode != null) {
            String text = scalars.text(inNode, "in", "tap or a port");
            if (text != null && script.hostNames().contains(text)) {
                problems.at(inNode, "'" + text + "' is a virtual host, which has no kernel to run a command in; expected"
                        + " tap or a port: one of: " + String.join(", ", places));
            } else if (text != null) {
                in = script.nodeName(inNode, "in", places, "tap or port");
            }
        }
        Node commandNode = run.require("command", "the program and its arguments, like command: [curl, -sf, \"http://10.77.0.10/\"]");
        List<String> command = commandNode == null ? null : command(commandNode);
        Duration timeout = run.has("timeout")
                ? scalars.durationValue(run.get("timeout"), "timeout", ScriptReader.MIN_EVERY, ScriptReader.MAX_TIMEOUT)
                : DEFAULT_RUN_TIMEOUT;
        Integer exit = run.has("exit")
                ? (int) scalars.integer(run.get("exit"), "exit", 0, 255, "an exit status from 0 to 255, like 0", 0) : null;
        if (problems.count() != before || in == null || command == null || timeout == null) {
            return null;
        }
        return new Action.Run(in, command, timeout, exit);
    }

    /** A list of words, or one string split on spaces (no shell: quotes are not special). */
    private List<String> command(Node node) {
        String expected = "the program and its arguments, like [curl, -sf, \"http://10.77.0.10/\"] or \"curl -sf http://10.77.0.10/\"";
        List<String> words = new ArrayList<>();
        if (node instanceof SequenceNode list) {
            for (Node item : list.getValue()) {
                String word = scalars.text(item, "command", "a word of the command");
                if (word == null) {
                    return null;
                }
                words.add(word);
            }
        } else {
            String text = scalars.text(node, "command", expected);
            if (text == null) {
                return null;
            }
            for (String word : text.strip().split("\\s+")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        }
        if (words.isEmpty() || words.get(0).isBlank()) {
            problems.at(node, "'command' is empty; expected " + expected);
            return null;
        }
        return words;
    }
}
