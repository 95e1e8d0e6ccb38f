package tapnet.report;

import java.util.List;

/**
 * An HTML table of text cells; a column of numbers only is right-aligned, its header too. A header may break
 * after an underscore ({@code dropped_queue_full}), so that a table of many counters fits the page.
 */
final class HtmlTable {
    private static final String NUMBER = "-?[0-9]+(\\.[0-9]+)?";

    private HtmlTable() {
    }

    /** {@code classes}: one per row ("" for none), or empty for no row classes at all. */
    static void write(StringBuilder out, List<String> headers, List<List<String>> rows, List<String> classes) {
        boolean[] numeric = new boolean[headers.size()];
        for (int c = 0; c < headers.size(); c++) {
            int column = c;
            numeric[c] = rows.stream().allMatch(row -> row.get(column).isEmpty() || row.get(column).matches(NUMBER))
                    && rows.stream().anyMatch(row -> !row.get(column).isEmpty());
        }
        out.append("<table>\n<thead><tr>");
        for (int c = 0; c < headers.size(); c++) {
            out.append(numeric[c] ? "<th class=\"num\">" : "<th>").append(Xml.content(headers.get(c)).replace("_", "_<wbr>"))
                    .append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < rows.size(); i++) {
            String cls = classes.isEmpty() ? "" : classes.get(i);
            out.append(cls.isEmpty() ? "<tr>" : "<tr class=\"" + Xml.attribute(cls) + "\">");
            List<String> row = rows.get(i);
            for (int c = 0; c < row.size(); c++) {
                out.append(numeric[c] ? "<td class=\"num\">" : "<td>").append(Xml.content(row.get(c))).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }
}
