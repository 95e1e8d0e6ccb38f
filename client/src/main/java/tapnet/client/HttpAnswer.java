package tapnet.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** An HTTP/1.1 answer: its status, its headers (names in lower case) and its body as text. */
record HttpAnswer(int status, Map<String, String> headers, String body) {

    /**
     * The answer {@code bytes} hold, or null while it is not whole yet. {@code ended}: the server closed the
     * connection, so an answer without a length ends here.
     */
    static HttpAnswer parse(byte[] bytes, boolean ended) throws IOException {
        int headEnd = indexOf(bytes, 0, "\r\n\r\n");
        if (headEnd < 0) {
            return null;
        }
        String[] lines = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x answer: " + lines[0]);
        }
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + lines[0], e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        int bodyStart = headEnd + 4;
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(bytes, bodyStart);
            if (body == null) {
                return null;
            }
        } else if (headers.containsKey("content-length")) {
            long length;
            try {
                length = Long.parseLong(headers.get("content-length"));
            } catch (NumberFormatException e) {
                throw new IOException("a Content-Length that is not a number: " + headers.get("content-length"), e);
            }
            if (bytes.length - bodyStart < length) {
                return null;
            }
            body = java.util.Arrays.copyOfRange(bytes, bodyStart, bodyStart + (int) length);
        } else if (status == 204 || status == 304 || status / 100 == 1 || ended) {
            body = java.util.Arrays.copyOfRange(bytes, bodyStart, status == 204 || status == 304 ? bodyStart : bytes.length);
        } else {
            return null;
        }
        return new HttpAnswer(status, Map.copyOf(headers), new String(body, StandardCharsets.UTF_8));
    }

    /** The body of a chunked answer starting at {@code from}, or null while its last chunk has not come. */
    private static byte[] dechunk(byte[] bytes, int from) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = from;
        while (true) {
            int lineEnd = indexOf(bytes, at, "\r\n");
            if (lineEnd < 0) {
                return null;
            }
            String sizeText = new String(bytes, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";", 2)[0].strip();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                throw new IOException("a chunk size that is not hex: " + sizeText, e);
            }
            at = lineEnd + 2;
            if (size == 0) {
                return indexOf(bytes, at, "\r\n") < 0 ? null : body.toByteArray(); // trailers are not used
            }
            if (bytes.length < at + size + 2) {
                return null;
            }
            body.write(bytes, at, size);
            at += size + 2;
        }
    }

    private static int indexOf(byte[] bytes, int from, String ascii) {
        outer:
        for (int i = from; i + ascii.length() <= bytes.length; i++) {
            for (int j = 0; j < ascii.length(); j++) {
                if (bytes[i + j] != ascii.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
