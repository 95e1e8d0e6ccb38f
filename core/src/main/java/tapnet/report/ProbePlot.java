package tapnet.report;

import java.util.List;
import tapnet.script.RunReport;

/**
 * One probe over the run as inline SVG: x is run time in seconds, y the value in the probe's unit.
 * Answered samples are dots joined by a line (broken where samples failed), failed ones red crosses on the
 * x axis; the windows of the probe's expectations are shaded (green held, red failed) and the events are
 * dashed vertical lines labelled above the plot.
 */
final class ProbePlot {
    static final int WIDTH = 960;
    static final int HEIGHT = 250;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 34;
    private static final int BOTTOM = 36;
    /** Past this many samples (4 px apart), dots (with their tooltips) are left out: they would merge into a band. */
    private static final int MAX_DOTS = 220;
    /** About how wide a character of a 10px label is, to keep labels from running into each other. */
    private static final double LABEL_CHAR_WIDTH = 5.6;

    private final RunReport report;
    private final RunReport.Probe probe;
    private final double seconds;
    private final double yMax;
    private final double yStep;

    private ProbePlot(RunReport report, RunReport.Probe probe) {
        this.report = report;
        this.probe = probe;
        double last = probe.samples().isEmpty() ? 0 : probe.samples().get(probe.samples().size() - 1).atNanos() / 1e9;
        this.seconds = Math.max(Math.max(report.durationNanos() / 1e9, last), 1e-3);
        double max = probe.samples().stream().filter(s -> s.ok() && Double.isFinite(s.value()))
                .mapToDouble(RunReport.Sample::value).max().orElse(0);
        double top = max > 0 ? max * 1.05 : 1; // nothing answered: an axis from 0 to 1, for the crosses
        this.yStep = Ticks.step(top, 5);
        this.yMax = Math.ceil(top / yStep) * yStep;
    }

    static String svg(RunReport report, RunReport.Probe probe) {
        return new ProbePlot(report, probe).svg();
    }

    private String svg() {
        StringBuilder out = new StringBuilder();
        out.append("<svg class=\"plot\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" role=\"img\">");
        out.append(Svg.title(probe.name() + " over the run"));
        shades(out);
        axes(out);
        events(out);
        samples(out);
        return out.append("</svg>").toString();
    }

    private void shades(StringBuilder out) {
        List<ExpectationWindows.Shade> shades = ExpectationWindows.of(report, probe.name());
        for (int i = 0; i < shades.size(); i++) {
            ExpectationWindows.Shade shade = shades.get(i);
            double x0 = x(shade.fromNanos());
            double x1 = x(shade.untilNanos());
            String kind = shade.expectation().passed() ? "held" : "failed";
            out.append("<g class=\"window ").append(kind).append("\">").append(Svg.title(shade.expectation().name()
                    + " (" + shade.expectation().window() + "): " + kind + ", saw " + shade.expectation().seen()));
            out.append("<rect x=\"").append(Svg.num(x0)).append("\" y=\"").append(TOP).append("\" width=\"")
                    .append(Svg.num(Math.max(x1 - x0, 1))).append("\" height=\"").append(HEIGHT - TOP - BOTTOM).append("\"/>");
            // A bar of its own per expectation, on its label's row: overlapping windows stay told apart.
            out.append("<rect class=\"window-bar\" x=\"").append(Svg.num(x0)).append("\" y=\"").append(TOP + 2 + 13 * i)
                    .append("\" width=\"").append(Svg.num(Math.max(x1 - x0, 1))).append("\" height=\"3\"/>");
            out.append(Svg.text(x0 + 4, TOP + 15 + 13 * i, "class=\"window-label\"", shade.expectation().expected()
                    + (shade.expectation().passed() ? "" : " (saw " + shade.expectation().seen() + ")")));
            out.append("</g>");
        }
    }

