package tapnet.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Domain names between text and wire form (RFC 1035 §3.1): {@code web.shop.test} is
 * {@code 03 'web' 04 'shop' 04 'test' 00}. Done once, when a zone is built: the hot path compares wire
 * forms. Letters are lower-cased, as names compare case-insensitively (RFC 4343).
 */
public final class DnsNames {
    private DnsNames() {
    }

    /**
     * Null when {@code name} is a domain name tapnet serves: labels of 1 to 63 letters, digits, '-' or '_'
     * (underscores for SRV's {@code _http._tcp}) separated by dots, an optional final dot, at most 255
     * bytes in wire form; else what is wrong with it.
     */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "a domain name is empty";
        }
        String text = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (text.isEmpty()) {
            return null; // the root
        }
        if (text.length() + 2 > DnsMessage.MAX_NAME_LENGTH) {
            return "'" + name + "' is longer than a domain name may be (" + DnsMessage.MAX_NAME_LENGTH + " bytes in wire form)";
        }
        for (String label : text.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > DnsMessage.MAX_LABEL_LENGTH) {
                return "'" + name + "' has a label of " + label.length() + " characters; expected 1 to "
                        + DnsMessage.MAX_LABEL_LENGTH + " between dots";
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                    return "'" + name + "' has '" + c + "' in it; expected letters, digits, '-' or '_' between dots";
                }
            }
        }
        return null;
    }

    /**
     * {@code name} as an absolute name under {@code domain}, lower-cased, without a final dot: {@code @} is
     * the domain; a name ending with a dot is absolute already, as is one ending with the domain; any
     * other is under the domain ({@code www} → {@code www.shop.test}). Not checked: see {@link #problem}.
     */
    public static String qualify(String name, String domain) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        String d = domain.toLowerCase(java.util.Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (lower.equals("@")) {
            return d;
        }
        if (lower.endsWith(".")) {
            return lower.substring(0, lower.length() - 1);
        }
        if (lower.equals(d) || lower.endsWith("." + d)) {
            return lower;
        }
        return lower + "." + d;
    }

    /** {@code name} (see {@link #problem}) in lower-case wire form. */
    public static byte[] encode(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String text = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!text.isEmpty()) {
            for (String label : text.toLowerCase(java.util.Locale.ROOT).split("\\.")) {
                out.write(label.length());
                out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
            }
        }
        out.write(0);
        return out.toByteArray();
    }

    /** A wire-form name back to text, {@code web.shop.test.}; for messages and tests. */
    public static String text(byte[] wire) {
        StringBuilder sb = new StringBuilder();
        int at = 0;
        while (at < wire.length && wire[at] != 0) {
            int length = wire[at];
            sb.append(new String(wire, at + 1, length, StandardCharsets.US_ASCII)).append('.');
            at += 1 + length;
        }
        return sb.length() == 0 ? "." : sb.toString();
    }
}
