package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.tap.NetworkNamespace;
import tapnet.tap.TestNamespace;

/**
 * {@code --report} mistakes are one line and exit 2, found before the run makes anything: a directory that
 * cannot be made or written, a file where a directory should be, and --report for a file without a script.
 */
@Timeout(120)
class ReportOptionIT {
    private static final String FLAPPING = TapnetProcess.topologies().resolve("flapping-db.yaml").toString();

    @Test
    void aReportDirectoryThatCannotBeMadeIsOneLineForASimulatedRun() throws Exception {
        TapnetProcess run = TapnetProcess.run("run", FLAPPING, "--simulate", "--report", "/proc/tapnet-report");
        assertEquals(2, run.exitCode(), run.output());
        assertEquals(List.of("tapnet: --report /proc/tapnet-report: cannot make the directory (/proc/tapnet-report: no such"
                + " file or directory); give --report a directory you can write"), run.stderr().lines().toList());
    }

    @Test
    void aReportDirectoryThatCannotBeMadeIsOneLineForALiveRunAndNothingIsMade() throws Exception {
        String name = TestNamespace.uniqueName();
        TapnetProcess run = TapnetProcess.run("run", FLAPPING, "--netns", name, "--report", "/proc/tapnet-report");
        assertEquals(2, run.exitCode(), run.output());
        assertEquals(List.of("tapnet: --report /proc/tapnet-report: cannot make the directory (/proc/tapnet-report: no such"
                + " file or directory); give --report a directory you can write"), run.stderr().lines().toList());
        assertEquals("", run.stdout(), "nothing started");
        assertFalse(NetworkNamespace.exists(name), "no namespace made for nothing");
    }

    @Test
    void aFileWhereTheReportDirectoryShouldBeIsOneLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("report"), "not a directory");
        TapnetProcess run = TapnetProcess.run("run", FLAPPING, "--simulate", "--report", file.toString());
        assertEquals(2, run.exitCode(), run.output());
        assertEquals(List.of("tapnet: --report " + file + ": is a file, not a directory; give --report a directory"),
                run.stderr().lines().toList());
    }

    @Test
    void reportForAFileWithoutAScriptIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        // in a namespace of its own: were --report ignored, the run would make its TAP there, never in the machine's
        String name = TestNamespace.uniqueName();
        TapnetProcess run = TapnetProcess.run("run", "--netns", name, "--report", dir.resolve("r").toString(), "--duration", "1s");
        assertEquals(2, run.exitCode(), run.output());
        assertEquals(List.of("tapnet: --report is for files with a script, and default.yaml has none; drop --report, or"
                + " give the file a script: (README, \"Scripted runs\")"), run.stderr().lines().toList());
        assertFalse(Files.exists(dir.resolve("r")));
        assertFalse(NetworkNamespace.exists(name));
    }

    @Test
    void aSimulatedRunStillWritesItsReportWhereAsked(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("deep").resolve("er");
        TapnetProcess run = TapnetProcess.run("run", FLAPPING, "--simulate", "--report", report.toString());
        assertEquals(0, run.exitCode(), run.output());
        assertEquals(true, Files.exists(report.resolve("report.json")), run.output());
    }
}
