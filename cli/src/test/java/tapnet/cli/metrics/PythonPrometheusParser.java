package tapnet.cli.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Python client's parsers ({@code python3-prometheus-client}, under /usr/bin/python3): its 0.0.4 text
 * parser and its OpenMetrics parser, which rejects what that format does not allow. Without the package a
 * test is skipped, except in CI ({@code TAPNET_REQUIRE_TAP=1}), where it fails.
 */
final class PythonPrometheusParser {
    /** Parses each file by its format and prints every sample as {@code FORMAT TYPE NAME{LABELS sorted} VALUE}. */
    private static final String PARSE = """
            import sys
            from prometheus_client.parser import text_string_to_metric_families as text
            from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics
            for arg in sys.argv[1:]:
                fmt, path = arg.split("=", 1)
                with open(path, encoding="utf-8") as f:
                    for family in (openmetrics if fmt == "openmetrics" else text)(f.read()):
                        for s in family.samples:
                            labels = ",".join(k + "=" + v for k, v in sorted(s.labels.items()))
                            print(fmt, family.type, s.name + "{" + labels + "}", int(s.value))
            """;

    private PythonPrometheusParser() {
    }

    /** Skips the test without the parser, unless in CI. */
    static void require() throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/bin/python3"))
                && run(List.of("/usr/bin/python3", "-c", "import prometheus_client.openmetrics.parser")).exitCode == 0;
        if (!present && "1".equals(System.getenv("TAPNET_REQUIRE_TAP"))) {
            throw new AssertionError("python3-prometheus-client is required in CI: apt-get install python3-prometheus-client");
        }
        Assumptions.assumeTrue(present, "python3-prometheus-client not installed (apt-get install python3-prometheus-client): "
                + "the scrape is not checked by a real parser");
    }

    /** The samples of both scrapes, text first; fails when a parser refuses its file. */
    static List<String> samples(Path text, Path openMetrics) throws Exception {
        Result result = run(List.of("/usr/bin/python3", "-c", PARSE, "text=" + text, "openmetrics=" + openMetrics));
        assertEquals(0, result.exitCode, "the parser refused the scrape:\n" + result.output);
        return result.output.lines().toList();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "python3 did not finish");
        return new Result(p.exitValue(), output);
    }
}
