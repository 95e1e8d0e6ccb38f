package tapnet.report;

import java.util.List;

/** An HTML table of text cells; numbers are right-aligned by the style sheet. */
final class HtmlTable {
    private HtmlTable() {
    }

    /** {@code classes}: one per row ("" for none), or empty for no row classes at all. */
    static void write(StringBuilder out, List<String> headers, List<List<String>> rows, List<String> classes) {
        out.append("<table>\n<thead><tr>");
        for (String h : headers) {
            out.append("<th>").append(Xml.content(h)).append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < rows.size(); i++) {
            String cls = classes.isEmpty() ? "" : classes.get(i);
            out.append(cls.isEmpty() ? "<tr>" : "<tr class=\"" + Xml.attribute(cls) + "\">");
            for (String cell : rows.get(i)) {
                boolean number = !cell.isEmpty() && cell.matches("-?[0-9]+(\\.[0-9]+)?");
                out.append(number ? "<td class=\"num\">" : "<td>").append(Xml.content(cell)).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }
}
