package example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backends of topologies/shop.yaml, found by DNS name from inside its emulated network, as
 * examples/shop_app.py finds them:
 *
 * <pre>./tapnet run topologies/shop.yaml -- mvn -o -B -f examples/java/pom.xml test</pre>
 *
 * tapnet run gives the command an /etc/resolv.conf naming the topology's DNS server, which answers for
 * shop.test. The API is called by the same {@link RetryingClient} as the flaky one.
 */
class ShopTest {
    private static final int TIMEOUT_MILLIS = 3000;

    @BeforeEach
    void onlyInsideTheShop() {
        // Elsewhere (outside tapnet, or in flaky-api.yaml) there is no shop.test to call: the tests skip.
        Assumptions.assumeTrue(System.getenv().getOrDefault("TAPNET_TOPOLOGY", "").endsWith("shop.yaml"),
                "no shop here: run this inside tapnet, as tapnet run topologies/shop.yaml -- mvn -o -B -f"
                        + " examples/java/pom.xml test");
    }

    @Test
    void theDatabaseGreetsAConnectionByName() throws Exception {
        InetAddress db = InetAddress.getByName("db.shop.test"); // through the system's resolver, to tapnet's DNS
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(db, 5432), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            String greeting = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
            System.out.println("db.shop.test is " + db.getHostAddress() + ", it says " + greeting);
            assertTrue("shop-db ready".equals(greeting), greeting);
        }
    }

    @Test
    void theApiListsTheOrders() throws Exception {
        RetryingClient.Answer answer = RetryingClient.withRetries().get(URI.create("http://api.shop.test/api/orders"));
        System.out.println(answer.body());
        assertTrue(answer.body().startsWith("{\"orders\": [") && answer.body().contains("\"id\": 1001"), answer.body());
    }

    @Test
    void theCollectorEchoesAMetric() throws Exception {
        byte[] metric = "shop.orders.checked:1|c".getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(TIMEOUT_MILLIS); // a lost datagram or echo: SocketTimeoutException
            socket.connect(new InetSocketAddress(InetAddress.getByName("stats.shop.test"), 8125));
            socket.send(new DatagramPacket(metric, metric.length));
            DatagramPacket echo = new DatagramPacket(new byte[2048], 2048);
            socket.receive(echo);
            byte[] received = Arrays.copyOf(echo.getData(), echo.getLength());
            assertArrayEquals(metric, received, new String(received, StandardCharsets.US_ASCII));
        }
    }
}
