package tapnet.report;

/** Small pieces of inline SVG: coordinates in a fixed form, escaped text. */
final class Svg {
    private Svg() {
    }

    /** A coordinate with at most one decimal: enough on screen, and the same bytes every time. */
    static String num(double value) {
        String text = Decimals.format(value, 1);
        return text == null ? "0" : text;
    }

    /** A {@code <title>}: the tooltip of the element it is in. */
    static String title(String text) {
        return "<title>" + Xml.content(text) + "</title>";
    }

    /** A text element at (x, y) with the given attributes ({@code class="label"}). */
    static String text(double x, double y, String attributes, String text) {
        return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"" + (attributes.isEmpty() ? "" : " " + attributes) + ">"
                + Xml.content(text) + "</text>";
    }
}
