package tapnet.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The scenario needs something tapnet lacks (see {@link KnownGaps}); only its TAPNET runs of the gap's family are excused. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface TapnetGap {
    KnownGaps.Gap value();
}
