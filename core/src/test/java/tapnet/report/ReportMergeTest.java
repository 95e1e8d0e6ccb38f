package tapnet.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.report.PartReports.EAST_START;
import static tapnet.report.PartReports.SECOND;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tapnet.script.RunReport;

class ReportMergeTest {
    private static final long LATE = 300 * 1_000_000L; // west started 300 ms after east, in nanoseconds

    @Test
    void theNodesEdgesAndLinksAreTheUnionWithOneTap() {
        RunReport merged = merge(PartReports.east(), PartReports.west(300));
        assertEquals(List.of("tap", "web", "db"), merged.nodes().stream().map(RunReport.Node::name).toList());
        assertEquals(List.of("web", "db"), merged.edges().stream().map(RunReport.Edge::child).toList());
        assertEquals(List.of(new RunReport.LinkCounters("tap-web", "down", Map.of("delivered", 8L, "drop.loss", 1L))), merged.links());
        assertEquals(List.of(new RunReport.HttpRouteName("web", 80, 1, "GET /")), merged.httpRoutes());
        assertEquals("lab", merged.topology());
        assertEquals(7, merged.seed());
        assertEquals(null, merged.part());
    }

    @Test
    void timesAreRebasedToTheEarliestStartSoThePartsShareOneTimeline() {
        // west first on the command line: the earliest start is still east's
        RunReport merged = merge(PartReports.west(300), PartReports.east());
        assertEquals(EAST_START, merged.startedAtEpochMillis());
        assertEquals(List.of(SECOND, 5 * SECOND, 5 * SECOND + LATE), merged.events().stream().map(RunReport.Event::atNanos).toList());
        RunReport.Probe db = probe(merged, "db-ping");
        assertEquals(2 * SECOND + LATE, db.samples().get(0).atNanos());
        assertEquals(SECOND, probe(merged, "web-ping").samples().get(1).atNanos());
        RunReport.Expectation westFrames = expectation(merged, "west: frames value >= 1");
        assertEquals(2 * SECOND + LATE, westFrames.fromNanos());
        assertEquals(8 * SECOND + LATE, westFrames.untilNanos());
        assertEquals(10 * SECOND + LATE, merged.durationNanos());
        assertEquals(10 * SECOND + LATE, merged.plannedDurationNanos());
    }

    @Test
    void expectationsAndEventsAreLabelledWithTheirPartAndProbesKeepTheirNamesUnlessTwoPartsShareOne() {
        RunReport merged = merge(PartReports.east(), PartReports.west(300));
        assertEquals(List.of("east: web-ping count >= 1", "east: frames value >= 1", "west: db-ping count >= 1", "west: frames value >= 1"),
                merged.expectations().stream().map(RunReport.Expectation::name).toList());
        assertEquals(List.of("web-ping", "east: frames", "db-ping", "west: frames"), merged.probes().stream().map(RunReport.Probe::name).toList());
        assertEquals("west: frames", expectation(merged, "west: frames value >= 1").probe());
        assertEquals("db-ping", expectation(merged, "west: db-ping count >= 1").probe());
        RunReport.Event mark = merged.events().get(0);
        assertEquals(null, mark.name());
        assertEquals("east: mark warm", mark.action());
        assertEquals("west: cut", merged.events().get(2).name());
        assertEquals("down db", merged.events().get(2).action());
    }

    @Test
    void countersAreSummedAndEachPartKeepsItsOwn() {
        RunReport merged = merge(PartReports.east(), PartReports.west(300));
        assertEquals(Map.of("frames.in", 30L, "drop.loss", 1L, "drop.link_down", 2L), merged.counters());
        assertEquals(List.of(
                        new RunReport.PartRun("east", EAST_START, 10 * SECOND, false, true, Map.of("frames.in", 10L, "drop.loss", 1L)),
                        new RunReport.PartRun("west", EAST_START + 300, 10 * SECOND, false, true, Map.of("frames.in", 20L, "drop.link_down", 2L))),
                merged.parts());
        assertEquals(300, merged.startSpreadMillis());
    }

