package tapnet.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tests that run inside a tapnet run and change its network: a {@link tapnet.client.Network} parameter in a
 * test method, lifecycle method or constructor is the run's; after each test the network is reset to the
 * topology file's state; each test's frames are captured, and a failing test's report says what the network
 * did during it (events, counters that changed, the capture's path). See {@link TapnetExtension}.
 *
 * <pre>
 * &#64;Tapnet
 * class CheckoutTest {
 *     &#64;Test
 *     void survivesTheDatabaseGoingAway(Network net) { net.down("db"); ... }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TapnetExtension.class)
public @interface Tapnet {
    /**
     * Outside a tapnet run: true (the default), the tests fail, naming the command to use
     * ({@code tapnet run FILE -- mvn test}); false, they are skipped. The configuration parameter (or system
     * property) {@code tapnet.required=false} skips them too, whatever this says.
     */
    boolean required() default true;

    /** Capture each test's frames (pcapng, kept only when the test fails). */
    boolean capture() default true;
}
