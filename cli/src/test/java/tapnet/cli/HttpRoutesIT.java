package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.service.RoutedHttpService;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TapTestEnvironment;

/** An HTTP service with routes, as curl and Java's HttpClient meet it by address through the TAP. */
@Timeout(120)
class HttpRoutesIT {
    private static final String WEB = "http://10.77.0.10";
    private static RunningTopology run;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("curl");
        run = RunningTopology.start(dir.resolve("routes.yaml"), """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web:
                    address: 10.77.0.10
                    services:
                      - port: 80
                        http:
                          routes:
                            - { method: GET, path: /health, body: "ok\\n" }
                            - { path: /api/*, contentType: application/json, body: '{"api": true}' }
                            - { path: /big, size: 10MiB, contentType: application/octet-stream }
                            - { path: /paced, size: 200KiB, bytesPerSecond: 100KiB }
                """,
                "--control", dir.resolve("control.sock").toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void twoRoutesAnswerOnOneKeptAliveConnection() {
        ExternalCommand curl = run.exec(20, "curl", "-sS", "-v", "--max-time", "10",
                WEB + "/health", WEB + "/api/users?id=7", WEB + "/nowhere");
        assertEquals(0, curl.exitCode(), curl.describe());
        assertEquals("ok\n{\"api\": true}not found\n", curl.output());
        assertTrue(curl.errors().contains("Re-using existing connection"), curl.describe());
        assertTrue(curl.errors().contains("HTTP/1.1 404 Not Found"), curl.describe());
    }

    @Test
    void aTenMegabyteGeneratedBodyArrivesByteForByte() throws Exception {
        Path out = dir.resolve("big.bin");
        ExternalCommand curl = run.exec(60, "curl", "-sS", "--max-time", "50", "-o", out.toString(), WEB + "/big");
        assertEquals(0, curl.exitCode(), curl.describe());
        byte[] got = Files.readAllBytes(out);
        assertEquals(10 << 20, got.length);
        assertArrayEquals(RoutedHttpService.generatedBody(10 << 20), got);
    }

    @Test
    void aPacedBodyTakesAboutItsSizeOverItsRate() {
        ExternalCommand curl = run.exec(30, "curl", "-sS", "--max-time", "20", "-o", "/dev/null",
                "-w", "%{size_download} %{time_total}", WEB + "/paced");
        assertEquals(0, curl.exitCode(), curl.describe());
        String[] parts = curl.output().trim().split(" ");
        assertEquals("204800", parts[0], curl.describe());
        double seconds = Double.parseDouble(parts[1]);
        assertTrue(seconds > 1.8 && seconds < 3.0, "200 KiB at 100 KiB/s took " + seconds + " s");
    }

    @Test
    void requestsAreCountedPerRouteForCtl() throws Exception {
        run.exec(10, "curl", "-sS", "--max-time", "5", WEB + "/health", WEB + "/health");
        TapnetProcess ctl = TapnetProcess.run("ctl", "--socket", dir.resolve("control.sock").toString(), "counters");
        assertEquals(0, ctl.exitCode(), ctl.output());
        assertTrue(Pattern.compile("(?m)^http.web.80.route.1.requests [1-9]\\d*$").matcher(ctl.stdout()).find(), ctl.output());
        assertTrue(Pattern.compile("(?m)^http.web.80.route.1.status.200 [1-9]\\d*$").matcher(ctl.stdout()).find(), ctl.output());
    }

    /**
     * Java's HttpClient, as a JVM service would use it: two routes and a 404 on one kept-alive connection (the
     * engine opens one connection for all four requests), the 10 MiB body byte for byte against the pattern
     * regenerated on the client's side, and the paced body taking its size over its rate.
     */
    @Test
    void javasHttpClientKeepsOneConnectionAcrossRoutesAndGetsEveryByte() throws Exception {
        Path source = dir.resolve("Client.java");
        Files.writeString(source, """
                import java.net.URI;
                import java.net.http.HttpClient;
                import java.net.http.HttpRequest;
                import java.net.http.HttpResponse.BodyHandlers;
                import java.time.Duration;
                import java.util.Arrays;

                public class Client {
                    public static void main(String[] args) throws Exception {
                        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                .connectTimeout(Duration.ofSeconds(5)).build();
                        for (String path : new String[] {"/health", "/api/users?id=7", "/nowhere"}) {
                            var r = client.send(get(path), BodyHandlers.ofString());
                            System.out.println(path + " " + r.statusCode() + " " + r.body().strip());
                        }
                        byte[] big = client.send(get("/big"), BodyHandlers.ofByteArray()).body();
                        String line = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/\\n";
                        byte[] expected = new byte[10 << 20];
                        for (int i = 0; i < expected.length; i++) {
                            expected[i] = (byte) line.charAt(i % line.length());
                        }
                        System.out.println("/big " + big.length + " " + (Arrays.equals(big, expected) ? "intact" : "differs"));
                        long started = System.nanoTime();
                        int paced = client.send(get("/paced"), BodyHandlers.ofByteArray()).body().length;
                        System.out.printf("/paced %d %.2f%n", paced, (System.nanoTime() - started) / 1e9);
                    }

                    static HttpRequest get(String path) {
                        return HttpRequest.newBuilder(URI.create("http://10.77.0.10" + path)).timeout(Duration.ofSeconds(30)).build();
                    }
                }
                """);
        long opened = counter("tcp_connections_opened");
        ExternalCommand java = run.exec(90, TapnetProcess.javaBinary(), source.toString());
        assertEquals(0, java.exitCode(), java.describe());
        String[] lines = java.output().strip().split("\n");
        assertEquals("/health 200 ok", lines[0], java.describe());
        assertEquals("/api/users?id=7 200 {\"api\": true}", lines[1]);
        assertEquals("/nowhere 404 not found", lines[2]);
        assertEquals("/big 10485760 intact", lines[3]);
        String[] paced = lines[4].split(" ");
        assertEquals("204800", paced[1]);
        double seconds = Double.parseDouble(paced[2]);
        assertTrue(seconds > 1.8 && seconds < 3.0, "200 KiB at 100 KiB/s took " + seconds + " s");
        assertEquals(opened + 1, counter("tcp_connections_opened"), "every request on one connection: " + java.describe());
    }

    private static long counter(String name) throws Exception {
        TapnetProcess ctl = TapnetProcess.run("ctl", "--socket", dir.resolve("control.sock").toString(), "counters");
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)$").matcher(ctl.stdout());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
