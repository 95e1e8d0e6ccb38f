package tapnet.cli.api;

import tapnet.engine.Engine;

/**
 * In a run of one part of a split topology ({@code tapnet run --part}): which nodes another part plays. A
 * change about one is that part's to make; the API says so instead of claiming it made it. Engine thread.
 */
final class OtherParts {
    private OtherParts() {
    }

    static boolean play(Engine e, String node) {
        return e.remoteNodes().has(node);
    }

    /** What the text answer says of a change about {@code node}, which another part plays. */
    static String text(String node) {
        return "for another part: " + node + " is played there; send the change to its run too";
    }
}
