package tapnet.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tapnet.script.RunReport;
import tapnet.script.ScriptRun;

/**
 * Shows how a scripted run is going: on a terminal, one line rewritten every second (elapsed of total,
 * samples and failures, events, the expectations judged so far); without one (CI), a plain log line every
 * ten seconds. The summary at
 * the end lists each expectation with PASS or FAIL.
 */
final class ProgressPrinter implements AutoCloseable {
    private final ScriptRun run;
    private final PrintStream out;
    private final boolean terminal;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tapnet-progress");
        t.setDaemon(true);
        return t;
    });

    ProgressPrinter(ScriptRun run, PrintStream out, boolean terminal) {
        this.run = run;
        this.out = out;
        this.terminal = terminal;
    }

    void start() {
        long period = terminal ? 1 : 10;
        thread.scheduleAtFixedRate(this::print, period, period, TimeUnit.SECONDS);
    }

    private void print() {
        ScriptRun.Progress p = run.progress();
        String line = String.format(Locale.ROOT, "%s of %s: %d samples, %d failed, %d events; expectations so far: %d held,"
                        + " %d failed, %d to judge", seconds(p.atNanos()), seconds(run.endNanos()), p.samples(), p.failed(),
                p.events(), p.held(), p.missed(), p.expectations() - p.held() - p.missed());
        if (terminal) {
            out.print("\r" + line + "   ");
        } else {
            out.println(line);
        }
        out.flush();
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.0fs", nanos / 1e9);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        if (terminal) {
            out.println();
        }
    }

    /** Every expectation, PASS or FAIL, with what was expected and seen; then the verdict. */
    static void summary(RunReport report, java.nio.file.Path reportDirectory, PrintStream out) {
        for (RunReport.Expectation e : report.expectations()) {
            out.println((e.passed() ? "PASS  " : "FAIL  ") + e.name() + ": expected " + e.expected() + ", saw " + e.seen()
                    + " (" + e.window() + ")");
        }
        long held = report.expectations().stream().filter(RunReport.Expectation::passed).count();
        out.println((report.passed() ? "passed" : "FAILED") + ": " + held + " of " + report.expectations().size()
                + " expectations held; seed " + report.seed() + "; report in " + reportDirectory);
        out.flush();
    }
}
