package tapnet.cli.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tapnet.engine.EngineAccess;
import tapnet.testing.EngineHarness;
import tapnet.topology.yaml.TopologyLoader;

/**
 * A scrape read by a real parser: the Python client's ({@code python3-prometheus-client}), its 0.0.4 text
 * parser and its OpenMetrics parser, which rejects what the formats do not allow. Without the package the
 * test is skipped, except in CI ({@code TAPNET_REQUIRE_TAP=1}), where it fails.
 */
class PrometheusParserTest {
    /** Parses both files and prints every sample as {@code FORMAT TYPE NAME{LABELS sorted} VALUE}. */
    private static final String PARSE = """
            import sys
            from prometheus_client.parser import text_string_to_metric_families as text
            from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics
            for fmt, parse, path in (("text", text, sys.argv[1]), ("openmetrics", openmetrics, sys.argv[2])):
                with open(path, encoding="utf-8") as f:
                    for family in parse(f.read()):
                        for s in family.samples:
                            labels = ",".join(k + "=" + v for k, v in sorted(s.labels.items()))
                            print(fmt, family.type, s.name + "{" + labels + "}", int(s.value))
            """;

    @TempDir
    Path dir;

    @Test
    void bothFormatsParseAndSayWhatTheEngineCounted() throws Exception {
        requireParser();
        EngineHarness net = new EngineHarness(TopologyLoader.parse("metrics.yaml", MetricsExpositionTest.TOPOLOGY));
        MetricsExpositionTest.driveTraffic(net);
        EngineAccess engine = MetricsExpositionTest.withRing(net.engine, 2, 1024);
        Map<String, Long> others = Map.of("control.requests", 3L, "control.odd name\"", 1L);
        Path text = Files.writeString(dir.resolve("metrics.txt"), MetricsExposition.scrape(engine, others, false));
        Path openMetrics = Files.writeString(dir.resolve("metrics.om"), MetricsExposition.scrape(engine, others, true));
        List<String> samples = python(PARSE, text.toString(), openMetrics.toString());
        for (String format : List.of("text", "openmetrics")) {
            for (String expected : List.of(
                    "counter tapnet_frames_total{direction=in} ",
                    "counter tapnet_service_connections_total{host=web,outcome=opened,port=80} 1",
                    "counter tapnet_service_connections_total{host=web,outcome=refused,port=80} 1",
                    "counter tapnet_service_faults_total{fault=refuse,host=web,port=80} 1",
                    "counter tapnet_link_frames_total{direction=to_node,link=db,outcome=down} 1",
                    "counter tapnet_frames_dropped_total{reason=link_down} 1",
                    "counter tapnet_http_requests_total{host=web,port=80,route=1,status=200} 1",
                    "counter tapnet_control_requests_total{} 3",
                    "counter tapnet_control_odd_name__total{} 1",
                    "gauge tapnet_ring_occupancy{} 2",
                    "gauge tapnet_ring_capacity{} 1024")) {
                assertTrue(samples.stream().anyMatch(s -> s.startsWith(format + " " + expected)),
                        format + " " + expected + " in\n" + String.join("\n", samples));
            }
        }
        assertEquals(samples.stream().filter(s -> s.startsWith("text ")).count(),
                samples.stream().filter(s -> s.startsWith("openmetrics ")).count(), "the same samples in both formats");
    }

    /** Skips without the Python parser, unless in CI. */
    private static void requireParser() throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/bin/python3"))
                && run(List.of("/usr/bin/python3", "-c", "import prometheus_client.openmetrics.parser")).exitCode == 0;
        if (!present && "1".equals(System.getenv("TAPNET_REQUIRE_TAP"))) {
            throw new AssertionError("python3-prometheus-client is required in CI: apt-get install python3-prometheus-client");
        }
        Assumptions.assumeTrue(present, "python3-prometheus-client not installed (apt-get install python3-prometheus-client): "
                + "the scrape is not checked by a real parser");
    }

    private static List<String> python(String script, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/python3", "-c", script));
        command.addAll(List.of(args));
        Result result = run(command);
        assertEquals(0, result.exitCode, "the parser refused the scrape:\n" + result.output);
        return result.output.lines().toList();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "python3 did not finish");
        return new Result(p.exitValue(), output);
    }
}
