package tapnet.cli.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Brings each HTTP request from Jetty to {@link ApiRoutes} and its answer back: the token checked on TCP,
 * the body read up to {@link #MAX_BODY_BYTES}. A request's thread waits for the engine (at most its
 * timeout): the API's few clients need no more than blocking handling.
 */
final class ApiHandler extends Handler.Abstract {
    /** The largest request body: a link or a list of faults is a few hundred bytes. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** The header {@code tapnet ctl} sends: its changes are named ctl, in errors and events. */
    static final String CLIENT_HEADER = "Tapnet-Client";

    private final ApiToken token;
    /** The resources, once the engine runs; until then every request is answered 503. */
    private final AtomicReference<ApiRoutes> routes = new AtomicReference<>();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong unauthorized = new AtomicLong();

    ApiHandler(ApiToken token) {
        this.token = token;
    }

    void serve(ApiRoutes resources) {
        routes.set(resources);
    }

    ApiRoutes routes() {
        return routes.get();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        requests.incrementAndGet();
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        ApiRoutes.Answer answer;
        try {
            answer = answer(request, accept);
        } catch (ApiException e) {
            answer = ApiRoutes.failure(e, accept != null && accept.contains("text/plain"));
        }
        if (answer.status() >= 400) {
            errors.incrementAndGet();
        }
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
        if (answer.allow() != null) {
            response.getHeaders().put(HttpHeader.ALLOW, answer.allow());
        }
        Content.Sink.write(response, true, answer.body(), callback);
        return true;
    }

    private ApiRoutes.Answer answer(Request request, String accept) {
        boolean tcp = !(request.getConnectionMetaData().getConnector() instanceof UnixDomainServerConnector);
        if (tcp && (token == null || !token.accepts(request.getHeaders().get(HttpHeader.AUTHORIZATION)))) {
            unauthorized.incrementAndGet();
            throw new ApiException(401, "this listener needs the run's token: Authorization: Bearer TOKEN (the token is"
                    + " in the file tapnet run printed at start, TAPNET_CONTROL_TOKEN_FILE)");
        }
        ApiRoutes resources = routes.get();
        if (resources == null) {
            throw new ApiException(503, "the run is starting; ask again in a moment");
        }
        Map<String, String> query = new LinkedHashMap<>();
        Request.extractQueryParameters(request).forEach(f -> query.put(f.getName(), f.getValue()));
        String source = "ctl".equals(request.getHeaders().get(CLIENT_HEADER)) ? "ctl" : "api";
        return resources.respond(request.getMethod(), request.getHttpURI().getDecodedPath(), query, body(request), source,
                accept);
    }

    /** The body as text; 413 past {@link #MAX_BODY_BYTES}. */
    private static String body(Request request) {
        long declared = request.getLength();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge(declared + " bytes");
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw tooLarge("longer than " + MAX_BODY_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ApiException(400, "the body could not be read: " + e.getMessage());
        }
    }

    private static ApiException tooLarge(String size) {
        return new ApiException(413, "the body is " + size + "; expected at most " + MAX_BODY_BYTES + " (64 KiB)");
    }
}
