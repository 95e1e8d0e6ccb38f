package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.tap.TapTestEnvironment;

/**
 * The topology's DNS server as the machine's own resolvers meet it in {@code tapnet run FILE -- COMMAND}:
 * COMMAND's /etc/resolv.conf names it, so glibc (getent, curl, Python, Java) resolves the topology's names and
 * sees NXDOMAIN as a name that does not exist; dig asks it directly, and retries over TCP an answer
 * truncated over UDP. The machine's /etc/resolv.conf and /etc/hosts are untouched.
 */
@Timeout(120)
class DnsIT {
    private static final String BIG_TEXT = "x".repeat(2000); // more than dig's EDNS0 size of 1232: TC over UDP

    @BeforeEach
    void needsRootAndTools() {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("unshare");
        TapTestEnvironment.assumeCommand("setpriv");
        TapTestEnvironment.assumeCommand("curl");
        TapTestEnvironment.assumeCommand("getent");
    }

    private static Path topology(Path dir) throws Exception {
        Path file = dir.resolve("shop.yaml");
        Files.writeString(file, """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  web: { address: 10.77.0.10, services: [ { port: 80, http: { body: "hello from web\\n" } } ] }
                dns:
                  address: 10.77.0.53
                  domain: shop.test
                  records:
                    - { name: api, type: A, value: 10.77.0.10 }
                    - { name: big, type: TXT, value: "%s" }
                """.formatted(BIG_TEXT));
        return file;
    }

    @Test
    void glibcResolvesTheTopologysNamesThroughItsServerAndSeesNxdomainAsNoSuchName(@TempDir Path dir) throws Exception {
        byte[] resolv = Files.readAllBytes(Path.of("/etc/resolv.conf"));
        byte[] hosts = Files.readAllBytes(Path.of("/etc/hosts"));
        Set<String> before = Leftovers.namespaces();
        TapnetProcess run = TapnetProcess.run("run", topology(dir).toString(), "--", "sh", "-c",
                "getent hosts web.shop.test; curl -sS --max-time 5 http://web.shop.test/;"
                        + " getent ahostsv4 api | head -n 1;" // api alone: the search domain makes it api.shop.test
                        + " getent hosts nope.shop.test; echo \"nx=$?\"; cat /etc/resolv.conf");
        assertEquals(0, run.exitCode(), run.output());
        String out = commandOutput(run);
        assertTrue(out.startsWith("10.77.0.10      web.shop.test\nhello from web\n10.77.0.10      STREAM api.shop.test\nnx=2\n"),
                out); // getent exits 2: the name does not exist (getent(1))
        assertTrue(out.contains("\nnameserver 10.77.0.53\nsearch shop.test\n"), out);
        assertTrue(run.stderr().contains("dns_nxdomain"), "the counters at exit: " + run.output());
        assertEquals(new String(resolv), new String(Files.readAllBytes(Path.of("/etc/resolv.conf"))), "the machine's resolv.conf");
        assertEquals(new String(hosts), new String(Files.readAllBytes(Path.of("/etc/hosts"))), "the machine's /etc/hosts");
        Leftovers.assertNoNewNamespaces(before);
    }

    @Test
    void pythonGetsTheAddressAndAGaierrorForAnUnknownName(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeCommand("python3");
        TapnetProcess run = TapnetProcess.run("run", topology(dir).toString(), "--", "python3", "-c", """
                import socket
                print(socket.getaddrinfo("web.shop.test", 80, socket.AF_INET)[0][4][0])
                try:
                    socket.getaddrinfo("nope.shop.test", 80)
                    print("resolved")
                except socket.gaierror as e:
                    print("gaierror", e.errno == socket.EAI_NONAME)
                """);
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("10.77.0.10\ngaierror True", commandOutput(run), run.output());
    }

    @Test
    void javaResolvesTheNameAndThrowsUnknownHostForAnUnknownOne(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("Resolve.java");
        Files.writeString(source, """
                public class Resolve {
                    public static void main(String[] args) throws Exception {
                        System.out.println(java.net.InetAddress.getByName("web.shop.test").getHostAddress());
                        try {
                            java.net.InetAddress.getByName("nope.shop.test");
                            System.out.println("resolved");
                        } catch (java.net.UnknownHostException e) {
                            System.out.println("unknown host");
                        }
                    }
                }
                """);
        TapnetProcess run = TapnetProcess.run("run", topology(dir).toString(), "--", TapnetProcess.javaBinary(), source.toString());
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("10.77.0.10\nunknown host", commandOutput(run), run.output());
    }

    @Test
    void digAsksTheServerAndRetriesATruncatedAnswerOverTcp(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeCommand("dig"); // .ci/run installs dnsutils
        TapnetProcess run = TapnetProcess.run("run", topology(dir).toString(), "--", "sh", "-c",
                "dig +short @10.77.0.53 web.shop.test; dig @10.77.0.53 big.shop.test TXT");
        assertEquals(0, run.exitCode(), run.output());
        String out = commandOutput(run);
        assertTrue(out.startsWith("10.77.0.10\n"), out);
        assertTrue(out.contains(";; Truncated, retrying in TCP mode."), out);
        assertTrue(out.contains("status: NOERROR"), out);
        assertTrue(out.contains("ANSWER: 1,"), out);
        assertTrue(out.contains("(TCP)"), out);
        assertTrue(out.contains(BIG_TEXT.substring(0, 255)), out);
        assertTrue(run.stderr().contains("dns_truncated 1"), run.output());
        assertTrue(run.stderr().contains("dns_queries_tcp 1"), run.output());
    }

    /**
     * COMMAND's standard output without the JVM's own warnings: a relaunched tapnet is pid 1 of its pid
     * namespace, and when another one runs at the same time, the JVM says on standard output that its
     * /tmp/hsperfdata_root/1 is taken.
     */
    private static String commandOutput(TapnetProcess run) {
        return run.stdout().lines().filter(line -> !line.matches("\\[[0-9.]+s\\]\\[warning\\].*"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }
}
