package tapnet.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tapnet.report.ReportDirectory;
import tapnet.report.ReportJson;
import tapnet.script.RunReport;

/** {@code tapnet report --merge OUT DIR DIR...}, run in-process on two parts' report directories. */
class ReportMergeCommandTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long START = 1_700_000_000_000L;

    @Test
    void mergesTwoPartsIntoOneReportAndSaysWhatItWrote(@TempDir Path tmp) throws Exception {
        Path east = write(tmp, "east", 0, 7);
        Path west = write(tmp, "west", 400, 7);
        Files.write(west.resolve("capture-00001.pcapng"), new byte[] {0x0a});
        Path out = tmp.resolve("merged");

        CommandOutput merged = CommandOutput.of(() -> Main.execute("report", "--merge", out.toString(), east.toString(), west.toString()));
        assertEquals(0, merged.code(), merged.err());
        assertEquals(String.join(System.lineSeparator(), out.resolve("report.html").toString(), out.resolve("junit.xml").toString(),
                out.resolve("report.json").toString(), out.resolve("west-capture-00001.pcapng").toString()) + System.lineSeparator(), merged.out());

        RunReport report = ReportJson.read(out.resolve("report.json"));
        assertEquals(List.of("tap", "web-east", "web-west"), report.nodes().stream().map(RunReport.Node::name).toList());
        assertEquals(400, report.startSpreadMillis());
        assertEquals(5 * SECOND + 400_000_000L, report.events().get(1).atNanos());
        assertEquals(Map.of("frames.in", 10L), report.counters());
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<dt>parts</dt><dd>east, west (started 0.400 s apart)</dd>"), html);
        assertTrue(html.contains("<h2>Parts</h2>"), html);
        assertFalse(html.contains("class=\"warning\""), html);
        String junit = Files.readString(out.resolve("junit.xml"));
        assertTrue(junit.contains("name=\"east: web answers\"") && junit.contains("name=\"west: web answers\""), junit);

        // the merged directory is a report directory like any other: tapnet report OUT writes its page again
        Files.delete(out.resolve("report.html"));
        assertEquals(0, CommandOutput.of(() -> Main.execute("report", out.toString())).code());
        assertEquals(html, Files.readString(out.resolve("report.html")));
    }

    @Test
    void partsThatStartedOverASecondApartAreMergedWithAWarningOnThePage(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("merged");
        Path east = write(tmp, "east", 0, 7);
        Path west = write(tmp, "west", 2500, 7);
        CommandOutput merged = CommandOutput.of(() -> Main.execute("report", "--merge", out.toString(), east.toString(), west.toString()));
        assertEquals(0, merged.code(), merged.err());
        assertTrue(Files.readString(out.resolve("report.html")).contains("<p class=\"warning\">Warning: the parts started 2.500 s apart"));
    }

    @Test
    void reportsThatDoNotMergeAreAFailureThatSaysWhy(@TempDir Path tmp) throws Exception {
        Path east = write(tmp, "east", 0, 7);
        Path out = tmp.resolve("merged");
        Path otherSeed = write(tmp.resolve("other"), "west", 0, 8);
        CommandOutput seeds = CommandOutput.of(() -> Main.execute("report", "--merge", out.toString(), east.toString(), otherSeed.toString()));
        assertEquals(1, seeds.code());
        assertTrue(seeds.err().startsWith("tapnet report: cannot merge: " + otherSeed + ": seed 8, but " + east + "'s is 7"), seeds.err());
        assertFalse(Files.exists(out.resolve("report.json")));

        CommandOutput twice = CommandOutput.of(() -> Main.execute("report", "--merge", out.toString(), east.toString(), east.toString()));
        assertEquals(1, twice.code());
        assertTrue(twice.err().contains(": part east again"), twice.err());

        Path whole = tmp.resolve("whole");
        ReportDirectory.write(whole, part(null, 0, 7));
        CommandOutput notAPart = CommandOutput.of(() -> Main.execute("report", "--merge", out.toString(), east.toString(), whole.toString()));
        assertEquals(1, notAPart.code());
        assertTrue(notAPart.err().contains(whole + ": not the report of a part but of a whole run"), notAPart.err());

        CommandOutput missing = CommandOutput.of(() -> Main.execute("report", "--merge", out.toString(), east.toString(), tmp.resolve("none").toString()));
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains(tmp.resolve("none") + ": no such directory"), missing.err());

        Path empty = Files.createDirectory(tmp.resolve("empty"));
        CommandOutput noJson = CommandOutput.of(() -> Main.execute("report", "--merge", out.toString(), east.toString(), empty.toString()));
        assertEquals(1, noJson.code());
        assertTrue(noJson.err().contains(empty.resolve("report.json") + ": no such file"), noJson.err());

        Path west = write(tmp, "west", 0, 7);
        CommandOutput intoAPart = CommandOutput.of(() -> Main.execute("report", "--merge", east.toString(), east.toString(), west.toString()));
        assertEquals(1, intoAPart.code());
        assertTrue(intoAPart.err().contains("is one of the parts' directories"), intoAPart.err());
    }

    @Test
    void fewerThanTwoDirectoriesToMergeIsAUsageError(@TempDir Path tmp) throws Exception {
        Path east = write(tmp, "east", 0, 7);
        CommandOutput one = CommandOutput.of(() -> Main.execute("report", "--merge", tmp.resolve("merged").toString(), east.toString()));
        assertEquals(2, one.code());
        assertTrue(one.err().contains("--merge takes the report directories of two parts or more"), one.err());
        assertTrue(one.err().contains("Usage: tapnet report"), one.err());
        assertEquals(2, CommandOutput.of(() -> Main.execute("report", "--merge", tmp.resolve("merged").toString())).code());
    }

    /** {@code tmp/PART}: the report directory of part PART (null: a whole run), started {@code late} ms after the first. */
    private static Path write(Path tmp, String part, long late, long seed) throws Exception {
        Path dir = tmp.resolve(part);
        ReportDirectory.write(dir, part(part, late, seed));
        return dir;
    }

    private static RunReport part(String part, long late, long seed) {
        String host = "web-" + part;
        return new RunReport("lab", "lab.yaml", seed, "0.1.0", "17", false, START + late, 10 * SECOND, false, 10 * SECOND,
                List.of(new RunReport.Node("tap", "tap", "10.77.0.1/24"), new RunReport.Node(host, "host", "10.77.0.10")),
                List.of(new RunReport.Edge("tap", host, "")),
                List.of(new RunReport.Event(5 * SECOND, "cut", "down " + host, true, "")),
                List.of(new RunReport.Probe(host, "http", "tap", "http://10.77.0.10/", "ms", List.of(new RunReport.Sample(SECOND, true, 1, "ok")))),
                List.of(new RunReport.Expectation("web answers", "whole run", "success >= 99%", "success 100%", true)),
                Map.of("frames.in", 5L), List.of(), List.of(), part);
    }
}
