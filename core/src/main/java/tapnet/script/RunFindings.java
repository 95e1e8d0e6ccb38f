package tapnet.script;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import tapnet.topology.ExpectationSpec;
import tapnet.topology.ProbeSpec;
import tapnet.topology.Script;

/**
 * What a run has found, as the report and the progress line show it: copies of the {@link RunRecord} in
 * the report's order, and the expectations judged. Each is read under the record's lock, so that it
 * describes one moment of the run even while samples and commands finish on other threads.
 */
final class RunFindings {
    private final Script script;
    private final RunRecord record;
    private final ExpectationsJudge judge;

    RunFindings(Script script, RunRecord record, long endNanos) {
        this.script = script;
        this.record = record;
        this.judge = new ExpectationsJudge(script, record, endNanos);
    }

    /** How far the run has come now, on {@code timeline}: see {@link ScriptRun.Progress}. */
    ScriptRun.Progress progress(Timeline timeline) {
        synchronized (record) {
            long now = timeline.now();
            int all = 0;
            int failed = 0;
            String lastFailure = null;
            long lastFailedAt = -1;
            for (ProbeSpec p : script.probes()) {
                List<RunReport.Sample> samples = record.samples(p.name());
                all += samples.size();
                for (RunReport.Sample x : samples) {
                    if (!x.ok()) {
                        failed++;
                        if (x.atNanos() > lastFailedAt) {
                            lastFailedAt = x.atNanos();
                            lastFailure = p.name() + " " + x.outcome() + " at " + ExpectationCheck.seconds(x.atNanos());
                        }
                    }
                }
            }
            int held = 0;
            int missed = 0;
            for (ExpectationSpec e : script.expectations()) {
                RunReport.Expectation judged = judge.judgedBy(e, now);
                if (judged != null) {
                    held += judged.passed() ? 1 : 0;
                    missed += judged.passed() ? 0 : 1;
                }
            }
            return new ScriptRun.Progress(now, all, failed, record.events().size(), held, missed, script.expectations().size(),
                    lastFailure);
        }
    }

    /** Every probe's samples, in time order, by probe, in the script's order of probes. */
    List<RunReport.Probe> probes() {
        synchronized (record) {
            List<RunReport.Probe> out = new ArrayList<>();
            for (ProbeSpec p : script.probes()) {
                List<RunReport.Sample> sorted = new ArrayList<>(record.samples(p.name()));
                sorted.sort(Comparator.comparingLong(RunReport.Sample::atNanos));
                String target = p.dns() == null ? p.target() : p.target() + " " + p.dns().type(); // db.shop.test AAAA
                out.add(new RunReport.Probe(p.name(), p.kind().name().toLowerCase(Locale.ROOT), p.from(), target,
                        p.kind().unit(), sorted));
            }
            return out;
        }
    }

    /** The events that happened, in time order. */
    List<RunReport.Event> events() {
        synchronized (record) {
            List<RunReport.Event> sorted = new ArrayList<>(record.events());
            sorted.sort(Comparator.comparingLong(RunReport.Event::atNanos));
            return sorted;
        }
    }

    /** Every expectation, then the commands' expected exits, judged or not: see {@link ExpectationsJudge}. */
    List<RunReport.Expectation> expectations() {
        synchronized (record) {
            return judge.expectations();
        }
    }
}
