package tapnet.cli.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A short round of {@link ControlLineFuzz} with a fixed seed: 2,000 mutated request lines, each answered with
 * a reply whose errors are one line each; the long round is {@code bench/fuzz-readers.sh}.
 */
class ControlLineFuzzTest {
    @Test
    @Timeout(60)
    void twoThousandMutatedRequestLinesGetRepliesWithOneLineErrors() {
        ControlLineFuzz.Result result = new ControlLineFuzz(14).run(2_000);
        assertEquals(List.of(), result.failures(), result.summary());
    }

    @Test
    void lineBreaksInAnArgumentStayOutOfTheErrorsLines() {
        ControlLineFuzz fuzz = new ControlLineFuzz(1);
        assertNull(fuzz.check("heal a\\nb"));
        assertNull(fuzz.check("down web\\nx"));
        assertNull(fuzz.check("link {between: [tap, web], delay: \"5\\nms\"}"));
        assertNull(fuzz.check("link {between: " + "[".repeat(3_000)));
        assertEquals("'web\\nx' is not a node's name; expected one word, like: down web",
                assertThrows(IllegalArgumentException.class, () -> ControlRequest.parse("down web\\nx")).getMessage());
        assertEquals("'heal' takes no argument; got 'a\\nb'",
                assertThrows(IllegalArgumentException.class, () -> ControlRequest.parse("heal a\\nb")).getMessage());
    }
}
