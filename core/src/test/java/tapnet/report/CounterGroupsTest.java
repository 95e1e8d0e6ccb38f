package tapnet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tapnet.script.RunReport;

/** The report's counters in groups: DNS, UDP, a row per HTTP route with its method, path and statuses, the others. */
class CounterGroupsTest {
    private static final RunReport REPORT = new RunReport("shop", null, 1, null, null, true, 0, 0, false, 0, List.of(),
            List.of(), List.of(), List.of(), List.of(), Map.of("dns_noerror", 4L, "dns_queries_udp", 4L, "udp_datagrams_in", 9L,
            "frames_in", 100L, "http.web.80.route.1.requests", 3L, "http.web.80.route.1.status.200", 2L,
            "http.web.80.route.1.status.503", 1L, "http.web.80.unmatched.requests", 1L), List.of(),
            List.of(new RunReport.HttpRouteName("web", 80, 1, "GET /health"), new RunReport.HttpRouteName("web", 80, 2, "/api/*")));

    @Test
    void routeCountersBecomeARowPerRouteWithItsNameAndTheUnmatchedLast() {
        assertEquals(List.of(new CounterGroups.RouteRow("web", 80, 1, "GET /health", 3, Map.of(200, 2L, 503, 1L)),
                new CounterGroups.RouteRow("web", 80, 2, "/api/*", 0, Map.of()),
                new CounterGroups.RouteRow("web", 80, 0, "(none matched: 404)", 1, Map.of())), CounterGroups.of(REPORT).routes);
        assertEquals("200: 2, 503: 1", CounterGroups.of(REPORT).routes.get(0).statusText());
    }

    @Test
    void theHtmlShowsDnsUdpAndHttpRoutesInTablesOfTheirOwn() {
        String page = ReportHtml.text(REPORT);
        for (String heading : List.of("<h3>DNS</h3>", "<h3>UDP</h3>", "<h3>HTTP routes</h3>", "<h3>Others</h3>")) {
            assertTrue(page.contains(heading), heading);
        }
        assertTrue(page.contains("<td>web</td><td class=\"num\">80</td><td class=\"num\">1</td><td>GET /health</td>"
                + "<td class=\"num\">3</td><td>200: 2, 503: 1</td>"), page);
        assertFalse(page.contains("<td>http.web.80.route.1.requests</td>"), "route counters are not repeated in the others");
    }

    @Test
    void theJsonCarriesTheRoutesAndReadsBackTheSame() throws Exception {
        String json = ReportJson.text(REPORT);
        assertTrue(json.contains("\"httpRoutes\""), json);
        assertEquals(REPORT, ReportJson.parse(json));
    }
}
