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
 * IPv6 fragments and extension headers as the kernel and scapy send them: large pings and datagrams are
 * reassembled and answered in fragments, overlapping fragments drop the packet (RFC 5722), a flood of
 * incomplete packets stays within the bound while whole packets are still answered, and malformed extension
 * headers get the parameter problem RFC 8200 asks for.
 */
@Timeout(180)
class Ipv6FragmentsIT {
    private static final String TOPOLOGY = """
            tap: { address: 10.77.0.1/24, address6: fd77::1/64 }
            hosts:
              web:
                address: 10.77.0.10
                address6: fd77::10
                services:
                  - { port: 7, udpEcho: {} }
                  - { port: 80, http: { body: "still here\\n" } }
            """;

    /** Sends {@code size} bytes to UDP echo at {@code host} over IPv6 and prints whether they came back. */
    private static final String UDP_ECHO = """
            import socket, sys
            host, size = sys.argv[1], int(sys.argv[2])
            data = bytes((i * 7 + i // 256) % 256 for i in range(size))
            s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            s.settimeout(3)
            s.sendto(data, (host, 7))
            back, peer = s.recvfrom(70000)
            print("echoed" if back == data and peer[1] == 7 else "different: %d bytes" % len(back))
            """;

    /** An echo request in three fragments, the second overlapping the first by 8 bytes: RFC 5722 drops it all. */
    private static final String OVERLAP = """
            from scapy.all import IPv6, IPv6ExtHdrFragment, ICMPv6EchoRequest, Raw, send
            payload = bytes(ICMPv6EchoRequest(id=7, seq=1, data=b"x" * 3992))
            def piece(offset, data, more):
                return IPv6(dst="fd77::10", nh=44) / IPv6ExtHdrFragment(nh=58, id=4242, offset=offset // 8, m=int(more)) / Raw(data)
            send([piece(0, payload[0:1400], True), piece(1392, payload[1392:2800], True),
                  piece(2800, payload[2800:], False)], verbose=0)
            """;

    /** 200 first fragments of packets that never complete, each its own identification. */
    private static final String FLOOD = """
            from scapy.all import IPv6, IPv6ExtHdrFragment, ICMPv6EchoRequest, Raw, send
            first = bytes(ICMPv6EchoRequest(id=9, seq=1, data=b"y" * 2000))[:1000]
            send([IPv6(dst="fd77::10", nh=44) / IPv6ExtHdrFragment(nh=58, id=10000 + i, offset=0, m=1) / Raw(first)
                  for i in range(200)], verbose=0)
            """;

    /** Three malformed chains; prints the code and pointer of each parameter problem that comes back. */
    private static final String PARAMETER_PROBLEMS = """
            from scapy.all import IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrHopByHop, HBHOptUnknown, ICMPv6EchoRequest, Raw, sr1, conf
            conf.verb = 0
            probes = [
                IPv6(dst="fd77::10", nh=253) / Raw(b"z" * 16),
                IPv6(dst="fd77::10") / IPv6ExtHdrDestOpt(options=[HBHOptUnknown(otype=0x80, optdata=b"ab")]) / ICMPv6EchoRequest(),
                IPv6(dst="fd77::10") / IPv6ExtHdrDestOpt() / IPv6ExtHdrHopByHop() / ICMPv6EchoRequest(),
            ]
            for probe in probes:
                answer = sr1(probe, timeout=2)
                print("none" if answer is None else "%d %d %d" % (answer.payload.type, answer.payload.code, answer.payload.ptr))
            """;

