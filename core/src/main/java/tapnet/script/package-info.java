/**
 * Scripted runs: a topology file's {@code script:} (a timeline of events, probes that measure what real
 * programs see, expectations over their results, a capture) as read ({@link tapnet.topology.Script}), and what
 * a run of it found ({@link tapnet.script.RunReport}), which reports are written from.
 */
package tapnet.script;
