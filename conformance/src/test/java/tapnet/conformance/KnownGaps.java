package tapnet.conformance;

import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * The one list of what tapnet does not do yet. A scenario that needs one of these carries
 * {@link TapnetGap}; its TAPNET runs (of the gap's family) are still executed, and when one fails it is
 * reported as aborted ("not yet in tapnet: …") instead of failed. When it passes, the run fails and asks for the entry to be
 * removed from {@link #OPEN}: a feature that lands is noticed, and from then on guarded like every other.
 * KERNEL runs are never affected.
 */
final class KnownGaps implements InvocationInterceptor {
    enum Gap {
        // One constant per missing feature, saying what tapnet does instead, and the family it is missing
        // in (null: both); for example
        //   WINDOW_SCALE("the window scale option (RFC 7323 §2): tapnet never sends it", null),
        // with the scenarios that need it marked @TapnetGap(Gap.WINDOW_SCALE). None is open today.
        ;

        final String description;
        /** The family whose TAPNET runs lack it; null for both. */
        final Family family;

        Gap(String description, Family family) {
            this.description = description;
            this.family = family;
        }

        boolean excuses(Target target) {
            return target.stack == Stack.TAPNET && (family == null || family == target.family);
        }
    }

    /** Gaps tapnet still has. Remove an entry when its feature lands; the tests then guard it. */
    static final Set<Gap> OPEN = EnumSet.noneOf(Gap.class);

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext extensionContext) throws Throwable {
        TapnetGap gap = invocationContext.getExecutable().getAnnotation(TapnetGap.class);
        Target target = (Target) invocationContext.getArguments().stream().filter(Target.class::isInstance).findFirst()
                .orElse(null);
        if (gap == null || target == null || !gap.value().excuses(target) || !OPEN.contains(gap.value())) {
            invocation.proceed();
            return;
        }
        try {
            invocation.proceed();
        } catch (AssertionError e) {
            Assumptions.abort("not yet in tapnet: " + gap.value().description + "\n" + e.getMessage());
        }
        Assertions.fail("tapnet now passes " + name(extensionContext) + " over " + target.family + ", a known gap ("
                + gap.value() + "): remove " + gap.value() + " from KnownGaps.OPEN");
    }

    private static String name(ExtensionContext context) {
        Optional<Class<?>> testClass = context.getTestClass();
        return testClass.map(Class::getSimpleName).orElse("?") + "." + context.getRequiredTestMethod().getName();
    }
}
