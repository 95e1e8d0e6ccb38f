package tapnet.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tapnet.script.RunReport;

/**
 * The topology as an inline SVG tree: from the tap down along the edges, each parent centred above its
 * children, each edge labelled with what it does. Nodes no edge reaches from a root start trees of their own.
 */
final class TopologyTree {
    private static final int BOX_WIDTH = 150;
    private static final int BOX_HEIGHT = 42;
    private static final int SLOT = 180;
    private static final int LEVEL = 110;
    private static final int MARGIN = 20;
    /** Longer edge labels are cut (the whole text is in the tooltip), so they stay between their nodes. */
    private static final int MAX_LABEL = 34;

    private final Map<String, RunReport.Node> nodes = new LinkedHashMap<>();
    private final Map<String, List<RunReport.Edge>> children = new LinkedHashMap<>();
    private final Map<String, double[]> places = new LinkedHashMap<>(); // name -> {slot, level}
    private final Set<String> visiting = new HashSet<>();
    private int nextSlot;
    private int deepest;

    private TopologyTree(RunReport report) {
        report.nodes().forEach(n -> nodes.put(n.name(), n));
        Set<String> hasParent = new HashSet<>();
        for (RunReport.Edge e : report.edges()) {
            nodes.putIfAbsent(e.parent(), new RunReport.Node(e.parent(), "node", null));
            nodes.putIfAbsent(e.child(), new RunReport.Node(e.child(), "node", null));
            children.computeIfAbsent(e.parent(), k -> new ArrayList<>()).add(e);
            hasParent.add(e.child());
        }
        List<String> roots = new ArrayList<>();
        nodes.values().stream().filter(n -> "tap".equals(n.kind()) && !hasParent.contains(n.name())).forEach(n -> roots.add(n.name()));
        nodes.keySet().stream().filter(n -> !hasParent.contains(n) && !roots.contains(n)).forEach(roots::add);
        roots.forEach(root -> place(root, 0));
        nodes.keySet().forEach(n -> place(n, 0)); // in a cycle with no root: still drawn
    }

    static String svg(RunReport report) {
        return new TopologyTree(report).svg();
    }

    /** Lays out {@code name}'s subtree: leaves take the next slot, parents the middle of their children. */
    private void place(String name, int level) {
        if (places.containsKey(name) || !visiting.add(name)) {
            return;
        }
        List<Double> slots = new ArrayList<>();
        for (RunReport.Edge e : children.getOrDefault(name, List.of())) {
            place(e.child(), level + 1);
            if (places.containsKey(e.child()) && places.get(e.child())[1] == level + 1) {
                slots.add(places.get(e.child())[0]);
            }
        }
        double slot = slots.isEmpty() ? nextSlot++ : (slots.get(0) + slots.get(slots.size() - 1)) / 2;
        places.put(name, new double[] {slot, level});
        deepest = Math.max(deepest, level);
    }

    private String svg() {
        int width = Math.max(1, nextSlot) * SLOT + 2 * MARGIN;
        int height = (deepest + 1) * LEVEL - (LEVEL - BOX_HEIGHT) + 2 * MARGIN;
        StringBuilder out = new StringBuilder();
        out.append("<svg class=\"topology\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" role=\"img\">")
                .append(Svg.title("the topology, from the tap down"));
        for (List<RunReport.Edge> edges : children.values()) {
            for (RunReport.Edge e : edges) {
                edge(out, e);
            }
        }
        for (RunReport.Node n : nodes.values()) {
            node(out, n);
        }
        return out.append("</svg>").toString();
    }

    private void edge(StringBuilder out, RunReport.Edge e) {
        double x1 = centreX(e.parent());
        double y1 = top(e.parent()) + BOX_HEIGHT;
        double x2 = centreX(e.child());
        double y2 = top(e.child());
        out.append("<g class=\"edge\">").append(Svg.title(e.parent() + " → " + e.child()
                + (e.description() == null || e.description().isEmpty() ? "" : ": " + e.description())));
        out.append("<line x1=\"").append(Svg.num(x1)).append("\" y1=\"").append(Svg.num(y1)).append("\" x2=\"")
                .append(Svg.num(x2)).append("\" y2=\"").append(Svg.num(y2)).append("\"/>");
        if (e.description() != null && !e.description().isEmpty()) {
            String label = e.description().length() > MAX_LABEL ? e.description().substring(0, MAX_LABEL - 1) + "…" : e.description();
            out.append(Svg.text((x1 + x2) / 2, (y1 + y2) / 2 + 4, "class=\"edge-label\" text-anchor=\"middle\"", label));
        }
        out.append("</g>");
    }

    private void node(StringBuilder out, RunReport.Node n) {
        double x = centreX(n.name()) - BOX_WIDTH / 2.0;
        double y = top(n.name());
        out.append("<g class=\"node ").append(Xml.attribute(n.kind())).append("\">")
                .append(Svg.title(n.kind() + " " + n.name() + (n.address() == null ? "" : " " + n.address())));
        out.append("<rect x=\"").append(Svg.num(x)).append("\" y=\"").append(Svg.num(y)).append("\" width=\"").append(BOX_WIDTH)
                .append("\" height=\"").append(BOX_HEIGHT).append("\" rx=\"6\"/>");
        out.append(Svg.text(x + BOX_WIDTH / 2.0, y + 17, "class=\"node-name\" text-anchor=\"middle\"", n.name()));
        out.append(Svg.text(x + BOX_WIDTH / 2.0, y + 33, "class=\"node-detail\" text-anchor=\"middle\"",
                n.kind() + (n.address() == null ? "" : " " + n.address())));
        out.append("</g>");
    }

    private double centreX(String name) {
        return MARGIN + places.get(name)[0] * SLOT + SLOT / 2.0;
    }

    private double top(String name) {
        return MARGIN + places.get(name)[1] * LEVEL;
    }
}
