package example;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The API of topologies/flaky-api.yaml, called by name from inside its emulated network:
 *
 * <pre>./tapnet run topologies/flaky-api.yaml -- mvn -o -B -f examples/java/pom.xml test</pre>
 *
 * On a fresh run the API refuses its first connection and cuts its second answer short. The tests run in
 * order, since the faults count connections: first a lone attempt meets the refusal, then the retrying
 * client meets the cut answer and gets the whole one on its next try.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlakyApiTest {
    /** $API_URL, else http://api/: the name tapnet run puts in /etc/hosts. */
    private static final URI API = URI.create(System.getenv().getOrDefault("API_URL", "http://api/"));

    @BeforeEach
    void onlyInsideTheEmulatedNetwork() {
        // tapnet run sets TAPNET_TOPOLOGY for the command it runs. Elsewhere (or in another topology, the
        // shop's) there is no flaky API to call: the tests skip, so that running this build outside first
        // fetches its dependencies.
        Assumptions.assumeTrue(System.getenv().getOrDefault("TAPNET_TOPOLOGY", "").endsWith("flaky-api.yaml")
                        || System.getenv("API_URL") != null,
                "no API here: run this inside tapnet, as tapnet run topologies/flaky-api.yaml -- mvn -o -B -f"
                        + " examples/java/pom.xml test (or set API_URL)");
    }

    @Test
    @Order(1)
    void aSingleAttemptFailsOnTheRefusedConnection() {
        IOException failure = assertThrows(IOException.class, () -> RetryingClient.singleAttempt().get(API));
        System.err.println("a single attempt: " + failure.getMessage());
    }

    @Test
    @Order(2)
    void theRetryingClientGetsTheWholeAnswer() throws Exception {
        RetryingClient.Answer answer = RetryingClient.withRetries().get(API);
        System.out.println(answer.body().strip() + " (after " + answer.attempts() + " attempts)");
        assertTrue(answer.body().contains("\"status\": \"ok\"") && answer.body().endsWith("}\n"), answer.body());
        assertTrue(answer.attempts() > 1, "the API failed no attempt: is this a fresh run of flaky-api.yaml? "
                + answer.attempts());
    }
}
