package tapnet.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tapnet.link.Impairments;
import tapnet.node.VirtualHost;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wireshark's own reader on what the engine captured: {@code tshark -r} reads every file of a ring,
 * finds every frame, the event comments, and nanosecond timestamps. Skipped where tshark is not installed
 * (CI installs it: .ci/run).
 */
class TsharkReadsCapturesTest {
    @TempDir
    Path directory;

    @Test
    void tsharkReadsEveryFileOfTheRing() throws Exception {
        Assumptions.assumeTrue(tsharkInstalled(), "tshark is not installed (apt-get install tshark): skipping the Wireshark check");

        EngineHarness net = new EngineHarness();
        VirtualHost web = net.host("web", "10.77.0.10");
        Capture capture = Capture.open(directory, "run", 1500, 1000); // a few packets a file, none deleted
        net.engine.capture(capture);
        net.engine.captureLink("web", capture);
        long t0 = net.clock.nanos() + 123; // off the millisecond: only nanosecond timestamps keep it
        net.clock.advanceTo(t0);
        Impairments delayed = Impairments.NONE.withDelay(Duration.ofMillis(3));
        net.engine.setLink(web, delayed, delayed);
        capture.comment("link web: delay 3ms", t0);
        for (int seq = 0; seq < 10; seq++) {
            net.send(FrameBuilder.echoRequest(EngineHarness.PEER_MAC, web.mac(), EngineHarness.PEER_IP, web.address(), 1, seq, new byte[100]));
            net.advanceMillis(10);
        }
        capture.comment("the end", net.clock.nanos()); // no frame follows
        capture.close();

        List<Path> files = capture.files();
        assertTrue(files.size() > 3, "the ring rotated: " + files);
        List<String> lines = new ArrayList<>();
        int ours = 0;
        for (Path file : files) {
            List<String> read = tshark(file);
            assertEquals(PcapngFile.read(file).packets().size(), read.size(), file + ": every frame, as tapnet wrote them");
            lines.addAll(read);
            ours += read.size();
        }
        assertEquals(2 + 10 * 4, ours, "two event records; each request and reply once on the tap and once on the link");
        assertTrue(lines.contains("link web: delay 3ms\t1000.000000123\tevents"), String.join("\n", lines));
        assertTrue(lines.contains("link web: delay 3ms\t1000.000000123\ttap"), "the next frame carries the event");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("the end\t") && l.endsWith("\tevents")));
        assertTrue(lines.contains("\t1000.003000123\tlink tap<->web"), "3 ms later, to the nanosecond, across the link");
        for (String line : lines) {
            assertTrue(line.split("\t")[1].matches("\\d+\\.\\d{9}"), "nanosecond time: " + line);
        }
    }

    private static boolean tsharkInstalled() {
        try {
            Process p = new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The file's frames as "comment TAB epoch time TAB interface", one a line; fails on any complaint. */
    private static List<String> tshark(Path file) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("tshark", ".err");
        try {
            Process p = new ProcessBuilder("tshark", "-r", file.toString(), "-T", "fields",
                    "-e", "frame.comment", "-e", "frame.time_epoch", "-e", "frame.interface_name")
                    .redirectError(errors.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tshark finished");
            String stderr = Files.readString(errors).replaceAll("(?m)^Running as user .*$\\n?", "");
            assertEquals(0, p.exitValue(), file + ": " + stderr);
            assertEquals("", stderr.strip(), file + ": tshark complained");
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        } finally {
            Files.deleteIfExists(errors);
        }
    }
}