    @Test
    void theMergePassesWhenEveryPartPassedAndIsInterruptedWhenAnyWas() {
        assertTrue(merge(PartReports.east(), PartReports.west(0)).passed());

        RunReport failed = merge(PartReports.east(), PartReports.west(0, false, false));
        assertFalse(failed.passed());
        assertFalse(failed.interrupted());
        assertEquals(List.of(true, false), failed.parts().stream().map(RunReport.PartRun::passed).toList());

        RunReport interrupted = merge(PartReports.east(), PartReports.west(0, true, true));
        assertTrue(interrupted.interrupted());
        assertFalse(interrupted.passed());
        assertEquals(10 * SECOND, interrupted.durationNanos()); // east ran whole, west 4 s
    }

    @Test
    void reportsThatAreNotTwoDifferentPartsOfOneRunAreRefusedSayingWhy() {
        RunReport east = PartReports.east();
        assertRefused("two parts or more, not 1", east);
        assertRefused("/west: part east again (/east is its report)", east, east);
        assertRefused("/west: not the report of a part but of a whole run", east, whole(PartReports.west(0)));
        assertRefused("/west: not the report of a part but of a merge already", east, merge(PartReports.east(), PartReports.west(0)));
        RunReport west = PartReports.west(0);
        assertRefused("/west: a part of topology shop, but /east is of lab", east, copy(west, "shop", 7));
        assertRefused("/west: seed 8, but /east's is 7; merge the parts of one run", east, copy(west, "lab", 8));
    }

    @Test
    void aPartsAndAMergesReportReadBackTheSame() throws Exception {
        RunReport east = PartReports.east();
        String json = ReportJson.text(east);
        assertTrue(json.contains("\"passed\": true,\n  \"part\": \"east\",\n"), json);
        assertEquals(east, ReportJson.parse(json));

        RunReport merged = merge(east, PartReports.west(300));
        String mergedJson = ReportJson.text(merged);
        assertTrue(mergedJson.contains("\"startSpreadMillis\": 300,"), mergedJson);
        assertTrue(mergedJson.contains("\"parts\": [\n    {\n      \"name\": \"east\",\n      \"startedAtEpochMillis\": 1700000000000,"), mergedJson);
        assertFalse(mergedJson.contains("\"part\":"), mergedJson);
        assertEquals(merged, ReportJson.parse(mergedJson));
        assertEquals(mergedJson, ReportJson.text(ReportJson.parse(mergedJson)));

        assertFalse(ReportJson.text(ReportFixture.sample()).contains("part"), "a whole run's report has neither key");
        String both = mergedJson.replace("\"startSpreadMillis\": 300,", "\"part\": \"east\",");
        assertEquals("report: both part and parts; expected one of them (a part's report, or a merge)",
                assertThrows(ReportFormatException.class, () -> ReportJson.parse(both)).getMessage());
    }

    @Test
    void thePageShowsThePartsTheirSpreadAndTheirCounters() {
        String html = ReportHtml.text(merge(PartReports.east(), PartReports.west(300)));
        assertTrue(html.contains("<dt>parts</dt><dd>east, west (started 0.300 s apart)</dd>"), html);
        assertTrue(html.contains("<section id=\"parts\">\n<h2>Parts</h2>\n<p>Merged from 2 parts' reports, which started 0.300 s apart;"), html);
        assertTrue(html.contains("<tr class=\"pass\"><td>west</td><td>2023-11-14T22:13:20.300Z</td><td class=\"num\">0.300</td>"), html);
        assertTrue(html.contains("<th>counter</th><th class=\"num\">east</th><th class=\"num\">west</th><th class=\"num\">total</th>"), html);
        assertTrue(html.contains("<tr><td>frames.in</td><td class=\"num\">10</td><td class=\"num\">20</td><td class=\"num\">30</td></tr>"), html);
        assertFalse(html.contains("class=\"warning\""), html);

        String late = ReportHtml.text(merge(PartReports.east(), PartReports.west(1500)));
        assertTrue(late.contains("<p class=\"warning\">Warning: the parts started 1.500 s apart, more than 1.000 s:"), late);
        assertTrue(ReportHtml.text(PartReports.east()).contains("<dt>part</dt><dd>east</dd>"));
    }

