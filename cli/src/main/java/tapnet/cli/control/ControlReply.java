package tapnet.cli.control;

import java.util.List;

/**
 * A running tapnet's answer to one {@code tapnet ctl} request: whether it did what was asked (a 2xx
 * status), and lines for the user, in ctl's words (the API's {@code text/plain} answer).
 */
public record ControlReply(boolean ok, List<String> lines) {
    public ControlReply {
        lines = List.copyOf(lines);
    }

    public static ControlReply ok(List<String> lines) {
        return new ControlReply(true, lines);
    }

    public static ControlReply error(String message) {
        return new ControlReply(false, message.lines().toList());
    }
}
