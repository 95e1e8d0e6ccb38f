package tapnet.report;

/** The report page's style sheet, inline in the page so it needs nothing else to look right. */
final class ReportStyle {
    static final String CSS = """
            body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
                   color: #1d2430; background: #fff; margin: 24px auto; max-width: 1000px; padding: 0 16px; }
            h1 { font-size: 22px; margin: 0 0 8px; }
            h2 { font-size: 17px; border-bottom: 1px solid #d6dbe3; padding-bottom: 4px; margin: 28px 0 10px; }
            code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }
            .verdict { font-size: 14px; padding: 2px 10px; border-radius: 10px; vertical-align: middle; color: #fff; }
            .verdict.passed { background: #1e7e34; }
            .verdict.failed { background: #c62828; }
            .verdict.interrupted { background: #9a5b00; }
            dl { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0; }
            dl div { display: flex; gap: 6px; }
            dt { color: #5b6678; }
            dd { margin: 0; font-weight: 600; }
            table { border-collapse: collapse; width: 100%; font-size: 13px; }
            th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e3e7ee; vertical-align: top; }
            th { background: #f3f5f8; font-weight: 600; }
            th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
            #counters table, #links table { width: auto; min-width: 50%; }
            #expectations td:nth-child(3), #expectations td:nth-child(4) { white-space: nowrap; } /* window, expected */
            #links th, #links td { padding: 4px 6px; }
            #links th { font-size: 12px; } /* counter names break after their underscores (<wbr>) */
            #links td:nth-child(-n+2) { white-space: nowrap; }
            tr.pass td { background: #e7f5ea; }
            tr.fail td { background: #fde8e7; }
            tr.pass td:first-child { color: #1e7e34; font-weight: 600; }
            tr.fail td:first-child { color: #c62828; font-weight: 600; }
            tr.unjudged td { background: #fbf1e1; }
            tr.unjudged td:first-child { color: #9a5b00; font-weight: 600; white-space: nowrap; }
            .none { color: #5b6678; }
            .warning { color: #9a5b00; font-weight: 600; }
            #parts table { width: auto; min-width: 50%; }
            figure.probe { margin: 0 0 18px; }
            figcaption { margin-bottom: 4px; }
            .stats { color: #5b6678; }
            svg { max-width: 100%; height: auto; font-size: 11px; }
            .scroll { overflow-x: auto; }
            svg.topology { max-width: none; } /* a wide tree scrolls rather than shrinking its text */
            svg text { fill: #1d2430; }
            .grid { stroke: #edf0f4; }
            .axis, .tickmark { stroke: #8a94a6; }
            .tick { fill: #5b6678; }
            .axis-label { fill: #5b6678; font-style: italic; }
            .line { fill: none; stroke: #2f6db5; stroke-width: 1.5; }
            .sample { fill: #2f6db5; }
            .failed-sample { stroke: #d32f2f; stroke-width: 2; fill: none; }
            .window rect { fill: #2e7d32; fill-opacity: 0.06; }
            .window.failed rect { fill: #d32f2f; fill-opacity: 0.08; }
            .window.unjudged rect { fill: #8a94a6; fill-opacity: 0.05; }
            .threshold line { stroke-width: 2; }
            .threshold.held line { stroke: #1e7e34; }
            .threshold.failed line { stroke: #c62828; }
            .threshold.unjudged line { stroke: #8a94a6; stroke-dasharray: 6 3; }
            .threshold-label, .window-label { font-size: 10px; }
            .threshold-label { paint-order: stroke; stroke: #fff; stroke-width: 3px; }
            .window-bar { fill-opacity: 0.85; }
            .lane.held .window-bar { fill: #2e7d32; }
            .lane.failed .window-bar { fill: #d32f2f; }
            .lane.unjudged .window-bar { fill: #8a94a6; }
            svg .held .window-label, svg text.threshold-label.held { fill: #1e7e34; }
            svg .failed .window-label, svg text.threshold-label.failed { fill: #c62828; }
            svg .unjudged .window-label, svg text.threshold-label.unjudged { fill: #5b6678; }
            .not-run rect { fill: #5b6678; fill-opacity: 0.10; }
            svg .not-run-label { fill: #3c4658; font-size: 10px; font-style: italic; }
            .event line { stroke: #7a5c00; stroke-dasharray: 4 3; }
            .event.failed line { stroke: #d32f2f; }
            .event-label { fill: #7a5c00; font-size: 10px; }
            .event.failed .event-label { fill: #c62828; }
            .edge line { stroke: #8a94a6; stroke-width: 1.5; }
            .edge-label { font-size: 11px; fill: #3c4658; paint-order: stroke; stroke: #fff; stroke-width: 4px; }
            .node rect { fill: #eef2f7; stroke: #5b6678; stroke-width: 1.5; }
            .node.tap rect { fill: #e3edf9; stroke: #2f6db5; }
            .node.router rect { fill: #f0e8f8; stroke: #7b4fae; }
            .node.host rect { fill: #e7f5ea; stroke: #2e7d32; }
            .node.port rect { fill: #fdf0e0; stroke: #c77c1e; }
            .node-name { font-weight: 600; font-size: 13px; }
            .node-detail { fill: #5b6678; }
            footer { margin-top: 32px; color: #5b6678; font-size: 12px; }
            """;

    private ReportStyle() {
    }
}
