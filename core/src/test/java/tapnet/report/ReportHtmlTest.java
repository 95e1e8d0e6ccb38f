package tapnet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tapnet.script.RunReport;

class ReportHtmlTest {
    private final String html = ReportHtml.text(ReportFixture.sample());

    @Test
    void thereIsAPlotPerProbeAndAGraphOfTheTopology() {
        assertEquals(2, count(html, "<svg class=\"plot\""));
        assertEquals(1, count(html, "<svg class=\"topology\""));
        assertEquals(count(html, "<svg"), count(html, "</svg>"));
        assertTrue(html.contains("<b>web-ping</b>"), html);
        assertTrue(html.contains("<b>api-http</b>"), html);
    }

    @Test
    void theFailedExpectationIsARedRowWithWhatWasExpectedAndSeen() {
        assertTrue(html.contains("<tr class=\"fail\"><td>FAILED</td><td>web-ping success &gt;= 99%</td><td>0s..20s</td>"
                + "<td>success &gt;= 99%</td><td>success 82.5%</td></tr>"), html);
        assertEquals(2, count(html, "<tr class=\"pass\">"));
        assertTrue(html.contains("<span class=\"verdict failed\">FAILED</span>"), html);
        assertTrue(html.contains("<dt>seed</dt><dd>42</dd>"), html);
        assertTrue(html.contains("<dt>expectations</dt><dd>2 of 3 held</dd>"), html);
    }

    @Test
    void failedSamplesAreCrossesAndTheProbesWindowsAreShaded() {
        assertEquals(8, count(html, "<path class=\"failed-sample\""));
        assertEquals(1, count(html, "<g class=\"window failed\">"));
        assertEquals(2, count(html, "<g class=\"window held\">"));
        // four events, drawn on both plots
        assertEquals(2 * 3, count(html, "<g class=\"event\">"));
        assertEquals(2, count(html, "<g class=\"event failed\">"));
    }

    @Test
    void aProbesCaptionCountsItsFailuresByOutcomeTheMostFrequentFirst() {
        List<RunReport.Sample> samples = List.of(new RunReport.Sample(0, false, Double.NaN, "timeout"),
                new RunReport.Sample(1, false, Double.NaN, "NXDOMAIN"), new RunReport.Sample(2, false, Double.NaN, "NXDOMAIN"),
                new RunReport.Sample(3, true, 2.0, "truncated"));
        RunReport base = ReportFixture.sample();
        RunReport report = new RunReport(base.topology(), base.file(), base.seed(), base.tapnetVersion(), base.javaVersion(),
                base.simulated(), base.startedAtEpochMillis(), base.durationNanos(), base.interrupted(), base.plannedDurationNanos(),
                base.nodes(), base.edges(), base.events(),
                List.of(new RunReport.Probe("resolve", "dns", "tap", "db.shop.test A", "ms", samples)), List.of(), base.counters(),
                base.links());
        String page = ReportHtml.text(report);
        assertTrue(page.contains("dns from tap to db.shop.test A <span class=\"stats\">4 samples, 3 failed (2 NXDOMAIN, 1 timeout);"
                + " median 2 ms</span>"), page);
    }

    @Test
    void theGraphPutsTheTapAboveTheRouterAboveItsHosts() {
        assertTrue(y("tap") < y("r1"), html);
        assertTrue(y("r1") < y("web"), html);
        assertEquals(y("web"), y("api"));
        assertEquals(y("r1"), y("client"));
        assertTrue(html.contains(">delay: 20ms, loss: 1%</text>"), html);
    }

    @Test
    void nothingIsFetchedFromElsewhere() {
        assertFalse(Pattern.compile("(?i)\\b(src|href|xlink:href)\\s*=").matcher(html).find(), "no src= or href= at all");
        assertFalse(html.contains("<script"), "no script");
        assertFalse(html.contains("<link"), "no linked style sheets");
        assertFalse(html.contains("@import") || html.contains("url("), "no style sheet fetches");
        // URLs appear only as the report's own words (a probe's target, an event's command), in text
        Matcher url = Pattern.compile("https?://").matcher(html);
        while (url.find()) {
            int open = html.lastIndexOf('<', url.start());
            int close = html.lastIndexOf('>', url.start());
            assertTrue(close > open, "a URL inside a tag: " + html.substring(Math.max(0, open), Math.min(html.length(), url.end() + 40)));
        }
    }

    @Test
    void markupInTheReportsWordsIsEscaped() {
        assertTrue(html.contains("&lt;b&gt;bold &amp; &#39;quoted&#39;&lt;/b&gt;"), html);
        assertFalse(html.contains("<b>bold"), html);
    }

    @Test
    void theSameReportGivesTheSameBytes() {
        assertEquals(html, ReportHtml.text(ReportFixture.sample()));
    }

    @Test
    void anEmptyReportIsStillAPage() {
        RunReport empty = new RunReport("empty", null, 1, null, null, true, 0, 0, List.of(), List.of(), List.of(), List.of(),
                List.of(), Map.of(), List.of());
        String page = ReportHtml.text(empty);
        assertTrue(page.contains("No expectations."), page);
        assertTrue(page.contains("No probes."), page);
        assertTrue(page.contains("<span class=\"verdict passed\">PASSED</span>"), page);
        assertEquals(count(page, "<svg"), count(page, "</svg>"));
    }

    @Test
    void windowsAreReadFromTheirText() {
        long s = ReportFixture.SECOND;
        assertEquals(List.of(10 * s, 20 * s), window("10s..20s"));
        assertEquals(List.of(10 * s, 20 * s), window("from 10s to 20s"));
        assertEquals(List.of(12 * s, 60 * s), window("12s..end"));
        assertEquals(List.of(12 * s, 60 * s), window("after 12s"));
        assertEquals(List.of(0L, 5 * s), window("until 5s"));
        assertEquals(List.of(55 * s, 60 * s), window("last 5s"));
        assertEquals(List.of(0L, 60 * s), window("whole run"));
        assertEquals(List.of(s / 2, 60 * s), window("500ms..1m30s"), "clipped to the run");
    }

    private static List<Long> window(String text) {
        long[] w = ExpectationWindows.window(text, 60 * ReportFixture.SECOND);
        return List.of(w[0], w[1]);
    }

    /** The y of a node's box in the topology graph. */
    private double y(String node) {
        Matcher m = Pattern.compile("<title>\\w+ " + node + "( [0-9./]+)?</title><rect x=\"[0-9.]+\" y=\"([0-9.]+)\"").matcher(html);
        assertTrue(m.find(), node);
        return Double.parseDouble(m.group(2));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