    @Test
    void junitKeepsTwoPartsSameNamedExpectationsApart() {
        String xml = JunitXml.text(merge(PartReports.east(), PartReports.west(300, false, false)));
        assertTrue(xml.contains("<testcase classname=\"tapnet.lab\" name=\"east: frames value &gt;= 1\" time=\"0\"/>"), xml);
        assertTrue(xml.contains("<testcase classname=\"tapnet.lab\" name=\"west: frames value &gt;= 1\" time=\"0\">\n    <failure"), xml);
        assertTrue(xml.contains("<property name=\"parts\" value=\"east, west\"/>"), xml);
        assertTrue(xml.contains("<property name=\"start.spread\" value=\"0.300\"/>"), xml);
    }

    @Test
    void writingCopiesEachPartsCapturesUnderItsNameAndRefusesToOverwriteAPart(@TempDir Path tmp) throws Exception {
        Path east = tmp.resolve("east");
        Path west = tmp.resolve("west");
        ReportDirectory.write(east, PartReports.east());
        ReportDirectory.write(west, PartReports.west(300));
        Files.write(east.resolve("capture-00001.pcapng"), new byte[] {1, 2});
        Files.write(west.resolve("capture-00001.pcapng"), new byte[] {3});
        List<ReportMerge.Input> inputs = List.of(new ReportMerge.Input(east, ReportJson.read(east.resolve("report.json"))),
                new ReportMerge.Input(west, ReportJson.read(west.resolve("report.json"))));
        Path out = tmp.resolve("merged");

        assertEquals(List.of(out.resolve("east-capture-00001.pcapng"), out.resolve("west-capture-00001.pcapng")), ReportMerge.write(out, inputs));
        assertArrayEquals(new byte[] {3}, Files.readAllBytes(out.resolve("west-capture-00001.pcapng")));
        assertEquals(ReportMerge.of(inputs), ReportJson.read(out.resolve("report.json")));
        assertTrue(Files.exists(out.resolve("report.html")) && Files.exists(out.resolve("junit.xml")));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportMerge.write(east, inputs));
        assertTrue(e.getMessage().startsWith(east + " is one of the parts' directories"), e.getMessage());
    }

    private static RunReport merge(RunReport... reports) {
        return ReportMerge.of(inputs(reports));
    }

    private static List<ReportMerge.Input> inputs(RunReport... reports) {
        return java.util.Arrays.stream(reports).map(r -> new ReportMerge.Input(Path.of("/" + (r.part() == null ? "west" : r.part())), r)).toList();
    }

    private static void assertRefused(String message, RunReport... reports) {
        List<ReportMerge.Input> inputs = reports.length == 2
                ? List.of(new ReportMerge.Input(Path.of("/east"), reports[0]), new ReportMerge.Input(Path.of("/west"), reports[1]))
                : inputs(reports);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportMerge.of(inputs));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private static RunReport whole(RunReport r) {
        return new RunReport(r.topology(), r.file(), r.seed(), r.tapnetVersion(), r.javaVersion(), r.simulated(), r.startedAtEpochMillis(),
                r.durationNanos(), r.interrupted(), r.plannedDurationNanos(), r.nodes(), r.edges(), r.events(), r.probes(),
                r.expectations(), r.counters(), r.links(), r.httpRoutes());
    }

    private static RunReport copy(RunReport r, String topology, long seed) {
        return new RunReport(topology, r.file(), seed, r.tapnetVersion(), r.javaVersion(), r.simulated(), r.startedAtEpochMillis(),
                r.durationNanos(), r.interrupted(), r.plannedDurationNanos(), r.nodes(), r.edges(), r.events(), r.probes(),
                r.expectations(), r.counters(), r.links(), r.httpRoutes(), r.part());
    }

    private static RunReport.Probe probe(RunReport r, String name) {
        return r.probes().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private static RunReport.Expectation expectation(RunReport r, String name) {
        return r.expectations().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }
}
