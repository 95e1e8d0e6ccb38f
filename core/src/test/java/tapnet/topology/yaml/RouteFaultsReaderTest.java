package tapnet.topology.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.observe.Counters;
import tapnet.topology.Action;
import tapnet.topology.HttpRoute;
import tapnet.topology.Topology;

/**
 * A live change of a route's faults as {@code tapnet ctl routeFaults} and a script's {@code routeFaults:} event
 * read it, route faults' {@code probability}, and the topology error for more route counters than a run keeps.
 */
class RouteFaultsReaderTest {
    private static final String NETWORK = """
            tap: { address: 10.77.0.1/24 }
            hosts:
              web:
                address: 10.77.0.10
                services:
                  - { port: 80, http: { routes: [ { method: GET, path: /health }, { path: /api/* } ] } }
                  - { port: 81, http: { status: 200 } }
                  - { port: 7, echo: {} }
            """;
    private static final Topology TOPOLOGY = parse(NETWORK);

    private static Topology parse(String text) {
        try {
            return TopologyLoader.parse("t.yaml", text);
        } catch (TopologyException e) {
            throw new AssertionError(e);
        }
    }

    private static String ctlError(String spec) {
        TopologyException e = assertThrows(TopologyException.class, () -> RouteFaultsReader.parse("ctl", spec, TOPOLOGY));
        return e.getMessage();
    }

    private static HttpRoute.Fault status(int status, long first, double probability) {
        return new HttpRoute.Fault(HttpRoute.Fault.Kind.STATUS, status, 0, first, probability);
    }

    @Test
    void aCtlSpecNamesTheServiceTheRouteByNumberAndItsFaults() throws Exception {
        Action.RouteFaults change = RouteFaultsReader.parse("ctl",
                "{service: web:80, route: 2, faults: [{status: 503, probability: 25%}, {reset: 1KiB, first: 3}]}", TOPOLOGY);
        assertEquals(new Action.RouteFaults("web", 80, 2, List.of(status(503, 0, 0.25),
                new HttpRoute.Fault(HttpRoute.Fault.Kind.RESET, 0, 1024, 3, 1))), change);
        assertEquals("routeFaults web:80 route 2: [{status: 503, probability: 25%}, {reset: 1024, first: 3}]",
                ActionText.of(change));
    }

    @Test
    void anEmptyListClearsTheFaults() throws Exception {
        assertEquals(new Action.RouteFaults("web", 80, 1, List.of()),
                RouteFaultsReader.parse("ctl", "{service: web:80, route: 1, faults: []}", TOPOLOGY));
    }

    @Test
    void aRouteTheServiceLacksIsReportedWithItsRoutes() {
        assertEquals("ctl:1:26: route 3 is out of range; expected the number of one of the 2 routes of web:80, from 1 in their"
                + " order: 1 GET /health, 2 /api/*", ctlError("{service: web:80, route: 3, faults: []}"));
    }

    @Test
    void aServiceWithoutRoutesNotHttpOrAbsentIsReportedAtItsColumn() {
        assertEquals("ctl:1:11: web:81 is an http service without routes; expected an http service with routes: one of:"
                + " web:80", ctlError("{service: web:81, route: 1, faults: []}"));
        assertEquals("ctl:1:11: web:7 is not an http service (echo); expected an http service with routes: one of: web:80",
                ctlError("{service: web:7, route: 1, faults: []}"));
        assertEquals("ctl:1:11: web:8 is no service; expected an http service with routes: one of: web:80",
                ctlError("{service: web:8, route: 1, faults: []}"));
        assertEquals("ctl:1:11: there is no host named 'db'; expected one of: web",
                ctlError("{service: db:80, route: 1, faults: []}"));
    }

    @Test
    void aFaultIsCheckedAsARoutesOwnIs() {
        assertEquals("ctl:1:62: this route fault has both 'first' and 'probability'; expected one of them (or neither:"
                + " every matching request)", ctlError("{service: web:80, route: 1, faults: [{status: 503, first: 1, probability: 5%}]}"));
        assertEquals("ctl:1:65: '5' is not a percentage; write it with %, like 10% or 0.5%",
                ctlError("{service: web:80, route: 1, faults: [{status: 503, probability: 5}]}"));
        assertEquals("ctl:1:1: this route faults change has no 'faults'; expected the route's faults from now on, like"
                + " faults: [ { status: 503 } ] (faults: [] clears them)", ctlError("{service: web:80, route: 1}"));
    }

    @Test
    void aScriptEventChangesARoutesFaults() {
        Topology t = parse(NETWORK + """
                script:
                  duration: 3s
                  events:
                    - { at: 1s, routeFaults: { service: web:80, route: 1, faults: [ { status: 503 } ] } }
                """);
        assertEquals(new Action.RouteFaults("web", 80, 1, List.of(status(503, 0, 1))), t.script().events().get(0).action());
    }

    @Test
    void aScriptEventsMistakeIsReportedAtItsLineAndColumn() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse("t.yaml", NETWORK + """
                script:
                  duration: 3s
                  events:
                    - { at: 1s, routeFaults: { service: web:81, route: 1, faults: [] } }
                """));
        assertEquals("t.yaml:12:41: web:81 is an http service without routes; expected an http service with routes: one of:"
                + " web:80", e.getMessage());
    }

    @Test
    void aRoutesFaultMayActByProbability() {
        Topology t = parse("""
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10, services: [ { port: 80, http: { routes: [
                    { path: /, faults: [ { close: 10, probability: 0.5% } ] } ] } } ] }
                """);
        assertEquals(List.of(new HttpRoute.Fault(HttpRoute.Fault.Kind.CLOSE, 0, 10, 0, 0.005)),
                ((tapnet.topology.ServiceSpec.Http) t.hosts().get(0).services().get(0)).routes().get(0).faults());
    }

    @Test
    void moreRouteCountersThanARunKeepsIsATopologyErrorAtTheHostThatOverflows() {
        // each host: 1 unmatched + 2 routes x (requests + one status) = 5 counters; 819 hosts take 4095
        StringBuilder text = new StringBuilder("tap: { address: 10.77.0.1/16 }\nhosts:\n");
        int hosts = Counters.MAX_NAMED / 5 + 1;
        for (int i = 0; i < hosts; i++) {
            text.append("  h").append(i).append(": { address: 10.77.").append(1 + i / 250).append('.').append(1 + i % 250)
                    .append(i == 0 ? ", services: &routes [ { port: 80, http: { routes: [ { path: /a }, { path: /b } ] } } ] }\n"
                            : ", services: *routes }\n");
        }
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse("big.yaml", text.toString()));
        assertEquals("big.yaml:822:3: with host 'h819', the http routes need 4100 counters, more than the 4096 a run keeps"
                + " (each host counts each route's requests and statuses apart); expected fewer hosts or routes with routes,"
                + " or plain http services (status and body, no routes: not counted)", e.getMessage());
    }
}
