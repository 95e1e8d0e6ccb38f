/**
 * Reports of scripted runs: {@code report.json}, a self-contained HTML page with plots, {@code junit.xml},
 * written from a {@link tapnet.script.RunReport} and read back by {@code tapnet report}; the reports of a topology's
 * parts merged into one ({@code tapnet report --merge}). Cold path.
 *
 * <p>Depends on script, the model and its syntax. Any thread.
 */
package tapnet.report;
