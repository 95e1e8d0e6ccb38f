package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TapTestEnvironment;

/**
 * The examples in {@code examples/} run as examples/README.md tells users to run them, each in a fresh run of
 * its topology. Against {@code topologies/flaky-api.yaml} (its faults count connections from the start): the
 * retrying clients get the whole answer, a single attempt fails. Against {@code topologies/shop.yaml}: the
 * shop application finds its database, API and metrics collector by DNS name, as root and as nobody, and
 * says which one failed when a partition cuts one off; {@code topologies/shop-faults.yaml} plays its faults
 * unattended and every expectation holds.
 */
@Timeout(180)
class ExamplesIT {
    static final Path ROOT = TapnetProcess.topologies().toAbsolutePath().normalize().getParent();
    private static final String NOBODY = "65534";

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

    /** The Java example's suite in flaky-api.yaml: a lone attempt is refused, the retrying client gets past the cut answer. */
    @Test
    void theJavaExampleSuitePasses() throws Exception {
        ExternalCommand run = inFlakyApi(120, javaExampleSuite());
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(suiteLine(run, "FlakyApiTest").contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0"), run.describe());
        assertTrue((run.output() + run.errors()).contains("a single attempt: gave up after 1 attempt: ConnectException"),
                run.describe());
    }

    @Test
    void theShopAppFindsItsDatabaseApiAndMetricsCollectorByDnsName() throws Exception {
        ExternalCommand run = inTopology("topologies/shop.yaml", 30, "python3", "examples/shop_app.py");
        assertEquals(0, run.exitCode(), run.describe());
        assertEquals(List.of("db: connected to 10.77.0.20:5432, it says 'shop-db ready'",
                "api: GET http://api.shop.test/api/orders: 2 orders (1001, 1002)",
                "stats: sent 'shop.orders.checked:1|c' to 10.77.0.30:8125, and it came back",
                "shop: database, API and metrics all answer; ready"), withoutTimes(run.output()), run.describe());
        assertFalse(run.errors().contains("attempt 1"), "nothing retried on a healthy network: " + run.describe());
        assertTrue(run.errors().contains("dns_queries_udp"), "the names came from the topology's DNS server: " + run.describe());
    }

    @Test
    void theShopAppSaysWhichBackendAPartitionMadeTimeOut() throws Exception {
        ExternalCommand run = inTopology("topologies/shop.yaml", 30, "sh", "-c",
                "./tapnet ctl --socket \"$TAPNET_CONTROL\" partition '[[tap, api, stats], [db]]'"
                        + " && exec python3 examples/shop_app.py --attempts 2 --timeout 1");
        assertEquals(1, run.exitCode(), run.describe());
        assertTrue(run.errors().contains("db: attempt 1: 10.77.0.20:5432: TimeoutError: timed out; retrying in"), run.describe());
        assertTrue(run.errors().contains("db: FAILED: gave up after 2 attempts: 10.77.0.20:5432:"), run.describe());
        assertTrue(run.errors().contains("shop: db failed; not starting"), run.describe());
        assertTrue(run.output().contains("api: GET http://api.shop.test/api/orders: 2 orders")
                && run.output().contains("stats: sent"), "the other backends still answer: " + run.describe());
    }

    /** Without root: tapnet runs itself in a user namespace, and the DNS server is the application's too. */
    @Test
    void theShopAppRunsAsAnOrdinaryUser() throws Exception {
        TapTestEnvironment.assumeCommand("setpriv");
        TapTestEnvironment.assumeCommand("nsenter");
        Path shared = Files.createTempDirectory("tapnet-shop", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x")); // past the umask
            Files.copy(TapnetProcess.jar(), shared.resolve("tapnet.jar"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(ROOT.resolve("topologies/shop.yaml"), shared.resolve("shop.yaml"));
            Files.copy(ROOT.resolve("examples/shop_app.py"), shared.resolve("shop_app.py"));
            for (String file : List.of("tapnet.jar", "shop.yaml", "shop_app.py")) {
                Files.setPosixFilePermissions(shared.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
            }
            ExternalCommand run = run(shared, 30, List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                    TapnetProcess.javaBinary(), "-jar", "tapnet.jar", "run", "shop.yaml", "--", "python3", "shop_app.py"));
            assertEquals(0, run.exitCode(), run.describe());
            assertTrue(run.output().contains("api: GET http://api.shop.test/api/orders: 2 orders (1001, 1002)")
                    && run.output().endsWith("shop: database, API and metrics all answer; ready\n"), run.describe());
        } finally {
            try (var files = Files.list(shared)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(shared);
        }
    }

    /** The Java example's suite in the shop: ShopTest finds db, api and stats by name; FlakyApiTest skips. */
    @Test
    void theJavaExampleFindsTheShopByDnsName() throws Exception {
        ExternalCommand run = inTopology("topologies/shop.yaml", 120, javaExampleSuite());
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(suiteLine(run, "ShopTest").contains("Tests run: 3, Failures: 0, Errors: 0, Skipped: 0"), run.describe());
        assertTrue(run.output().contains("db.shop.test is 10.77.0.20, it says shop-db ready"), run.describe());
    }

    @Test
    void theShopFaultsScriptHoldsEveryExpectationAndWritesItsReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report");
        ExternalCommand run = run(ROOT, 90, List.of(ROOT.resolve("tapnet").toString(), "run", "topologies/shop-faults.yaml",
                "--report", report.toString()));
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.output().contains("passed: 19 of 19 expectations held; seed 17"), run.describe());
        assertTrue(run.output().contains("PASS  the partition cuts the database off"), run.describe());
        for (String name : List.of("report.json", "junit.xml", "report.html")) {
            assertTrue(Files.isRegularFile(report.resolve(name)), name + " in " + report);
        }
    }

    /** The application's lines without their last part, the milliseconds each step took: " (12 ms)". */
    private static List<String> withoutTimes(String output) {
        return output.lines().map(line -> line.replaceFirst(" \\(\\d+ ms\\)$", "")).toList();
    }

    /**
     * Runs {@code command} as examples/README.md tells users to: {@code ./tapnet run
     * topologies/flaky-api.yaml -- COMMAND} from the repository's root, through the launcher with the jar
     * as built. Each call is a fresh run (the faults count connections from the start); the examples find
     * the API by name, in the run's own /etc/hosts.
     */
    private static ExternalCommand inFlakyApi(int timeoutSeconds, String... command) throws Exception {
        return inTopology("topologies/flaky-api.yaml", timeoutSeconds, command);
    }

    /** {@code ./tapnet run TOPOLOGY -- COMMAND} from the repository's root, a fresh run each time. */
    static ExternalCommand inTopology(String topology, int timeoutSeconds, String... command) throws Exception {
        List<String> run = new ArrayList<>(List.of(ROOT.resolve("tapnet").toString(), "run", topology, "--"));
        run.addAll(List.of(command));
        return run(ROOT, timeoutSeconds, run);
    }

    /** Runs {@code command} in {@code directory}, killing it after the timeout (exit -1). */
    static ExternalCommand run(Path directory, int timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tapnet-example", ".out");
        Path err = Files.createTempFile("tapnet-example", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
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

    /**
     * {@code mvn -o -B -f examples/java/pom.xml test}, built offline with what tapnet's own build fetched (an
     * offline build here takes a few seconds).
     */
    private static String[] javaExampleSuite() {
        List<String> mvn = new ArrayList<>(List.of(maven(), "-o", "-B", "-f", "examples/java/pom.xml"));
        String repository = System.getProperty("maven.repo.local", "");
        if (!repository.isEmpty()) {
            mvn.add("-Dmaven.repo.local=" + repository); // the repository this build uses, not the default
        }
        mvn.add("test");
        return mvn.toArray(String[]::new);
    }

    /** Surefire's line for one test class: "Tests run: 2, Failures: 0, ... -- in example.FlakyApiTest". */
    private static String suiteLine(ExternalCommand run, String testClass) {
        return run.output().lines().filter(line -> line.endsWith("-- in example." + testClass)).findFirst().orElse("");
    }

    /** The Maven that runs this build (failsafe passes maven.home), else mvn on the PATH. */
    static String maven() {
        String home = System.getProperty("maven.home", "");
        Path mvn = Path.of(home, "bin", "mvn");
        if (!home.isEmpty() && Files.isExecutable(mvn)) {
            return mvn.toString();
        }
        TapTestEnvironment.assumeCommand("mvn");
        return "mvn";
    }
}
