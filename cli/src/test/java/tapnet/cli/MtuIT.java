package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/** A link's MTU as the kernel meets it: path MTU discovery by ICMP, and TCP that fits through. */
@Timeout(120)
class MtuIT {
    /** An HTTP body several segments long: it only arrives if the host's segments fit the link. */
    private static final String BODY = "0123456789abcdef".repeat(250) + "\n";

    @Test
    void dfPingsLearnTheLinksMtuAndHttpFitsThrough(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("ping");
        TapTestEnvironment.assumeCommand("curl");
        Path topology = dir.resolve("mtu.yaml");
        Files.writeString(topology, """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web:
                    address: 10.77.0.10
                    services:
                      - { port: 80, http: { body: "%s" } }
                links:
                  - { between: [tap, web], mtu: 1000 }
                """.formatted(BODY.replace("\n", "\\n")));
        try (TestNamespace namespace = TestNamespace.create();
             TapnetProcess tapnet = TapnetProcess.start("run", "--netns", namespace.name(), topology.toString())) {
            tapnet.awaitLine("Stop with Ctrl-C", 30);
            ExternalCommand tooBig = namespace.exec(10, "ping", "-n", "-M", "do", "-s", "1400", "-c", "1", "-W", "2", "10.77.0.10");
            String said = tooBig.output().replace(" ", "");
            assertTrue(said.contains("Fragneeded") && said.contains("mtu=1000"), tooBig.describe());
            String route = namespace.ip("route", "get", "10.77.0.10");
            assertTrue(route.contains("mtu 1000"), "the kernel cached the path MTU: " + route);

            ExternalCommand fits = namespace.exec(10, "ping", "-n", "-M", "do", "-s", "900", "-c", "1", "-W", "2", "10.77.0.10");
            assertEquals(0, fits.exitCode(), fits.describe());

            ExternalCommand curl = namespace.exec(20, "curl", "-sS", "--max-time", "10", "http://10.77.0.10/");
            assertEquals(BODY, curl.output(), curl.describe());

            int code = tapnet.signalAndWait("TERM");
            assertTrue(code == 0 || code == 143);
            assertTrue(counter(tapnet.stdout(), "icmp_frag_needed_sent") >= 1, tapnet.output());
            assertTrue(counter(tapnet.stdout(), "drop.link_too_big") >= 1, tapnet.output());
        }
    }

    private static long counter(String output, String name) {
        Matcher m = Pattern.compile("^\\s+" + Pattern.quote(name) + " (\\d+)$", Pattern.MULTILINE).matcher(output);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
