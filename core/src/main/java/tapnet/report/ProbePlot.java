package tapnet.report;

import java.util.ArrayList;
import java.util.List;
import tapnet.script.RunReport;

/**
 * One probe over the run as inline SVG: x is run time in seconds, y the value in the probe's unit.
 * Answered samples are dots joined by a line (broken where samples failed), failed ones red crosses on the
 * x axis; events are dashed vertical lines labelled above the plot. Each expectation about the probe shades
 * its window (green held, red failed, grey not judged) and shows its threshold:
 * <ul>
 * <li>a statistic of the samples' values ({@code p99 < 50ms}, {@code median > 5mbit}, {@code max == 0}) is on
 *     the y axis: a line at the threshold across the window, labelled beside it. The axis reaches up to every
 *     such threshold, so each line is where its value is;</li>
 * <li>a share or a number of samples ({@code success >= 99%}, {@code count}, {@code failures}) has no place
 *     on that axis: it is a bar across its window in a lane under the time axis, labelled above the bar, in as
 *     many lanes as it takes for no two bars or labels to overlap. So is a line whose label finds no room
 *     beside it.</li>
 * </ul>
 * An interrupted run's time axis goes on to its planned end, the part it did not run greyed.
 */
final class ProbePlot {
    static final int WIDTH = 960;
    /** The plot with its axes and the event labels above it; the lanes of expectation bars, if any, go below. */
    static final int PLOT_HEIGHT = 250;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 34;
    private static final int BOTTOM = 36;
    private static final int LANE_HEIGHT = 18;
    /** Past this many samples (4 px apart), dots (with their tooltips) are left out: they would merge into a band. */
    private static final int MAX_DOTS = 220;
    /**
     * About how wide a character of a 10px label is, to keep labels apart: a little more than DejaVu Sans's
     * average (its digits are 6.4 px, most letters 5 to 6.5), so that an estimate errs on the side of room.
     */
    private static final double LABEL_CHAR_WIDTH = 6.2;
    /** A 10px label's box: from 9 px above its baseline to 3 below. */
    private static final double LABEL_ASCENT = 9;
    private static final double LABEL_DESCENT = 3;
    /** The least room between two labels, or a label and a bar, side by side. */
    private static final double GAP = 6;

    /** Where a label is drawn: its box on the plot, to keep the next labels out of it. */
    private record Box(double x0, double y0, double x1, double y1) {
        boolean overlaps(Box o) {
            return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1;
        }
    }

    /** An expectation's mark in a lane under the plot: its bar across the window, its label above the bar. */
    private record LaneMark(ExpectationWindows.Shade shade, String state, String label, double x0, double x1, double labelX) {
        double start() {
            return Math.min(x0, labelX);
        }

        double end() {
            return Math.max(x1, labelX + width(label));
        }
    }

    private final RunReport report;
    private final RunReport.Probe probe;
    private final double seconds;
    private final double yMax;
    private final double yStep;
    private final List<ExpectationWindows.Shade> shades;
    /** The labels inside the plot area so far (the interruption's, the thresholds'): none may overlap another. */
    private final List<Box> plotLabels = new ArrayList<>();
    private final List<LaneMark> laneMarks = new ArrayList<>();
    /** The lane of each of {@link #laneMarks}. */
    private final List<Integer> laneOf = new ArrayList<>();
    /** Where each lane's last bar or label ends. */
    private final List<Double> laneEnds = new ArrayList<>();

