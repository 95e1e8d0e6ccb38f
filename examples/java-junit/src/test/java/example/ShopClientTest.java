package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tapnet.client.Counters;
import tapnet.client.Fault;
import tapnet.client.Network;
import tapnet.junit.Tapnet;

/**
 * The shop's client against the network of topologies/shop.yaml, changed in the middle of each test:
 *
 * <pre>./tapnet run topologies/shop.yaml -- mvn -o -B -f examples/java-junit/pom.xml test</pre>
 *
 * {@code @Tapnet} gives each test the run's {@link Network}, and puts the network back as the file made it
 * after each, so the tests run in any order. When one fails, its report shows what the network did during
 * it, and the capture of its frames is kept.
 */
@Tapnet
class ShopClientTest {
    private static final URI API = URI.create("http://api.shop.test/");
    /** A session token as some APIs hand out: 1.5 KB, so a request is about 1.7 KB. */
    private static final String TOKEN = "t".repeat(1500);

    private static ShopClient patient() {
        return new ShopClient(API, TOKEN, 5, Duration.ofMillis(200), Duration.ofSeconds(1));
    }

    private static ShopClient oneAttempt(Duration timeout) {
        return new ShopClient(API, TOKEN, 1, Duration.ZERO, timeout);
    }

    @Test
    void theClientRetriesPastTheApiLinkGoingDownMidTest(Network net) throws Exception {
        assertEquals(1, patient().get("/api/orders").attempts(), "a healthy network: one attempt");

        net.down("api");
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try {
            later.schedule(() -> net.up("api"), 1500, TimeUnit.MILLISECONDS); // back in 1.5 s, while the client retries
            ShopClient.Answer answer = patient().get("/api/orders");
            assertTrue(answer.body().contains("\"id\": 1001"), answer.body());
            assertTrue(answer.attempts() > 1, "the first attempts met the link down: " + answer);
        } finally {
            later.shutdownNow();
        }
        assertTrue(net.link("api").get().toNode().counter("down") > 0, "frames toward api were dropped while it was down");
    }

    @Test
    void theClientRetriesPastConnectionsResetAfter1000Bytes(Network net) throws Exception {
        // The next four connections die mid-request. The JDK's HttpClient tries a GET again once on its own
        // when the connection dies before any answer, so one attempt of ours may cost two connections.
        net.service("api", 80).faults(Fault.resetAfterBytes(1000).first(4));

        IOException lone = assertThrows(IOException.class, () -> oneAttempt(Duration.ofSeconds(2)).get("/api/orders"));
        System.err.println("a single attempt: " + lone.getMessage());
        ShopClient.Answer answer = patient().get("/api/orders");
        assertTrue(answer.body().contains("\"id\": 1002"), answer.body());
        assertTrue(answer.attempts() >= 2, "its first attempt met a reset: " + answer);
    }

    @Test
    void aDroppedSynAckCostsTheFirstConnectionASecond(Network net) throws Exception {
        net.service("api", 80).faults(Fault.synAckDrop().first(1)); // the SYN-ACK comes with the retransmission, 1 s on

        ShopClient.Answer slow = oneAttempt(Duration.ofSeconds(3)).get("/api/orders");
        assertTrue(slow.took().toMillis() >= 900, "the handshake waited for the retransmitted SYN-ACK: " + slow);
        ShopClient.Answer fast = oneAttempt(Duration.ofSeconds(3)).get("/api/orders");
        assertTrue(fast.took().toMillis() < 500, "only the first connection was hit: " + fast);
    }

    @Test
    void theCountersShowWhatATestsTrafficDid(Network net) throws Exception {
        Counters before = net.counters();
        patient().get("/api/orders");
        Counters changed = net.counters().diff(before);
        System.out.println("one GET of the orders:\n" + changed);
        assertTrue(changed.get("frames_in") > 0, changed.toString());
    }

    /**
     * Fails on purpose, to show what a failing test's report holds (its events, the counters that changed,
     * its capture): {@code -Dexample.failOnPurpose=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "example.failOnPurpose", matches = "true")
    void failsOnPurposeWhenTheApiIsCutOff(Network net) throws Exception {
        net.partition(Set.of("tap", "db", "stats"), Set.of("api"));
        oneAttempt(Duration.ofMillis(500)).get("/api/orders"); // times out: the report shows why
    }
}
