package tapnet.topology.yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import tapnet.topology.HttpRoute;
import tapnet.topology.ServiceSpec;

/**
 * Reads an http service's {@code routes: [ { path: /health, body: "ok\n" }, { method: POST, path: /api/*,
 * status: 201 } ]}: each route a method and path it takes, and how it answers. A {@code file:} body is read
 * when the topology is, relative to the topology file's directory.
 */
final class HttpRoutesReader {
    static final Section.Keys ROUTE = new Section.Keys("an http route", List.of("method", "path", "status",
            "contentType", "headers", "body", "file", "size", "delay", "bytesPerSecond", "chunked", "faults"));
    static final Section.Keys FAULT = new Section.Keys("a route fault", List.of("status", "close", "reset", "first", "probability"));
    private static final List<String> BODIES = List.of("body", "file", "size");
    private static final List<String> FAULT_KINDS = List.of("status", "close", "reset");
    private static final Duration MAX_DELAY = Duration.ofHours(1);
    private static final String STATUS_EXPECTED = "an HTTP status from " + ServiceSpec.Http.MIN_STATUS + " to "
            + ServiceSpec.Http.MAX_STATUS + ", like 200 or 404";

    private final Problems problems;
    private final Scalars scalars;

    HttpRoutesReader(Problems problems, Scalars scalars) {
        this.problems = problems;
        this.scalars = scalars;
    }

    /** The routes, in order; null when they have mistakes (reported). */
    List<HttpRoute> read(Node value) {
        if (!(value instanceof SequenceNode list) || list.getValue().isEmpty()) {
            problems.at(value, "'routes' is " + Section.describe(value) + "; expected a list of routes, like"
                    + " [ { path: /health, body: \"ok\\n\" }, { path: /api/*, status: 503 } ]");
            return null;
        }
        int before = problems.count();
        List<HttpRoute> routes = new ArrayList<>();
        for (Node item : list.getValue()) {
            HttpRoute route = route(item);
            if (route != null) {
                routes.add(route);
            }
        }
        return problems.count() == before ? routes : null;
    }

    private HttpRoute route(Node item) {
        int before = problems.count();
        Section r = Section.read(item, item, "this route", ROUTE, problems);
        if (r == null) {
            return null;
        }
        String method = null;
        if (r.has("method")) {
            String expected = "a method in capitals, like GET or POST (leave it out for any)";
            method = scalars.text(r.get("method"), "method", expected);
            if (method != null && (method.isEmpty() || !method.chars().allMatch(c -> c >= 'A' && c <= 'Z'))) {
                problems.at(r.get("method"), "'" + method + "' is not a method; expected " + expected);
            }
        }
        String pathExpected = "a path like /health, a prefix like /api/*, a pattern like /users/*/orders or * for every path";
        Node pathNode = r.require("path", pathExpected);
        String path = pathNode == null ? null : scalars.text(pathNode, "path", pathExpected);
        if (path != null && HttpRoute.pathProblem(path) != null) {
            problems.at(pathNode, "'" + path + "': " + HttpRoute.pathProblem(path) + "; expected " + pathExpected);
        }
        int status = r.has("status")
                ? (int) scalars.integer(r.get("status"), "status", ServiceSpec.Http.MIN_STATUS, ServiceSpec.Http.MAX_STATUS,
                        STATUS_EXPECTED, ServiceSpec.Http.DEFAULT_STATUS)
                : ServiceSpec.Http.DEFAULT_STATUS;
        String contentType = ServiceSpec.Http.DEFAULT_CONTENT_TYPE;
        if (r.has("contentType")) {
            contentType = scalars.text(r.get("contentType"), "contentType", "a media type like text/plain or application/json");
            if (contentType != null && ServiceSpec.Http.contentTypeProblem(contentType) != null) {
                problems.at(r.get("contentType"), ServiceSpec.Http.contentTypeProblem(contentType));
            }
        }
        List<HttpRoute.Header> headers = r.has("headers") ? headers(r.get("headers")) : List.of();
        HttpRoute.Body body = body(r, item);
        long delay = scalars.optionalDuration(r, "delay", Duration.ZERO, MAX_DELAY, Duration.ZERO).toNanos();
        long rate = r.has("bytesPerSecond") ? scalars.size(r.get("bytesPerSecond"), "bytesPerSecond", 1, 1L << 40) : 0;
        boolean chunked = r.has("chunked") && scalars.bool(r.get("chunked"), "chunked");
        List<HttpRoute.Fault> faults = r.has("faults") ? faults(r.get("faults")) : List.of();
        if (problems.count() != before) {
            return null;
        }
        return new HttpRoute(method, path, status, contentType, headers, body, delay, rate, chunked, faults);
    }

