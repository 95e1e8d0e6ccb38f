package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tapnet.script.ProbeTarget;

class HttpProbeTest {
    @Test
    void theRequestAsksForTheWholeAnswerAndAClose() {
        assertEquals("GET /x HTTP/1.1\r\nHost: web:8080\r\nUser-Agent: tapnet-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n",
                ProbeTarget.http("http://web:8080/x").httpRequest());
    }
}
