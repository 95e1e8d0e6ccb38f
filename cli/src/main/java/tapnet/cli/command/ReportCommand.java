package tapnet.cli.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tapnet.report.ReportDirectory;
import tapnet.report.ReportFormatException;

/** {@code tapnet report DIR}: writes junit.xml and report.html of a run again from its report.json. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write DIR/junit.xml and DIR/report.html again from DIR/report.json (a scripted run's report).",
                "Exit 0 when written, 1 when report.json is missing or unreadable."})
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "A scripted run's report directory.")
    private Path dir;

    @Override
    public Integer call() {
        Path json = dir.resolve(ReportDirectory.JSON);
        try {
            if (!Files.isDirectory(dir)) {
                System.err.println("tapnet report: " + dir + ": no such directory");
                return 1;
            }
            ReportDirectory.render(dir);
        } catch (NoSuchFileException e) {
            System.err.println("tapnet report: " + json + ": no such file (is " + dir + " a run's report directory?)");
            return 1;
        } catch (ReportFormatException e) {
            System.err.println("tapnet report: " + json + ": not a tapnet report: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("tapnet report: " + dir + ": " + e);
            return 1;
        }
        System.out.println(dir.resolve(ReportDirectory.HTML));
        System.out.println(dir.resolve(ReportDirectory.JUNIT));
        return 0;
    }
}
