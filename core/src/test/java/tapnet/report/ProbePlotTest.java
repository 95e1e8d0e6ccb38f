package tapnet.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tapnet.script.RunReport;
import tapnet.script.SimulatedRun;
import tapnet.topology.yaml.TopologyLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where a probe plot draws its expectations: a threshold on the plot's axis as a line at its value across its
 * window; a share or count of samples as a bar under the time axis; no two labels or bars on top of each
 * other; and the page's tables within the page.
 */
class ProbePlotTest {
    private static final long S = ReportFixture.SECOND;
    /** About how wide a character of a 10px label is: a little more than DejaVu Sans's average. */
    private static final double CHAR_WIDTH = 6.2;
    private static final Pattern LABEL = Pattern.compile(
            "<text x=\"([0-9.-]+)\" y=\"([0-9.-]+)\" class=\"(event-label|threshold-label[^\"]*|window-label|not-run-label)\""
                    + "( text-anchor=\"end\")?>([^<]*)</text>");
    private static final Pattern BAR = Pattern.compile(
            "<rect class=\"window-bar\" x=\"([0-9.-]+)\" y=\"([0-9.-]+)\" width=\"([0-9.-]+)\" height=\"([0-9.-]+)\"/>");

    /** A probe whose samples go from 0 to 195 ms over 40 s, and one expectation about it. */
    private static RunReport slowing(RunReport.Expectation expectation) {
        List<RunReport.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            samples.add(new RunReport.Sample(i * S, true, i * 5, "ok"));
        }
        return new RunReport("slowing", null, 1, null, null, true, 0, 40 * S, List.of(), List.of(), List.of(),
                List.of(new RunReport.Probe("web", "connect", "tap", "10.77.0.10:80", "ms", samples)), List.of(expectation),
                Map.of(), List.of());
    }

    private static String plot(RunReport report) {
        return ProbePlot.svg(report, report.probes().get(0));
    }

    @Test
    void aThresholdOnTheAxisIsALineAtItsValueAcrossItsWindowNotABarAtTheTop() {
        String svg = plot(slowing(new RunReport.Expectation("quick", "during [10s, 30s]", "p99 < 20ms",
                "p99 145ms of 20 samples", false, "web", 10 * S, 30 * S)));
        Matcher line = Pattern.compile("<g class=\"threshold failed\"><title>[^<]*</title><line x1=\"([0-9.]+)\" y1=\"([0-9.]+)\""
                + " x2=\"([0-9.]+)\" y2=\"([0-9.]+)\"/>").matcher(svg);
        assertTrue(line.find(), svg);
        Axis y = Axis.of(svg, "grid", "y1");
        assertTrue(y.highest() >= 195, "the samples' 195 ms on the axis: " + y.highest());
        assertEquals(y.at(20), Double.parseDouble(line.group(2)), 0.05, "at 20 ms, not near the top: " + line.group());
        assertEquals(line.group(2), line.group(4), "level");
        Axis x = Axis.of(svg, "tickmark", "x1");
        assertEquals(x.at(10), Double.parseDouble(line.group(1)), 0.05, "from the window's start");
        assertEquals(x.at(30), Double.parseDouble(line.group(3)), 0.05, "to its end");
        assertTrue(svg.contains(">p99 &lt; 20ms: saw p99 145ms of 20 samples</text>"), svg);
    }

    @Test
    void theAxisReachesUpToAThresholdAboveEverySample() {
        RunReport report = slowing(new RunReport.Expectation("quick", "at end", "p99 < 300ms", "p99 195ms of 40 samples", true,
                "web", 0, 40 * S));
        String svg = plot(report);
        Axis y = Axis.of(svg, "grid", "y1");
        assertTrue(y.highest() >= 300, "the axis goes to " + y.highest());
        Matcher line = Pattern.compile("<g class=\"threshold held\"><title>[^<]*</title><line x1=\"[0-9.]+\" y1=\"([0-9.]+)\"")
                .matcher(svg);
        assertTrue(line.find(), svg);
        assertEquals(y.at(300), Double.parseDouble(line.group(1)), 0.05);
    }

    @Test
    void aShareOfSamplesIsABarUnderTheTimeAxisNotALineOnIt() {
        String svg = plot(slowing(new RunReport.Expectation("answers", "during [10s, 30s]", "success >= 99%",
                "success 100.0% of 20 samples", true, "web", 10 * S, 30 * S)));
        assertFalse(svg.contains("class=\"threshold"), svg);
        Matcher bar = BAR.matcher(svg);
        assertTrue(bar.find(), svg);
        double xAxis = Axis.of(svg, "grid", "y1").at(0);
        assertTrue(Double.parseDouble(bar.group(2)) > xAxis + 20, "under the time axis and its ticks: " + bar.group());
        Axis x = Axis.of(svg, "tickmark", "x1");
        assertEquals(x.at(10), Double.parseDouble(bar.group(1)), 0.05);
        assertEquals(x.at(30) - x.at(10), Double.parseDouble(bar.group(3)), 0.1);
        assertTrue(svg.contains(">success &gt;= 99%</text>"), svg);
    }

    @Test
    void noTwoLabelsOrBarsOverlapInTheFlappingDbReport() throws Exception {
        RunReport report = SimulatedRun.run(TopologyLoader.load(Path.of("..", "topologies", "flapping-db.yaml")),
                "flapping-db.yaml", "test", null);
        for (RunReport.Probe probe : report.probes()) {
            String svg = ProbePlot.svg(report, probe);
            List<double[]> boxes = boxes(svg);
            assertTrue(boxes.size() > 10, probe.name() + ": " + boxes.size());
            Matcher view = Pattern.compile("viewBox=\"0 0 ([0-9]+) ([0-9]+)\"").matcher(svg);
            assertTrue(view.find());
            for (int i = 0; i < boxes.size(); i++) {
                double[] a = boxes.get(i);
                assertTrue(a[0] >= 0 && a[2] <= Double.parseDouble(view.group(1)) && a[1] >= 0
                        && a[3] <= Double.parseDouble(view.group(2)), probe.name() + ": outside the plot: " + describe(a));
                for (int j = i + 1; j < boxes.size(); j++) {
                    double[] b = boxes.get(j);
                    boolean overlap = a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
                    assertFalse(overlap, probe.name() + ": " + describe(a) + " overlaps " + describe(b));
                }
            }
        }
    }

    @Test
    void theLinksTableFitsThePageItsHeadersBreakAfterUnderscoresAndItScrollsRatherThanWidenThePage() {
        RunReport sample = ReportFixture.sample();
        List<RunReport.LinkCounters> links = new ArrayList<>();
        Map<String, Long> many = new TreeMap<>();
        for (String name : List.of("bytes_in", "corrupted", "delivered", "dropped_down", "dropped_loss", "dropped_queue_full",
                "dropped_too_big", "duplicated", "frames_in", "reordered")) {
            many.put(name, 259962L);
        }
        links.add(new RunReport.LinkCounters("db", "toward db", many));
        RunReport report = new RunReport(sample.topology(), sample.file(), sample.seed(), sample.tapnetVersion(),
                sample.javaVersion(), sample.simulated(), 0, sample.durationNanos(), sample.nodes(), sample.edges(), sample.events(),
                sample.probes(), sample.expectations(), sample.counters(), links);
        String html = ReportHtml.text(report);
        String section = html.substring(html.indexOf("<section id=\"links\">"), html.indexOf("<section id=\"topology\">"));
        assertTrue(section.contains("<div class=\"scroll\"><table>"), section);
        assertTrue(section.contains("<th class=\"num\">dropped_<wbr>queue_<wbr>full</th>"), section);
        assertTrue(ReportStyle.CSS.contains(".scroll { overflow-x: auto; }"), "a table wider than the page scrolls in its box");
        assertTrue(ReportStyle.CSS.contains("max-width: 1000px"), "the page's width");
    }

    /** Every label's box (about 6.2 px a character, 9 above the baseline and 3 below) and every bar's. */
    private static List<double[]> boxes(String svg) {
        List<double[]> boxes = new ArrayList<>();
        Matcher label = LABEL.matcher(svg);
        while (label.find()) {
            double x = Double.parseDouble(label.group(1));
            double y = Double.parseDouble(label.group(2));
            double w = CHAR_WIDTH * unescape(label.group(5)).length();
            double x0 = label.group(4) == null ? x : x - w;
            boxes.add(new double[] {x0, y - 9, x0 + w, y + 3, boxes.size(), 0});
        }
        Matcher bar = BAR.matcher(svg);
        while (bar.find()) {
            double x = Double.parseDouble(bar.group(1));
            double y = Double.parseDouble(bar.group(2));
            boxes.add(new double[] {x, y, x + Double.parseDouble(bar.group(3)), y + Double.parseDouble(bar.group(4)), boxes.size(), 1});
        }
        return boxes;
    }

    private static String describe(double[] box) {
        return (box[5] == 0 ? "label" : "bar") + String.format(java.util.Locale.ROOT, " [%.1f, %.1f - %.1f, %.1f]",
                box[0], box[1], box[2], box[3]);
    }

    private static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    }

    /** A plot's axis read from its ticks: {@code <line class="grid" ... y1="Y">} for values 0, step, 2 step, ... */
    private record Axis(List<Double> positions, double step) {
        static Axis of(String svg, String lineClass, String coordinate) {
            Matcher m = Pattern.compile("<line class=\"" + lineClass + "\"[^>]*? " + coordinate + "=\"([0-9.]+)\"[^>]*/>"
                    + "<text [^>]*class=\"tick\"[^>]*>([0-9.]+)</text>").matcher(svg);
            List<Double> positions = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            while (m.find()) {
                positions.add(Double.parseDouble(m.group(1)));
                values.add(Double.parseDouble(m.group(2)));
            }
            assertTrue(positions.size() >= 2, "ticks of " + lineClass + " in " + svg);
            assertEquals(0, values.get(0));
            return new Axis(positions, values.get(1));
        }

        double highest() {
            return step * (positions.size() - 1);
        }

        /** Where {@code value} is, from the first and last ticks. */
        double at(double value) {
            double first = positions.get(0);
            double last = positions.get(positions.size() - 1);
            return first + (last - first) * value / highest();
        }
    }
}
