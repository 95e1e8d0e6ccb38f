package tapnet.cli.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tapnet.cli.metrics.MetricsExposition;
import tapnet.engine.EngineAccess;
import tapnet.report.Json;
import tapnet.topology.Topology;

/**
 * The control API's resources, by method and path (see the README's "Control API"): finds the resource a
 * request names and answers 404 (listing what exists) or 405 (with what is allowed) otherwise. Knows
 * nothing of HTTP's transport: {@link ApiHandler} brings requests from Jetty, tests call it directly.
 */
public final class ApiRoutes {
    /** A request as the resources see it: {@code source} (api or ctl) names the body in errors and the changes in events. */
    record Call(String method, List<String> params, Map<String, String> query, String body, String source, boolean openMetrics) {
    }

    private interface Resource {
        ApiReply answer(Call call);
    }

    /** A path pattern ({@code {name}}: one segment, a name) and the methods it allows. */
    private record Route(String pattern, List<String> methods, Resource resource) {
        List<String> params(String[] segments) {
            String[] parts = pattern.split("/");
            if (parts.length != segments.length) {
                return null;
            }
            List<String> params = new ArrayList<>();
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].startsWith("{")) {
                    params.add(segments[i]);
                } else if (!parts[i].equals(segments[i])) {
                    return null;
                }
            }
            return params;
        }
    }

    /** An answer as sent: its status, its body and that body's type, and the Allow header of a 405 (else null). */
    public record Answer(int status, String contentType, String body, String allow) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final ApiCaptures captures;

    public ApiRoutes(Topology topology, String file, String device, String netns, EngineAccess access, RunChanges changes,
                     Supplier<Map<String, Long>> others) {
        EngineDoor engine = new EngineDoor(access, changes);
        captures = new ApiCaptures(topology, engine);
        LinkResources links = new LinkResources(topology, engine);
        HostResources hosts = new HostResources(topology, engine);
        RunResources run = new RunResources(topology, new RunResources.RunInfo(file, device, netns), engine, others);
        add("", c -> ApiReply.ok(RunResources.map("api", "tapnet", "version", 1, "resources", resources())), "GET");
        add("/v1/topology", c -> run.topology(), "GET");
        add("/v1/links", c -> c.method().equals("GET") ? links.all() : links.entry(c.body(), c.source()), "GET", "POST");
        add("/v1/links/{node}", c -> c.method().equals("GET") ? links.one(c.params().get(0))
                : links.change(c.params().get(0), c.body(), c.method().equals("PATCH"), c.source()), "GET", "PUT", "PATCH");
        add("/v1/nodes/{node}/down", c -> links.down(c.params().get(0), true, c.source()), "POST");
        add("/v1/nodes/{node}/up", c -> links.down(c.params().get(0), false, c.source()), "POST");
        add("/v1/partition", c -> switch (c.method()) {
            case "GET" -> run.partition();
            case "PUT" -> run.partition(c.body(), c.source());
            default -> run.heal(c.source());
        }, "GET", "PUT", "DELETE");
        add("/v1/hosts/{host}/stop", c -> hosts.host(c.params().get(0), false, c.source()), "POST");
        add("/v1/hosts/{host}/start", c -> hosts.host(c.params().get(0), true, c.source()), "POST");
        add("/v1/hosts/{host}/services/{port}/stop", c -> hosts.service(c.params().get(0), c.params().get(1), false, c.source()), "POST");
        add("/v1/hosts/{host}/services/{port}/start", c -> hosts.service(c.params().get(0), c.params().get(1), true, c.source()), "POST");
        add("/v1/hosts/{host}/services/{port}/faults", c -> hosts.faults(c.method(), c.params().get(0), c.params().get(1), c.body(),
                c.source()), "GET", "PUT", "DELETE");
        add("/v1/hosts/{host}/services/{port}/routes/{n}/faults", c -> hosts.routeFaults(c.method(), c.params().get(0),
                c.params().get(1), c.params().get(2), c.body(), c.source()), "GET", "PUT", "DELETE");
        add("/v1/routes/faults", c -> hosts.routeFaultsChange(c.body(), c.source()), "POST");
        add("/v1/dns/faults", c -> run.dnsFaults(c.method(), c.body(), c.source()), "GET", "PUT", "DELETE");
        add("/v1/counters", c -> run.counters(), "GET");
        add("/v1/reset", c -> run.reset(), "POST");
        add("/v1/events", c -> run.events(c.query().get("since")), "GET");
        add("/v1/captures", c -> captures.start(c.body(), c.source()), "POST");
        add("/v1/captures/{id}", c -> captures.stop(c.params().get(0)), "DELETE");
        Resource metrics = c -> metrics(access, others, c.openMetrics());
        add("/v1/metrics", metrics, "GET");
        add("/metrics", metrics, "GET");
    }

    private void add(String pattern, Resource resource, String... methods) {
        routes.add(new Route(pattern, List.of(methods), resource));
    }

    /** Stops and closes the captures still running, before the engine stops. */
    public void stopCaptures() {
        captures.stopAll();
    }

    /**
     * The answer to one request, as sent: JSON, or text lines when {@code accept} asks for {@code text/plain}
     * and the resource has them; a request the API does not do is answered with its error.
     *
     * @param source api, or ctl for {@code tapnet ctl}'s requests: names the body in errors and the change in events
     */
    public Answer respond(String method, String path, Map<String, String> query, String body, String source, String accept) {
        boolean text = accept != null && accept.contains("text/plain");
        try {
            ApiReply reply = answer(method, path, query, body, source, accept != null
                    && accept.contains("application/openmetrics-text"));
            return render(reply, text);
        } catch (ApiException e) {
            return failure(e, text);
        } catch (RuntimeException e) {
            return failure(new ApiException(500, "tapnet could not do it: " + e), text);
        }
    }

    /** An error as sent: {@code {"error": ..., "errors": [...]}}, or its lines in text. */
    static Answer failure(ApiException e, boolean text) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("error", e.getMessage());
        if (!e.errors.isEmpty()) {
            json.put("errors", e.errors.stream().map(x -> (Object) RunResources.map("line", x.line(), "column", x.column(),
                    "message", x.message())).toList());
        }
        ApiReply reply = new ApiReply(e.status, json, e.getMessage().lines().toList(), null, null);
        Answer answer = render(reply, text);
        return new Answer(answer.status(), answer.contentType(), answer.body(), e.allow);
    }

    private static Answer render(ApiReply reply, boolean text) {
        if (reply.raw() != null) {
            return new Answer(reply.status(), reply.contentType(), reply.raw(), null);
        }
        if (text && reply.text() != null) {
            return new Answer(reply.status(), "text/plain; charset=utf-8",
                    reply.text().isEmpty() ? "" : String.join("\n", reply.text()) + "\n", null);
        }
        return new Answer(reply.status(), "application/json", Json.write(reply.json()), null);
    }

    /** The answer to one request; an {@link ApiException} for one the API does not do. */
    ApiReply answer(String method, String path, Map<String, String> query, String body, String source, boolean openMetrics) {
        String[] segments = (path.endsWith("/") ? path.substring(0, path.length() - 1) : path).split("/", -1);
        for (Route route : routes) {
            List<String> params = route.params(segments);
            if (params != null) {
                if (!route.methods().contains(method)) {
                    throw ApiException.methodNotAllowed(method, path, String.join(", ", route.methods()));
                }
                return route.resource().answer(new Call(method, params, query, body, source, openMetrics));
            }
        }
        throw ApiException.notFound("there is no resource at " + path + "; expected one of: " + String.join(", ", resources()));
    }

    /** {@code GET /v1/links}, ...: every resource, as the index lists them. */
    private List<String> resources() {
        return routes.stream().skip(1).map(r -> String.join("|", r.methods()) + " " + r.pattern()).toList();
    }

    private static ApiReply metrics(EngineAccess engine, Supplier<Map<String, Long>> others, boolean openMetrics) {
        try {
            return ApiReply.raw(MetricsExposition.contentType(openMetrics), MetricsExposition.scrape(engine, others.get(),
                    openMetrics));
        } catch (Exception e) { // the engine did not answer in time, or is gone
            throw new ApiException(503, "the metrics could not be read: " + e.getMessage());
        }
    }

}