    private ProbePlot(RunReport report, RunReport.Probe probe) {
        this.report = report;
        this.probe = probe;
        this.shades = ExpectationWindows.of(report, probe.name());
        double last = probe.samples().isEmpty() ? 0 : probe.samples().get(probe.samples().size() - 1).atNanos() / 1e9;
        double planned = Math.max(report.durationNanos(), report.plannedDurationNanos()) / 1e9;
        this.seconds = Math.max(Math.max(planned, last), 1e-3);
        double max = probe.samples().stream().filter(s -> s.ok() && Double.isFinite(s.value()))
                .mapToDouble(RunReport.Sample::value).max().orElse(0);
        for (ExpectationWindows.Shade shade : shades) {
            Threshold threshold = Threshold.onAxis(shade.expectation().expected(), probe.unit());
            if (threshold != null) {
                max = Math.max(max, threshold.value()); // the line where its value is, never clipped to the top
            }
        }
        double top = max > 0 ? max * 1.05 : 1; // nothing answered: an axis from 0 to 1, for the crosses
        this.yStep = Ticks.step(top, 5);
        this.yMax = Math.ceil(top / yStep) * yStep;
    }

    static String svg(RunReport report, RunReport.Probe probe) {
        return new ProbePlot(report, probe).svg();
    }

    private String svg() {
        StringBuilder plot = new StringBuilder();
        shades(plot);
        notRun(plot);
        axes(plot);
        events(plot);
        StringBuilder labels = new StringBuilder();
        thresholds(plot, labels);
        samples(plot);
        plot.append(labels); // over the samples' line, which may cross them
        for (ExpectationWindows.Shade shade : shades) {
            if (Threshold.onAxis(shade.expectation().expected(), probe.unit()) == null) {
                lane(shade, state(shade), label(shade.expectation()));
            }
        }
        int lanes = laneEnds.size();
        int height = PLOT_HEIGHT + (lanes == 0 ? 0 : 4 + lanes * LANE_HEIGHT);
        StringBuilder out = new StringBuilder();
        out.append("<svg class=\"plot\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(height).append("\" role=\"img\">");
        out.append(Svg.title(probe.name() + " over the run"));
        out.append(plot);
        lanes(out);
        return out.append("</svg>").toString();
    }

    private static String state(ExpectationWindows.Shade shade) {
        RunReport.Expectation e = shade.expectation();
        return !e.judged() ? "unjudged" : e.passed() ? "held" : "failed";
    }

    /** For tooltips: {@code held, saw ...}, {@code failed, saw ...} or {@code not judged: why; seen so far: ...}. */
    private static String outcome(RunReport.Expectation e) {
        return !e.judged() ? "not judged: " + e.notJudgedText() : (e.passed() ? "held" : "failed") + ", saw " + e.seen();
    }

    /** What a threshold's or a lane's label says: what was expected, and for one that did not hold, what was seen. */
    private static String label(RunReport.Expectation e) {
        return e.expected() + (!e.judged() ? ": not judged" : e.passed() ? "" : ": saw " + e.seen());
    }

    private void shades(StringBuilder out) {
        for (ExpectationWindows.Shade shade : shades) {
            double x0 = x(shade.fromNanos());
            double x1 = x(shade.untilNanos());
            RunReport.Expectation e = shade.expectation();
            out.append("<g class=\"window ").append(state(shade)).append("\">").append(Svg.title(e.name()
                    + " (" + e.window() + "): " + outcome(e)));
            out.append("<rect x=\"").append(Svg.num(x0)).append("\" y=\"").append(TOP).append("\" width=\"")
                    .append(Svg.num(Math.max(x1 - x0, 1))).append("\" height=\"").append(PLOT_HEIGHT - TOP - BOTTOM).append("\"/>");
            out.append("</g>");
        }
    }

    /** An interrupted run: the stretch from the interruption to the planned end, greyed and labelled. */
    private void notRun(StringBuilder out) {
        if (!report.interrupted() || report.plannedDurationNanos() <= report.durationNanos()) {
            return;
        }
        double x0 = x(report.durationNanos());
        double x1 = x(report.plannedDurationNanos());
        String label = String.format(java.util.Locale.ROOT, "interrupted at %.1f s", report.durationNanos() / 1e9);
        double w = width(label);
        boolean inside = x0 + 4 + w <= WIDTH - RIGHT;
        double lx = inside ? x0 + 4 : x0 - 4 - w;
        double baseline = TOP + 12;
        plotLabels.add(new Box(lx, baseline - LABEL_ASCENT, lx + w, baseline + LABEL_DESCENT));
        out.append("<g class=\"not-run\">").append(Svg.title("not run: the run was interrupted at "
                        + Decimals.seconds(report.durationNanos()) + " s of " + Decimals.format(report.plannedDurationNanos() / 1e9) + " s"))
                .append("<rect x=\"").append(Svg.num(x0)).append("\" y=\"").append(TOP).append("\" width=\"")
                .append(Svg.num(Math.max(x1 - x0, 1))).append("\" height=\"").append(PLOT_HEIGHT - TOP - BOTTOM).append("\"/>")
                .append(Svg.text(lx, baseline, "class=\"not-run-label\"", label)).append("</g>");
    }

