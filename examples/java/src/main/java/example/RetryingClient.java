package example;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An HTTP client that survives an API's failures: it tries a GET up to {@code attempts} times, waiting
 * {@code backoff}, then twice that, four times... (with jitter, so that many clients do not retry in step)
 * between attempts. It retries what may pass on a second try: a refused or reset connection, a timeout,
 * an answer cut short (all {@link IOException}s), a 5xx status; a 4xx status it reports at once.
 */
public final class RetryingClient {
    /** The answer's body, and how many attempts it took. */
    public record Answer(String body, int attempts) {
    }

    private final HttpClient http;
    private final int attempts;
    private final Duration backoff;
    private final Duration timeout;

    public RetryingClient(int attempts, Duration backoff, Duration timeout) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
        this.attempts = attempts;
        this.backoff = backoff;
        this.timeout = timeout;
        // HTTP/1.1: the JDK's default, HTTP/2, would ask a plain-text server to upgrade first.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** One attempt, no retries: what a naive client does. */
    public static RetryingClient singleAttempt() {
        return new RetryingClient(1, Duration.ZERO, Duration.ofSeconds(5));
    }

    /** Five attempts, the first retry after about 200 ms. */
    public static RetryingClient withRetries() {
        return new RetryingClient(5, Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    /** The body of a 2xx answer to GET {@code uri}; throws the last attempt's failure when none succeeded. */
    public Answer get(URI uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = null;
            IOException error = null;
            try {
                // ofString reads the whole body: a connection reset before Content-Length bytes came throws.
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                error = e;
            }
            if (response != null && response.statusCode() / 100 == 2) {
                System.err.println("attempt " + attempt + ": ok");
                return new Answer(response.body(), attempt);
            }
            if (response != null && response.statusCode() < 500) {
                throw new IOException(uri + " answered " + response.statusCode() + "; asking again will not help");
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
