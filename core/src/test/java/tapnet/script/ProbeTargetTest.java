package tapnet.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Probe targets: host:port, and http URLs with their defaults. */
class ProbeTargetTest {
    @Test
    void hostAndPort() {
        assertEquals(new ProbeTarget("10.77.0.10", 80, ""), ProbeTarget.hostPort("10.77.0.10:80"));
        assertEquals(new ProbeTarget("web", 9, ""), ProbeTarget.hostPort("web:9"));
        assertThrows(IllegalArgumentException.class, () -> ProbeTarget.hostPort("10.77.0.10"));
        assertThrows(IllegalArgumentException.class, () -> ProbeTarget.hostPort("10.77.0.10:"));
        assertThrows(IllegalArgumentException.class, () -> ProbeTarget.hostPort(":80"));
        assertThrows(IllegalArgumentException.class, () -> ProbeTarget.hostPort("10.77.0.10:0"));
        assertThrows(IllegalArgumentException.class, () -> ProbeTarget.hostPort("10.77.0.10:http"));
    }

    @Test
    void httpUrlsDefaultToPortEightyAndTheRoot() {
        assertEquals(new ProbeTarget("10.77.0.10", 80, "/"), ProbeTarget.http("http://10.77.0.10"));
        assertEquals(new ProbeTarget("10.77.0.10", 80, "/"), ProbeTarget.http("http://10.77.0.10/"));
        assertEquals(new ProbeTarget("web", 8080, "/a/b%20c?x=1&y"), ProbeTarget.http("http://web:8080/a/b%20c?x=1&y"));
        assertEquals("10.77.0.10", ProbeTarget.http("http://10.77.0.10:80/").hostHeader());
        assertEquals("web:8080", ProbeTarget.http("http://web:8080/").hostHeader());
    }

    @Test
    void onlyPlainHttpUrlsWithAHost() {
        assertThrows(IllegalArgumentException.class, () -> ProbeTarget.http("https://10.77.0.10/"));
        assertThrows(IllegalArgumentException.class, () -> ProbeTarget.http("10.77.0.10:80"));
        assertThrows(IllegalArgumentException.class, () -> ProbeTarget.http("http:///path"));
        assertThrows(IllegalArgumentException.class, () -> ProbeTarget.http("http://a b/"));
    }

    @Test
    void theRequestAsksForTheWholeAnswerAndAClose() {
        assertEquals("GET /x HTTP/1.1\r\nHost: web:8080\r\nUser-Agent: tapnet-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n",
                ProbeTarget.http("http://web:8080/x").httpRequest());
    }
}
