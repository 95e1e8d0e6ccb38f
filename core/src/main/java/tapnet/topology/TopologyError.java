package tapnet.topology;

/**
 * One thing wrong with a topology file, where it is: {@code line} and {@code column} count from 1, as
 * editors do. {@link #toString()} gives the {@code file:line:column: message} form compilers use, which
 * editors and terminals turn into links.
 */
public record TopologyError(String file, int line, int column, String message) implements Comparable<TopologyError> {

    @Override
    public int compareTo(TopologyError other) {
        int byLine = Integer.compare(line, other.line);
        return byLine != 0 ? byLine : Integer.compare(column, other.column);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
