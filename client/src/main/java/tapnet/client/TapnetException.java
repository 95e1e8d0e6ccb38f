package tapnet.client;

import java.util.List;

/**
 * The control API refused a call, or could not be reached. {@link #status()} is the HTTP status (0 when
 * there was no answer), {@link #serverMessage()} the server's own words ({@code "api:1:23: 'dealy' is not a
 * key of a link; expected one of: ..."}), {@link #problems()} each mistake in the request's body at its line
 * and column (empty unless the body had mistakes).
 */
public final class TapnetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** One mistake in a request's body, where the server's reader found it. */
    public record Problem(int line, int column, String message) {
        @Override
        public String toString() {
            return "api:" + line + ":" + column + ": " + message;
        }
    }

    private final int status;
    private final String serverMessage;
    private final transient List<Problem> problems;

    TapnetException(String call, int status, String serverMessage, List<Problem> problems) {
        super(call + ": " + status + " " + serverMessage);
        this.status = status;
        this.serverMessage = serverMessage;
        this.problems = List.copyOf(problems);
    }

    TapnetException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.serverMessage = "";
        this.problems = List.of();
    }

    /** The HTTP status of the answer: 400 a mistake in the body, 404 no such name, 409 the run cannot; 0: no answer. */
    public int status() {
        return status;
    }

    /** The server's message, as its "error" said; empty when there was no answer. */
    public String serverMessage() {
        return serverMessage;
    }

    /** The mistakes in the request's body, each at its line and column; empty for other errors. */
    public List<Problem> problems() {
        return problems;
    }
}
