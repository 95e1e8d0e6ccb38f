package tapnet.topology.yaml;

import tapnet.topology.HostSpec;
import tapnet.topology.PortSpec;
import tapnet.topology.Topology;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import tapnet.topology.CaptureSpec;
import tapnet.topology.EventSpec;
import tapnet.topology.ExpectationSpec;
import tapnet.topology.ProbeSpec;
import tapnet.topology.Script;
import tapnet.wire.Ipv4Address;

/**
 * Reads a topology's {@code script:} (duration, probes, capture here; events in {@link ScriptEvents},
 * expectations in {@link ScriptExpectations}) against the topology read before it, whose node, host,
 * service and port names the script may use. Problems go where the topology's go, with their positions.
 */
final class ScriptReader {
    static final Section.Keys SCRIPT = new Section.Keys("a script", List.of("duration", "probes", "events", "expect", "capture"));
    static final List<String> PROBE_KINDS = List.of("ping", "connect", "http", "bulk", "counter");
    static final Section.Keys PROBE = new Section.Keys("a probe", concat(PROBE_KINDS, List.of("every", "timeout", "from", "size")));
    static final Section.Keys CAPTURE = new Section.Keys("capture", List.of("links", "maxSize", "files"));

    // Bounds that keep a typo (30m for 30s, 1ns for 1s) from making a run that never ends or never rests.
    static final Duration MIN_DURATION = Duration.ofMillis(1);
    static final Duration MAX_DURATION = Duration.ofHours(24);
    static final Duration MIN_EVERY = Duration.ofMillis(1);
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    static final Duration DEFAULT_EVERY = Duration.ofSeconds(1);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    static final Duration DEFAULT_BULK_TIMEOUT = Duration.ofSeconds(10);
    static final long MAX_BULK_BYTES = 16L << 30;
    static final long MAX_CAPTURE_BYTES = 1L << 40;
    static final int MAX_CAPTURE_FILES = 1000;

    /** Probe names end up in reports and file names: the rule of host names. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    final Problems problems;
    /** Reads scalars, links, partitions and faults as the rest of the file reads them. */
    final TopologyReader scalars;
    /**
     * The topology, when the rest of the file had no errors; null when it had: then names are checked against
     * the nodes that read ({@link TopologyReader#hosts()} and the like), and no script is made.
     */
    final Topology topology;
    /** How long the run lasts; null when missing or wrong (reported), and times are not checked against it. */
    Duration duration;
    /** Every probe name in the file, also of probes that did not read: others may name them without a second error. */
    final Set<String> probeNames = new LinkedHashSet<>();
    /** The probes that read, by name. */
    final Map<String, ProbeSpec> probes = new LinkedHashMap<>();

    ScriptReader(Problems problems, TopologyReader scalars, Topology topology) {
        this.problems = problems;
        this.scalars = scalars;
        this.topology = topology;
    }

    /** The script; null when anything was reported (or when there is no topology to read it against). */
    Script read(Node value, Node keyNode) {
        int before = problems.count();
        Section script = Section.read(value, keyNode, "the script", SCRIPT, problems);
        if (script == null) {
            return null;
        }
        Node durationNode = script.require("duration", "how long the run lasts, like duration: 30s");
        duration = durationNode == null ? null : scalars.durationValue(durationNode, "duration", MIN_DURATION, MAX_DURATION);
        List<ProbeSpec> probeList = script.has("probes") ? probes(script.get("probes")) : List.of();
        List<EventSpec> events = script.has("events") ? new ScriptEvents(this).read(script.get("events")) : List.of();
        List<ExpectationSpec> expectations = script.has("expect")
                ? new ScriptExpectations(this).read(script.get("expect")) : List.of();
        CaptureSpec capture = script.has("capture") ? capture(script.get("capture")) : null;
        if (problems.count() != before || duration == null || topology == null) {
            return null;
        }
        return new Script(duration, probeList, events, expectations, capture);
    }

    // ------------------------------------------------------------------------------------------------
    // probes
    // ------------------------------------------------------------------------------------------------

    private List<ProbeSpec> probes(Node value) {
        if (!(value instanceof MappingNode mapping)) {
            problems.at(value, "'probes' is " + Section.describe(value) + "; expected a mapping from names to probes,"
                    + " like probes: { web: { connect: 10.77.0.10:80 } }");
            return List.of();
        }
        List<ProbeSpec> read = new ArrayList<>();
        for (NodeTuple entry : Section.uniqueEntries(mapping, "probes", problems).values()) {
            Node nameNode = entry.getKeyNode();
            String name = ((ScalarNode) nameNode).getValue();
            probeNames.add(name);
            ProbeSpec probe = probe(name, nameNode, entry.getValueNode());
            if (probe != null) {
                read.add(probe);
                probes.put(name, probe);
            }
        }
        return read;
    }

