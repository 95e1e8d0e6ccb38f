package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TapTestEnvironment;

/**
 * The examples in {@code examples/} against {@code topologies/flaky-api.yaml}, run as examples/README.md
 * tells users to run them, each in a fresh run of the topology (its faults count connections from the
 * start): the retrying clients get the whole answer, a single attempt fails.
 */
@Timeout(180)
class ExamplesIT {
    private static final Path ROOT = TapnetProcess.topologies().toAbsolutePath().normalize().getParent();

    @BeforeAll
    static void toolsAreHere() {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("python3");
        TapTestEnvironment.assumeCommand("curl");
        TapTestEnvironment.assumeCommand("ping");
        TapTestEnvironment.assumeCommand("unshare");
    }

    @Test
    void thePythonClientRetriesPastARefusedConnectionAndACutAnswer() throws Exception {
        ExternalCommand run = inFlakyApi(30, "python3", "examples/client.py");
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.output().contains("\"status\": \"ok\""), run.describe());
        assertTrue(run.errors().contains("attempt 1: ConnectionRefusedError"), run.describe());
        assertTrue(run.errors().contains("attempt 2: the answer was cut short"), run.describe());
        assertTrue(run.errors().contains("attempt 3: ok"), run.describe());
    }

    @Test
    void thePythonClientWithoutRetriesFailsOnTheRefusedConnection() throws Exception {
        ExternalCommand run = inFlakyApi(30, "python3", "examples/client.py", "--no-retry");
        assertEquals(1, run.exitCode(), run.describe());
        assertEquals("", run.output(), run.describe());
        assertTrue(run.errors().contains("gave up after 1 attempt: ConnectionRefusedError"), run.describe());
    }

    @Test
    void theSmokeScriptPingsAndCurlRetries() throws Exception {
        ExternalCommand run = inFlakyApi(30, "examples/smoke.sh");
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.output().contains("1 received") && run.output().contains("smoke: passed"), run.describe());
        assertTrue(run.errors().contains("curl: (7)") && run.errors().contains("curl: (56)"),
                "curl met the refusal, then the reset: " + run.describe());
    }

    /**
     * The Java example, built offline with what tapnet's own build fetched (an offline build here takes a few
     * seconds): a lone attempt is refused, the retrying client gets past the cut answer.
     */
    @Test
    void theJavaExampleSuitePasses() throws Exception {
        List<String> mvn = new ArrayList<>(List.of(maven(), "-o", "-B", "-f", "examples/java/pom.xml"));
        String repository = System.getProperty("maven.repo.local", "");
        if (!repository.isEmpty()) {
            mvn.add("-Dmaven.repo.local=" + repository); // the repository this build uses, not the default
        }
        mvn.add("test");
        ExternalCommand run = inFlakyApi(120, mvn.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.output().contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0"), run.describe());
        assertTrue((run.output() + run.errors()).contains("a single attempt: gave up after 1 attempt: ConnectException"),
                run.describe());
    }

    /**
     * Runs {@code command} as examples/README.md tells users to: {@code ./tapnet run
     * topologies/flaky-api.yaml -- COMMAND} from the repository's root, through the launcher with the jar
     * as built. Each call is a fresh run (the faults count connections from the start); the examples find
     * the API by name, in the run's own /etc/hosts.
     */
    private static ExternalCommand inFlakyApi(int timeoutSeconds, String... command) throws Exception {
        List<String> run = new ArrayList<>(List.of(ROOT.resolve("tapnet").toString(), "run", "topologies/flaky-api.yaml", "--"));
        run.addAll(List.of(command));
        return run(timeoutSeconds, run);
    }

    /** Runs {@code command} in the repository's root, killing it after the timeout (exit -1). */
    private static ExternalCommand run(int timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tapnet-example", ".out");
        Path err = Files.createTempFile("tapnet-example", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                    .redirectInput(new File("/dev/null")).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().put("TAPNET_JAR", TapnetProcess.jar().toAbsolutePath().toString());
            builder.environment().remove("API_URL"); // by name, as a user's run finds it
            Process process = builder.start();
            boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!ended) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            return new ExternalCommand(command, ended ? process.exitValue() : -1,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The Maven that runs this build (failsafe passes maven.home), else mvn on the PATH. */
    private static String maven() {
        String home = System.getProperty("maven.home", "");
        Path mvn = Path.of(home, "bin", "mvn");
        if (!home.isEmpty() && Files.isExecutable(mvn)) {
            return mvn.toString();
        }
        TapTestEnvironment.assumeCommand("mvn");
        return "mvn";
    }
}
