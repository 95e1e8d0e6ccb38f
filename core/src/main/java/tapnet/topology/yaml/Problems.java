package tapnet.topology.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/** The errors found in one file so far, each pinned to a position: reading goes on past the first. */
final class Problems {
    private final String file;
    private final List<TopologyError> errors = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    /** An error at the start of {@code node}. */
    void at(Node node, String message) {
        at(node.getStartMark(), message);
    }

    void at(Optional<Mark> mark, String message) {
        // snakeyaml counts lines and columns from 0; editors and compilers from 1
        at(mark.map(m -> m.getLine() + 1).orElse(1), mark.map(m -> m.getColumn() + 1).orElse(1), message);
    }

    void at(int line, int column, String message) {
        errors.add(new TopologyError(file, line, column, message));
    }

    boolean any() {
        return !errors.isEmpty();
    }

    /** How many errors so far: a reader compares counts to tell whether a part of the file was sound. */
    int count() {
        return errors.size();
    }

    /** The errors in the order of the file (stable for errors at one position). */
    List<TopologyError> inFileOrder() {
        List<TopologyError> sorted = new ArrayList<>(errors);
        sorted.sort(null);
        return sorted;
    }

    /** The 1-based line a node starts on, to point from one error to an earlier definition. */
    static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }
}
