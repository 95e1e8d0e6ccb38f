package tapnet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import tapnet.script.RunReport;

/**
 * The report of a run interrupted 12.3 s into a minute, in each of its files: how long it ran and that it
 * was interrupted, and its expectations not judged, with why; and reports written before these keys existed
 * still read.
 */
class InterruptedReportTest {
    private static final long S = ReportFixture.SECOND;

    static RunReport interrupted() {
        List<RunReport.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            samples.add(new RunReport.Sample(i * S / 2, true, 4 + (i % 3), "ok"));
        }
        return new RunReport("minute", "minute.yaml", 1, "0.1.0-SNAPSHOT", "17.0.12", false, 1_700_000_000_000L,
                12_300_000_000L, true, 60 * S,
                List.of(new RunReport.Node("tap", "tap", "10.77.0.1/24"), new RunReport.Node("web", "host", "10.77.0.10")),
                List.of(new RunReport.Edge("tap", "web", "")),
                List.of(new RunReport.Event(5 * S, null, "mark \"five\"", true, "")),
                List.of(new RunReport.Probe("web", "connect", "tap", "10.77.0.10:80", "ms", samples)),
                List.of(new RunReport.Expectation("early", "during [0s, 10s]", "success == 100%", "success 100.0% of 20 samples",
                                true, "web", 0, 10 * S),
                        new RunReport.Expectation("late", "during [20s, 1m]", "p99 < 20ms", null, false, "web",
                                20 * S, 60 * S, "window [20s, 1m] not reached: the run was interrupted at 12.3s"),
                        new RunReport.Expectation("whole", "at end", "success == 100%", "success 100.0% of 25 samples", false, "web",
                                0, 60 * S, "window [0s, 1m] not over: the run was interrupted at 12.3s")),
                Map.of("tcp_connections_opened", 25L), List.of());
    }

    @Test
    void reportJsonSaysHowLongItRanOfHowLongAndThatItWasInterruptedAndReadsBackTheSame() throws Exception {
        String json = ReportJson.text(interrupted());
        assertTrue(json.contains("  \"durationNanos\": 12300000000,\n  \"plannedDurationNanos\": 60000000000,\n"
                + "  \"interrupted\": true,\n  \"passed\": false,\n"), json);
        assertTrue(json.contains("\"passed\": false, \"notJudged\": \"window [20s, 1m] not reached: the run was interrupted at 12.3s\""),
                json);
        assertTrue(json.contains("\"passed\": true, \"notJudged\": null, \"probe\": \"web\""), json);
        assertEquals(interrupted(), ReportJson.parse(json));
        assertEquals(json, ReportJson.text(ReportJson.parse(json)), "the same bytes again");
    }

    /** report.json as tapnet wrote it before runs could be interrupted: no interrupted, plannedDurationNanos or notJudged. */
    @Test
    void aReportWrittenBeforeTheseKeysReadsAsARunThatWentToItsEndWithEveryExpectationJudged(@TempDir Path dir) throws Exception {
        String old = ReportJson.text(ReportFixture.sample())
                .replace("  \"plannedDurationNanos\": 20000000000,\n", "")
                .replace("  \"interrupted\": false,\n", "")
                .replace(", \"notJudged\": null", "");
        assertFalse(old.contains("interrupted") || old.contains("plannedDurationNanos") || old.contains("notJudged"), old);
        RunReport read = ReportJson.parse(old);
        assertEquals(ReportFixture.sample(), read);
        assertFalse(read.interrupted());
        assertEquals(read.durationNanos(), read.plannedDurationNanos());

        Files.writeString(dir.resolve(ReportDirectory.JSON), old);
        ReportDirectory.render(dir); // tapnet report DIR
        assertTrue(Files.readString(dir.resolve(ReportDirectory.HTML)).contains("<span class=\"verdict failed\">FAILED</span>"));
    }

    @Test
    void anExpectationBothPassedAndNotJudgedIsNotAReport() {
        String json = ReportJson.text(interrupted()).replace("\"passed\": false, \"notJudged\": \"window [20s",
                "\"passed\": true, \"notJudged\": \"window [20s");
        ReportFormatException e = assertThrows(ReportFormatException.class, () -> ReportJson.parse(json));
        assertTrue(e.getMessage().startsWith("report.expectations[1]: passed, and not judged"), e.getMessage());
    }

    @Test
    void junitShowsExpectationsNotJudgedAsErrorsAndTheTimeTheRunRan() throws Exception {
        Element suite = JunitXmlTest.parse(JunitXml.text(interrupted())).getDocumentElement();
        assertEquals("3", suite.getAttribute("tests"));
        assertEquals("0", suite.getAttribute("failures"));
        assertEquals("2", suite.getAttribute("errors"));
        assertEquals("12.300", suite.getAttribute("time"));
        Element error = (Element) suite.getElementsByTagName("error").item(0);
        assertEquals("not judged: window [20s, 1m] not reached: the run was interrupted at 12.3s", error.getAttribute("message"));
        assertEquals("not judged", error.getAttribute("type"));
        String properties = JunitXml.text(interrupted());
        assertTrue(properties.contains("<property name=\"interrupted\" value=\"true\"/>"), properties);
        assertTrue(properties.contains("<property name=\"planned.duration\" value=\"60.000\"/>"), properties);
    }

    @Test
    void thePageSaysInterruptedShowsExpectationsNotJudgedAndGreysWhatWasNotRun() throws Exception {
        RunReport report = interrupted();
        String html = ReportHtml.text(report);
        assertTrue(html.contains("<span class=\"verdict interrupted\">INTERRUPTED</span>"), html);
        assertTrue(html.contains("<title>tapnet: minute INTERRUPTED</title>"), html);
        assertTrue(html.contains("<dt>duration</dt><dd>12.300 s of 60 s planned: interrupted</dd>"), html);
        assertTrue(html.contains("<dt>expectations</dt><dd>1 of 3 held, 2 not judged</dd>"), html);
        assertTrue(html.contains("<tr class=\"unjudged\"><td>NOT JUDGED</td><td>whole</td><td>at end</td><td>success == 100%</td>"
                + "<td>not judged: window [0s, 1m] not over: the run was interrupted at 12.3s; seen so far: success 100.0% of 25 samples"
                + "</td></tr>"), html);
        assertEquals(2, count(html, "<g class=\"window unjudged\">"));

        // The time axis goes on to the planned minute, the part not run greyed from 12.3 s.
        Matcher notRun = Pattern.compile("<g class=\"not-run\"><title>[^<]*</title><rect x=\"([0-9.]+)\" y=\"[0-9.]+\" width=\"([0-9.]+)\"")
                .matcher(html);
        assertTrue(notRun.find(), html);
        double x0 = Double.parseDouble(notRun.group(1));
        double x1 = x0 + Double.parseDouble(notRun.group(2));
        assertEquals(60 + 12.3 / 60 * 880, x0, 0.1);
        assertEquals(940, x1, 0.1, "to the planned end");
        assertTrue(html.contains(">interrupted at 12.3 s</text>"), html);

        ReportDirectory.write(Path.of("target", "report-sample-interrupted"), report); // for bench/report-screenshot.sh
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
