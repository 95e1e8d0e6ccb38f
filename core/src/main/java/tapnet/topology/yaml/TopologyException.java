package tapnet.topology.yaml;

import java.util.List;
import java.util.stream.Collectors;

/** A topology file that cannot be used, with everything found wrong in it, in the order of the file. */
public final class TopologyException extends Exception {
    private final List<TopologyError> errors;

    public TopologyException(List<TopologyError> errors) {
        super(errors.stream().map(TopologyError::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a TopologyException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    /** At least one. */
    public List<TopologyError> errors() {
        return errors;
    }
}
