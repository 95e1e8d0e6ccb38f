package tapnet.cli.control;

import java.util.ArrayList;
import java.util.List;

/**
 * A running tapnet's answer to one control request: whether it did what was asked, and lines for the
 * user. On the wire: {@code ok} or {@code error} on the first line, then the lines, then the connection
 * closes.
 */
public record ControlReply(boolean ok, List<String> lines) {
    static final String OK = "ok";
    static final String ERROR = "error";

    public ControlReply {
        lines = List.copyOf(lines);
    }

    public static ControlReply ok(List<String> lines) {
        return new ControlReply(true, lines);
    }

    public static ControlReply error(String message) {
        return new ControlReply(false, message.lines().toList());
    }

    /** The reply as sent, each line ending in a line break. */
    String text() {
        StringBuilder out = new StringBuilder(ok ? OK : ERROR).append('\n');
        lines.forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    /** The reply as received; a first line that is neither ok nor error means it came from something else. */
    static ControlReply parse(List<String> received) {
        if (received.isEmpty() || !(received.get(0).equals(OK) || received.get(0).equals(ERROR))) {
            throw new IllegalArgumentException("not a tapnet control reply: "
                    + (received.isEmpty() ? "nothing" : "'" + received.get(0) + "'"));
        }
        return new ControlReply(received.get(0).equals(OK), new ArrayList<>(received.subList(1, received.size())));
    }
}
