package tapnet.topology.yaml;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import tapnet.topology.CaptureSpec;
import tapnet.topology.EventSpec;
import tapnet.topology.ExpectationSpec;
import tapnet.topology.HostSpec;
import tapnet.topology.PortSpec;
import tapnet.topology.ProbeSpec;
import tapnet.topology.Script;
import tapnet.topology.Topology;

/**
 * Reads a topology's {@code script:} against the topology read before it, whose node, host, service and
 * port names the script may use: its duration here, its parts by {@link ScriptProbes}, {@link ScriptEvents},
 * {@link ScriptExpectations} and {@link ScriptCapture}. It holds what those parts share: the run's duration,
 * the probes' names, and the checks of times and names against them. Problems go where the topology's go,
 * with their positions.
 */
final class ScriptReader {
    static final Section.Keys SCRIPT = new Section.Keys("a script", List.of("duration", "probes", "events", "expect", "capture"));

    // Bounds that keep a typo (30m for 30s, 1ns for 1s) from making a run that never ends or never rests.
    static final Duration MIN_DURATION = Duration.ofMillis(1);
    static final Duration MAX_DURATION = Duration.ofHours(24);
    static final Duration MIN_EVERY = Duration.ofMillis(1);
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    final Problems problems;
    /** Reads values as the rest of the file reads them. */
    final Scalars scalars;
    /** The nodes of the file that read, which the script may name. */
    final KnownNodes nodes;
    /**
     * The topology, when the rest of the file had no errors; null when it had: then names are checked against
     * the nodes that read, and no script is made.
     */
    final Topology topology;
    /** How long the run lasts; null when missing or wrong (reported), and times are not checked against it. */
    Duration duration;
    /** Every probe name in the file, also of probes that did not read: others may name them without a second error. */
    final Set<String> probeNames = new LinkedHashSet<>();
    /** The probes that read, by name. */
    final Map<String, ProbeSpec> probes = new LinkedHashMap<>();

    ScriptReader(Problems problems, Scalars scalars, KnownNodes nodes, Topology topology) {
        this.problems = problems;
        this.scalars = scalars;
        this.nodes = nodes;
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
        duration = durationNode == null ? null : scalars.duration(durationNode, "duration", MIN_DURATION, MAX_DURATION);
        List<ProbeSpec> probeList = script.has("probes") ? new ScriptProbes(this).read(script.get("probes")) : List.of();
        List<EventSpec> events = script.has("events") ? new ScriptEvents(this).read(script.get("events")) : List.of();
        List<ExpectationSpec> expectations = script.has("expect")
                ? new ScriptExpectations(this).read(script.get("expect")) : List.of();
        CaptureSpec capture = script.has("capture") ? new ScriptCapture(this).read(script.get("capture")) : null;
        if (problems.count() != before || duration == null || topology == null) {
            return null;
        }
        return new Script(duration, probeList, events, expectations, capture);
    }

    // ------------------------------------------------------------------------------------------------
    // for the parts of the script: times and names
    // ------------------------------------------------------------------------------------------------

    /** A time from the start of the run, at most its duration; null when reported. */
    Duration time(Node node, String key) {
        Duration t = scalars.duration(node, key, Duration.ZERO, MAX_DURATION);
        if (t != null && duration != null && t.compareTo(duration) > 0) {
            problems.at(node, key + " " + Units.format(t) + " is after the end of the run (duration " + Units.format(duration)
                    + "); expected a time from 0s to " + Units.format(duration));
            return null;
        }
        return t;
    }

    /** How often something repeats: more than nothing, and not longer than the run; null when reported. */
    Duration period(Node node, String key) {
        Duration t = scalars.duration(node, key, MIN_EVERY, MAX_DURATION);
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
                    : "one of: " + String.join(", ", KnownNodes.listed(choices))));
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
                && nodes.unread(scalar.getValue())) {
            return null;
        }
        return name(node, key, nodes.withUnread(choices, what), what);
    }

    /** The hosts that read (every one, when the file had no mistakes). */
    List<String> hostNames() {
        return nodes.hosts().stream().map(HostSpec::name).toList();
    }

    List<String> portNames() {
        return nodes.ports().stream().map(PortSpec::name).toList();
    }
}
