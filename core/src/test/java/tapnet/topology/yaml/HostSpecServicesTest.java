package tapnet.topology.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import tapnet.topology.HostSpec;
import org.junit.jupiter.api.Test;

/** Which of a host's ports scripts and ctl may stop (TCP's and UDP's) and give faults to (TCP's alone). */
class HostSpecServicesTest {
    private final HostSpec stats;

    HostSpecServicesTest() throws Exception {
        stats = TopologyLoader.parse("t.yaml", """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  stats:
                    address: 10.77.0.30
                    services: [ { port: 8125, udpEcho: {} }, { port: 7, echo: {} } ]
                """).host("stats").orElseThrow();
    }

    @Test
    void aUdpPortCanBeStoppedButTakesNoFaults() {
        assertNull(stats.servicePortProblem(8125));
        assertNull(stats.servicePortProblem(7));
        assertTrue(stats.service(8125).isEmpty(), "faults are TCP's");
        assertEquals("host 'stats' has no service on port 9; expected one of: stats:8125, stats:7",
                stats.servicePortProblem(9));
    }
}
