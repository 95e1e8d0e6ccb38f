package tapnet.cli.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ctl's requests as the API requests they become, and the API's answers as ctl's replies. */
class ControlRequestTest {
    @Test
    void aCommandLineBecomesOneRequestLine() {
        ControlRequest request = ControlRequest.of(List.of("link", "{between: [tap, web], delay: 50ms}"));
        assertEquals("link {between: [tap, web], delay: 50ms}", request.line());
        assertEquals(request, ControlRequest.parse(request.line()));
        assertEquals(new ControlRequest("links", null), ControlRequest.parse("links\r"));
        assertEquals(new ControlRequest("down", "web"), ControlRequest.parse("  down   web "));
    }

    @Test
    void aSpecOverSeveralLinesStillTravelsAsOneAndArrivesWhole() {
        String spec = "between: [tap, web]\ndelay: 50ms\nname: \"a\\\\b\"";
        ControlRequest request = ControlRequest.of(List.of("link", spec));
        assertEquals(1, request.line().lines().count(), request.line());
        assertEquals(spec, ControlRequest.parse(request.line()).argument());
    }

    @Test
    void commandsWithoutArgumentsTakeNone() {
        assertNull(ControlRequest.of(List.of("counters")).argument());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ControlRequest.parse("links web"));
        assertEquals("'links' takes no argument; got 'web'", e.getMessage());
    }

    @Test
    void missingArgumentsUnknownCommandsAndExtraWordsAreRefusedWithWhatIsExpected() {
        assertEquals("'down' needs NODE: a host or router name, like: down web",
                assertThrows(IllegalArgumentException.class, () -> ControlRequest.of(List.of("down"))).getMessage());
        assertEquals("'link' needs SPEC: a link spec like '{between: [tap, web], delay: 20ms}'",
                assertThrows(IllegalArgumentException.class, () -> ControlRequest.parse("link  ")).getMessage());
        assertEquals("'lnk' is not a command; expected one of: link, down, up, partition, heal, stop, start, stopService,"
                        + " startService, routeFaults, dnsFaults, links, counters",
                assertThrows(IllegalArgumentException.class, () -> ControlRequest.parse("lnk x")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ControlRequest.of(List.of("link", "{between:", "[tap, web]}"))).getMessage().contains("quote"));
        assertThrows(IllegalArgumentException.class, () -> ControlRequest.parse(""));
        assertThrows(IllegalArgumentException.class, () -> ControlRequest.of(List.of()));
    }

    @Test
    void hostsAndServicesAreNamedInOneWord() {
        assertEquals(new ControlRequest("stop", "web"), ControlRequest.parse("stop web"));
        assertEquals(new ControlRequest("startService", "web:80"), ControlRequest.of(List.of("startService", "web:80")));
        assertEquals("'stop' needs HOST: a host's name, like: stop web",
                assertThrows(IllegalArgumentException.class, () -> ControlRequest.of(List.of("stop"))).getMessage());
        assertEquals("'stopService' needs SERVICE: a host and the port of one of its services, like: stopService web:80",
                assertThrows(IllegalArgumentException.class, () -> ControlRequest.parse("stopService ")).getMessage());
        assertEquals("'web\\n80' is not a service; expected one word, like: startService web:80",
                assertThrows(IllegalArgumentException.class,
                        () -> ControlRequest.of(List.of("startService", "web\n80"))).getMessage());
    }

    @Test
    void eachCommandBecomesOneApiRequest() {
        assertEquals(new ControlRequest.Http("POST", "/v1/links", "{between: [tap, web]}"),
                ControlRequest.of(List.of("link", "{between: [tap, web]}")).http());
        assertEquals(new ControlRequest.Http("POST", "/v1/nodes/web/down", null), ControlRequest.of(List.of("down", " web")).http());
        assertEquals(new ControlRequest.Http("PUT", "/v1/partition", "[[tap], [web]]"),
                ControlRequest.of(List.of("partition", "[[tap], [web]]")).http());
        assertEquals(new ControlRequest.Http("DELETE", "/v1/partition", null), ControlRequest.of(List.of("heal")).http());
        assertEquals(new ControlRequest.Http("POST", "/v1/hosts/web/services/80/stop", null),
                ControlRequest.of(List.of("stopService", "web:80")).http());
        assertEquals(new ControlRequest.Http("GET", "/v1/counters", null), ControlRequest.of(List.of("counters")).http());
        assertEquals("'web' is not a service; expected a host and the port of one of its services, like web:80",
                assertThrows(IllegalArgumentException.class, () -> ControlRequest.of(List.of("stopService", "web")).http())
                        .getMessage());
    }

    @Test
    void anAnswerIsOkForA2xxStatusWithItsBodysLines() throws Exception {
        java.nio.file.Path socket = java.nio.file.Path.of("t.sock");
        assertEquals(ControlReply.ok(List.of("- {between: [tap, web]}", "  # counters")), ControlClient.reply(socket,
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n- {between: [tap, web]}\n  # counters\n"));
        assertEquals(ControlReply.error("ctl:1:2: first\nctl:1:9: second"), ControlClient.reply(socket,
                "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\nf\r\nctl:1:2: first\n\r\n10\r\nctl:1:9: second\n\r\n0\r\n\r\n"));
    }

    @Test
    void anAnswerFromSomethingElseIsNotTakenForOne() {
        java.nio.file.Path socket = java.nio.file.Path.of("t.sock");
        assertThrows(java.io.IOException.class, () -> ControlClient.reply(socket, ""));
        assertThrows(java.io.IOException.class, () -> ControlClient.reply(socket, "ok\nlinks\n"));
        assertThrows(java.io.IOException.class, () -> ControlClient.reply(socket,
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
    }
}
