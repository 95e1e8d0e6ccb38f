package tapnet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tapnet.script.RunReport;

class ReportDirectoryTest {
    @Test
    void writesTheThreeFilesAndRendersTheSameBytesFromTheJsonAlone(@TempDir Path dir) throws Exception {
        RunReport report = ReportFixture.sample();
        ReportDirectory.write(dir.resolve("run"), report);
        Path run = dir.resolve("run");
        String junit = Files.readString(run.resolve(ReportDirectory.JUNIT));
        String html = Files.readString(run.resolve(ReportDirectory.HTML));
        Files.delete(run.resolve(ReportDirectory.JUNIT));
        Files.writeString(run.resolve(ReportDirectory.HTML), "stale");

        assertEquals(report, ReportDirectory.render(run));
        assertEquals(junit, Files.readString(run.resolve(ReportDirectory.JUNIT)));
        assertEquals(html, Files.readString(run.resolve(ReportDirectory.HTML)));
    }

    @Test
    void renderingWithoutAReportJsonFails(@TempDir Path dir) {
        assertThrows(NoSuchFileException.class, () -> ReportDirectory.render(dir));
    }

    /**
     * Writes the fixtures' reports to core/target/report-sample and report-sample-busy, for a look in a browser and for
     * bench/report-screenshot.sh.
     */
    @Test
    void writesTheSampleReport() throws Exception {
        ReportDirectory.write(Path.of("target", "report-sample"), ReportFixture.sample());
        ReportDirectory.write(Path.of("target", "report-sample-busy"), ReportFixture.busy());
    }
}
