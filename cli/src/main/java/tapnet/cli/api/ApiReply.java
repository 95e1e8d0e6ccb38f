package tapnet.cli.api;

import java.util.List;

/**
 * A resource's answer: a status and a JSON tree (maps, lists, strings, numbers, booleans), and the same
 * in {@code tapnet ctl}'s words, lines of text, for a client that asks for {@code text/plain} (ctl does);
 * or, for the metrics, a body of its own type.
 *
 * @param text        null when the resource has no text form: JSON is sent whatever the client asked
 * @param contentType the type of {@code raw}; null for a JSON answer
 */
record ApiReply(int status, Object json, List<String> text, String contentType, String raw) {
    static ApiReply ok(Object json, List<String> text) {
        return new ApiReply(200, json, text, null, null);
    }

    static ApiReply ok(Object json) {
        return ok(json, null);
    }

    static ApiReply raw(String contentType, String body) {
        return new ApiReply(200, null, null, contentType, body);
    }
}
