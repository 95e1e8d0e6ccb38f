package tapnet.cli.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tapnet.engine.EngineAccess;
import tapnet.testing.EngineHarness;
import tapnet.topology.yaml.TopologyLoader;

/** A scrape of an in-process engine read by a real parser, in both formats ({@link PythonPrometheusParser}). */
class PrometheusParserTest {
    @TempDir
    Path dir;

    @Test
    void bothFormatsParseAndSayWhatTheEngineCounted() throws Exception {
        PythonPrometheusParser.require();
        EngineHarness net = new EngineHarness(TopologyLoader.parse("metrics.yaml", MetricsExpositionTest.TOPOLOGY));
        MetricsExpositionTest.driveTraffic(net);
        EngineAccess engine = MetricsExpositionTest.withRing(net.engine, 2, 1024);
        Map<String, Long> others = Map.of("control.requests", 3L, "control.odd name\"", 1L);
        Path text = Files.writeString(dir.resolve("metrics.txt"), MetricsExposition.scrape(engine, others, false));
        Path openMetrics = Files.writeString(dir.resolve("metrics.om"), MetricsExposition.scrape(engine, others, true));
        List<String> samples = PythonPrometheusParser.samples(text, openMetrics);
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
}
