package tapnet.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The scenario needs something tapnet lacks (see {@link KnownGaps}); only its TAPNET run is excused. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface TapnetGap {
    KnownGaps.Gap value();
}
