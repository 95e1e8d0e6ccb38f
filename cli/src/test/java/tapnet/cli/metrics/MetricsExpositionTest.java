package tapnet.cli.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.RST;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tapnet.engine.EngineAccess;
import tapnet.observe.DropReason;
import tapnet.testing.EngineHarness;
import tapnet.testing.TcpPeer;
import tapnet.topology.yaml.TopologyLoader;

/** A scrape of an in-process engine after some traffic: what each family says, in both formats. */
class MetricsExpositionTest {
    static final String TOPOLOGY = """
            tap: { address: 10.77.0.1/24 }
            hosts:
              web:
                address: 10.77.0.10
                services:
                  - port: 80
                    http:
                      routes:
                        - { path: /a, body: "a\\n" }
                    faults:
                      - { refuse: {}, first: 1 }
              db:
                address: 10.77.0.11
                services:
                  - { port: 5432, echo: {} }
            links:
              - { between: [tap, db], down: true }
            """;

    private EngineHarness net;

    @BeforeEach
    void start() throws Exception {
        net = new EngineHarness(TopologyLoader.parse("metrics.yaml", TOPOLOGY));
    }

    /** Refused once (the fault), then a GET /a on a connection the client resets, and a SYN the down link drops. */
    static void driveTraffic(EngineHarness net) {
        assertTrue(net.client(net.engine.node("web"), 80).sendSyn().get(0).has(RST), "refused by the fault");
        TcpPeer c = net.client(net.engine.node("web"), 80);
        c.connect();
        c.sendData("GET /a HTTP/1.1\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0, last = -1; i < 100 && c.received().length != last; i++) {
            last = c.received().length;
            c.sendAck();
        }
        assertTrue(new String(c.received(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
        c.send(c.segment().flags(RST));
        assertTrue(net.client(net.engine.node("db"), 5432).sendSyn().isEmpty(), "dropped by the down link");
    }

    private String scrape(boolean openMetrics) throws Exception {
        return MetricsExposition.scrape(EngineAccess.direct(net.engine), Map.of("control.requests", 3L), openMetrics);
    }

    private static List<String> lines(String exposition) {
        return Arrays.asList(exposition.split("\n"));
    }

    @Test
    void perServiceCountersComeFromTheEngineThroughTraffic() throws Exception {
        driveTraffic(net);
        List<String> lines = lines(scrape(false));
        for (String expected : List.of(
                "tapnet_service_connections_total{host=\"web\",port=\"80\",outcome=\"opened\"} 1",
                "tapnet_service_connections_total{host=\"web\",port=\"80\",outcome=\"reset\"} 1",
                "tapnet_service_connections_total{host=\"web\",port=\"80\",outcome=\"refused\"} 1",
                "tapnet_service_connections_total{host=\"db\",port=\"5432\",outcome=\"opened\"} 0",
                "tapnet_service_faults_total{host=\"web\",port=\"80\",fault=\"refuse\"} 1",
                "tapnet_service_faults_total{host=\"web\",port=\"80\",fault=\"syn_drop\"} 0",
                "tapnet_link_frames_total{link=\"db\",direction=\"to_node\",outcome=\"down\"} 1",
                "tapnet_link_frames_total{link=\"db\",direction=\"from_node\",outcome=\"delivered\"} 0",
                "tapnet_frames_dropped_total{reason=\"link_down\"} 1",
                "tapnet_http_requests_total{host=\"web\",port=\"80\",route=\"1\",status=\"200\"} 1",
                "tapnet_tcp_faults_injected_total 1",
                "tapnet_control_requests_total 3")) {
            assertTrue(lines.contains(expected), expected + " in\n" + String.join("\n", lines));
        }
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("tapnet_service_faults_total{host=\"db\"")),
                "a service never given faults has no fault series");
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("tapnet_link_frames_total{link=\"web\"")),
                "web has no link");
    }

    @Test
    void everyDropReasonHasASeriesFromTheStart() throws Exception {
        List<String> lines = lines(scrape(false));
        for (DropReason reason : DropReason.ALL) {
            String series = "tapnet_frames_dropped_total{reason=\"" + reason.name().toLowerCase() + "\"} 0";
            assertEquals(reason != DropReason.NONE, lines.contains(series), series);
        }
    }

    @Test
    void dnsAnswersByEveryRcodeAndDnsFaultsByEveryKindHaveASeriesFromTheStart() throws Exception {
        List<String> lines = lines(scrape(false));
        for (String rcode : List.of("noerror", "formerr", "servfail", "nxdomain", "notimp", "refused", "badvers")) {
            assertTrue(lines.contains("tapnet_dns_answers_total{rcode=\"" + rcode + "\"} 0"), rcode);
        }
        for (String fault : List.of("nxdomain", "servfail", "refused", "timeout", "truncate", "delay", "wrong_address", "ttl")) {
            assertTrue(lines.contains("tapnet_dns_faults_total{fault=\"" + fault + "\"} 0"), fault);
        }
    }

    @Test
    void fragmentsOfBothFamiliesHaveTheirSeriesFromTheStart() throws Exception {
        List<String> lines = lines(scrape(false));
        for (String family : List.of("ipv4", "ipv6")) {
            for (String direction : List.of("in", "out")) {
                String series = "tapnet_" + family + "_fragments_total{direction=\"" + direction + "\"} 0";
                assertTrue(lines.contains(series), series);
            }
            assertTrue(lines.contains("tapnet_" + family + "_reassembled_total 0"), family);
        }
    }

    @Test
    void everyFamilyHasHelpAndTypeOnceAndOpenMetricsEndsWithEof() throws Exception {
        for (boolean openMetrics : new boolean[] {false, true}) {
            List<String> lines = lines(scrape(openMetrics));
            List<String> types = lines.stream().filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")[2]).toList();
            List<String> helps = lines.stream().filter(l -> l.startsWith("# HELP ")).map(l -> l.split(" ")[2]).toList();
            assertEquals(types, helps);
            assertEquals(types.size(), types.stream().distinct().count(), "a family written twice: " + types);
            assertTrue(types.contains(openMetrics ? "tapnet_frames" : "tapnet_frames_total"));
            assertTrue(types.contains("tapnet_ring_occupancy") && types.contains("tapnet_ring_capacity"));
            assertEquals(openMetrics, lines.get(lines.size() - 1).equals("# EOF"));
        }
    }

    @Test
    void contentTypesAreTheFormatsOwn() {
        assertEquals("text/plain; version=0.0.4; charset=utf-8", MetricsExposition.contentType(false));
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", MetricsExposition.contentType(true));
    }

    @Test
    void theRingIsReadThroughEngineAccessWhenThereIsOne() throws Exception {
        EngineAccess withRing = withRing(net.engine, 3, 4096);
        List<String> lines = lines(MetricsExposition.scrape(withRing, Map.of(), false));
        assertTrue(lines.contains("tapnet_ring_occupancy 3"));
        assertTrue(lines.contains("tapnet_ring_capacity 4096"));
    }

    /** The engine reached directly, with a ring that says it holds {@code occupancy} of {@code capacity} slots. */
    static EngineAccess withRing(tapnet.engine.Engine engine, long occupancy, int capacity) {
        return new EngineAccess() {
            @Override
            public <T> java.util.concurrent.CompletableFuture<T> call(java.util.function.Function<tapnet.engine.Engine, T> query) {
                return EngineAccess.direct(engine).call(query);
            }

            @Override
            public long ringOccupancy() {
                return occupancy;
            }

            @Override
            public int ringCapacity() {
                return capacity;
            }
        };
    }
}
