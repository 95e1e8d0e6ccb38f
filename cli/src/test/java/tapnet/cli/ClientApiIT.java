package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.client.Capture;
import tapnet.client.Counters;
import tapnet.client.DnsFault;
import tapnet.client.Event;
import tapnet.client.Fault;
import tapnet.client.Link;
import tapnet.client.Network;
import tapnet.client.Tapnet;
import tapnet.client.TapnetException;
import tapnet.client.Topology;
import tapnet.tap.TapTestEnvironment;

/**
 * The Java client against a real run, every call of it: each change made through the control API and seen
 * as the kernel's sockets meet it through the TAP, each read checked against what was done, and the
 * server's refusals as the client reports them.
 */
@Timeout(120)
class ClientApiIT {
    private static final String WEB = "10.77.0.10";
    private static RunningTopology run;
    private static Network net;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        Path socket = dir.resolve("control.sock");
        run = RunningTopology.start(dir.resolve("client.yaml"), """
                name: client-api
                tap: { address: 10.77.0.1/24 }
                dns: { address: 10.77.0.53, domain: shop.test }
                hosts:
                  web:
                    address: 10.77.0.10
                    services:
                      - { port: 7, echo: {} }
                      - port: 80
                        http: { routes: [ { path: /health, body: "ok\\n" } ] }
                  db:
                    address: 10.77.0.20
                    services: [ { port: 5432, banner: "db\\n" } ]
                links:
                  - { between: [tap, web], delay: 1ms }
                """, "--control", socket.toString());
        net = Tapnet.connect(socket);
    }

    @AfterAll
    static void stop() throws Exception {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void theTopologyIsTheFilesAndTheLinksAsItSaid() {
        Topology topology = net.topology();
        assertEquals("client-api", topology.name());
        assertEquals(WEB, topology.host("web").orElseThrow().address());
        assertEquals("shop.test", topology.dns().orElseThrow().domain());
        Link web = net.links().stream().filter(l -> l.node().equals("web")).findFirst().orElseThrow();
        assertEquals("1ms", web.toNode().setting("delay"));
        assertEquals("tap", web.parent());
    }

    @Test
    void aLinkChangedMergesAndDownStopsTrafficUntilUp() throws Exception {
        Link changed = net.link("web").lossPercent(0).delay(Duration.ofMillis(30)).apply();
        assertEquals("30ms", changed.toNode().setting("delay"));
        assertEquals(changed, net.link("web").get());
        assertTrue(net.down("web").isDown());
        assertThrows(SocketTimeoutException.class, () -> tryConnect(WEB, 7), "nothing crosses a link that is down");
        assertFalse(net.up("web").isDown());
        connect(WEB, 7);
        net.link("web").delay(Duration.ofMillis(1)).apply();
    }

    @Test
    void aPartitionCutsItsGroupsApartUntilHealed() throws Exception {
        List<Set<String>> groups = net.partition(Set.of("tap", "db"), Set.of("web"));
        assertEquals(2, groups.size());
        assertEquals(groups, net.partition());
        assertThrows(SocketTimeoutException.class, () -> tryConnect(WEB, 7));
        connect("10.77.0.20", 5432);
        net.heal();
        assertEquals(List.of(), net.partition());
        connect(WEB, 7);
    }

    @Test
    void serviceFaultsRouteFaultsAndStoppedServicesAreWhatTheKernelMeets() throws Exception {
        net.service("web", 7).faults(Fault.refuse().first(1));
        assertEquals(1, net.service("web", 7).faults().size());
        assertThrows(ConnectException.class, () -> tryConnect(WEB, 7), "the first connection refused");
        connect(WEB, 7);
        net.service("web", 7).clearFaults();

        net.service("web", 80).route(1).faults(Fault.of("status", 503));
        assertEquals(503, status("/health"));
        net.service("web", 80).route(1).clearFaults();
        assertEquals(200, status("/health"));

        net.service("web", 7).stop();
        assertThrows(ConnectException.class, () -> tryConnect(WEB, 7), "a stopped service's port is closed");
        net.service("web", 7).start();
        connect(WEB, 7);

        net.host("db").stop();
        assertThrows(SocketTimeoutException.class, () -> tryConnect("10.77.0.20", 5432), "a stopped host is silent");
        net.host("db").start();
        connect("10.77.0.20", 5432);
    }

    @Test
    void dnsFaultsAreSetReadAndCleared() {
        net.dns().faults(DnsFault.nxdomain("web").first(2));
        assertEquals(1, net.dns().faults().size());
        net.dns().clearFaults();
        assertEquals(List.of(), net.dns().faults());
    }

    @Test
    void countersEventsAndACaptureTellWhatHappened(@TempDir Path out) throws Exception {
        Counters before = net.counters();
        long since = net.events(0).next();
        Path file = out.resolve("echo.pcapng");
        Capture.Summary summary;
        try (Capture capture = net.capture(file)) {
            connect(WEB, 7);
            net.link("web").delay(Duration.ofMillis(2)).apply();
            summary = capture.stop();
        }
        assertTrue(summary.frames() >= 3, "the handshake at least: " + summary);
        try (InputStream in = Files.newInputStream(file)) {
            assertArrayEquals(new byte[] {0x0a, 0x0d, 0x0d, 0x0a}, in.readNBytes(4), "a pcapng file");
        }
        Counters changed = net.counters().diff(before);
        assertTrue(changed.get("frames_in") > 0, changed.toString());
        List<Event> events = net.events(since).events();
        assertTrue(events.stream().anyMatch(e -> e.source().equals("api") && e.action().contains("web")), events.toString());
    }

    @Test
    void resetBringsBackTheFilesLinksAndFaults() {
        net.link("web").delay(Duration.ofMillis(80)).lossPercent(5).apply();
        net.service("web", 7).faults(Fault.stall());
        net.reset();
        assertEquals("1ms", net.link("web").get().toNode().setting("delay"));
        assertEquals(null, net.link("web").get().toNode().setting("loss"));
        assertEquals(List.of(), net.service("web", 7).faults());
    }

    @Test
    void refusalsCarryTheServersMessageAndWhereTheMistakeIs() {
        TapnetException unknown = assertThrows(TapnetException.class, () -> net.link("nosuch").get());
        assertEquals(404, unknown.status());
        assertTrue(unknown.serverMessage().contains("web"), "it lists what there is: " + unknown.serverMessage());
        TapnetException typo = assertThrows(TapnetException.class, () -> net.link("web").set("dealy", "5ms").apply());
        assertEquals(400, typo.status());
        assertEquals(1, typo.problems().size(), typo.getMessage());
        assertTrue(typo.problems().get(0).message().contains("'dealy' is not a key"), typo.getMessage());
    }

    /**
     * A TCP connection from the TAP's namespace that must succeed: 5 s, so that the kernel may retransmit its
     * SYN once (a neighbour still being resolved after a silent host started again holds the first one).
     */
    private static void connect(String address, int port) throws Exception {
        connect(address, port, 5000);
    }

    /** A connection expected to fail: refused at once, or silent, which 1 s shows. */
    private static void tryConnect(String address, int port) throws Exception {
        connect(address, port, 1000);
    }

    /** Throws as the kernel's socket does. */
    private static void connect(String address, int port, int timeoutMillis) throws Exception {
        run.call(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), timeoutMillis);
            }
            return null;
        });
    }

    private static int status(String path) throws Exception {
        return run.call(() -> {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://" + WEB + path).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            try {
                return c.getResponseCode();
            } finally {
                c.disconnect();
            }
        });
    }
}
