/**
 * Prometheus metrics of a run: {@link tapnet.cli.metrics.MetricsExposition} takes one snapshot of the
 * engine's counters on its thread ({@link tapnet.cli.metrics.MetricsSnapshot}) and writes it, off that
 * thread, as Prometheus text 0.0.4 or OpenMetrics 1.0.0 ({@link tapnet.cli.metrics.ExpositionWriter}). The
 * control API serves it at {@code GET /v1/metrics}.
 */
package tapnet.cli.metrics;
