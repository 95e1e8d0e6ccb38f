package tapnet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tapnet.script.RunReport;

class ReportJsonTest {
    @Test
    void writtenThenReadIsTheSameReport(@TempDir Path dir) throws Exception {
        RunReport report = ReportFixture.sample();
        Path file = dir.resolve("report.json");
        ReportJson.write(file, report);
        assertEquals(report, ReportJson.read(file));
    }

    @Test
    void theSameReportGivesTheSameBytesWhateverTheLocale() throws Exception {
        String once = ReportJson.text(ReportFixture.sample());
        Locale locale = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY); // a decimal comma would show here
            assertEquals(once, ReportJson.text(ReportFixture.sample()));
        } finally {
            Locale.setDefault(locale);
        }
        assertEquals(once, ReportJson.text(ReportJson.parse(once)));
    }

    @Test
    void keysComeInAFixedOrderAndSamplesOnOneLineEach() {
        String json = ReportJson.text(ReportFixture.sample());
        assertTrue(json.startsWith("{\n  \"format\": 1,\n  \"topology\": \"lab\",\n  \"file\": \"topologies/lab.yaml\",\n  \"seed\": 42,"), json);
        assertTrue(json.contains("\n        {\"atNanos\": 500000000, \"ok\": true, \"value\": 21.5, \"outcome\": \"ok\"},\n"), json);
        assertTrue(json.contains("\"counters\": {\n    \"drop.link_down\": 8,\n    \"frames.in\": 1234,"), json);
        assertTrue(json.endsWith("}\n"));
    }

    @Test
    void aFailedSampleHasNullForItsValueAndReadsBackAsNaN() throws Exception {
        String json = ReportJson.text(ReportFixture.sample());
        assertTrue(json.contains("{\"atNanos\": 8000000000, \"ok\": false, \"value\": null, \"outcome\": \"lost\"}"), json);
        RunReport.Sample lost = ReportJson.parse(json).probes().get(0).samples().get(16);
        assertTrue(Double.isNaN(lost.value()));
    }

    @Test
    void numbersHaveAtMostThreeDecimals() {
        assertEquals("20.125", Decimals.format(20.125));
        assertEquals("0.333", Decimals.format(1.0 / 3));
        assertEquals("3", Decimals.format(3.0));
        assertEquals("0", Decimals.format(-0.0));
        assertEquals("1500000", Decimals.format(1.5e6));
        assertEquals(null, Decimals.format(Double.NaN));
        assertEquals("12.500", Decimals.seconds(12_500_000_000L));
    }

    @Test
    void awkwardStringsSurviveTheRoundTrip() throws Exception {
        String awkward = "quote \" backslash \\ tab \t newline \n bell \u0007 del \u007f nel \u0085 é 漢 😀 # : - { } [ ] , & * ! | > ' % @ `";
        RunReport report = new RunReport(awkward, null, -1, null, null, false, 1_700_000_000_000L, 0,
                List.of(new RunReport.Node(awkward, "host", null)), List.of(), List.of(), List.of(),
                List.of(new RunReport.Expectation("null", "true", "1", "~", true)), Map.of("", 0L, awkward, Long.MAX_VALUE), List.of());
        assertEquals(report, ReportJson.parse(ReportJson.text(report)));
    }

    @Test
    void aMissingKeySaysWhere() {
        String json = ReportJson.text(ReportFixture.sample()).replace("\"ok\": true, \"value\": 21.5", "\"value\": 21.5");
        ReportFormatException e = assertThrows(ReportFormatException.class, () -> ReportJson.parse(json));
        assertEquals("report.probes[0].samples[1].ok: missing", e.getMessage());
    }

    @Test
    void somethingThatIsNotJsonIsAFormatError() {
        assertThrows(ReportFormatException.class, () -> ReportJson.parse("{\"topology\": "));
        assertThrows(ReportFormatException.class, () -> ReportJson.parse("[1, 2]"));
    }
}