    /**
     * A line at each threshold on the y axis, across its window, labelled above or below it at either end,
     * wherever the label stays inside the plot clear of the labels before and of the samples (or, when no
     * place is clear of the samples, the nearest clear of the labels, on a white halo); with no such place,
     * the label goes to a lane under the plot.
     */
    private void thresholds(StringBuilder out, StringBuilder labels) {
        int bottom = PLOT_HEIGHT - BOTTOM;
        for (ExpectationWindows.Shade shade : shades) {
            Threshold threshold = Threshold.onAxis(shade.expectation().expected(), probe.unit());
            if (threshold == null) {
                continue;
            }
            double x0 = x(shade.fromNanos());
            double x1 = Math.max(x(shade.untilNanos()), x0 + 1);
            double y = y(threshold.value());
            RunReport.Expectation e = shade.expectation();
            out.append("<g class=\"threshold ").append(state(shade)).append("\">").append(Svg.title(e.name() + ": "
                    + e.expected() + " (" + Decimals.format(threshold.value()) + " " + probe.unit() + "), " + outcome(e)));
            out.append("<line x1=\"").append(Svg.num(x0)).append("\" y1=\"").append(Svg.num(y)).append("\" x2=\"")
                    .append(Svg.num(x1)).append("\" y2=\"").append(Svg.num(y)).append("\"/>");
            String label = label(e);
            double w = width(label);
            Box placed = null;
            Box overSamples = null;
            // Beside the line first, above then below, at the window's start then its end; then a row further off.
            for (double[] c : new double[][] {{x0 + 3, y - 5}, {x1 - 3 - w, y - 5}, {x0 + 3, y + 12}, {x1 - 3 - w, y + 12},
                    {x0 + 3, y - 17}, {x1 - 3 - w, y - 17}, {x0 + 3, y + 24}, {x1 - 3 - w, y + 24}}) {
                Box box = new Box(c[0], c[1] - LABEL_ASCENT, c[0] + w, c[1] + LABEL_DESCENT);
                if (box.x0() >= LEFT + 2 && box.x1() <= WIDTH - RIGHT && box.y0() >= TOP && box.y1() <= bottom
                        && plotLabels.stream().noneMatch(box::overlaps)) {
                    if (!coversASample(box)) {
                        placed = box;
                        break;
                    }
                    overSamples = overSamples == null ? box : overSamples;
                }
            }
            placed = placed == null ? overSamples : placed; // over the line, on a white halo, rather than away from its line
            out.append("</g>");
            if (placed != null) {
                plotLabels.add(placed);
                labels.append(Svg.text(placed.x0(), placed.y1() - LABEL_DESCENT, "class=\"threshold-label " + state(shade) + "\"",
                        label));
            } else {
                lane(shade, state(shade), label);
            }
        }
    }

