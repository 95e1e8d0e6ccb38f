package tapnet.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.testing.EngineHarness;
import tapnet.testing.TcpPeer;
import tapnet.topology.Action;
import tapnet.topology.HttpRoute;
import tapnet.topology.yaml.TopologyLoader;

/** A route's faults changed while running (through EngineActions, as ctl and scripts change them), and drawn by seed. */
class RouteFaultsLiveTest {
    private static final String TOPOLOGY = """
            seed: %d
            tap: { address: 10.77.0.1/24 }
            hosts:
              web:
                address: 10.77.0.10
                services:
                  - port: 80
                    http:
                      routes:
                        - { path: /a, body: "a\\n" }
                        - { path: /b, body: "b\\n", faults: [ { status: 500, first: 1 } ] }
                        - { path: /c, body: "c\\n", faults: [ { status: 503, probability: 50%% } ] }
                  - { port: 81, http: { status: 200 } }
            """;

    private static EngineHarness engine(long seed) throws Exception {
        return new EngineHarness(TopologyLoader.parse("live.yaml", String.format(TOPOLOGY, seed)));
    }

    private static HttpRoute.Fault status(int status, long first, double probability) {
        return new HttpRoute.Fault(HttpRoute.Fault.Kind.STATUS, status, 0, first, probability);
    }

    /** The status of a GET of {@code path} on a fresh connection to web:80. */
    private static int get(EngineHarness net, String path) {
        TcpPeer c = net.client(net.engine.node("web"), 80);
        c.connect();
        int before = c.received().length;
        c.sendData(("GET " + path + " HTTP/1.1\r\nHost: web\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0, last = -1; i < 100 && c.received().length != last; i++) {
            last = c.received().length;
            c.sendAck();
        }
        String answer = new String(Arrays.copyOfRange(c.received(), before, c.received().length), StandardCharsets.US_ASCII);
        assertTrue(answer.startsWith("HTTP/1.1 "), answer);
        return Integer.parseInt(answer.substring(9, 12));
    }

    private static List<Integer> statuses(EngineHarness net, String path, int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(get(net, path));
        }
        return out;
    }

    @Test
    void aLiveChangeReplacesARoutesFaultsFromTheNextRequest() throws Exception {
        EngineHarness net = engine(1);
        assertEquals(200, get(net, "/a"));
        EngineActions.apply(net.engine, new Action.RouteFaults("web", 80, 1, List.of(status(503, 2, 1))));
        assertEquals(List.of(503, 503, 200), statuses(net, "/a", 3));
        assertEquals(2, net.engine.counters().namedValue("http.web.80.route.1.status.503"));
        assertEquals(4, net.engine.counters().namedValue("http.web.80.route.1.requests"));
    }

    @Test
    void anEmptyListClearsTheFaults() throws Exception {
        EngineHarness net = engine(1);
        EngineActions.apply(net.engine, new Action.RouteFaults("web", 80, 3, List.of()));
        assertEquals(List.of(200, 200, 200, 200, 200), statuses(net, "/c", 5));
    }

    @Test
    void theRequestsCountedForFirstStartAgainWithEachChange() throws Exception {
        EngineHarness net = engine(1);
        assertEquals(List.of(500, 200), statuses(net, "/b", 2));
        EngineActions.apply(net.engine, new Action.RouteFaults("web", 80, 2, List.of(status(500, 1, 1))));
        assertEquals(List.of(500, 200), statuses(net, "/b", 2));
    }

    @Test
    void probabilityDrawsReplayWithTheSeedAndDifferWithAnother() throws Exception {
        List<Integer> first = statuses(engine(7), "/c", 40);
        assertEquals(first, statuses(engine(7), "/c", 40));
        assertNotEquals(first, statuses(engine(8), "/c", 40));
        long failed = first.stream().filter(s -> s == 503).count();
        assertTrue(failed > 8 && failed < 32, "about half of 40 fail at 50%: " + first);
    }

    @Test
    void faultsSetLiveDrawAsTheSameFaultsFromTheFileDo() throws Exception {
        EngineHarness fromFile = engine(7);
        EngineHarness live = engine(7);
        EngineActions.apply(live.engine, new Action.RouteFaults("web", 80, 3, List.of(status(503, 0, 0.5))));
        assertEquals(statuses(fromFile, "/c", 30), statuses(live, "/c", 30));
    }

    @Test
    void aServiceWithoutRoutesOrARouteItLacksIsAClearError() throws Exception {
        EngineHarness net = engine(1);
        IllegalArgumentException noRoutes = assertThrows(IllegalArgumentException.class,
                () -> EngineActions.apply(net.engine, new Action.RouteFaults("web", 81, 1, List.of())));
        assertEquals("web:81 is not an http service with routes", noRoutes.getMessage());
        IllegalArgumentException noRoute = assertThrows(IllegalArgumentException.class,
                () -> EngineActions.apply(net.engine, new Action.RouteFaults("web", 80, 4, List.of())));
        assertEquals("no route 4; this service has routes 1 to 3", noRoute.getMessage());
    }
}