    private ProbeSpec probe(String name, Node nameNode, Node value) {
        int before = problems.count();
        if (!NAME.matcher(name).matches()) {
            problems.at(nameNode, "'" + name + "' is not a probe name; expected 1 to 63 letters, digits, '-', '_' or '.',"
                    + " starting with a letter or digit, like web or db-1");
        }
        String subject = "probe '" + name + "'";
        Section probe = Section.read(value, nameNode, subject, PROBE, problems);
        if (probe == null) {
            return null;
        }
        List<String> kinds = probe.keys().stream().filter(PROBE_KINDS::contains).toList();
        if (kinds.isEmpty()) {
            if (problems.count() == before) { // a misspelt kind was reported already; "no kind" too would be noise
                problems.at(nameNode, subject + " has no kind; expected exactly one of: " + String.join(", ", PROBE_KINDS));
            }
            return null;
        }
        for (String extra : kinds.subList(1, kinds.size())) {
            problems.at(probe.keyNode(extra), "'" + extra + "' is a second kind for " + subject + ", which is already '"
                    + kinds.get(0) + "'; expected exactly one of: " + String.join(", ", PROBE_KINDS));
        }
        String kindKey = kinds.get(0);
        ProbeSpec.Kind kind = ProbeSpec.Kind.valueOf(kindKey.toUpperCase(java.util.Locale.ROOT));
        String target = target(probe.get(kindKey), kind);
        Duration every = probe.has("every") ? period(probe.get("every"), "every") : DEFAULT_EVERY;
        Duration timeout = probe.has("timeout")
                ? scalars.durationValue(probe.get("timeout"), "timeout", MIN_EVERY, MAX_TIMEOUT)
                : kind == ProbeSpec.Kind.BULK ? DEFAULT_BULK_TIMEOUT : DEFAULT_TIMEOUT;
        long bytes = 0;
        if (kind == ProbeSpec.Kind.BULK) {
            Node size = probe.require("size", "how much each sample sends, like size: 1MiB");
            bytes = size == null ? 0 : scalars.sizeValue(size, "size", 1, MAX_BULK_BYTES);
        } else if (probe.has("size")) {
            problems.at(probe.keyNode("size"), "'size' is for bulk probes, and " + subject + " is a " + kindKey
                    + " probe; expected size only with bulk");
        }
        if (kind == ProbeSpec.Kind.COUNTER && probe.has("from")) {
            problems.at(probe.keyNode("from"), "a counter probe reads tapnet's own counters, from no machine; expected no"
                    + " 'from' for " + subject);
        }
        String from = probe.has("from") ? sampler(probe.get("from")) : HostSpec.RESERVED_NAME;
        if (problems.count() != before || from == null) { // null without a report: a node with mistakes of its own
            return null;
        }
        return new ProbeSpec(name, kind, target, from, every, timeout, bytes);
    }

    /** What a probe aims at, as written (stripped); null when reported. */
    private String target(Node node, ProbeSpec.Kind kind) {
        String key = kind.name().toLowerCase(java.util.Locale.ROOT);
        String expected = switch (kind) {
            case PING -> "an IPv4 address, like 10.77.0.10";
            case CONNECT, BULK -> "an IPv4 address and a TCP port from 1 to 65535, like 10.77.0.10:" + (kind == ProbeSpec.Kind.BULK ? 9 : 80);
            case HTTP -> "an http URL with an IPv4 address, like http://10.77.0.10/ or http://10.77.0.10:8080/health";
            case COUNTER -> "one of tapnet's counters, like drop.link_loss or tcp_retransmissions";
        };
        String text = scalars.text(node, key, expected);
        if (text == null) {
            return null;
        }
        String target = text.strip();
        boolean ok = switch (kind) {
            case PING -> isAddress(target);
            case CONNECT, BULK -> isAddressAndPort(target);
            case HTTP -> isHttpUrl(target);
            case COUNTER -> ScriptExpectations.COUNTERS.contains(target);
        };
        if (!ok) {
            problems.at(node, "'" + text + "' is not " + (kind == ProbeSpec.Kind.PING ? "an IPv4 address"
                    : kind == ProbeSpec.Kind.HTTP ? "an http URL" : kind == ProbeSpec.Kind.COUNTER ? "a counter of tapnet's"
                    : "an address and port") + "; expected " + expected);
            return null;
        }
        return target;
    }

