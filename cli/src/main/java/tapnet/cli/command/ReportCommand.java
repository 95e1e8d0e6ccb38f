package tapnet.cli.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tapnet.report.ReportDirectory;
import tapnet.report.ReportFormatException;
import tapnet.report.ReportJson;
import tapnet.report.ReportMerge;

/**
 * {@code tapnet report DIR}: writes junit.xml and report.html of a run again from its report.json.
 * {@code tapnet report --merge OUT DIR DIR...}: merges the report directories of a topology's parts into OUT.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        customSynopsis = {"tapnet report [-hV] DIR", "       tapnet report [-hV] --merge OUT DIR DIR..."},
        description = {"Write DIR/junit.xml and DIR/report.html again from DIR/report.json (a scripted run's report).",
                "With --merge, merge the report directories of a topology's parts (tapnet run FILE --part NAME) into OUT:"
                        + " its report.json, junit.xml and report.html, and each part's captures as OUT/PART-FILE.",
                "Exit 0 when written, 1 when a report.json is missing or unreadable, or the reports do not merge."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--merge", paramLabel = "OUT", description = "Merge the parts' report directories DIR... into OUT.")
    private Path merge;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "A scripted run's report directory (with --merge: a part's, two or more).")
    private List<Path> dirs;

    @Override
    public Integer call() {
        if (merge == null && dirs.size() > 1) {
            throw new ParameterException(spec.commandLine(), "one DIR, or --merge OUT with two DIRs or more: " + dirs.size() + " DIRs given");
        }
        if (merge != null && dirs.size() < 2) {
            throw new ParameterException(spec.commandLine(), "--merge takes the report directories of two parts or more");
        }
        return merge == null ? render(dirs.get(0)) : merge();
    }

    private static int render(Path dir) {
        try {
            if (!isDirectory(dir)) {
                return 1;
            }
            ReportDirectory.render(dir);
        } catch (IOException e) {
            return failed(dir, e);
        }
        System.out.println(dir.resolve(ReportDirectory.HTML));
        System.out.println(dir.resolve(ReportDirectory.JUNIT));
        return 0;
    }

    private int merge() {
        List<ReportMerge.Input> inputs = new ArrayList<>();
        for (Path dir : dirs) {
            try {
                if (!isDirectory(dir)) {
                    return 1;
                }
                inputs.add(new ReportMerge.Input(dir, ReportJson.read(dir.resolve(ReportDirectory.JSON))));
            } catch (IOException e) {
                return failed(dir, e);
            }
        }
        List<Path> captures;
        try {
            captures = ReportMerge.write(merge, inputs);
        } catch (IllegalArgumentException e) {
            System.err.println("tapnet report: cannot merge: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("tapnet report: " + merge + ": " + e);
            return 1;
        }
        System.out.println(merge.resolve(ReportDirectory.HTML));
        System.out.println(merge.resolve(ReportDirectory.JUNIT));
        System.out.println(merge.resolve(ReportDirectory.JSON));
        captures.forEach(System.out::println);
        return 0;
    }

    private static boolean isDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            System.err.println("tapnet report: " + dir + ": no such directory");
            return false;
        }
        return true;
    }

    /** Says what was wrong with {@code dir}'s report.json; returns 1. */
    private static int failed(Path dir, IOException e) {
        Path json = dir.resolve(ReportDirectory.JSON);
        if (e instanceof NoSuchFileException) {
            System.err.println("tapnet report: " + json + ": no such file (is " + dir + " a run's report directory?)");
        } else if (e instanceof ReportFormatException) {
            System.err.println("tapnet report: " + json + ": not a tapnet report: " + e.getMessage());
        } else {
            System.err.println("tapnet report: " + dir + ": " + e);
        }
        return 1;
    }
}
