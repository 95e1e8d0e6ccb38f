package tapnet.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.EventType;
import tapnet.client.Json;
import tapnet.client.Network;
import tapnet.client.StubControlServer;

/**
 * The extension run by JUnit's own engine (EngineTestKit) on small test classes, against a stub of a run's
 * control API: reset after each test, a failing test's report and capture, a passing test's capture
 * deleted, and what happens outside a run. The classes it runs are nested and static, so the build does
 * not run them by themselves; they pass or fail on purpose.
 */
class TapnetExtensionTest {
    @TempDir
    Path dir;
    private StubControlServer server;
    private Path captures;
    private final AtomicReference<String> capturing = new AtomicReference<>();
    /** The run's events so far, the first from before any test. */
    private final List<String> events = new CopyOnWriteArrayList<>(List.of("link web: {delay: 5ms}"));

    @BeforeEach
    void startTheStub() throws IOException {
        server = StubControlServer.onUnixSocket(dir);
        captures = dir.resolve("captures");
        // As the run would: the capture's file appears when it starts, and its summary comes when it stops.
        server.answer("POST /v1/captures", request -> {
            String path = (String) ((Map<?, ?>) Json.parse(request.body())).get("path");
            try {
                Files.write(Path.of(path), new byte[] {0x0a, 0x0d, 0x0d, 0x0a}); // a pcapng's first bytes
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            capturing.set(path);
            return new StubControlServer.Answer(200, "{\"id\":1,\"path\":\"" + path + "\"}");
        });
        server.answer("DELETE /v1/captures/1", request ->
                new StubControlServer.Answer(200, "{\"id\":1,\"path\":\"" + capturing.get() + "\",\"frames\":12,\"bytes\":3400}"));
        // As the run counts events: numbered from 1, since= asks for those after it, next is the next one's number.
        server.answer("GET /v1/events", request -> {
            long since = Long.parseLong(request.query().substring("since=".length()));
            List<String> listed = new ArrayList<>();
            for (int seq = 1; seq <= events.size(); seq++) {
                if (seq > since) {
                    listed.add("{\"seq\":" + seq + ",\"time\":2.5,\"at\":\"2026-12-05T03:00:00Z\",\"source\":\"api\",\"action\":\""
                            + events.get(seq - 1) + "\"}");
                }
            }
            return new StubControlServer.Answer(200, "{\"events\":[" + String.join(",", listed) + "],\"next\":" + (events.size() + 1) + "}");
        });
        server.answer("POST /v1/nodes/db/down", request -> {
            events.add("down db");
            return new StubControlServer.Answer(200, "{\"node\":\"db\"}");
        });
        server.answer("GET /v1/counters", request -> new StubControlServer.Answer(200,
                "{\"counters\":{\"frames_in\":" + (10 * server.requests("GET /v1/counters").size()) + ",\"tcp_resets\":0}}"));
        server.answer("POST /v1/reset", request -> {
            events.add("reset");
            return new StubControlServer.Answer(200, "{\"reset\":true,\"events\":1}");
        });
    }

    @AfterEach
    void stopTheStub() throws IOException {
        server.close();
    }

    private EngineExecutionResults run(Class<?> tests) {
        return run(tests, Map.of(TapnetExtension.CONTROL_PARAMETER, server.socket().toString(),
                TapnetExtension.CAPTURES_PARAMETER, captures.toString()));
    }

    private static EngineExecutionResults run(Class<?> tests, Map<String, String> parameters) {
        return EngineTestKit.engine("junit-jupiter").configurationParameters(parameters).selectors(selectClass(tests)).execute();
    }

    @Tapnet
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class TwoPassingTests {
        @Test
        void first(Network net) {
            net.down("db");
        }

        @Test
        void second() {
        }
    }

    @Test
    void theNetworkIsResetAfterEachTestAndAPassingTestsCaptureDeleted() {
        EngineExecutionResults results = run(TwoPassingTests.class);
        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        assertEquals(2, server.requests("POST /v1/reset").size());
        assertEquals(List.of("GET /v1/events", "GET /v1/counters", "POST /v1/captures", "POST /v1/nodes/db/down",
                "DELETE /v1/captures/1", "POST /v1/reset"), server.calls().subList(0, 6), "one test, in order");
        Path capture = captures.resolve(TwoPassingTests.class.getName()).resolve("first.pcapng");
        assertEquals(capture.toString(), ((Map<?, ?>) Json.parse(server.requests("POST /v1/captures").get(0).body())).get("path"));
        assertFalse(Files.exists(capture), "a passing test's capture is deleted");
        assertTrue(reportEntries(results).isEmpty(), "nothing to report when tests pass");
    }

    @Tapnet
    static class AFailingTest {
        @Test
        void fails(Network net) {
            net.down("db");
            throw new AssertionError("the client did not retry");
        }
    }

    @Test
    void aFailingTestReportsTheEventsTheChangedCountersAndKeepsItsCapture() {
        EngineExecutionResults results = run(AFailingTest.class);
        results.testEvents().assertStatistics(stats -> stats.failed(1));
        Path capture = captures.resolve(AFailingTest.class.getName()).resolve("fails.pcapng");
        assertTrue(Files.exists(capture), "a failing test's capture is kept");

        Map<String, String> entries = reportEntries(results);
        assertEquals("#2 2.500s api: down db", entries.get("tapnet.events"), "only the events during the test");
        assertEquals("frames_in 10", entries.get("tapnet.counters"), "only what changed, by how much");
        assertEquals(capture.toString(), entries.get("tapnet.capture"));

        Throwable failure = results.testEvents().failed().stream().findFirst().orElseThrow()
                .getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertEquals("the client did not retry", failure.getMessage());
        assertEquals(1, failure.getSuppressed().length);
        String report = failure.getSuppressed()[0].getMessage();
        assertTrue(report.startsWith("what the network did during fails(Network):"), report);
        assertTrue(report.contains("#2 2.500s api: down db") && report.contains("frames_in 10")
                && report.contains(capture + " (12 frames"), report);
        assertEquals(1, server.requests("POST /v1/reset").size(), "reset after a failing test too");
    }

    @Test
    void aCaptureTheRunCannotMakeDoesNotFailTheTest() {
        server.answer("POST /v1/captures", 400, "{\"error\":\"api:1:10: cannot write /nowhere/x.pcapng\"}");
        run(TwoPassingTests.class).testEvents().assertStatistics(stats -> stats.succeeded(2));
        assertTrue(server.requests("DELETE /v1/captures/1").isEmpty(), "nothing to stop");
        assertEquals(2, server.requests("POST /v1/reset").size());
    }

    static class Registered {
        @RegisterExtension
        static TapnetExtension tapnet = new TapnetExtension().withoutCaptures();

        @Test
        void injected(Network net) {
            assertTrue(net.address().endsWith("control.sock"), net.address());
        }
    }

    @Test
    void aRegisteredExtensionInjectsAndResetsWithoutCapturing() {
        run(Registered.class).testEvents().assertStatistics(stats -> stats.succeeded(1));
        assertEquals(1, server.requests("POST /v1/reset").size());
        assertTrue(server.requests("POST /v1/captures").isEmpty());
    }

    @Test
    void outsideARunTheTestsFailNamingTheCommand() {
        EngineExecutionResults results = run(TwoPassingTests.class, Map.of());
        Throwable failure = results.allEvents().stream().filter(e -> e.getType() == EventType.FINISHED)
                .map(e -> e.getPayload(TestExecutionResult.class).orElseThrow())
                .filter(r -> r.getStatus() == TestExecutionResult.Status.FAILED).findFirst().orElseThrow()
                .getThrowable().orElseThrow();
        assertTrue(failure.getMessage().contains("not inside a tapnet run") && failure.getMessage().contains("tapnet run FILE -- mvn test")
                && failure.getMessage().contains("@Tapnet(required = false)"), failure.getMessage());
        assertTrue(server.requests().isEmpty());
    }

    @Tapnet(required = false)
    static class Optional {
        @Test
        void needsTheNetwork(Network net) {
            net.reset();
        }
    }

    @Test
    void outsideARunOptionalTestsAreSkippedSayingWhy() {
        EngineExecutionResults results = run(Optional.class, Map.of());
        results.containerEvents().assertStatistics(stats -> stats.skipped(1));
        String reason = results.containerEvents().skipped().stream().findFirst().orElseThrow()
                .getPayload(String.class).orElseThrow();
        assertTrue(reason.contains("tapnet run FILE -- mvn test"), reason);
    }

    @Test
    void theRequiredParameterSkipsRequiredTestsToo() {
        run(TwoPassingTests.class, Map.of(TapnetExtension.REQUIRED_PARAMETER, "false"))
                .containerEvents().assertStatistics(stats -> stats.skipped(1));
    }

    @Test
    void insideARunOptionalTestsRun() {
        run(Optional.class).testEvents().assertStatistics(stats -> stats.succeeded(1));
    }

    private static Map<String, String> reportEntries(EngineExecutionResults results) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).orElseThrow())
                .flatMap(entry -> entry.getKeyValuePairs().entrySet().stream())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

}
