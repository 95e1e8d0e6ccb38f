package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.tap.ExternalCommand;
import tapnet.tap.TapTestEnvironment;

/**
 * IPv4 fragments as the kernel sends and takes them: large pings and UDP datagrams reassembled by the hosts
 * and answered in fragments, a router cutting them again for a narrower link, overlapping fragments (crafted
 * with scapy) dropped and counted.
 */
@Timeout(180)
class FragmentsIT {
    /** A host on the TAP's subnet and one behind a router whose link to it carries 1,280 bytes. */
    private static final String ROUTED = """
            tap: { address: 10.77.0.1/24 }
            routers:
              edge: { address: 10.77.0.254, subnet: 10.78.1.1/24 }
            hosts:
              web:
                address: 10.77.0.10
                services:
                  - { port: 7, udpEcho: {} }
              deep:
                address: 10.78.1.10
                services:
                  - { port: 7, udpEcho: {} }
            links:
              - { between: [edge, deep], mtu: 1280 }
            """;

    /** Sends {@code size} bytes to UDP echo at {@code host} and prints whether the same bytes came back. */
    private static final String UDP_ECHO = """
            import socket, sys
            host, size = sys.argv[1], int(sys.argv[2])
            data = bytes((i * 7 + i // 256) % 256 for i in range(size))
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(3)
            s.sendto(data, (host, 7))
            back, peer = s.recvfrom(70000)
            print("echoed" if back == data and peer[1] == 7 else "different: %d bytes" % len(back))
            """;

    /** A ping's three fragments, the second overlapping the first by 8 bytes (not a copy): Linux drops the datagram. */
    private static final String OVERLAP = """
            from scapy.all import IP, ICMP, Raw, send
            payload = bytes(ICMP(id=7, seq=1) / Raw(b"x" * 3992))
            def piece(offset, data, more):
                return IP(dst="10.77.0.10", id=4242, proto=1, flags="MF" if more else 0, frag=offset // 8) / Raw(data)
            send([piece(0, payload[0:1480], True), piece(1472, payload[1472:2952], True),
                  piece(2952, payload[2952:], False)], verbose=0)
            """;

    @Test
    void largePingsToAHostOfTheDefaultTopologyAreAnswered() throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("ping");
        try (RunningTopology run = RunningTopology.startDefault()) {
            ExternalCommand ping = run.exec(20, "ping", "-n", "-c", "2", "-s", "4000", "-W", "3", "10.77.0.10");
            assertEquals(0, ping.exitCode(), ping.describe());
            assertTrue(ping.output().contains("2 received"), ping.describe());
            ExternalCommand largest = run.exec(20, "ping", "-n", "-c", "1", "-s", "65507", "-W", "5", "10.77.0.10");
            assertEquals(0, largest.exitCode(), largest.describe());
            assertTrue(largest.output().contains("65515 bytes from 10.77.0.10"), largest.describe());
        }
    }

    @Test
    void aRouterCutsFragmentsForANarrowerLinkAndLongUdpDatagramsAreEchoed(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("ping");
        TapTestEnvironment.assumeCommand("python3");
        Path socket = dir.resolve("control.sock");
        try (RunningTopology run = RunningTopology.start(dir.resolve("routed.yaml"), ROUTED, "--control", socket.toString())) {
            ExternalCommand ping = run.exec(20, "ping", "-n", "-M", "dont", "-c", "2", "-s", "4000", "-W", "3", "10.78.1.10");
            assertEquals(0, ping.exitCode(), ping.describe());
            ExternalCommand largest = run.exec(20, "ping", "-n", "-M", "dont", "-c", "1", "-s", "65507", "-W", "5", "10.78.1.10");
            assertEquals(0, largest.exitCode(), largest.describe());

            for (String host : new String[] {"10.77.0.10", "10.78.1.10"}) {
                ExternalCommand udp = run.exec(20, "python3", "-c", UDP_ECHO, host, "4000");
                assertEquals("echoed", udp.output().strip(), udp.describe());
            }
            String counters = CtlCounters.ctl(socket, "counters");
            assertTrue(CtlCounters.count(counters, "ipv4_reassembled") >= 5, "three pings and two datagrams: " + counters);
            assertTrue(CtlCounters.count(counters, "ipv4_fragments_out") >= 100, "edge cut the kernel's fragments again: " + counters);
        }
    }

    @Test
    void overlappingFragmentsGetNoAnswerAndAreCounted(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("python3");
        assumeTrue(ExternalCommand.run(30, "/usr/bin/python3", "-c", "import scapy.all").exitCode() == 0,
                "scapy (python3-scapy) is not installed");
        Path socket = dir.resolve("control.sock");
        try (RunningTopology run = RunningTopology.start(dir.resolve("routed.yaml"), ROUTED, "--control", socket.toString())) {
            ExternalCommand ping = run.exec(10, "ping", "-n", "-c", "1", "-W", "2", "10.77.0.10"); // ARP settled
            assertEquals(0, ping.exitCode(), ping.describe());
            long repliesBefore = CtlCounters.count(CtlCounters.ctl(socket, "counters"), "icmp_echo_replies");
            ExternalCommand scapy = run.exec(30, "/usr/bin/python3", "-c", OVERLAP);
            assertEquals(0, scapy.exitCode(), scapy.describe());
            String counters = CtlCounters.awaitMoved(socket, "drop.fragment_overlap");
            assertEquals(1, CtlCounters.count(counters, "drop.fragment_overlap"), counters);
            assertEquals(repliesBefore, CtlCounters.count(counters, "icmp_echo_replies"), "no answer: " + counters);
        }
    }
}
