package tapnet.topology.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import tapnet.dns.DnsFaults;
import tapnet.link.Impairments;
import tapnet.tcp.ConnectionFaults;
import tapnet.topology.HttpRoute;
import tapnet.topology.LinkChange;
import tapnet.topology.Topology;

/**
 * Reads the JSON bodies of the control API (JSON is YAML) with the readers of topology files, so that a
 * mistake in a body is answered as a file's: {@code api:1:23: 'dealy' is not a key of a link; ...}. Each
 * method throws {@link TopologyException} with every mistake at its line and column.
 */
public final class ApiBodies {
    /** A link given one direction at a time: toward the node, from it (impairment keys then go in each). */
    static final Section.Keys DIRECTIONS = new Section.Keys("a link given by direction", List.of("to", "from"));
    static final Section.Keys DIRECTION = new Section.Keys("a link", ImpairmentsReader.IMPAIRMENTS);
    static final Section.Keys FAULTS = new Section.Keys("a faults body", List.of("faults"));
    static final Section.Keys PARTITION = new Section.Keys("a partition", List.of("groups"));
    static final Section.Keys CAPTURE = new Section.Keys("a capture", List.of("path", "links"));

    /** A capture asked for: its file, and the nodes whose links it watches besides the devices (may be empty). */
    public record CaptureRequest(String path, List<String> links) {
    }

    private ApiBodies() {
    }

    /**
     * A node's link from a body: its impairment keys for both directions, or {@code {"to": {...}, "from":
     * {...}}} for the direction toward the node and the one from it (a direction not given is kept). With
     * {@code merge} (PATCH) the keys given are laid over the current settings, {@code toNode} and
     * {@code fromNode}; else (PUT) each direction given becomes exactly its keys.
     */
    public static List<LinkChange> link(String source, String body, String node, Impairments toNode, Impairments fromNode,
                                        boolean merge) throws TopologyException {
        return read(source, body, "a link like {\"delay\": \"20ms\", \"loss\": \"1%\"}", (root, p) -> {
            boolean oneEach = root instanceof MappingNode m && m.getValue().stream().map(ApiBodies::key)
                    .anyMatch(k -> "to".equals(k) || "from".equals(k));
            List<LinkChange> changes = new ArrayList<>();
            if (!oneEach) { // both directions
                Impairments down = direction(root, merge ? toNode : Impairments.NONE, p);
                Impairments up = merge && !fromNode.equals(toNode) ? direction(root, fromNode, p) : down;
                if (down != null && up != null) {
                    changes.add(new LinkChange(node, true, up.equals(down), down));
                    if (!up.equals(down)) {
                        changes.add(new LinkChange(node, false, true, up));
                    }
                }
                return p.any() ? null : changes;
            }
            if (((MappingNode) root).getValue().stream().map(ApiBodies::key).anyMatch(k -> !"to".equals(k) && !"from".equals(k))) {
                p.at(root, "a link body has impairment keys (both directions) or 'to' and 'from' (one each), not both");
                return null;
            }
            Section link = Section.read(root, root, "this link", DIRECTIONS, p);
            for (String key : List.of("to", "from")) {
                if (link != null && link.has(key)) {
                    boolean to = key.equals("to");
                    Impairments now = to ? toNode : fromNode;
                    Impairments i = direction(link.get(key), merge ? now : Impairments.NONE, p);
                    if (i != null) {
                        changes.add(new LinkChange(node, to, !to, i));
                    }
                }
            }
            return p.any() ? null : changes;
        });
    }

    /** One direction's keys laid over {@code base}'s; null when reported. */
    private static Impairments direction(Node value, Impairments base, Problems problems) {
        Node merged = value;
        String current = LinkYaml.keys(base);
        if (value instanceof MappingNode given && !current.isEmpty()) {
            Node now = TopologyLoader.compose("{" + current + "}", new Problems("current"), "", "link");
            List<NodeTuple> tuples = new ArrayList<>(given.getValue());
            List<String> keys = given.getValue().stream().map(t -> key(t)).toList();
            for (NodeTuple tuple : ((MappingNode) now).getValue()) {
                if (!keys.contains(key(tuple))) {
                    tuples.add(tuple);
                }
            }
            merged = new MappingNode(given.getTag(), true, tuples, given.getFlowStyle(), given.getStartMark(), given.getEndMark());
        }
        Section section = Section.read(merged, value, "this link direction", DIRECTION, problems);
        return section == null ? null : new ImpairmentsReader(problems, new Scalars(problems)).read(section, value);
    }

    /** A partition: {@code {"groups": [["tap", "web"], ["db"]]}}, or the list of groups alone, as ctl sends it. */
    public static List<List<String>> partition(String source, String body, Topology topology) throws TopologyException {
        return read(source, body, "{\"groups\": [[\"tap\", \"web\"], [\"db\"]]}", (root, p) -> {
            Node groups = root;
            if (!(root instanceof SequenceNode)) {
                Section section = Section.read(root, root, "this partition", PARTITION, p);
                groups = section == null ? null : section.require("groups", "the groups of nodes cut off from each other,"
                        + " like \"groups\": [[\"tap\", \"web\"], [\"db\"]]");
            }
            return groups == null ? null : new TopologyReader(p, source).readPartition(groups, topology);
        });
    }

