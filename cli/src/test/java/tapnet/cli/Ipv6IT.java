package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TapTestEnvironment;

/**
 * IPv6 as the kernel's own clients meet it through the TAP: the default topology on both families (ping,
 * curl by name and by address, Java and Python sockets), UDP and DNS AAAA, and the routers topology
 * (traceroute6, hop limit, packet too big, address unreachable).
 */
@Timeout(180)
class Ipv6IT {
    @Test
    void theDefaultTopologyAnswersOnBothFamilies() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("ping");
        TapTestEnvironment.assumeCommand("curl");
        try (RunningTopology run = RunningTopology.startDefault()) {
            String addresses = run.namespace().ip("-6", "addr", "show", "dev", "tapnet0");
            assertTrue(addresses.contains("inet6 fd77::1/64") && !addresses.contains("tentative"), addresses);

            ExternalCommand ping = run.exec(20, "ping", "-6", "-n", "-c", "3", "-i", "0.2", "-W", "2", "fd77::10");
            assertEquals(0, ping.exitCode(), ping.describe());
            assertTrue(ping.output().contains("3 received"), ping.output());
            ExternalCommand linkLocal = run.exec(20, "ping", "-6", "-n", "-c", "1", "-W", "2", "fe80::54:aff:fe4d:a%tapnet0");
            assertEquals(0, linkLocal.exitCode(), "web's link-local address, from its MAC 02:54:0a:4d:00:0a: " + linkLocal.describe());

            for (String url : List.of("http://[fd77::10]/", "http://web/")) {
                ExternalCommand curl = run.exec(20, "curl", "-6", "-sS", "--max-time", "10", url);
                assertEquals("hello from tapnet\n", curl.output(), curl.describe());
            }
            ExternalCommand curl4 = run.exec(20, "curl", "-4", "-sS", "--max-time", "10", "http://web/");
            assertEquals("hello from tapnet\n", curl4.output(), curl4.describe());

            // Java's own sockets: echo on port 7 over IPv6, the mail banner over both families.
            String echoed = run.call(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(InetAddress.getByName("fd77::10"), 7), 5000);
                    socket.setSoTimeout(5000);
                    OutputStream out = socket.getOutputStream();
                    out.write("over IPv6\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return new String(socket.getInputStream().readNBytes(10), StandardCharsets.US_ASCII);
                }
            });
            assertEquals("over IPv6\n", echoed);
            for (String mail : List.of("fd77::20", "10.77.0.20")) {
                String banner = run.call(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(InetAddress.getByName(mail), 25), 5000);
                        socket.setSoTimeout(5000);
                        InputStream in = socket.getInputStream();
                        return new String(in.readNBytes(29), StandardCharsets.US_ASCII);
                    }
                });
                assertEquals("220 mail.tapnet ESMTP ready\r\n", banner, mail);
            }

            // Python's sockets, as a Python client under test would connect (the hosts file names web).
            ExternalCommand python = run.exec(20, "python3", "-c", """
                    import socket
                    s = socket.create_connection(("fd77::10", 7), timeout=5)
                    s.sendall(b"python6\\n")
                    print(s.recv(100).decode(), end="")
                    print(socket.getaddrinfo("web", 80, socket.AF_INET6)[0][4][0])
                    """);
            assertEquals("python6\nfd77::10\n", python.output(), python.describe());

            // The MSS a host announces over IPv6 is the MTU less 60 (RFC 8200 §8.3): 1440 on a 1500-byte link, 20
            // less than over IPv4; the kernel's TCP_MAXSEG takes the 12 bytes of timestamps off both.
            ExternalCommand mss = run.exec(20, "python3", "-c", """
                    import socket
                    for address in ("fd77::10", "10.77.0.10"):
                        s = socket.create_connection((address, 80), timeout=5)
                        print(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG))
                    """);
            assertEquals("1428\n1448", mss.output().strip(), mss.describe());
        }
    }

    @Test
    void udpAndDnsOverIpv6(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("dig");
        try (RunningTopology run = RunningTopology.start(dir.resolve("udp6.yaml"), """
                tap: { address: 10.77.0.1/24, address6: fd77::1/64 }
                dns: { address: 10.77.0.53, domain: lab.test }
                hosts:
                  echo:
                    address: 10.77.0.10
                    address6: fd77::10
                    services:
                      - { port: 7, udpEcho: {} }
                """)) {
            byte[] sent = "a datagram over IPv6".getBytes(StandardCharsets.US_ASCII);
            byte[] echoed = run.call(() -> {
                try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("::"))) {
                    socket.setSoTimeout(3000);
                    socket.send(new DatagramPacket(sent, sent.length, new InetSocketAddress(InetAddress.getByName("fd77::10"), 7)));
                    DatagramPacket back = new DatagramPacket(new byte[100], 100);
                    socket.receive(back);
                    return java.util.Arrays.copyOf(back.getData(), back.getLength());
                }
            });
            assertArrayEquals(sent, echoed);

            ExternalCommand closed = run.exec(20, "python3", "-c", """
                    import socket
                    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
                    s.settimeout(3)
                    s.connect(("fd77::10", 9))
                    s.send(b"anyone?")
                    try:
                        s.recv(10)
                    except ConnectionRefusedError:
                        print("refused")
                    """);
            assertEquals("refused", closed.output().strip(), "ICMPv6 port unreachable reaches the socket: " + closed.describe());

            ExternalCommand aaaa = run.exec(20, "dig", "+short", "+time=2", "+tries=1", "@10.77.0.53", "echo.lab.test", "AAAA");
            assertEquals("fd77::10", aaaa.output().strip(), aaaa.describe());
            ExternalCommand reverse = run.exec(20, "dig", "+short", "+time=2", "+tries=1", "@10.77.0.53", "-x", "fd77::10");
            assertEquals("echo.lab.test.", reverse.output().strip(), reverse.describe());
        }
    }

    @Test
    void routersForwardIpv6HopByHop() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("traceroute6");
        String file = TapnetProcess.topologies().resolve("routers.yaml").toString();
        try (RunningTopology run = RunningTopology.startDefault(file)) {
            String routes = run.namespace().ip("-6", "route");
            assertTrue(routes.contains("fd79:1::/64 via fd79::fe") && routes.contains("fd79:2::/64 via fd79::fe"), routes);

            ExternalCommand hop1 = run.exec(10, "ping", "-6", "-n", "-c", "1", "-t", "1", "-W", "2", "fd79:2::10");
            assertTrue(hop1.output().contains("From fd79::fe") && hop1.output().contains("Time exceeded"), hop1.describe());

            ExternalCommand trace = run.exec(30, "traceroute6", "-n", "-q", "1", "-w", "2", "fd79:2::10");
            assertEquals(0, trace.exitCode(), trace.describe());
            List<String> hops = trace.output().lines().skip(1).map(l -> l.trim().split("\\s+")[1]).toList();
            assertEquals(List.of("fd79::fe", "fd79:1::2", "fd79:2::10"), hops, trace.output());

            ExternalCommand curl = run.exec(20, "curl", "-6", "-sS", "--max-time", "10", "http://[fd79:2::10]/");
            assertEquals("deep\n", curl.output(), curl.describe());

            ExternalCommand nobody = run.exec(10, "ping", "-6", "-n", "-c", "1", "-W", "2", "fd79:2::99");
            assertTrue(nobody.output().contains("From fd79:1::2") && nobody.output().contains("Address unreachable"),
                    nobody.describe());
        }
    }

    @Test
    void anAdvertisingRouterTeachesTheKernelItsRoutes(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        try (RunningTopology run = RunningTopology.start(dir.resolve("ra.yaml"), """
                tap: { address: 10.79.0.1/24, address6: fd79::1/64 }
                routers:
                  edge: { address: 10.79.0.254, subnet: 10.79.1.1/24, address6: fd79::fe, subnet6: fd79:1::1/64, advertise: true }
                  core: { address: 10.79.1.2, subnet: 10.79.2.1/24, address6: fd79:1::2, subnet6: fd79:2::1/64 }
                hosts:
                  deep: { address: 10.79.2.10, address6: fd79:2::10, services: [ { port: 80, http: { body: "deep\\n" } } ] }
                """)) {
            // The kernel solicits routers when the TAP comes up; edge answers with both subnets behind it (RFC 4191),
            // which the kernel routes through edge's link-local address: fe80:: and the EUI-64 of 02:54:0a:4f:00:fe.
            String routes = "";
            for (int i = 0; i < 50 && !routes.contains("fd79:2::/64"); i++) {
                Thread.sleep(100);
                routes = run.namespace().ip("-6", "route");
            }
            assertTrue(routes.contains("fd79:1::/64 via fe80::54:aff:fe4f:fe dev tapnet0 proto ra")
                    && routes.contains("fd79:2::/64 via fe80::54:aff:fe4f:fe dev tapnet0 proto ra"), routes);
            ExternalCommand curl = run.exec(20, "curl", "-6", "-sS", "--max-time", "10", "http://[fd79:2::10]/");
            assertEquals("deep\n", curl.output(), curl.describe());
        }
    }

    @Test
    void aLinkWithASmallerMtuTeachesThePathMtu(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        try (RunningTopology run = RunningTopology.start(dir.resolve("mtu6.yaml"), """
                tap: { address: 10.77.0.1/24, address6: fd77::1/64 }
                hosts:
                  far: { address: 10.77.0.10, address6: fd77::10, services: [ { port: 9, discard: {} } ] }
                links:
                  - { between: [tap, far], mtu: 1280 }
                """)) {
            ExternalCommand big = run.exec(10, "ping", "-6", "-n", "-c", "1", "-W", "2", "-s", "1400", "-M", "do", "fd77::10");
            assertTrue(big.output().contains("Packet too big: mtu=1280"), big.describe());
            String route = run.namespace().ip("-6", "route", "get", "fd77::10");
            assertTrue(route.contains("mtu 1280"), "the kernel keeps the path MTU: " + route);
            ExternalCommand fits = run.exec(10, "ping", "-6", "-n", "-c", "1", "-W", "2", "-s", "1232", "fd77::10");
            assertEquals(0, fits.exitCode(), "1232 + 8 + 40 = 1280 bytes fit: " + fits.describe());
        }
    }
}
