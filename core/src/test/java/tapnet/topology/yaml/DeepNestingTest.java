package tapnet.topology.yaml;

import tapnet.topology.Topology;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * YAML nested thousands of levels deep (an unclosed bracket repeated, indentation growing line by line) is
 * one error at the level that is too deep, never a StackOverflowError: in files, and in {@code tapnet ctl}'s
 * link and partition specs, whose reader runs on a control connection's thread.
 */
class DeepNestingTest {
    private static final String MESSAGE = "nesting deeper than 100 levels of mappings and lists; expected the few"
            + " levels a topology has (is a bracket or a brace left open, or indentation growing line by line?)";
    private static final Topology WEB = web();

    private static Topology web() {
        try {
            return TopologyLoader.parse("web.yaml", "tap: { address: 10.77.0.1/24 }\nhosts: { web: { address: 10.77.0.10 } }\n");
        } catch (TopologyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void twoThousandOpenBracketsAreOneErrorAtTheHundredAndFirst() {
        // the top-level mapping is level 1, the first [ (column 8) level 2: level 101 is the 100th [
        String text = "name: x\nhosts: " + "[".repeat(2_000) + "]".repeat(2_000) + "\n";
        assertEquals(List.of("deep.yaml:2:" + (8 + 99) + ": " + MESSAGE), errors(text));
    }

    @Test
    void twoThousandNestedFlowMappingsAreOneError() {
        String text = "hosts: " + "{a: ".repeat(2_000) + "1" + "}".repeat(2_000) + "\n";
        // the top-level mapping is level 1, the first {a: level 2; each {a: is 4 characters
        assertEquals(List.of("deep.yaml:1:" + (8 + 99 * 4) + ": " + MESSAGE), errors(text));
    }

    @Test
    void threeThousandLevelsOfBlockIndentationAreOneError() {
        StringBuilder text = new StringBuilder();
        for (int level = 0; level < 3_000; level++) {
            text.append(" ".repeat(level)).append("a:\n");
        }
        text.append(" ".repeat(3_000)).append("b\n");
        // level 101 is the mapping that starts on line 101 (the value of line 100's key)
        assertEquals(List.of("deep.yaml:101:101: " + MESSAGE), errors(text.toString()));
    }

    @Test
    void aHundredLevelsAreStillRead() {
        String text = "tap: { address: 10.77.0.1/24 }\nhosts: { web: { address: 10.77.0.10 } }\nname: "
                + "[".repeat(99) + "]".repeat(99) + "\n";
        List<String> errors = errors(text);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("deep.yaml:3:7: 'name' is a list;"), errors.toString());
    }

    @Test
    void aDeepLinkSpecFromCtlIsOneErrorNotADeadRequest() {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.parseLink("ctl", "{between: " + "[".repeat(5_000), WEB));
        assertEquals(List.of("ctl:1:" + (11 + 99) + ": " + MESSAGE), messages(e));
        e = assertThrows(TopologyException.class, () -> TopologyLoader.parsePartition("ctl", "{a: ".repeat(5_000), WEB));
        assertEquals(List.of("ctl:1:" + (1 + 100 * 4) + ": " + MESSAGE), messages(e));
    }

    @Test
    void deepNestingOnASmallThreadStackIsStillOneError() throws Exception {
        // a control connection's thread may have a small stack; 64 KiB does not hold 100 levels of composing
        String text = "name: " + "[".repeat(99) + "]".repeat(99) + "\n";
        List<List<String>> result = new java.util.ArrayList<>();
        Thread thread = new Thread(null, () -> result.add(errors(text)), "small-stack", 64 * 1024);
        thread.start();
        thread.join(10_000);
        assertEquals(1, result.size(), "the reader returned");
        assertEquals(1, result.get(0).size(), result.toString());
        assertTrue(result.get(0).get(0).startsWith("deep.yaml:"), result.toString());
    }

    private static List<String> errors(String text) {
        return messages(assertThrows(TopologyException.class, () -> TopologyLoader.parse("deep.yaml", text)));
    }

    static List<String> messages(TopologyException e) {
        return e.errors().stream().map(TopologyError::toString).toList();
    }
}
