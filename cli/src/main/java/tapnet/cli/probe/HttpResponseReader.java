package tapnet.cli.probe;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one HTTP/1.1 response to a GET sent with {@code Connection: close}, whole: the head, then the body up
 * to its Content-Length, or to EOF when it has none (chunked or unframed: the server closes after it).
 */
final class HttpResponseReader {
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d\\.\\d (\\d{3})(?: .*)?");
    private static final int MAX_HEAD = 64 * 1024;

    private HttpResponseReader() {
    }

    /** The status code of {@code HTTP/1.1 503 Service Unavailable}; throws when the line is not one. */
    static int status(String statusLine) throws ProtocolException {
        Matcher m = STATUS_LINE.matcher(statusLine);
        if (!m.matches()) {
            throw new ProtocolException("not an HTTP status line: \"" + statusLine + "\"");
        }
        return Integer.parseInt(m.group(1));
    }

    /** Content-Length from the head's header lines, or -1 when the body is not framed by one. */
    static long contentLength(String head) throws ProtocolException {
        long length = -1;
        for (String line : head.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("transfer-encoding")) {
                return -1; // RFC 9112 §6.3: it overrides Content-Length
            }
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new ProtocolException("bad Content-Length: \"" + value + "\"");
                }
            }
        }
        return length;
    }

    /** Reads the whole response from {@code in} and returns its status code. */
    static int read(InputStream in) throws IOException {
        String head = head(in);
        String statusLine = head.lines().findFirst().orElse("");
        int status = status(statusLine);
        long length = (status / 100 == 1 || status == 204 || status == 304) ? 0 : contentLength(head);
        byte[] buffer = new byte[8192];
        long left = length;
        while (length < 0 || left > 0) {
            int n = in.read(buffer, 0, length < 0 ? buffer.length : (int) Math.min(buffer.length, left));
            if (n < 0) {
                if (length < 0) {
                    break;
                }
                throw new EOFException("the body ended " + left + " bytes short of its Content-Length");
            }
            left -= n;
        }
        return status;
    }

    /** The head up to (not including) the empty line; bytes are read one at a time, never past it. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int newlines = 0; // consecutive line ends, CR not counted
        while (newlines < 2) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(head.size() == 0 ? "no response" : "the response ended inside its head");
            }
            if (b == '\n') {
                newlines++;
            } else if (b != '\r') {
                newlines = 0;
            }
            head.write(b);
            if (head.size() > MAX_HEAD) {
                throw new ProtocolException("a response head longer than " + MAX_HEAD + " bytes");
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1).strip();
    }
}