    /** {@code headers: { Location: /new, Cache-Control: no-store }}, sent in that order. */
    private List<HttpRoute.Header> headers(Node value) {
        String expected = "a mapping of header names to values, like { Location: /new, Cache-Control: no-store }";
        if (!(value instanceof MappingNode mapping)) {
            problems.at(value, "'headers' is " + Section.describe(value) + "; expected " + expected);
            return List.of();
        }
        List<HttpRoute.Header> headers = new ArrayList<>();
        for (Map.Entry<String, NodeTuple> e : Section.uniqueEntries(mapping, "a route's headers", problems).entrySet()) {
            String name = e.getKey();
            Node valueNode = e.getValue().getValueNode();
            String text = valueNode instanceof ScalarNode scalar && !Section.isNull(valueNode) ? scalar.getValue() : null;
            if (text == null) {
                problems.at(valueNode, "header '" + name + "' is " + Section.describe(valueNode) + "; expected its value as text");
                continue;
            }
            try {
                headers.add(new HttpRoute.Header(name, text));
            } catch (IllegalArgumentException ex) {
                problems.at(e.getValue().getKeyNode(), ex.getMessage());
            }
        }
        return headers;
    }

    /** One of {@code body: text}, {@code file: path} or {@code size: N}; none: an empty body. */
    private HttpRoute.Body body(Section r, Node item) {
        List<String> given = r.keys().stream().filter(BODIES::contains).toList();
        for (String extra : given.subList(Math.min(1, given.size()), given.size())) {
            problems.at(r.keyNode(extra), "'" + extra + "' is a second body for this route, which has '" + given.get(0)
                    + "'; expected one of body, file or size");
        }
        if (given.isEmpty()) {
            return HttpRoute.Body.of(new byte[0]);
        }
        Node node = r.get(given.get(0));
        switch (given.get(0)) {
            case "body" -> {
                String text = scalars.text(node, "body", "the answer's text, like \"ok\\n\" (write \"\" for an empty body)");
                return text == null ? null : HttpRoute.Body.of(text.getBytes(StandardCharsets.UTF_8));
            }
            case "file" -> {
                String name = scalars.text(node, "file", "a file to answer with, relative to the topology file");
                if (name == null) {
                    return null;
                }
                Path file = resolve(name);
                try {
                    return HttpRoute.Body.of(Files.readAllBytes(file));
                } catch (IOException | RuntimeException e) {
                    problems.at(node, "file '" + name + "' cannot be read (" + file + ": " + e.getClass().getSimpleName()
                            + "); expected a readable file, relative to the topology file");
                    return null;
                }
            }
            default -> {
                long size = scalars.size(node, "size", 0, HttpRoute.Body.MAX_SIZE);
                return HttpRoute.Body.generated(size);
            }
        }
    }

    private Path resolve(String name) {
        Path file = Path.of(name);
        if (file.isAbsolute()) {
            return file;
        }
        Path parent = Path.of(problems.file()).toAbsolutePath().getParent();
        return parent == null ? file : parent.resolve(file);
    }

    /**
     * {@code faults: [ { status: 503, first: 2 }, { close: 1000, probability: 10% }, { reset: 64KiB } ]}: a route's,
     * or a live change's ({@link RouteFaultsReader}), where an empty list clears them.
     */
    List<HttpRoute.Fault> faults(Node value) {
        if (!(value instanceof SequenceNode list)) {
            problems.at(value, "a route's 'faults' is " + Section.describe(value) + "; expected a list like"
                    + " [ { status: 503, first: 2 }, { close: 1000 } ]");
            return List.of();
        }
        List<HttpRoute.Fault> faults = new ArrayList<>();
        for (Node item : list.getValue()) {
            Section f = Section.read(item, item, "this route fault", FAULT, problems);
            if (f == null) {
                continue;
            }
            List<String> kinds = f.keys().stream().filter(FAULT_KINDS::contains).toList();
            if (kinds.size() != 1) {
                problems.at(item, "this route fault has " + (kinds.isEmpty() ? "no kind" : "kinds " + String.join(" and ", kinds))
                        + "; expected one of status (answer it instead), close or reset (after that many body bytes)");
                continue;
            }
            if (f.has("first") && f.has("probability")) {
                problems.at(f.keyNode("probability"), "this route fault has both 'first' and 'probability'; expected one"
                        + " of them (or neither: every matching request)");
                continue;
            }
            long first = f.has("first") ? scalars.integer(f.get("first"), "first", 1, Long.MAX_VALUE,
                    "how many of the first matching requests it acts on, 1 or more (leave it out for all)", 1) : 0;
            Double probability = f.has("probability")
                    ? scalars.fraction(f.get("probability"), "probability", "a percentage of matching requests, like 10%") : Double.valueOf(1);
            if (probability == null) {
                continue;
            }
            String kind = kinds.get(0);
            Node node = f.get(kind);
            if (kind.equals("status")) {
                int status = (int) scalars.integer(node, "status", ServiceSpec.Http.MIN_STATUS, ServiceSpec.Http.MAX_STATUS,
                        STATUS_EXPECTED, ServiceSpec.Http.DEFAULT_STATUS);
                faults.add(new HttpRoute.Fault(HttpRoute.Fault.Kind.STATUS, status, 0, first, probability));
            } else {
                long bytes = scalars.size(node, kind, 0, HttpRoute.Body.MAX_SIZE);
                faults.add(new HttpRoute.Fault(kind.equals("close") ? HttpRoute.Fault.Kind.CLOSE : HttpRoute.Fault.Kind.RESET,
                        0, bytes, first, probability));
            }
        }
        return faults;
    }
}