    /** Whether a label there would hide a sample's dot (or the line through it). */
    private boolean coversASample(Box box) {
        for (RunReport.Sample s : probe.samples()) {
            if (s.ok() && Double.isFinite(s.value())) {
                double x = x(s.atNanos());
                double y = y(s.value());
                if (x > box.x0() - 3 && x < box.x1() + 3 && y > box.y0() - 3 && y < box.y1() + 3) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Puts an expectation's bar and label in the first lane where they clear what is there already. */
    private void lane(ExpectationWindows.Shade shade, String state, String label) {
        double x0 = x(shade.fromNanos());
        double x1 = Math.max(x(shade.untilNanos()), x0 + 2); // a window of an instant is still a bar
        double labelX = Math.max(LEFT, Math.min(x0, WIDTH - RIGHT - width(label)));
        LaneMark mark = new LaneMark(shade, state, label, x0, x1, labelX);
        int lane = 0;
        while (lane < laneEnds.size() && laneEnds.get(lane) + GAP > mark.start()) {
            lane++;
        }
        if (lane == laneEnds.size()) {
            laneEnds.add(mark.end());
        } else {
            laneEnds.set(lane, mark.end());
        }
        laneMarks.add(mark);
        laneOf.add(lane);
    }

    private void lanes(StringBuilder out) {
        for (int i = 0; i < laneMarks.size(); i++) {
            LaneMark m = laneMarks.get(i);
            double top = PLOT_HEIGHT + 4 + laneOf.get(i) * LANE_HEIGHT;
            RunReport.Expectation e = m.shade().expectation();
            out.append("<g class=\"lane ").append(m.state()).append("\">").append(Svg.title(e.name() + " (" + e.window()
                    + "): " + e.expected() + ", " + outcome(e)));
            out.append("<rect class=\"window-bar\" x=\"").append(Svg.num(m.x0())).append("\" y=\"").append(Svg.num(top + 12))
                    .append("\" width=\"").append(Svg.num(m.x1() - m.x0())).append("\" height=\"4\"/>");
            out.append(Svg.text(m.labelX(), top + 9, "class=\"window-label\"", m.label()));
            out.append("</g>");
        }
    }

    /** About how wide a 10px label is. */
    private static double width(String label) {
        return LABEL_CHAR_WIDTH * label.length();
    }

    private void axes(StringBuilder out) {
        int bottom = PLOT_HEIGHT - BOTTOM;
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
        out.append(Svg.text(WIDTH - RIGHT, PLOT_HEIGHT - 4, "class=\"axis-label\" text-anchor=\"end\"", "run time (s)"));
        out.append(Svg.text(14, TOP + (bottom - TOP) / 2.0, "class=\"axis-label\" text-anchor=\"middle\" transform=\"rotate(-90 14 "
                + Svg.num(TOP + (bottom - TOP) / 2.0) + ")\"", probe.unit()));
    }

    /**
     * Each event's line, labelled in the first of two rows above the plot where the label does not run into
     * the one before (right of the line, or left of it near the plot's right end); where neither row has room
     * (events close together) the line has only its tooltip.
     */
    private void events(StringBuilder out) {
        double[] rowEnds = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (RunReport.Event e : report.events()) {
            double x = x(e.atNanos());
            String label = e.name() != null ? e.name() : e.action();
            double labelX = x + 3 + width(label) <= WIDTH ? x + 3 : x - 3 - width(label);
            int row = labelX > rowEnds[0] + GAP ? 0 : labelX > rowEnds[1] + GAP ? 1 : -1;
            out.append("<g class=\"event").append(e.ok() ? "" : " failed").append("\">")
                    .append(Svg.title(Decimals.seconds(e.atNanos()) + " s: " + e.action() + (e.ok() ? "" : " (failed)")));
            out.append("<line x1=\"").append(Svg.num(x)).append("\" y1=\"").append(row == 0 ? TOP - 20 : row == 1 ? TOP - 8 : TOP)
                    .append("\" x2=\"").append(Svg.num(x)).append("\" y2=\"").append(PLOT_HEIGHT - BOTTOM).append("\"/>");
            if (row >= 0) {
                out.append(Svg.text(labelX, 10 + 12 * row, "class=\"event-label\"", label));
                rowEnds[row] = labelX + width(label);
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
                double y = PLOT_HEIGHT - BOTTOM;
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
        return PLOT_HEIGHT - BOTTOM - value / yMax * (PLOT_HEIGHT - TOP - BOTTOM);
    }
}
