package example;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client of the shop's API that survives the network's failures. Each attempt has a connect timeout and a
 * timeout for the whole answer; a failed attempt (refused, reset, timed out, cut short, or a 5xx) is tried
 * again after a backoff that doubles each time, with jitter, up to {@code attempts} in all; a 4xx is
 * reported at once, since asking again will not help. Requests carry the caller's bearer token.
 */
public final class ShopClient {
    /** The answer's body, how many attempts it took, and how long all of them took. */
    public record Answer(String body, int attempts, Duration took) {
    }

    private final URI api;
    private final String token;
    private final int attempts;
    private final Duration backoff;
    private final Duration timeout;
    private final HttpClient http;

    public ShopClient(URI api, String token, int attempts, Duration backoff, Duration timeout) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
        this.api = api;
        this.token = token;
        this.attempts = attempts;
        this.backoff = backoff;
        this.timeout = timeout;
        // HTTP/1.1: the JDK's default, HTTP/2, would first ask a plain-text server to upgrade.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** GET {@code path} (as {@code /api/orders}): the body of the first 2xx answer, or the last attempt's failure. */
    public Answer get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(api.resolve(path)).timeout(timeout)
                .header("Authorization", "Bearer " + token).GET().build();
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = null;
            IOException error = null;
            try {
                // ofString reads the whole body: a reset before Content-Length bytes came throws.
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                error = e;
            }
            if (response != null && response.statusCode() / 100 == 2) {
                return new Answer(response.body(), attempt, Duration.ofNanos(System.nanoTime() - start));
            }
            if (response != null && response.statusCode() < 500) {
                throw new IOException(request.uri() + " answered " + response.statusCode() + "; asking again will not help");
            }
            String failure = response != null ? "HTTP " + response.statusCode()
                    : error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
            if (attempt == attempts) {
                throw new IOException("gave up after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ") + failure, error);
            }
            long wait = (long) (backoff.toMillis() * Math.pow(2, attempt - 1) * ThreadLocalRandom.current().nextDouble(0.5, 1.0));
            System.err.println("attempt " + attempt + ": " + failure + "; retrying in " + wait + " ms");
            Thread.sleep(wait);
        }
    }
}
