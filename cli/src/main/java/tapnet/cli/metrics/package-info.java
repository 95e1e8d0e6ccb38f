/** The Prometheus exposition of a run's counters, for {@code GET /v1/metrics} (stub until merged). */
package tapnet.cli.metrics;
