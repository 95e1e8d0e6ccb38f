package tapnet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An answer is whole at its Content-Length, its last chunk, or the close; not before. */
class HttpAnswerTest {
    private static HttpAnswer parse(String text, boolean ended) throws IOException {
        return HttpAnswer.parse(text.getBytes(StandardCharsets.UTF_8), ended);
    }

    @Test
    void aContentLengthAnswerIsWholeAtItsLength() throws IOException {
        assertNull(parse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n{}", false));
        HttpAnswer answer = parse("HTTP/1.1 201 Created\r\ncontent-length: 2\r\nAllow: GET\r\n\r\n{}", false);
        assertEquals(201, answer.status());
        assertEquals("{}", answer.body());
        assertEquals("GET", answer.headers().get("allow"));
    }

    @Test
    void aChunkedAnswerIsWholeAtItsLastChunk() throws IOException {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertNull(parse(head + "3\r\n{\"a\r\n", false));
        assertNull(parse(head + "3\r\n{\"a\r\n5;ext=1\r\n\": 1}\r\n0\r\n", false));
        assertEquals("{\"a\": 1}", parse(head + "3\r\n{\"a\r\n5;ext=1\r\n\": 1}\r\n0\r\n\r\n", false).body());
    }

    @Test
    void withoutALengthTheCloseEndsIt() throws IOException {
        assertNull(parse("HTTP/1.1 200 OK\r\n\r\n{\"a\"", false));
        assertEquals("{\"a\": 1}", parse("HTTP/1.1 200 OK\r\n\r\n{\"a\": 1}", true).body());
        assertEquals("", parse("HTTP/1.1 204 No Content\r\n\r\n", false).body());
    }

    @Test
    void somethingElseIsRefused() {
        assertThrows(IOException.class, () -> parse("SSH-2.0-OpenSSH\r\n\r\n", false));
        assertThrows(IOException.class, () -> parse("HTTP/1.1 abc\r\n\r\n", false));
        assertThrows(IOException.class, () -> parse("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", false));
    }
}
