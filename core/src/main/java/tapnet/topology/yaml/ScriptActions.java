package tapnet.topology.yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import tapnet.dns.DnsFaults;
import tapnet.tcp.ConnectionFaults;
import tapnet.topology.Action;
import tapnet.topology.HostSpec;
import tapnet.topology.LinkChange;
import tapnet.topology.Topology;

/**
 * Reads what a script's event does: its action, one key of the event ({@code down: web}, {@code link: {...}},
 * {@code faults: {...}}, {@code run: {...}}...). Links, partitions and faults read as the rest of the file
 * reads them; names are checked against the nodes of the file that read.
 */
final class ScriptActions {
    static final List<String> ACTIONS = List.of("link", "down", "up", "partition", "heal", "stop", "start",
            "stopService", "startService", "faults", "routeFaults", "dnsFaults", "run", "mark");
    static final Section.Keys RUN = new Section.Keys("run", List.of("in", "command", "timeout", "exit"));
    static final Section.Keys FAULTS = new Section.Keys("faults", Section.concat(List.of("service"), FaultsReader.FAULT_KINDS));
    /** A fault kind's value in an event may be a mapping, to choose which connections it hits. */
    static final Section.Keys FAULT_SETTINGS = new Section.Keys("a fault's settings", List.of("value", "first", "probability"));
    static final Duration DEFAULT_RUN_TIMEOUT = Duration.ofSeconds(10);

    private final ScriptReader script;
    private final Problems problems;
    private final Scalars scalars;
    private final KnownNodes nodes;
    private final LinksReader links;
    private final PartitionReader partitions;
    private final FaultsReader faults;
    private final DnsFaultsReader dnsFaults;

    ScriptActions(ScriptReader script) {
        this.script = script;
        this.problems = script.problems;
        this.scalars = script.scalars;
        this.nodes = script.nodes;
        this.links = new LinksReader(problems, scalars, nodes);
        this.partitions = new PartitionReader(problems, scalars, nodes);
        this.faults = new FaultsReader(problems, scalars);
        this.dnsFaults = new DnsFaultsReader(problems, scalars);
    }

    /** The action under {@code key}; null when reported. */
    Action read(Node value, Node keyNode, String key) {
        return switch (key) {
            case "link" -> {
                LinkChange change = links.link(value);
                yield change == null ? null : new Action.Link(change);
            }
            case "down", "up" -> {
                String node = script.nodeName(value, key, nodes.linkedNodes(), "host, router or port");
                yield node == null ? null : new Action.LinkDown(node, key.equals("down"));
            }
            case "partition" -> {
                List<List<String>> groups = partitions.read(value);
                yield groups == null ? null : new Action.Partition(groups);
            }
            case "heal" -> heal(value);
            case "stop", "start" -> {
                String host = script.nodeName(value, key, script.hostNames(), "host");
                yield host == null ? null : new Action.Host(host, key.equals("start"));
            }
            case "stopService", "startService" -> {
                Service service = service(value, key, false);
                yield service == null ? null : new Action.Service(service.host(), service.port(), key.equals("startService"));
            }
            case "faults" -> faultsChange(value, keyNode);
            case "routeFaults" -> new RouteFaultsReader(problems, scalars, nodes).read(value, keyNode);
            case "dnsFaults" -> dnsFaultsChange(value, keyNode);
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
    private Service service(Node node, String key, boolean tcpOnly) {
        String expected = "a host and the port of one of its services, like web:80";
        String text = scalars.text(node, key, expected);
        if (text == null) {
            return null;
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || !Scalars.isTcpPort(text.substring(colon + 1).strip())) {
            problems.at(node, "'" + text + "' is not a service; expected " + expected);
            return null;
        }
        String hostName = text.substring(0, colon).strip();
        int port = Integer.parseInt(text.substring(colon + 1).strip());
        HostSpec host = nodes.hosts().stream().filter(h -> h.name().equals(hostName)).findFirst().orElse(null);
        if (host == null) {
            if (!nodes.unread(hostName)) { // a host with mistakes of its own was reported where it is defined
                problems.at(node, "there is no host named '" + hostName + "'; expected one of: "
                        + String.join(", ", KnownNodes.listed(nodes.withUnread(script.hostNames(), "host"))));
            }
            return null;
        }
        String problem = tcpOnly ? tcpProblem(host, port) : host.servicePortProblem(port);
        if (problem != null) {
            problems.at(node, problem);
            return null;
        }
        return new Service(hostName, port);
    }

    /** Null when a TCP service listens on {@code port} (faults are TCP's), else what is wrong. */
    private static String tcpProblem(HostSpec host, int port) {
        if (host.service(port).isPresent()) {
            return null;
        }
        List<String> tcp = host.services().stream().filter(s -> !s.udp()).map(s -> host.name() + ":" + s.port()).toList();
        return "host '" + host.name() + "' has no TCP service on port " + port + "; expected "
                + (tcp.isEmpty() ? "a host with TCP services (" + host.name() + " has none)" : "one of: " + String.join(", ", tcp));
    }

    /**
     * {@code faults: { service: web:80, synDrop: { first: 2 }, synAckDelay: 200ms }}: the service's faults
     * become these (none without any). Each kind takes what it takes under a service's {@code faults:}; a
     * mapping instead chooses which connections it hits ({@code first}, {@code probability}), its value
     * under {@code value}. Each kind is read as that service fault entry would be.
     */
    private Action faultsChange(Node value, Node keyNode) {
        int before = problems.count();
        Section faults = Section.read(value, keyNode, "this faults change", FAULTS, problems);
        if (faults == null) {
            return null;
        }
        Node serviceNode = faults.require("service", "the service whose faults change, like service: web:80");
        Service service = serviceNode == null ? null : service(serviceNode, "service", true);
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
        return faults.fault(new MappingNode(Tag.MAP, true, entry, FlowStyle.FLOW, kindNode.getStartMark(), value.getEndMark()));
    }

    /**
     * {@code dnsFaults: [ { name: db, servfail: {} } ]}: the DNS server's faults become these ({@code []}: none),
     * read as its {@code faults:} list. A topology without a DNS server has none to change.
     */
    private Action dnsFaultsChange(Node value, Node keyNode) {
        Topology topology = script.topology;
        if (topology != null && topology.dns() == null) {
            problems.at(keyNode, DnsFaultsReader.NO_SERVER);
            return null;
        }
        int before = problems.count();
        List<DnsFaults.Rule> rules = dnsFaults.read(value, topology == null ? null : topology.dns().domain());
        return problems.count() != before ? null : new Action.DnsFaults(rules);
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
                ? scalars.duration(run.get("timeout"), "timeout", ScriptReader.MIN_EVERY, ScriptReader.MAX_TIMEOUT)
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