    /** A service's faults: {@code {"faults": [{"refuse": {}, "first": 2}]}}, as a service's {@code faults:}. */
    public static List<ConnectionFaults.Rule> faults(String source, String body) throws TopologyException {
        return read(source, body, "{\"faults\": [{\"refuse\": {}, \"first\": 2}]}", (root, p) -> {
            Node faults = faultsNode(root, p);
            return faults == null ? null : new FaultsReader(p, new Scalars(p)).read(faults);
        });
    }

    /** A route's faults: {@code {"faults": [{"status": 503}]}}, as a route's {@code faults:}. */
    public static List<HttpRoute.Fault> routeFaults(String source, String body) throws TopologyException {
        return read(source, body, "{\"faults\": [{\"status\": 503}]}", (root, p) -> {
            Node faults = faultsNode(root, p);
            return faults == null ? null : new HttpRoutesReader(p, new Scalars(p)).faults(faults);
        });
    }

    /**
     * The DNS server's faults: {@code {"faults": [{"name": "db", "nxdomain": {}}]}}, or the list alone (ctl's
     * dnsFaults), as {@code dns:}'s {@code faults:}.
     *
     * @throws IllegalArgumentException the topology has no DNS server
     */
    public static List<DnsFaults.Rule> dnsFaults(String source, String body, Topology topology) throws TopologyException {
        if (topology.dns() == null) {
            throw new IllegalArgumentException(DnsFaultsReader.NO_SERVER);
        }
        return read(source, body, "{\"faults\": [{\"name\": \"db\", \"nxdomain\": {}}]}", (root, p) -> {
            Node faults = root instanceof SequenceNode ? root : faultsNode(root, p);
            return faults == null ? null : new DnsFaultsReader(p, new Scalars(p)).read(faults, topology.dns().domain());
        });
    }

    /** A capture: {@code {"path": "/abs/file.pcapng", "links": ["web"]}}; the links named are checked. */
    public static CaptureRequest capture(String source, String body, Topology topology) throws TopologyException {
        return read(source, body, "{\"path\": \"/tmp/run.pcapng\"}", (root, p) -> {
            Section capture = Section.read(root, root, "this capture", CAPTURE, p);
            Node pathNode = capture == null ? null : capture.require("path", "the file to write, an absolute path like"
                    + " \"/tmp/run.pcapng\"");
            if (pathNode == null) {
                return null;
            }
            Scalars scalars = new Scalars(p);
            String path = scalars.text(pathNode, "path", "an absolute path like \"/tmp/run.pcapng\"");
            if (path != null && !path.startsWith("/")) {
                p.at(pathNode, "'" + path + "' is not an absolute path; expected one like \"/tmp/run.pcapng\"");
            }
            List<String> links = new ArrayList<>();
            if (capture.has("links")) {
                Node list = capture.get("links");
                if (!(list instanceof SequenceNode names)) {
                    p.at(list, "'links' is " + Section.describe(list) + "; expected a list of nodes like [\"web\"]");
                } else {
                    for (Node item : names.getValue()) {
                        String name = scalars.text(item, "links", "a node's name");
                        if (name != null && !topology.linkedNodes().contains(name)) {
                            p.at(item, "there is no host, router or port named '" + name + "'; expected one of: "
                                    + String.join(", ", topology.linkedNodes()));
                        }
                        links.add(name);
                    }
                }
            }
            return p.any() ? null : new CaptureRequest(path, links);
        });
    }

    /**
     * YAML flow text, as {@link LinkYaml} and {@link FaultYaml} write it, as a tree of maps, lists, strings,
     * numbers and booleans: the same settings for a JSON answer ({@code {delay: 20ms}} as {"delay": "20ms"}).
     */
    public static Object tree(String flowYaml) {
        return new Load(LoadSettings.builder().build()).loadFromString(flowYaml);
    }

    /** The tree of a map of YAML flow text. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(String flowYaml) {
        return (Map<String, Object>) tree(flowYaml);
    }

    private static String key(NodeTuple tuple) {
        return tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : null;
    }

    private static Node faultsNode(Node root, Problems p) {
        Section section = Section.read(root, root, "this body", FAULTS, p);
        return section == null ? null : section.require("faults", "the faults from now on, like \"faults\":"
                + " [{\"refuse\": {}}] (\"faults\": [] clears them)");
    }

    private interface Reader<T> {
        T read(Node root, Problems problems);
    }

    /** The body read by {@code reader}; every mistake thrown at once, in the body's order. */
    private static <T> T read(String source, String body, String example, Reader<T> reader) throws TopologyException {
        Problems problems = new Problems(source);
        Node root = TopologyLoader.compose(body, problems, "no body given; expected JSON like " + example, "body");
        T value = root == null ? null : reader.read(root, problems);
        if (value == null || problems.any()) {
            if (!problems.any()) {
                problems.at(1, 1, "the body could not be read; expected JSON like " + example);
            }
            throw new TopologyException(problems.inFileOrder());
        }
        return value;
    }
}
