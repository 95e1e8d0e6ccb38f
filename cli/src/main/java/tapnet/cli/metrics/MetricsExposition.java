package tapnet.cli.metrics;

/** Stub until the metrics helper's exposition is merged: {@code GET /v1/metrics} answers 503 meanwhile. */
public final class MetricsExposition {
    private MetricsExposition() {
    }

    public static String scrape(tapnet.engine.EngineAccess engine, java.util.Map<String, Long> others, boolean openMetrics)
            throws Exception {
        throw new UnsupportedOperationException("metrics not built yet");
    }
}