    private static boolean isAddress(String text) {
        try {
            Ipv4Address.parse(text);
            return text.equals(text.strip()) && !text.isEmpty();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isAddressAndPort(String text) {
        int colon = text.lastIndexOf(':');
        return colon > 0 && isAddress(text.substring(0, colon)) && isPort(text.substring(colon + 1));
    }

    static boolean isPort(String text) {
        return text.matches("\\d{1,5}") && Integer.parseInt(text) >= 1 && Integer.parseInt(text) <= 65535;
    }

    /** {@code http://ADDRESS[:PORT][/PATH]}: the probes speak plain HTTP/1.1 to an address (virtual hosts have no DNS). */
    private static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            return "http".equals(uri.getScheme()) && uri.getRawAuthority() != null && uri.getRawUserInfo() == null
                    && uri.getHost() != null && isAddress(uri.getHost()) && (uri.getPort() == -1 || isPort(Integer.toString(uri.getPort())))
                    && uri.getRawAuthority().equals(uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Who takes a probe's samples: tap (the kernel of the TAP's namespace), a port, or a virtual host. */
    private String sampler(Node node) {
        List<String> choices = new ArrayList<>();
        choices.add(HostSpec.RESERVED_NAME);
        choices.addAll(portNames());
        choices.addAll(hostNames());
        return nodeName(node, "from", choices, "tap, port or host");
    }

    // ------------------------------------------------------------------------------------------------
    // capture
    // ------------------------------------------------------------------------------------------------

    /** {@code capture: true}, {@code capture: false} or {@code capture: { links: [web], maxSize: 64MiB, files: 4 }}. */
    private CaptureSpec capture(Node value) {
        if (value instanceof ScalarNode scalar && !Section.isNull(value)) {
            switch (scalar.getValue()) {
                case "true", "True", "TRUE":
                    return new CaptureSpec(List.of(), CaptureSpec.DEFAULT_MAX_BYTES, CaptureSpec.DEFAULT_FILES);
                case "false", "False", "FALSE":
                    return null;
                default:
                    problems.at(value, "'" + scalar.getValue() + "' is not a capture; expected true, false or a mapping"
                            + " with keys from: " + String.join(", ", CAPTURE.known()) + ", like capture: { links: [web] }");
                    return null;
            }
        }
        Section capture = Section.read(value, value, "capture", CAPTURE, problems);
        if (capture == null) {
            return null;
        }
        List<String> links = capture.has("links") ? captureLinks(capture.get("links")) : List.of();
        long maxBytes = capture.has("maxSize")
                ? scalars.sizeValue(capture.get("maxSize"), "maxSize", 4096, MAX_CAPTURE_BYTES) : CaptureSpec.DEFAULT_MAX_BYTES;
        int files = capture.has("files")
                ? (int) scalars.integer(capture.get("files"), "files", 1, MAX_CAPTURE_FILES,
                        "how many files the ring keeps, from 1 to " + MAX_CAPTURE_FILES, CaptureSpec.DEFAULT_FILES)
                : CaptureSpec.DEFAULT_FILES;
        return links == null || maxBytes < 4096 ? null : new CaptureSpec(links, maxBytes, files);
    }

    private List<String> captureLinks(Node node) {
        if (!(node instanceof SequenceNode list)) {
            problems.at(node, "'links' is " + Section.describe(node) + "; expected a list of the nodes whose links to"
                    + " capture, like [web, db]");
            return null;
        }
        List<String> links = new ArrayList<>();
        for (Node item : list.getValue()) {
            String name = nodeName(item, "links", scalars.linkedNodes(), "host, router or port");
            if (name != null && links.contains(name)) {
                problems.at(item, "'" + name + "' is twice in links; expected each node once");
            } else if (name != null) {
                links.add(name);
            }
        }
        return links;
    }

    // ------------------------------------------------------------------------------------------------
    // for the events and expectations
    // ------------------------------------------------------------------------------------------------

    /** A time from the start of the run, at most its duration; null when reported. */
    Duration time(Node node, String key) {
        Duration t = scalars.durationValue(node, key, Duration.ZERO, MAX_DURATION);
        if (t != null && duration != null && t.compareTo(duration) > 0) {
            problems.at(node, key + " " + Units.format(t) + " is after the end of the run (duration " + Units.format(duration)
                    + "); expected a time from 0s to " + Units.format(duration));
            return null;
        }
        return t;
    }

    /** How often something repeats: more than nothing, and not longer than the run; null when reported. */
    Duration period(Node node, String key) {
        Duration t = scalars.durationValue(node, key, MIN_EVERY, MAX_DURATION);
        if (t != null && duration != null && t.compareTo(duration) > 0) {
            problems.at(node, key + " " + Units.format(t) + " is longer than the run (duration " + Units.format(duration)
                    + "); expected at most " + Units.format(duration));
            return null;
        }
        return t;
    }

    /** One of {@code choices}, or null when reported; {@code what} lists what the choices are ("host or port"). */
    String name(Node node, String key, List<String> choices, String what) {
        String text = scalars.text(node, key, "the name of a " + what);
        if (text != null && !choices.contains(text)) {
            problems.at(node, "there is no " + what + " named '" + text + "'; expected "
                    + (choices.isEmpty() ? "none: the topology has none"
                    : "one of: " + String.join(", ", TopologyReader.listed(choices))));
            return null;
        }
        return text;
    }

    /**
     * As {@link #name}, for the name of a host, router or port: one the file defines but could not read (its
     * mistakes reported where it is) gives null without a second report.
     */
    String nodeName(Node node, String key, List<String> choices, String what) {
        if (node instanceof ScalarNode scalar && !Section.isNull(node) && !choices.contains(scalar.getValue())
                && scalars.unread(scalar.getValue())) {
            return null;
        }
        return name(node, key, scalars.withUnread(choices, what), what);
    }

    /** The hosts that read (every one, when the file had no mistakes). */
    List<String> hostNames() {
        return scalars.hosts().stream().map(HostSpec::name).toList();
    }

    List<String> portNames() {
        return scalars.ports().stream().map(PortSpec::name).toList();
    }


    static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }
}
