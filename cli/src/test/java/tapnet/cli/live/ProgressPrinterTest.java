package tapnet.cli.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tapnet.script.RunReport;

/** The summary a scripted run prints at its end: a line per expectation, then the verdict. */
class ProgressPrinterTest {
    private static final long S = 1_000_000_000L;

    private static final RunReport.Expectation HELD = new RunReport.Expectation("early", "during [0s, 10s]", "success == 100%",
            "success 100.0% of 20 samples", true, "web", 0, 10 * S);
    private static final RunReport.Expectation FAILED = new RunReport.Expectation("quick", "during [0s, 10s]", "p99 < 1ms",
            "p99 4ms of 20 samples", false, "web", 0, 10 * S);
    private static final RunReport.Expectation NOT_JUDGED = new RunReport.Expectation("whole", "at end", "success == 100%",
            "success 100.0% of 25 samples", false, "web", 0, 60 * S, "window [0s, 1m] not over: the run was interrupted at 12.3s");

    private static RunReport report(boolean interrupted, List<RunReport.Expectation> expectations) {
        return new RunReport("minute", "minute.yaml", 7, "0.1.0", "17", false, 0, interrupted ? 12_300_000_000L : 60 * S,
                interrupted, 60 * S, List.of(), List.of(), List.of(), List.of(), expectations, Map.of(), List.of());
    }

    private static String summary(RunReport report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressPrinter.summary(report, Path.of("out"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anInterruptedRunSaysWhenOfHowLongAndWhichExpectationsItCouldNotJudgeAndWhy() {
        assertEquals("""
                PASS  early: expected success == 100%, saw success 100.0% of 20 samples (during [0s, 10s])
                FAIL  quick: expected p99 < 1ms, saw p99 4ms of 20 samples (during [0s, 10s])
                NOT JUDGED  whole: expected success == 100%; window [0s, 1m] not over: the run was interrupted at 12.3s; \
                seen so far: success 100.0% of 25 samples
                INTERRUPTED at 12.3s of 1m: 1 of 3 expectations held, 1 failed, 1 not judged; seed 7; report in out
                """, summary(report(true, List.of(HELD, FAILED, NOT_JUDGED))));
    }

    @Test
    void anInterruptedRunWhoseExpectationsAllHeldIsStillInterrupted() {
        assertEquals("""
                PASS  early: expected success == 100%, saw success 100.0% of 20 samples (during [0s, 10s])
                INTERRUPTED at 12.3s of 1m: 1 of 1 expectations held, 0 failed, 0 not judged; seed 7; report in out
                """, summary(report(true, List.of(HELD))));
    }

    @Test
    void aWholeRunSaysPassedOrFailedAsBefore() {
        assertEquals("""
                PASS  early: expected success == 100%, saw success 100.0% of 20 samples (during [0s, 10s])
                passed: 1 of 1 expectations held; seed 7; report in out
                """, summary(report(false, List.of(HELD))));
        assertEquals("""
                PASS  early: expected success == 100%, saw success 100.0% of 20 samples (during [0s, 10s])
                FAIL  quick: expected p99 < 1ms, saw p99 4ms of 20 samples (during [0s, 10s])
                FAILED: 1 of 2 expectations held; seed 7; report in out
                """, summary(report(false, List.of(HELD, FAILED))));
    }
}
