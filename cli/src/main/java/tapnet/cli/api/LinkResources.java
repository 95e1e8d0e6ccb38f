package tapnet.cli.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tapnet.engine.Engine;
import tapnet.link.Impairments;
import tapnet.link.LinkCounters;
import tapnet.link.LinkDirection;
import tapnet.link.LinkDropReason;
import tapnet.topology.Action;
import tapnet.topology.HostSpec;
import tapnet.topology.LinkChange;
import tapnet.topology.Topology;
import tapnet.topology.yaml.ApiBodies;
import tapnet.topology.yaml.LinkYaml;
import tapnet.topology.yaml.TopologyException;
import tapnet.topology.yaml.TopologyLoader;

/**
 * {@code /v1/links} and {@code /v1/nodes/{node}/down|up}: each node's link to its parent, read and changed.
 * A link answers as {@code {"node", "parent", "toNode": {...}, "fromNode": {...}, "counters": {...}}}, each
 * direction in the keys of a file's {@code links:} entry; in text, as {@code links:} entries (ctl's words).
 */
final class LinkResources {
    /** How many times a PATCH is read again when another change came between its reading and its applying. */
    private static final int MERGE_ATTEMPTS = 5;

    private final Topology topology;
    private final EngineDoor engine;

    LinkResources(Topology topology, EngineDoor engine) {
        this.topology = topology;
        this.engine = engine;
    }

    /** GET /v1/links: every node that has or may have a link; in text, those that have one, with counters. */
    ApiReply all() {
        return engine.call(e -> {
            List<Object> json = new ArrayList<>();
            List<String> text = new ArrayList<>();
            for (String name : topology.linkedNodes()) {
                if (OtherParts.play(e, name)) {
                    continue; // its run lists its link
                }
                json.add(json(e, name));
                if (e.link(name, true) != null || e.link(name, false) != null) {
                    text.addAll(text(e, name, true));
                }
            }
            if (text.isEmpty()) {
                text.add("# no links: every node is reached perfectly");
            }
            return ApiReply.ok(json, text);
        });
    }

    /** GET /v1/links/{node}. */
    ApiReply one(String node) {
        String name = linkedNode(node);
        return engine.call(e -> answer(e, name));
    }

    /**
     * PUT (exactly the body) or PATCH (the body over what is) /v1/links/{node}. The body is read off the
     * engine thread; a PATCH is laid over the settings read just before, and applied only if they are still
     * those (else read again: another change came between).
     */
    ApiReply change(String node, String body, boolean merge, String source) {
        String name = linkedNode(node);
        for (int attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
            Impairments[] before = merge ? engine.call(e -> new Impairments[] {current(e, name, true), current(e, name, false)})
                    : new Impairments[] {Impairments.NONE, Impairments.NONE};
            List<Action> actions;
            try {
                actions = ApiBodies.link(source, body, name, before[0], before[1], merge).stream().<Action>map(Action.Link::new)
                        .toList();
            } catch (TopologyException mistakes) {
                throw ApiException.body(mistakes);
            }
            ApiReply reply = engine.call(e -> {
                if (merge && (!current(e, name, true).equals(before[0]) || !current(e, name, false).equals(before[1]))) {
                    return null;
                }
                engine.applyHere(e, actions, source);
                return answer(e, name);
            });
            if (reply != null) {
                return reply;
            }
        }
        throw new ApiException(409, "the link of " + name + " kept changing while this change was read; try again");
    }

    /** POST /v1/links: one entry as a file's {@code links:} holds it, {@code {between: [tap, web], delay: 20ms}}. */
    ApiReply entry(String body, String source) {
        LinkChange change;
        try {
            change = TopologyLoader.parseLink(source, body, topology);
        } catch (TopologyException mistakes) {
            throw ApiException.body(mistakes);
        }
        return engine.apply(List.of(new Action.Link(change)), source, e -> answer(e, change.node()));
    }

