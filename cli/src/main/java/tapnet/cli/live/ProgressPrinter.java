package tapnet.cli.live;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tapnet.script.RunReport;
import tapnet.script.ScriptRun;
import tapnet.topology.yaml.Units;

/**
 * Shows how a scripted run is going: on a terminal, one line rewritten every second (elapsed of total,
 * samples and failures, events, the expectations judged so far, the latest failed sample's outcome); without one (CI), a plain log line every
 * ten seconds. The summary at
 * the end lists each expectation with PASS, FAIL or NOT JUDGED.
 */
public final class ProgressPrinter implements AutoCloseable {
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
                p.events(), p.held(), p.missed(), p.expectations() - p.held() - p.missed())
                + (p.lastFailure() == null ? "" : "; last failure: " + p.lastFailure());
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

    /**
     * Every expectation, PASS, FAIL or NOT JUDGED (its window not seen whole, and why), with what was expected
     * and seen; then the verdict: {@code passed}, {@code FAILED}, or {@code INTERRUPTED at 12.3s of 1m}.
     */
    public static void summary(RunReport report, java.nio.file.Path reportDirectory, PrintStream out) {
        for (RunReport.Expectation e : report.expectations()) {
            if (e.judged()) {
                out.println((e.passed() ? "PASS  " : "FAIL  ") + e.name() + ": expected " + e.expected() + ", saw " + e.seen()
                        + " (" + e.window() + ")");
            } else {
                out.println("NOT JUDGED  " + e.name() + ": expected " + e.expected() + "; " + e.notJudgedText());
            }
        }
        long held = report.expectations().stream().filter(RunReport.Expectation::passed).count();
        long notJudged = report.notJudged();
        long failed = report.expectations().size() - held - notJudged;
        String verdict = report.interrupted() ? "INTERRUPTED at " + seconds1(report.durationNanos()) + " of "
                + Units.format(java.time.Duration.ofNanos(report.plannedDurationNanos())) : report.passed() ? "passed" : "FAILED";
        String counts = notJudged == 0 && !report.interrupted()
                ? held + " of " + report.expectations().size() + " expectations held"
                : held + " of " + report.expectations().size() + " expectations held, " + failed + " failed, " + notJudged + " not judged";
        out.println(verdict + ": " + counts + "; seed " + report.seed() + "; report in " + reportDirectory);
        out.flush();
    }

    /** Run time to a tenth of a second: {@code 12.3s}. */
    static String seconds1(long nanos) {
        return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }
}
