package tapnet.cli.api;

import java.util.List;
import tapnet.topology.yaml.TopologyError;
import tapnet.topology.yaml.TopologyException;

/**
 * A request the API does not do, with its HTTP status and why: answered as {@code {"error": ...}}, with
 * {@code "errors"} (each at its line and column) for a body with mistakes.
 */
final class ApiException extends RuntimeException {
    final int status;
    final List<TopologyError> errors;
    /** The methods a resource allows, for a 405's Allow header; null otherwise. */
    final String allow;

    ApiException(int status, String message) {
        this(status, message, List.of(), null);
    }

    private ApiException(int status, String message, List<TopologyError> errors, String allow) {
        super(message, null, false, false);
        this.status = status;
        this.errors = errors;
        this.allow = allow;
    }

    /** 400: the body's mistakes, each as the file readers word it. */
    static ApiException body(TopologyException e) {
        return new ApiException(400, String.join("\n", e.errors().stream().map(TopologyError::toString).toList()),
                e.errors(), null);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    static ApiException methodNotAllowed(String method, String path, String allow) {
        return new ApiException(405, method + " is not allowed on " + path + "; expected " + allow.replace(",", " or"),
                List.of(), allow);
    }
}