    /** POST /v1/nodes/{node}/down or up: both ways, its other settings kept. */
    ApiReply down(String node, boolean down, String source) {
        String name = linkedNode(node);
        return engine.apply(List.of(new Action.LinkDown(name, down)), source, e -> answer(e, name));
    }

    /** The actions that make {@code node}'s link exactly these two directions: one when they are the same. */
    static List<Action> exactly(String node, Impairments toNode, Impairments fromNode) {
        if (toNode.equals(fromNode)) {
            return List.of(new Action.Link(new LinkChange(node, true, true, toNode)));
        }
        return List.of(new Action.Link(new LinkChange(node, true, false, toNode)),
                new Action.Link(new LinkChange(node, false, true, fromNode)));
    }

    /** A node that has (or may have) a link: a host, a router or a port; else 404 listing them. */
    String linkedNode(String name) {
        if (!topology.linkedNodes().contains(name)) {
            throw ApiException.notFound("there is no host, router or port named '" + name + "'; expected one of: "
                    + String.join(", ", topology.linkedNodes()));
        }
        return name;
    }

    private ApiReply answer(Engine e, String name) {
        if (OtherParts.play(e, name)) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("node", name);
            json.put("playedHere", false);
            return ApiReply.ok(json, List.of("# " + OtherParts.text(name)));
        }
        return ApiReply.ok(json(e, name), text(e, name, false));
    }


    private Map<String, Object> json(Engine e, String name) {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("node", name);
        link.put("parent", parent(name));
        link.put("toNode", settings(current(e, name, true)));
        link.put("fromNode", settings(current(e, name, false)));
        Map<String, Object> counters = new LinkedHashMap<>();
        counters.put("toNode", counters(e.link(name, true)));
        counters.put("fromNode", counters(e.link(name, false)));
        link.put("counters", counters);
        return link;
    }

    /** One direction in a file's keys, {@code "delay": "20ms"}, and whether it is down, always. */
    static Map<String, Object> settings(Impairments i) {
        Map<String, Object> keys = new LinkedHashMap<>(ApiBodies.map("{" + LinkYaml.keys(i) + "}"));
        keys.put("down", i.down());
        return keys;
    }

    private static Map<String, Object> counters(LinkDirection direction) {
        LinkCounters c = direction == null ? null : direction.counters();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("delivered", c == null ? 0 : c.framesDelivered());
        out.put("lost", c == null ? 0 : c.dropped(LinkDropReason.LOSS));
        out.put("queueFull", c == null ? 0 : c.dropped(LinkDropReason.QUEUE_FULL));
        out.put("down", c == null ? 0 : c.dropped(LinkDropReason.DOWN));
        out.put("tooBig", c == null ? 0 : c.dropped(LinkDropReason.TOO_BIG));
        out.put("duplicated", c == null ? 0 : c.duplicated());
        out.put("corrupted", c == null ? 0 : c.corrupted());
        out.put("reordered", c == null ? 0 : c.reordered());
        return out;
    }

    /**
     * A node's link as {@code links:} entries, each direction's counters after them as YAML comments when
     * asked, so that the whole can be pasted into a file. Engine thread.
     */
    private List<String> text(Engine e, String name, boolean withCounters) {
        String parent = parent(name);
        List<String> lines = new ArrayList<>();
        for (String entry : LinkYaml.entries(parent, name, current(e, name, true), current(e, name, false))) {
            lines.add("- " + entry);
        }
        if (withCounters) {
            lines.add("  # " + parent + " -> " + name + ": " + counterText(e.link(name, true)));
            lines.add("  # " + name + " -> " + parent + ": " + counterText(e.link(name, false)));
        }
        return lines;
    }

    private String parent(String name) {
        return topology.parentOf(name).orElse(HostSpec.RESERVED_NAME);
    }

    private static String counterText(LinkDirection direction) {
        return direction == null ? "no link" : direction.counters().toString();
    }

    static Impairments current(Engine e, String name, boolean towardNode) {
        LinkDirection direction = e.link(name, towardNode);
        return direction == null ? Impairments.NONE : direction.impairments();
    }
}
