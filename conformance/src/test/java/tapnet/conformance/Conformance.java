package tapnet.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A class of conformance scenarios: known gaps of tapnet are applied ({@link KnownGaps}), each result is
 * logged ({@link ResultLog}), and every test is bounded in time (its own waits are shorter; this catches a
 * hang).
 */
@Retention(RetentionPolicy.RUNTIME)
@java.lang.annotation.Target(ElementType.TYPE)
@ExtendWith({KnownGaps.class, ResultLog.class})
@Timeout(30)
@interface Conformance {
}
