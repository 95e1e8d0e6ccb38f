package tapnet.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A scenario about IPv4 alone (its text says why), run against the kernel and tapnet over IPv4. */
@Retention(RetentionPolicy.RUNTIME)
@java.lang.annotation.Target(ElementType.METHOD)
@ParameterizedTest(name = "{0}")
@EnumSource(value = Target.class, names = {"KERNEL_IPV4", "TAPNET_IPV4"})
@interface OnBothTargetsOverIpv4 {
}
