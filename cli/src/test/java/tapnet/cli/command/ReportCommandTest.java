package tapnet.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tapnet.report.ReportDirectory;
import tapnet.script.RunReport;

/** {@code tapnet report DIR}, run in-process. */
class ReportCommandTest {
    @Test
    void rewritesTheHtmlAndJunitFromTheJson(@TempDir Path dir) throws Exception {
        ReportDirectory.write(dir, report());
        String html = Files.readString(dir.resolve("report.html"));
        Files.delete(dir.resolve("report.html"));
        Files.delete(dir.resolve("junit.xml"));

        CommandOutput out = CommandOutput.of(() -> Main.execute("report", dir.toString()));
        assertEquals(0, out.code(), out.err());
        assertEquals(html, Files.readString(dir.resolve("report.html")));
        assertTrue(Files.readString(dir.resolve("junit.xml")).contains("<testcase classname=\"tapnet.small\" name=\"ping success &gt;= 99%\""));
        assertTrue(out.out().contains(dir.resolve("report.html").toString()), out.out());
    }

    @Test
    void aDirectoryWithoutReportJsonIsAFailureThatSaysSo(@TempDir Path dir) {
        CommandOutput out = CommandOutput.of(() -> Main.execute("report", dir.toString()));
        assertEquals(1, out.code());
        assertTrue(out.err().startsWith("tapnet report: " + dir.resolve("report.json") + ": no such file"), out.err());

        CommandOutput missing = CommandOutput.of(() -> Main.execute("report", dir.resolve("nothing").toString()));
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no such directory"), missing.err());
    }

    @Test
    void anUnreadableReportJsonIsAFailureThatSaysWhere(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("report.json"), "{\"format\": 1, \"topology\": \"x\"}");
        CommandOutput out = CommandOutput.of(() -> Main.execute("report", dir.toString()));
        assertEquals(1, out.code());
        assertTrue(out.err().contains("not a tapnet report: report.nodes: missing"), out.err());

        Files.writeString(dir.resolve("report.json"), "{ not json");
        assertEquals(1, CommandOutput.of(() -> Main.execute("report", dir.toString())).code());
    }

    @Test
    void noDirectoryOrTwoAreUsageErrors(@TempDir Path dir) {
        CommandOutput none = CommandOutput.of(() -> Main.execute("report"));
        assertEquals(2, none.code());
        assertTrue(none.err().contains("Usage: tapnet report"), none.err());
        assertEquals(2, CommandOutput.of(() -> Main.execute("report", dir.toString(), dir.toString())).code());
    }

    private static RunReport report() {
        return new RunReport("small", "small.yaml", 7, "0.1.0", "17", true, 0, 2_000_000_000L,
                List.of(new RunReport.Node("tap", "tap", "10.77.0.1/24"), new RunReport.Node("web", "host", "10.77.0.10")),
                List.of(new RunReport.Edge("tap", "web", "")),
                List.of(new RunReport.Event(1_000_000_000L, null, "mark half", true, "")),
                List.of(new RunReport.Probe("ping", "ping", "tap", "10.77.0.10", "ms",
                        List.of(new RunReport.Sample(0, true, 0.25, "ok"), new RunReport.Sample(1_000_000_000L, false, Double.NaN, "lost")))),
                List.of(new RunReport.Expectation("ping success >= 99%", "0s..end", "success >= 99%", "success 50%", false)),
                Map.of("frames.in", 4L), List.of());
    }
}
