package tapnet.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A scenario, run once against each {@link Target}: the kernel first, then tapnet, each over IPv4 and
 * over IPv6.
 */
@Retention(RetentionPolicy.RUNTIME)
@java.lang.annotation.Target(ElementType.METHOD)
@ParameterizedTest(name = "{0}")
@EnumSource(Target.class)
@interface OnBothTargets {
}
