package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/** Emulated links as the kernel's ping meets them through the TAP. */
@Timeout(120)
class LinksIT {
    @Test
    void pingOverATwentyMillisecondLinkTakesFortyMillisecondsAndADownLinkNone(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("ping");
        Path topology = dir.resolve("links.yaml");
        Files.writeString(topology, """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  far: { address: 10.77.0.10 }
                  gone: { address: 10.77.0.20 }
                links:
                  - { between: [tap, far], delay: 20ms }
                  - { between: [tap, gone], down: true }
                """);
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess tapnet = TapnetProcess.start("run", "--netns", namespace.name(), topology.toString())) {
            tapnet.awaitLine("Stop with Ctrl-C", 30);
            ExternalCommand ping = namespace.exec(20, "ping", "-c", "5", "-i", "0.2", "-W", "2", "10.77.0.10");
            assertEquals(0, ping.exitCode(), ping.describe());
            List<Double> times = Pattern.compile("time=([0-9.]+) ms").matcher(ping.output()).results()
                    .map(m -> Double.parseDouble(m.group(1))).toList();
            assertEquals(5, times.size(), ping.output());
            // The first ping also waits for ARP across the link (another 40 ms); the others only for the echo.
            for (double t : times.subList(1, times.size())) {
                assertTrue(t >= 40 && t < 60, "RTT over a 20 ms link, both ways: " + t + " ms");
            }
            ExternalCommand lost = namespace.exec(10, "ping", "-c", "2", "-W", "1", "10.77.0.20");
            assertTrue(lost.exitCode() != 0, "a down link answers nothing: " + lost.describe());
            int code = tapnet.signalAndWait("TERM");
            assertTrue(code == 0 || code == 143);
            assertTrue(counter(tapnet.stdout(), "drop.link_down") >= 1, tapnet.output());
        }
    }

    private static long counter(String output, String name) {
        Matcher m = Pattern.compile("^\\s+" + Pattern.quote(name) + " (\\d+)$", Pattern.MULTILINE).matcher(output);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