    @Test
    void largePingsAndDatagramsAreReassembledAndAnsweredInFragments(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("ping");
        Path socket = dir.resolve("control.sock");
        try (RunningTopology run = RunningTopology.start(dir.resolve("six.yaml"), TOPOLOGY, "--control", socket.toString())) {
            ExternalCommand ping = run.exec(20, "ping", "-6", "-n", "-c", "2", "-s", "4000", "-W", "3", "fd77::10");
            assertEquals(0, ping.exitCode(), ping.describe());
            assertTrue(ping.output().contains("2 received"), ping.describe());
            ExternalCommand largest = run.exec(20, "ping", "-6", "-n", "-c", "1", "-s", "65507", "-W", "5", "fd77::10");
            assertEquals(0, largest.exitCode(), largest.describe());
            assertTrue(largest.output().contains("65515 bytes from fd77::10"), largest.describe());
            ExternalCommand udp = run.exec(20, "python3", "-c", UDP_ECHO, "fd77::10", "4000");
            assertEquals("echoed", udp.output().strip(), udp.describe());

            String counters = CtlCounters.ctl(socket, "counters");
            assertTrue(CtlCounters.count(counters, "ipv6_reassembled") >= 4, "three pings and a datagram: " + counters);
            assertTrue(CtlCounters.count(counters, "ipv6_fragments_out") >= 4, "the answers left in fragments: " + counters);
        }
    }

    @Test
    void overlapsDropThePacketAndAFloodStaysBoundedWhileWholePacketsAreAnswered(@TempDir Path dir) throws Exception {
        assumeScapy();
        Path socket = dir.resolve("control.sock");
        try (RunningTopology run = RunningTopology.start(dir.resolve("six.yaml"), TOPOLOGY, "--control", socket.toString())) {
            assertEquals(0, run.exec(10, "ping", "-6", "-n", "-c", "1", "-W", "2", "fd77::10").exitCode(), "neighbours settled");
            long replies = CtlCounters.count(CtlCounters.ctl(socket, "counters"), "icmpv6_echo_replies");
            ExternalCommand overlap = run.exec(30, "/usr/bin/python3", "-c", OVERLAP);
            assertEquals(0, overlap.exitCode(), overlap.describe());
            String counters = CtlCounters.awaitMoved(socket, "drop.fragment_overlap");
            assertEquals(1, CtlCounters.count(counters, "drop.fragment_overlap"), counters);
            assertEquals(replies, CtlCounters.count(counters, "icmpv6_echo_replies"), "no answer: " + counters);

            ExternalCommand flood = run.exec(60, "/usr/bin/python3", "-c", FLOOD);
            assertEquals(0, flood.exitCode(), flood.describe());
            counters = CtlCounters.awaitMoved(socket, "drop.fragment_memory_full");
            // 64 packets in reassembly at most (4 MiB); the overlap's last fragment, which came after the packet was
            // dropped, waits in one of them as a packet of its own (as in Linux): 63 are taken, the other 137 refused
            assertEquals(137, CtlCounters.count(counters, "drop.fragment_memory_full"), counters);
            ExternalCommand ping = run.exec(10, "ping", "-6", "-n", "-c", "2", "-W", "2", "fd77::10");
            assertEquals(0, ping.exitCode(), "whole packets are still answered: " + ping.describe());
            ExternalCommand curl = run.exec(10, "curl", "-6", "-sS", "--max-time", "5", "http://[fd77::10]/");
            assertEquals("still here\n", curl.output(), curl.describe());
        }
    }

    @Test
    void malformedExtensionHeadersGetParameterProblems(@TempDir Path dir) throws Exception {
        assumeScapy();
        try (RunningTopology run = RunningTopology.start(dir.resolve("six.yaml"), TOPOLOGY)) {
            assertEquals(0, run.exec(10, "ping", "-6", "-n", "-c", "1", "-W", "2", "fd77::10").exitCode(), "neighbours settled");
            ExternalCommand problems = run.exec(60, "/usr/bin/python3", "-c", PARAMETER_PROBLEMS);
            assertEquals(0, problems.exitCode(), problems.describe());
            // type 4; an unknown Next Header: code 1 at the fixed header's Next Header (6); an unknown option of
            // action 10: code 2 at the option (40 + 2); Hop-by-Hop not first: code 1 at the Next Header naming it (40)
            assertEquals(java.util.List.of("4 1 6", "4 2 42", "4 1 40"), problems.output().strip().lines().toList(),
                    problems.describe());
        }
    }

    private static void assumeScapy() {
        TapTestEnvironment.assumeTapTestsCanRun();
        assumeTrue(ExternalCommand.run(30, "/usr/bin/python3", "-c", "import scapy.all").exitCode() == 0,
                "scapy (python3-scapy) is not installed");
    }
}
