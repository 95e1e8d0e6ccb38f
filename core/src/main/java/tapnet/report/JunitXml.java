package tapnet.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import tapnet.script.RunReport;

/**
 * {@code junit.xml}: the run as one JUnit test suite, one test case per expectation, so that CI systems
 * (Jenkins, GitLab, GitHub test reporters) show the expectations as tests. The events go to the suite's
 * {@code system-out}; seed and versions to its properties, to replay a failure. An expectation not judged (its
 * window not seen whole: the run was interrupted) is an {@code error}, not a {@code skipped}: CI systems show
 * errors red, and the run did not pass; the suite's {@code time} is how long the run ran.
 */
public final class JunitXml {
    private JunitXml() {
    }

    public static void write(Path file, RunReport report) throws IOException {
        Files.writeString(file, text(report), StandardCharsets.UTF_8);
    }

    public static String text(RunReport report) {
        long errors = report.notJudged();
        long failures = report.expectations().stream().filter(e -> !e.passed()).count() - errors;
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append("<testsuite name=\"").append(Xml.attribute("tapnet: " + report.topology()))
                .append("\" tests=\"").append(report.expectations().size())
                .append("\" failures=\"").append(failures)
                .append("\" errors=\"").append(errors).append("\" skipped=\"0\" time=\"").append(Decimals.seconds(report.durationNanos())).append("\">\n");
        out.append("  <properties>\n");
        property(out, "seed", Long.toString(report.seed()));
        property(out, "file", report.file());
        property(out, "tapnet.version", report.tapnetVersion());
        property(out, "java.version", report.javaVersion());
        property(out, "simulated", Boolean.toString(report.simulated()));
        property(out, "interrupted", Boolean.toString(report.interrupted()));
        property(out, "planned.duration", Decimals.seconds(report.plannedDurationNanos()));
        property(out, "part", report.part());
        if (!report.parts().isEmpty()) { // a merge: its expectations' names start with their part's
            property(out, "parts", String.join(", ", report.parts().stream().map(RunReport.PartRun::name).toList()));
            property(out, "start.spread", Decimals.seconds(report.startSpreadMillis() * 1_000_000L));
        }
        out.append("  </properties>\n");
        String classname = Xml.attribute("tapnet." + report.topology());
        for (RunReport.Expectation e : report.expectations()) {
            out.append("  <testcase classname=\"").append(classname).append("\" name=\"").append(Xml.attribute(e.name()))
                    .append("\" time=\"0\"");
            if (e.passed()) {
                out.append("/>\n");
            } else if (!e.judged()) {
                out.append(">\n    <error message=\"").append(Xml.attribute("not judged: " + e.notJudged()))
                        .append("\" type=\"not judged\">").append(Xml.content(e.name() + ": expected " + e.expected()
                                + " (" + e.window() + "), not judged: " + e.notJudgedText()))
                        .append("</error>\n  </testcase>\n");
            } else {
                String message = "expected " + e.expected() + ", saw " + e.seen() + " (" + e.window() + ")";
                out.append(">\n    <failure message=\"").append(Xml.attribute(message)).append("\" type=\"expectation\">")
                        .append(Xml.content(e.name() + ": " + message)).append("</failure>\n  </testcase>\n");
            }
        }
        out.append("  <system-out>").append(Xml.content(events(report))).append("</system-out>\n");
        return out.append("</testsuite>\n").toString();
    }

    private static void property(StringBuilder out, String name, String value) {
        if (value != null) {
            out.append("    <property name=\"").append(name).append("\" value=\"").append(Xml.attribute(value)).append("\"/>\n");
        }
    }

    /** One line per event: {@code 12.000s  restore  up web  ok}, then its detail when it has one. */
    private static String events(RunReport report) {
        StringBuilder out = new StringBuilder("seed ").append(report.seed()).append('\n');
        for (RunReport.Event e : report.events()) {
            out.append(Decimals.seconds(e.atNanos())).append("s  ");
            if (e.name() != null) {
                out.append(e.name()).append("  ");
            }
            out.append(e.action()).append("  ").append(e.ok() ? "ok" : "FAILED");
            if (e.detail() != null && !e.detail().isEmpty()) {
                out.append("  ").append(e.detail());
            }
            out.append('\n');
        }
        return out.toString();
    }
}
