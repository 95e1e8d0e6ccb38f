package tapnet.service;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A static HTTP/1.1 server (RFC 9112): every request, whatever its method and target, gets the same status
 * and body. It is a {@link RoutedHttpService} with one route taking every request, and counts nothing, so
 * that one instance can serve many hosts.
 */
public final class HttpService extends RoutedHttpService {
    public HttpService(int status, String body, String contentType) {
        super(List.of(new Route(null, "*", new HttpAnswer(status, contentType, List.of(),
                body.getBytes(StandardCharsets.UTF_8), 0, false, 0, 0), List.of())), null, null, 0);
    }
}
