package tapnet.cli.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading one whole HTTP/1.1 response: the status line, the framing of the body. */
class HttpResponseReaderTest {
    @Test
    void theStatusLineGivesTheCode() throws Exception {
        assertEquals(200, HttpResponseReader.status("HTTP/1.1 200 OK"));
        assertEquals(503, HttpResponseReader.status("HTTP/1.0 503 Service Unavailable"));
        assertEquals(204, HttpResponseReader.status("HTTP/1.1 204"));
        assertThrows(ProtocolException.class, () -> HttpResponseReader.status("220 mail ready"));
        assertThrows(ProtocolException.class, () -> HttpResponseReader.status("HTTP/1.1 2000 OK"));
        assertThrows(ProtocolException.class, () -> HttpResponseReader.status(""));
    }

    @Test
    void aBodyIsReadToItsContentLengthAndNotBeyond() throws Exception {
        InputStream in = stream("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA");
        assertEquals(200, HttpResponseReader.read(in));
        assertEquals("EXTRA", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void withoutContentLengthOrChunkedTheBodyEndsAtEof() throws Exception {
        InputStream unframed = stream("HTTP/1.1 503 Busy\r\n\r\nlater");
        assertEquals(503, HttpResponseReader.read(unframed));
        assertEquals(0, unframed.available());
        InputStream chunked = stream("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\nContent-Length: 3\n\n5\r\nhello\r\n0\r\n\r\n");
        assertEquals(200, HttpResponseReader.read(chunked));
        assertEquals(0, chunked.available());
    }

    @Test
    void anAnswerThatEndsEarlyOrIsNotHttpFails() {
        assertThrows(EOFException.class, () -> HttpResponseReader.read(stream("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello")));
        assertThrows(EOFException.class, () -> HttpResponseReader.read(stream("HTTP/1.1 200 OK\r\n")));
        assertThrows(EOFException.class, () -> HttpResponseReader.read(stream("")));
        assertThrows(ProtocolException.class, () -> HttpResponseReader.read(stream("SSH-2.0-tapnet\r\n\r\n")));
        assertThrows(ProtocolException.class, () -> HttpResponseReader.read(stream("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n")));
    }

    @Test
    void noContentHasNoBody() throws IOException {
        InputStream in = stream("HTTP/1.1 204 No Content\r\nContent-Length: 99\r\n\r\n");
        assertEquals(204, HttpResponseReader.read(in));
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