    private void axes(StringBuilder out) {
        int bottom = HEIGHT - BOTTOM;
        for (int i = 0; i * yStep <= yMax * (1 + 1e-9); i++) {
            double value = i * yStep;
            double y = y(value);
            out.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" y1=\"").append(Svg.num(y)).append("\" x2=\"")
                    .append(WIDTH - RIGHT).append("\" y2=\"").append(Svg.num(y)).append("\"/>");
            out.append(Svg.text(LEFT - 6, y + 4, "class=\"tick\" text-anchor=\"end\"", Decimals.format(value)));
        }
        double xStep = Ticks.step(seconds, 10);
        for (int i = 0; i * xStep <= seconds * (1 + 1e-9); i++) {
            double x = LEFT + i * xStep / seconds * (WIDTH - LEFT - RIGHT);
            out.append("<line class=\"tickmark\" x1=\"").append(Svg.num(x)).append("\" y1=\"").append(bottom).append("\" x2=\"")
                    .append(Svg.num(x)).append("\" y2=\"").append(bottom + 5).append("\"/>");
            out.append(Svg.text(x, bottom + 18, "class=\"tick\" text-anchor=\"middle\"", Decimals.format(i * xStep)));
        }
        out.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(bottom).append("\" x2=\"")
                .append(WIDTH - RIGHT).append("\" y2=\"").append(bottom).append("\"/>");
        out.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"")
                .append(LEFT).append("\" y2=\"").append(bottom).append("\"/>");
        out.append(Svg.text(WIDTH - RIGHT, HEIGHT - 4, "class=\"axis-label\" text-anchor=\"end\"", "run time (s)"));
        out.append(Svg.text(14, TOP + (bottom - TOP) / 2.0, "class=\"axis-label\" text-anchor=\"middle\" transform=\"rotate(-90 14 "
                + Svg.num(TOP + (bottom - TOP) / 2.0) + ")\"", probe.unit()));
    }

    /**
     * Each event's line, labelled in the first of two rows above the plot where the label does not run into
     * the one before; where neither has room (events close together) the line has only its tooltip.
     */
    private void events(StringBuilder out) {
        double[] rowEnds = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (RunReport.Event e : report.events()) {
            double x = x(e.atNanos());
            String label = e.name() != null ? e.name() : e.action();
            int row = x > rowEnds[0] ? 0 : x > rowEnds[1] ? 1 : -1;
            out.append("<g class=\"event").append(e.ok() ? "" : " failed").append("\">")
                    .append(Svg.title(Decimals.seconds(e.atNanos()) + " s: " + e.action() + (e.ok() ? "" : " (failed)")));
            out.append("<line x1=\"").append(Svg.num(x)).append("\" y1=\"").append(row == 0 ? TOP - 20 : row == 1 ? TOP - 8 : TOP)
                    .append("\" x2=\"").append(Svg.num(x)).append("\" y2=\"").append(HEIGHT - BOTTOM).append("\"/>");
            if (row >= 0) {
                out.append(Svg.text(x + 3, 10 + 12 * row, "class=\"event-label\"", label));
                rowEnds[row] = x + 3 + LABEL_CHAR_WIDTH * label.length() + 4;
            }
            out.append("</g>");
        }
    }

    private void samples(StringBuilder out) {
        StringBuilder line = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        boolean dots = probe.samples().size() <= MAX_DOTS;
        String separator = "";
        for (RunReport.Sample s : probe.samples()) {
            double x = x(s.atNanos());
            if (s.ok() && Double.isFinite(s.value())) {
                double y = y(s.value());
                line.append(separator).append(Svg.num(x)).append(',').append(Svg.num(y));
                separator = " ";
                if (dots) {
                    marks.append("<circle class=\"sample\" cx=\"").append(Svg.num(x)).append("\" cy=\"").append(Svg.num(y))
                            .append("\" r=\"2.2\">").append(Svg.title(Decimals.seconds(s.atNanos()) + " s: "
                                    + Decimals.format(s.value()) + " " + probe.unit())).append("</circle>");
                }
            } else {
                polyline(out, line);
                separator = "";
                double y = HEIGHT - BOTTOM;
                marks.append("<path class=\"failed-sample\" d=\"M").append(Svg.num(x - 4)).append(' ').append(Svg.num(y - 4))
                        .append("l8 8m0 -8l-8 8\">").append(Svg.title(Decimals.seconds(s.atNanos()) + " s: " + s.outcome()))
                        .append("</path>");
            }
        }
        polyline(out, line);
        out.append(marks);
    }

    /** Writes the answered samples since the last failure as one line, and starts a new one. */
    private static void polyline(StringBuilder out, StringBuilder points) {
        if (!points.isEmpty()) {
            out.append("<polyline class=\"line\" points=\"").append(points).append("\"/>");
            points.setLength(0);
        }
    }

    private double x(long nanos) {
        return LEFT + nanos / 1e9 / seconds * (WIDTH - LEFT - RIGHT);
    }

    private double y(double value) {
        return HEIGHT - BOTTOM - value / yMax * (HEIGHT - TOP - BOTTOM);
    }
}
