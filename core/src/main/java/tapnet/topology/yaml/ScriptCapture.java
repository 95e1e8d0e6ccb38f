package tapnet.topology.yaml;

import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import tapnet.topology.CaptureSpec;

/**
 * Reads a script's {@code capture:}: whether the run writes pcap files, of which nodes' links, and how
 * large a ring of files it keeps.
 */
final class ScriptCapture {
    static final Section.Keys CAPTURE = new Section.Keys("capture", List.of("links", "maxSize", "files"));
    static final long MAX_CAPTURE_BYTES = 1L << 40;
    static final int MAX_CAPTURE_FILES = 1000;

    private final ScriptReader script;
    private final Problems problems;
    private final Scalars scalars;

    ScriptCapture(ScriptReader script) {
        this.script = script;
        this.problems = script.problems;
        this.scalars = script.scalars;
    }

    /** {@code capture: true}, {@code capture: false} or {@code capture: { links: [web], maxSize: 64MiB, files: 4 }}. */
    CaptureSpec read(Node value) {
        if (value instanceof ScalarNode scalar && !Section.isNull(value)) {
            Boolean on = Scalars.bool(scalar.getValue());
            if (on == null) {
                problems.at(value, "'" + scalar.getValue() + "' is not a capture; expected true, false or a mapping"
                        + " with keys from: " + String.join(", ", CAPTURE.known()) + ", like capture: { links: [web] }");
            }
            return Boolean.TRUE.equals(on) ? new CaptureSpec(List.of(), CaptureSpec.DEFAULT_MAX_BYTES, CaptureSpec.DEFAULT_FILES) : null;
        }
        Section capture = Section.read(value, value, "capture", CAPTURE, problems);
        if (capture == null) {
            return null;
        }
        List<String> links = capture.has("links") ? links(capture.get("links")) : List.of();
        long maxBytes = capture.has("maxSize")
                ? scalars.size(capture.get("maxSize"), "maxSize", 4096, MAX_CAPTURE_BYTES) : CaptureSpec.DEFAULT_MAX_BYTES;
        int files = capture.has("files")
                ? (int) scalars.integer(capture.get("files"), "files", 1, MAX_CAPTURE_FILES,
                        "how many files the ring keeps, from 1 to " + MAX_CAPTURE_FILES, CaptureSpec.DEFAULT_FILES)
                : CaptureSpec.DEFAULT_FILES;
        return links == null || maxBytes < 4096 ? null : new CaptureSpec(links, maxBytes, files);
    }

    private List<String> links(Node node) {
        if (!(node instanceof SequenceNode list)) {
            problems.at(node, "'links' is " + Section.describe(node) + "; expected a list of the nodes whose links to"
                    + " capture, like [web, db]");
            return null;
        }
        List<String> links = new ArrayList<>();
        for (Node item : list.getValue()) {
            String name = script.nodeName(item, "links", script.nodes.linkedNodes(), "host, router or port");
            if (name != null && links.contains(name)) {
                problems.at(item, "'" + name + "' is twice in links; expected each node once");
            } else if (name != null) {
                links.add(name);
            }
        }
        return links;
    }
}
