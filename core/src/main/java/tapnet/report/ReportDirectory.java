package tapnet.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tapnet.script.RunReport;

/**
 * A run's report directory: {@code report.json} (everything the run found), and {@code junit.xml} and
 * {@code report.html}, which are made from it and can be made again from it alone ({@code tapnet report DIR}).
 */
public final class ReportDirectory {
    public static final String JSON = "report.json";
    public static final String JUNIT = "junit.xml";
    public static final String HTML = "report.html";

    private ReportDirectory() {
    }

    /** Writes all three files into {@code dir}, made if missing. */
    public static void write(Path dir, RunReport report) throws IOException {
        Files.createDirectories(dir);
        ReportJson.write(dir.resolve(JSON), report);
        renderFrom(dir, report);
    }

    /** Reads {@code dir/report.json} and writes junit.xml and report.html again; returns what it read. */
    public static RunReport render(Path dir) throws IOException {
        RunReport report = ReportJson.read(dir.resolve(JSON));
        renderFrom(dir, report);
        return report;
    }

    private static void renderFrom(Path dir, RunReport report) throws IOException {
        JunitXml.write(dir.resolve(JUNIT), report);
        ReportHtml.write(dir.resolve(HTML), report);
    }
}
