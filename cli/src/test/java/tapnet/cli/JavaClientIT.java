package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TapTestEnvironment;

/**
 * The Java client and its JUnit extension as a user meets them: tapnet-client and tapnet-junit installed in
 * the local Maven repository (with the parent pom, nothing else of tapnet's), then the tests of
 * {@code examples/java-junit} run inside the shop, {@code ./tapnet run topologies/shop.yaml -- mvn -o -B -q
 * test}: they change the network mid-test through the control API and pass; one failing on purpose shows
 * what the network did (the partition it made, the counters, its capture, kept), as a user would read it
 * in surefire's report.
 */
@Timeout(300)
class JavaClientIT {
    private static final Path EXAMPLE = ExamplesIT.ROOT.resolve("examples/java-junit");
    private static final Path REPORT = EXAMPLE.resolve("target/surefire-reports/TEST-example.ShopClientTest.xml");
    private static final Path CAPTURES = EXAMPLE.resolve("target/tapnet-captures/example.ShopClientTest");

    @BeforeAll
    static void installTheClientAndTheExtension() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        // As examples/README.md says: the parent pom alone, then the two modules (their tests ran in this build).
        for (List<String> install : List.of(List.of("install", "-N"), List.of("install", "-pl", "client,junit", "-DskipTests"))) {
            ExternalCommand run = ExamplesIT.run(ExamplesIT.ROOT, 240, maven(install, false));
            assertEquals(0, run.exitCode(), run.describe());
        }
    }

    @Test
    void theExampleTestsChangeTheNetworkMidTestAndPass() throws Exception {
        forget(EXAMPLE.resolve("target/surefire-reports"), EXAMPLE.resolve("target/tapnet-captures"));
        ExternalCommand run = ExamplesIT.run(ExamplesIT.ROOT, 240, inShop(List.of("test")));
        assertEquals(0, run.exitCode(), run.describe());
        String report = Files.readString(REPORT);
        assertTrue(report.contains("tests=\"5\"") && report.contains("failures=\"0\"") && report.contains("errors=\"0\"")
                && report.contains("skipped=\"1\""), "4 pass, the one failing on purpose skipped: " + report);
        assertEquals(List.of(), captures(), "a passing test's capture is deleted");
    }

    @Test
    void aFailingTestShowsWhatTheNetworkDidAndKeepsItsCapture() throws Exception {
        forget(EXAMPLE.resolve("target/surefire-reports"), EXAMPLE.resolve("target/tapnet-captures"));
        ExternalCommand run = ExamplesIT.run(ExamplesIT.ROOT, 240, inShop(List.of("-Dexample.failOnPurpose=true",
                "-Dtest=ShopClientTest#failsOnPurposeWhenTheApiIsCutOff", "test")));
        assertNotEquals(0, run.exitCode(), run.describe());
        String report = Files.readString(REPORT);
        assertTrue(report.contains("gave up after 1 attempt"), report);
        assertTrue(report.contains("Suppressed: tapnet.junit.NetworkReport: what the network did during failsOnPurposeWhenTheApiIsCutOff"),
                "the failure carries the network's report: " + report);
        assertTrue(report.contains("partition"), "the partition the test made is among the events: " + report);
        assertTrue(report.contains("counters that changed:"), report);
        Path capture = CAPTURES.resolve("failsOnPurposeWhenTheApiIsCutOff.pcapng");
        assertTrue(report.contains("capture: " + capture), report);
        assertEquals(List.of(capture), captures(), "the failing test's capture is kept");
        try (InputStream in = Files.newInputStream(capture)) {
            assertArrayEquals(new byte[] {0x0a, 0x0d, 0x0d, 0x0a}, in.readNBytes(4), "a pcapng file");
        }
    }

    /** {@code ./tapnet run topologies/shop.yaml -- mvn -o -B -q -f examples/java-junit/pom.xml ARGS}. */
    private static List<String> inShop(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(ExamplesIT.ROOT.resolve("tapnet").toString(), "run", "topologies/shop.yaml", "--"));
        List<String> mvn = new ArrayList<>(List.of("-f", "examples/java-junit/pom.xml"));
        mvn.addAll(arguments);
        command.addAll(maven(mvn, true));
        return command;
    }

    /**
     * {@code mvn [-o] -B -q ARGS} with the Maven and local repository of this build. Installing is not offline:
     * this build itself needs no maven-install-plugin, so a fresh machine may not have it yet.
     */
    private static List<String> maven(List<String> arguments, boolean offline) {
        List<String> mvn = new ArrayList<>(List.of(ExamplesIT.maven(), "-B", "-q"));
        if (offline) {
            mvn.add(1, "-o");
        }
        String repository = System.getProperty("maven.repo.local", "");
        if (!repository.isEmpty()) {
            mvn.add("-Dmaven.repo.local=" + repository);
        }
        mvn.addAll(arguments);
        return mvn;
    }

    private static List<Path> captures() throws IOException {
        if (!Files.isDirectory(CAPTURES)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(CAPTURES)) {
            return files.sorted().toList();
        }
    }

    /** What an earlier run left, so that the reports read are this run's. */
    private static void forget(Path... directories) throws IOException {
        for (Path directory : directories) {
            if (Files.isDirectory(directory)) {
                try (Stream<Path> files = Files.walk(directory)) {
                    for (Path file : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                        Files.delete(file);
                    }
                }
            }
        }
    }
}
