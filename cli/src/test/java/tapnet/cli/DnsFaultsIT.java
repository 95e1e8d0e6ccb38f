package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TapTestEnvironment;
import tapnet.tap.TestNamespace;

/**
 * The DNS server's faults as the machine's own clients meet them through the TAP: dig's statuses, a
 * timeout, a measured delay, a wrong address and TTL; glibc retrying a truncated answer over TCP; Java's
 * UnknownHostException and Python's gaierror; {@code first: 2}; and a live change with {@code tapnet ctl}.
 * One tapnet run serves every test, the live change last; glibc's clients get a resolv.conf naming the
 * server, bind-mounted in a mount namespace of their own (the machine's is untouched).
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DnsFaultsIT {
    private static final String DIG = "dig +tries=1 +time=3 @10.77.0.53 ";
    private static TestNamespace namespace;
    private static TapnetProcess tapnet;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("dig"); // .ci/run installs dnsutils
        TapTestEnvironment.assumeCommand("getent");
        TapTestEnvironment.assumeCommand("unshare");
        Path topology = dir.resolve("shop.yaml");
        Files.writeString(topology, """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10 }
                  db: { address: 10.77.0.11 }
                dns:
                  address: 10.77.0.53
                  domain: shop.test
                  records:
                    - { name: nx, type: A, value: 10.77.0.10 }
                    - { name: sf, type: A, value: 10.77.0.10 }
                    - { name: rf, type: A, value: 10.77.0.10 }
                    - { name: slow, type: A, value: 10.77.0.10 }
                    - { name: lag, type: A, value: 10.77.0.10 }
                    - { name: big, type: A, value: 10.77.0.10 }
                    - { name: api, type: A, value: 10.77.0.10 }
                    - { name: short, type: A, value: 10.77.0.10 }
                  faults:
                    - { name: nx, nxdomain: {} }
                    - { name: sf, servfail: {} }
                    - { name: rf, refused: {} }
                    - { name: slow, timeout: {} }
                    - { name: lag, delay: 1500ms }
                    - { name: big, truncate: {} }
                    - { name: api, wrongAddress: 10.77.0.99 }
                    - { name: short, ttl: 7 }
                    - { name: db, nxdomain: {}, first: 2 }
                """);
        Files.writeString(dir.resolve("resolv.conf"), "nameserver 10.77.0.53\noptions attempts:1 timeout:2\n");
        namespace = TestNamespace.create();
        tapnet = TapnetProcess.start("run", "--netns", namespace.name(), "--control", dir.resolve("control.sock").toString(),
                topology.toString());
        tapnet.awaitLine("Stop with Ctrl-C", 30);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (tapnet != null) {
                tapnet.close();
            }
        } finally {
            if (namespace != null) {
                namespace.close();
            }
        }
    }

    private static ExternalCommand sh(int timeoutSeconds, String script) {
        return namespace.exec(timeoutSeconds, "sh", "-c", script);
    }

    /** {@code command} in the namespace with the server in its /etc/resolv.conf, as glibc's clients read it. */
    private static ExternalCommand resolving(int timeoutSeconds, String... command) {
        List<String> full = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "mount --bind \"$0\" /etc/resolv.conf && exec \"$@\"", dir.resolve("resolv.conf").toString()));
        full.addAll(List.of(command));
        return namespace.exec(timeoutSeconds, full.toArray(String[]::new));
    }

    private static TapnetProcess ctl(String... words) throws Exception {
        List<String> args = new ArrayList<>(List.of("ctl", "--socket", dir.resolve("control.sock").toString()));
        args.addAll(List.of(words));
        return TapnetProcess.run(args.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void digSeesNxdomainServfailAndRefused() {
        ExternalCommand dig = sh(20, DIG + "nx.shop.test; " + DIG + "sf.shop.test; " + DIG + "rf.shop.test");
        assertEquals(0, dig.exitCode(), dig.describe());
        List<String> statuses = Pattern.compile("status: (\\w+)").matcher(dig.output()).results().map(m -> m.group(1)).toList();
        assertEquals(List.of("NXDOMAIN", "SERVFAIL", "REFUSED"), statuses, dig.describe());
    }

    @Test
    @Order(2)
    void digTimesOutWhenNoAnswerComes() {
        ExternalCommand dig = namespace.exec(20, "dig", "+tries=1", "+time=1", "@10.77.0.53", "slow.shop.test");
        assertEquals(9, dig.exitCode(), dig.describe()); // dig(1): 9, no reply from server
        assertTrue(dig.output().contains("timed out"), dig.describe());
    }

    @Test
    @Order(3)
    void aDelayedAnswerTakesTheDelay() {
        ExternalCommand dig = sh(20, DIG + "lag.shop.test");
        assertEquals(0, dig.exitCode(), dig.describe());
        Matcher time = Pattern.compile("Query time: (\\d+) msec").matcher(dig.output());
        assertTrue(time.find(), dig.describe());
        int millis = Integer.parseInt(time.group(1));
        assertTrue(millis >= 1500 && millis < 2500, "answered after " + millis + " ms; expected 1.5 s: " + dig.describe());
        assertTrue(dig.output().contains("status: NOERROR"), dig.describe());
    }

    @Test
    @Order(4)
    void wrongAddressAndTtlAreWhatDigShows() {
        ExternalCommand dig = sh(20, DIG + "+short api.shop.test; " + DIG + "+noall +answer short.shop.test");
        assertEquals(0, dig.exitCode(), dig.describe());
        assertTrue(dig.output().startsWith("10.77.0.99\n"), dig.describe());
        assertTrue(Pattern.compile("(?m)^short\\.shop\\.test\\.\\s+7\\s+IN\\s+A\\s+10\\.77\\.0\\.10$").matcher(dig.output()).find(),
                dig.describe());
    }

    @Test
    @Order(5)
    void firstTwoFailThenTheNameResolves() {
        ExternalCommand dig = sh(20, DIG + "db.shop.test; " + DIG + "db.shop.test; " + DIG + "db.shop.test");
        List<String> statuses = Pattern.compile("status: (\\w+)").matcher(dig.output()).results().map(m -> m.group(1)).toList();
        assertEquals(List.of("NXDOMAIN", "NXDOMAIN", "NOERROR"), statuses, dig.describe());
        assertTrue(dig.output().contains("10.77.0.11"), dig.describe());
    }

    @Test
    @Order(6)
    void glibcRetriesATruncatedAnswerOverTcp() throws Exception {
        ExternalCommand getent = resolving(20, "getent", "ahostsv4", "big.shop.test");
        assertEquals(0, getent.exitCode(), getent.describe());
        assertTrue(getent.output().startsWith("10.77.0.10 "), getent.describe());
        TapnetProcess counters = ctl("counters");
        assertTrue(Pattern.compile("(?m)^dns_fault_truncate [1-9]").matcher(counters.stdout()).find(), counters.output());
        assertTrue(Pattern.compile("(?m)^dns_queries_tcp [1-9]").matcher(counters.stdout()).find(), counters.output());
    }

    @Test
    @Order(7)
    void javaGetsUnknownHostForNxdomain() throws Exception {
        Path source = dir.resolve("Resolve.java");
        Files.writeString(source, """
                public class Resolve {
                    public static void main(String[] args) throws Exception {
                        System.out.println(java.net.InetAddress.getByName("web.shop.test").getHostAddress());
                        try {
                            java.net.InetAddress.getByName("nx.shop.test");
                            System.out.println("resolved");
                        } catch (java.net.UnknownHostException e) {
                            System.out.println("unknown host");
                        }
                    }
                }
                """);
        ExternalCommand java = resolving(60, TapnetProcess.javaBinary(), source.toString());
        assertEquals(0, java.exitCode(), java.describe());
        assertEquals("10.77.0.10\nunknown host\n", java.output(), java.describe());
    }

    @Test
    @Order(8)
    void pythonGetsAGaierrorForServfailAndNxdomain() {
        TapTestEnvironment.assumeCommand("python3");
        ExternalCommand python = resolving(30, "python3", "-c", """
                import socket
                for name in ("sf.shop.test", "nx.shop.test"):
                    try:
                        socket.getaddrinfo(name, 80, socket.AF_INET)
                        print(name, "resolved")
                    except socket.gaierror as e:
                        print(name, {socket.EAI_AGAIN: "EAI_AGAIN", socket.EAI_NONAME: "EAI_NONAME"}.get(e.errno, e.errno))
                """);
        assertEquals(0, python.exitCode(), python.describe());
        assertEquals("sf.shop.test EAI_AGAIN\nnx.shop.test EAI_NONAME\n", python.output(), python.describe());
    }

    @Test
    @Order(100) // replaces the rules the tests above rely on
    void ctlChangesTheFaultsLiveAndClearsThem() throws Exception {
        TapnetProcess set = ctl("dnsFaults", "[ {name: web, servfail: {}} ]");
        assertEquals(0, set.exitCode(), set.output());
        assertEquals("dnsFaults [{name: web, servfail: {}}]", set.stdout().strip(), set.output());
        ExternalCommand dig = sh(20, DIG + "web.shop.test; " + DIG + "nx.shop.test");
        List<String> statuses = Pattern.compile("status: (\\w+)").matcher(dig.output()).results().map(m -> m.group(1)).toList();
        assertEquals(List.of("SERVFAIL", "NOERROR"), statuses, "the rules were replaced: " + dig.describe());

        TapnetProcess wrong = ctl("dnsFaults", "[ {name: web, servfial: {}} ]");
        assertEquals(1, wrong.exitCode(), wrong.output());
        assertTrue(wrong.stderr().contains("ctl:1:15: 'servfial' is not a key of a DNS fault"), wrong.output());

        TapnetProcess clear = ctl("dnsFaults", "[]");
        assertEquals(0, clear.exitCode(), clear.output());
        assertEquals("dnsFaults (none)", clear.stdout().strip(), clear.output());
        dig = sh(20, DIG + "web.shop.test");
        assertTrue(dig.output().contains("status: NOERROR"), dig.describe());
    }
}
