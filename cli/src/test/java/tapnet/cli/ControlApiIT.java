package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/**
 * The control API of a running tapnet through real curl: every resource over the Unix socket, its errors
 * and limits, many clients at once, the TCP listener's token, and a reset under a live TCP connection.
 */
@Timeout(240)
class ControlApiIT {
    private static final String TOPOLOGY = """
            tap: { address: 10.77.0.1/24 }
            routers:
              r1: { address: 10.77.0.254, subnet: 10.78.1.1/24 }
            hosts:
              web:
                address: 10.77.0.10
                services:
                  - { port: 80, http: { routes: [ { path: /health, body: "ok\\n" }, { path: /api/*, body: "api\\n" } ] } }
                  - { port: 7, echo: {} }
              db: { address: 10.78.1.10 }
            links:
              - { between: [tap, web], delay: 5ms }
            """;

    /** A curl answer: its status and body. */
    private record Answer(int status, String body) {
    }

    @Test
    void everyResourceAnswersOverTheUnixSocket(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("curl");
        Path topology = dir.resolve("api.yaml");
        Files.writeString(topology, TOPOLOGY);
        Path socket = dir.resolve("control.sock");
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess tapnet = TapnetProcess.start("run", "--netns", namespace.name(), "--control", socket.toString(),
                     topology.toString())) {
            tapnet.awaitLine("Stop with Ctrl-C", 30);
            assertTrue(tapnet.stdout().contains("control API: curl --unix-socket " + socket + " http://tapnet/v1/links"),
                    tapnet.output());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)),
                    "only the run's user (and root) may connect");

            assertContains(curl(socket, "GET", "/", null), 200, "\"api\": \"tapnet\"");
            assertContains(curl(socket, "GET", "/v1/topology", null), 200, "{\"port\": 80, \"protocol\": \"tcp\", \"kind\": \"http\", \"running\": true}");
            assertContains(curl(socket, "GET", "/v1/links", null), 200, "\"node\": \"db\"");
            assertContains(curl(socket, "GET", "/v1/links/web", null), 200, "\"delay\": \"5ms\"");
            assertContains(curl(socket, "PUT", "/v1/links/web", "{\"delay\": \"50ms\"}"), 200, "\"delay\": \"50ms\"");
            assertContains(curl(socket, "PATCH", "/v1/links/web", "{\"loss\": \"1%\"}"), 200, "\"loss\": \"1%\"");
            assertContains(curl(socket, "POST", "/v1/links", "{between: [r1, db], delay: 2ms}"), 200, "\"delay\": \"2ms\"");
            assertContains(curl(socket, "POST", "/v1/nodes/db/down", null), 200, "\"down\": true");
            assertContains(curl(socket, "POST", "/v1/nodes/db/up", null), 200, "\"down\": false");
            assertContains(curl(socket, "PUT", "/v1/partition", "{\"groups\": [[\"tap\"], [\"db\"]]}"), 200, "\"db\"");
            assertContains(curl(socket, "GET", "/v1/partition", null), 200, "\"tap\"");
            assertContains(curl(socket, "DELETE", "/v1/partition", null), 200, "\"groups\": []");
            assertContains(curl(socket, "POST", "/v1/hosts/db/stop", null), 200, "\"running\": false");
            assertContains(curl(socket, "POST", "/v1/hosts/db/start", null), 200, "\"running\": true");
            assertContains(curl(socket, "POST", "/v1/hosts/web/services/80/stop", null), 200, "\"running\": false");
            assertContains(curl(socket, "POST", "/v1/hosts/web/services/80/start", null), 200, "\"running\": true");
            assertContains(curl(socket, "PUT", "/v1/hosts/web/services/7/faults", "{\"faults\": [{\"refuse\": {}, \"first\": 2}]}"),
                    200, "\"first\": 2");
            assertContains(curl(socket, "GET", "/v1/hosts/web/services/7/faults", null), 200, "\"refuse\": {}");
            assertContains(curl(socket, "DELETE", "/v1/hosts/web/services/7/faults", null), 200, "\"faults\": []");
            assertContains(curl(socket, "PUT", "/v1/hosts/web/services/80/routes/2/faults", "{\"faults\": [{\"status\": 503}]}"),
                    200, "\"status\": 503");
            assertEquals("503", namespace.exec(10, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://10.77.0.10/api/x").output().strip(), "the route's fault, live");
            assertContains(curl(socket, "GET", "/v1/hosts/web/services/80/routes/2/faults", null), 200, "\"status\": 503");
            assertContains(curl(socket, "DELETE", "/v1/hosts/web/services/80/routes/2/faults", null), 200, "\"faults\": []");
            assertContains(curl(socket, "POST", "/v1/routes/faults", "{service: web:80, route: 1, faults: []}"), 200, "\"faults\": []");
            assertContains(curl(socket, "GET", "/v1/dns/faults", null), 409, "no DNS server");
            assertContains(curl(socket, "GET", "/v1/counters", null), 200, "\"frames_in\": ");
            assertContains(curl(socket, "GET", "/v1/events?since=0", null), 200, "\"source\": \"api\"");
            assertContains(curl(socket, "GET", "/v1/metrics", null), 200, "# TYPE tapnet_");
            assertContains(curl(socket, "POST", "/v1/reset", null), 200, "\"reset\": true");
            Path pcap = dir.resolve("live.pcapng");
            assertContains(curl(socket, "POST", "/v1/captures", "{\"path\": \"" + pcap + "\", \"links\": [\"web\"]}"), 200, "\"id\": 1");
            assertEquals(0, namespace.exec(10, "ping", "-c", "2", "-i", "0.2", "10.77.0.10").exitCode());
            Answer stopped = curl(socket, "DELETE", "/v1/captures/1", null);
            assertEquals(200, stopped.status(), stopped.body());
            assertTrue(Pattern.compile("\"frames\": [1-9]").matcher(stopped.body()).find(), stopped.body());
            assertTrue(Files.size(pcap) > 100, "the capture's file");

            // mistakes: a body with line:column, an unknown name listing what exists, a method, a size
            Answer typo = curl(socket, "PATCH", "/v1/links/web", "{\"delay\": \"20ms\",\n \"dealy\": \"5ms\"}");
            assertContains(typo, 400, "\"error\": \"api:2:2: 'dealy' is not a key of a link; expected one of: ");
            assertContains(typo, 400, "{\"line\": 2, \"column\": 2, \"message\": \"'dealy' is not a key");
            assertContains(curl(socket, "GET", "/v1/links/nope", null), 404,
                    "there is no host, router or port named 'nope'; expected one of: r1, web, db");
            assertContains(curl(socket, "DELETE", "/v1/counters", null), 405, "expected GET");
            Path big = dir.resolve("big.json");
            Files.writeString(big, "[" + " ".repeat(100 * 1024) + "]");
            Answer tooLarge = curl(socket, "PUT", "/v1/partition", "@" + big);
            assertContains(tooLarge, 413, "expected at most 65536");

            Answer headers = answer(ExternalCommand.run(30, "curl", "-sS", "--unix-socket", socket.toString(), "-w", "\n%{http_code}",
                    "-H", "X-Long: " + "x".repeat(9000), "http://tapnet/v1/links"));
            assertContains(headers, 431, "\"error\": \"HTTP 431");

            // a client that goes away mid-request disturbs nobody
            try (SocketChannel half = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                half.connect(UnixDomainSocketAddress.of(socket));
                half.write(ByteBuffer.wrap("PUT /v1/partition HTTP/1.1\r\nHost: t\r\nContent-Length: 500\r\n\r\n{\"gro"
                        .getBytes(StandardCharsets.US_ASCII)));
            }
            assertContains(curl(socket, "GET", "/v1/partition", null), 200, "\"groups\": []");

            // more clients at once than the connections it holds: every one answered
            ExecutorService pool = Executors.newFixedThreadPool(24);
            try {
                List<Future<Answer>> many = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    many.add(pool.submit(() -> curl(socket, "GET", "/v1/links", null)));
                }
                for (Future<Answer> f : many) {
                    assertEquals(200, f.get().status(), f.get().body());
                }
            } finally {
                pool.shutdownNow();
            }

            TapnetProcess ctl = TapnetProcess.run("ctl", "--socket", socket.toString(), "links");
            assertEquals(0, ctl.exitCode(), ctl.output());
            assertTrue(ctl.stdout().contains("- {between: [tap, web], delay: 5ms}"), ctl.output());

            int code = tapnet.signalAndWait("TERM");
            assertTrue(code == 0 || code == 143, tapnet.output());
            assertTrue(tapnet.stdout().contains("control.requests "), tapnet.output());
            assertFalse(Files.exists(socket), "the socket is removed at exit");
        }
    }

    @Test
    void eventsListApiCtlAndScriptChangesAndResetKeepsAnOpenConnection(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("curl");
        Path topology = dir.resolve("events.yaml");
        Files.writeString(topology, TOPOLOGY + """
                script:
                  duration: 60s
                  events:
                    - { at: 1s, link: { between: [r1, db], delay: 3ms } }
                """);
        Path socket = dir.resolve("control.sock");
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess tapnet = TapnetProcess.start("run", "--netns", namespace.name(), "--control", socket.toString(),
                     "--control-listen", "127.0.0.1:0", "--report", dir.resolve("report").toString(), topology.toString())) {
            tapnet.awaitLine("The script runs for", 30);
            Matcher tcp = Pattern.compile("control API on TCP: (http://127\\.0\\.0\\.1:\\d+)/v1/ .* the token in (\\S+)")
                    .matcher(tapnet.stdout());
            assertTrue(tcp.find(), tapnet.output());
            String url = tcp.group(1);
            Path tokenFile = Path.of(tcp.group(2));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
            String token = Files.readString(tokenFile).strip();
            assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "32 random bytes, base64url: " + token);

            // the TCP listener: the token or nothing
            assertContains(curlTcp(url + "/v1/partition", null), 401, "needs the run's token");
            assertContains(curlTcp(url + "/v1/partition", "wrong"), 401, "needs the run's token");
            assertContains(curlTcp(url + "/v1/partition", token), 200, "\"groups\": []");

            // an open TCP connection to the echo service, across changes and a reset
            try (Socket echo = namespace.call(() -> new Socket("10.77.0.10", 7))) {
                echo.setSoTimeout(5000);
                assertEquals("one", roundTrip(echo, "one"));

                assertContains(curl(socket, "PATCH", "/v1/links/web", "{\"delay\": \"40ms\"}"), 200, "\"delay\": \"40ms\"");
                TapnetProcess ctl = TapnetProcess.run("ctl", "--socket", socket.toString(), "link", "{between: [tap, web], loss: 0%, delay: 30ms}");
                assertEquals(0, ctl.exitCode(), ctl.output());
                Thread.sleep(1500); // the script's event at 1 s
                Answer events = curl(socket, "GET", "/v1/events", null);
                assertContains(events, 200, "\"source\": \"api\", \"action\": \"link web: {delay: 40ms}\"");
                assertContains(events, 200, "\"source\": \"ctl\", \"action\": \"link web: {delay: 30ms}\"");
                assertContains(events, 200, "\"source\": \"script\", \"action\": \"link db: {delay: 3ms}\"");

                Answer reset = curl(socket, "POST", "/v1/reset", null);
                assertContains(reset, 200, "\"events\": 2");
                assertContains(curl(socket, "GET", "/v1/links/web", null), 200, "\"delay\": \"5ms\"");
                assertContains(curl(socket, "GET", "/v1/links/db", null), 200, "\"fromNode\": {\n    \"down\": false");
                assertEquals("two", roundTrip(echo, "two"), "the connection lives on after the reset");
            }
            assertContains(curl(socket, "GET", "/v1/events?since=3", null), 200, "\"source\": \"reset\"");

            int code = tapnet.signalAndWait("TERM");
            assertTrue(code == 0 || code == 1 || code == 143, tapnet.output()); // cut short
            assertFalse(Files.exists(tokenFile), "the token file is removed at exit");
        }
    }

    @Test
    void commandFindsTheApisUrlAndTokenInItsEnvironment(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("curl");
        TapTestEnvironment.assumeCommand("unshare");
        Path topology = dir.resolve("env.yaml");
        Files.writeString(topology, TOPOLOGY);
        // without --netns, COMMAND shares tapnet's network namespace (one of its own), and so its loopback
        TapnetProcess run = TapnetProcess.run("run", "--control-listen", "127.0.0.1:0", topology.toString(), "--", "sh", "-c",
                "curl -sS -H \"Authorization: Bearer $(cat \"$TAPNET_CONTROL_TOKEN_FILE\")\" \"$TAPNET_CONTROL_URL/v1/links/web\";"
                        + " curl -sS --unix-socket \"$TAPNET_CONTROL\" http://tapnet/v1/partition");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.stdout().contains("\"node\": \"web\""), run.output());
        assertTrue(run.stdout().contains("\"groups\": []"), run.output());
    }

    @Test
    void aTcpListenerOffLoopbackIsRefusedWithoutForce(@TempDir Path dir) throws Exception {
        Path topology = dir.resolve("t.yaml");
        Files.writeString(topology, TOPOLOGY);
        TapnetProcess refused = TapnetProcess.run("run", "--control-listen", "192.0.2.1:8474", topology.toString());
        assertEquals(2, refused.exitCode(), refused.output());
        assertTrue(refused.stderr().contains("--control-listen 192.0.2.1:8474 is not a loopback address"), refused.output());
        TapnetProcess malformed = TapnetProcess.run("run", "--control-listen", "localhost", topology.toString());
        assertEquals(2, malformed.exitCode(), malformed.output());
        assertTrue(malformed.stderr().contains("expected HOST:PORT"), malformed.output());
    }

    private static String roundTrip(Socket socket, String text) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        return new String(in.readNBytes(text.length()), StandardCharsets.US_ASCII);
    }

    private static void assertContains(Answer answer, int status, String text) {
        assertEquals(status, answer.status(), answer.body());
        assertTrue(answer.body().contains(text), "expected " + text + " in:\n" + answer.body());
    }

    /** curl over the Unix socket; {@code body} null for none, {@code @FILE} for a file's. */
    private static Answer curl(Path socket, String method, String path, String body) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--unix-socket", socket.toString(), "-X", method,
                "-w", "\n%{http_code}"));
        if (body != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", body));
        }
        command.add("http://tapnet" + path);
        return answer(ExternalCommand.run(30, command.toArray(String[]::new)));
    }

    private static Answer curlTcp(String url, String token) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-w", "\n%{http_code}"));
        if (token != null) {
            command.addAll(List.of("-H", "Authorization: Bearer " + token));
        }
        command.add(url);
        return answer(ExternalCommand.run(30, command.toArray(String[]::new)));
    }

    private static Answer answer(ExternalCommand curl) {
        String out = curl.output();
        int last = out.stripTrailing().lastIndexOf('\n');
        String status = out.substring(last + 1).strip();
        assertTrue(status.matches("\\d{3}"), "curl: " + curl.describe());
        return new Answer(Integer.parseInt(status), out.substring(0, Math.max(0, last)));
    }
}
