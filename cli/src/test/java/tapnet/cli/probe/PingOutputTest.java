package tapnet.cli.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.topology.ProbeSpec;
import tapnet.script.RunReport.Sample;

/** One ping's output, as iputils prints it, read as a sample. */
class PingOutputTest {
    @Test
    void aReplyGivesItsTime() {
        Sample s = PingOutput.parse(7, """
                PING 10.77.0.10 (10.77.0.10) 56(84) bytes of data.
                64 bytes from 10.77.0.10: icmp_seq=1 ttl=64 time=0.412 ms

                --- 10.77.0.10 ping statistics ---
                1 packets transmitted, 1 received, 0% packet loss, time 0ms
                rtt min/avg/max/mdev = 0.412/0.412/0.412/0.000 ms
                """, 0);
        assertEquals(new Sample(7, true, 0.412, "ok"), s);
        assertEquals(12.0, PingOutput.parse(7, "64 bytes from 10.0.0.1: seq=0 ttl=64 time=12 ms", 0).value());
        assertEquals(1.0, PingOutput.parse(7, "64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time<1 ms", 0).value());
    }

    @Test
    void noReplyIsLost() {
        Sample s = PingOutput.parse(7, """
                PING 10.77.0.99 (10.77.0.99) 56(84) bytes of data.

                --- 10.77.0.99 ping statistics ---
                1 packets transmitted, 0 received, 100% packet loss, time 0ms
                """, 1);
        assertFalse(s.ok());
        assertTrue(Double.isNaN(s.value()));
        assertEquals("lost", s.outcome());
    }

    @Test
    void anIcmpUnreachableOrNoRouteIsUnreachable() {
        assertEquals("unreachable", PingOutput.parse(7, """
                PING 10.77.0.99 (10.77.0.99) 56(84) bytes of data.
                From 10.77.0.1 icmp_seq=1 Destination Host Unreachable

                --- 10.77.0.99 ping statistics ---
                1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms
                """, 1).outcome());
        assertEquals("unreachable", PingOutput.parse(7, "ping: connect: Network is unreachable\n", 2).outcome());
    }

    @Test
    void anythingElseIsAnErrorWithWhatWasSaid() {
        assertEquals("error: exec of \"ping\" failed: No such file or directory",
                PingOutput.parse(7, "exec of \"ping\" failed: No such file or directory\n", 255).outcome());
        assertEquals("error: ping exited with 2", PingOutput.parse(7, "", 2).outcome());
    }

    @Test
    void theCommandRunsInTheNamespaceWithTheTimeoutInWholeSeconds() {
        ProbeSpec probe = new ProbeSpec("p", ProbeSpec.Kind.PING, "10.77.0.10", "tap", Duration.ofSeconds(1),
                Duration.ofMillis(300), 0);
        assertEquals(1, PingProbe.timeoutSeconds(probe));
        assertEquals(List.of("ping", "-n", "-c", "1", "-W", "2", "-w", "2", "10.77.0.10"),
                PingProbe.command(null, "10.77.0.10", 2));
    }
}
