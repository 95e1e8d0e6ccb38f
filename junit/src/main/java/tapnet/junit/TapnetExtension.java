package tapnet.junit;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import tapnet.client.Network;

/**
 * The JUnit Jupiter extension behind {@link Tapnet @Tapnet}, or registered by hand:
 *
 * <pre>
 * &#64;RegisterExtension
 * static TapnetExtension tapnet = new TapnetExtension().optional();   // skipped outside a tapnet run
 * </pre>
 *
 * <p>It finds the run as {@link tapnet.client.Tapnet#connect()} does ({@code TAPNET_CONTROL}, set by
 * {@code tapnet run FILE -- mvn test}), or from the configuration parameter (or system property)
 * {@code tapnet.control}, a socket path, for a run started apart ({@code tapnet run --control PATH FILE}).
 * {@link Network} parameters of test methods, lifecycle methods and constructors get the run's network.
 * Around each test: the events and counters at its start and a capture of its frames into
 * {@code target/tapnet-captures/CLASS/METHOD.pcapng} (configuration parameter {@code tapnet.captures} for
 * another directory); after it, when it failed, what the network did (see {@link TestWatch}); then the
 * network is reset to the topology file's state, so that no test leaks its faults into the next.
 */
public final class TapnetExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver, ExecutionCondition {
    /** A socket path that stands for TAPNET_CONTROL. */
    public static final String CONTROL_PARAMETER = "tapnet.control";
    /** {@code false}: outside a run, skip instead of failing. */
    public static final String REQUIRED_PARAMETER = "tapnet.required";
    /** Where captures go (default {@code target/tapnet-captures}). */
    public static final String CAPTURES_PARAMETER = "tapnet.captures";
    /** The command that makes a run around the tests, for the messages. */
    static final String COMMAND = "tapnet run FILE -- mvn test";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TapnetExtension.class);

    private final Boolean required;
    private final Boolean capture;
    private final Path captures;

    /** As {@code @Tapnet}: required, capturing into target/tapnet-captures (unless its settings say otherwise). */
    public TapnetExtension() {
        this(null, null, null);
    }

    private TapnetExtension(Boolean required, Boolean capture, Path captures) {
        this.required = required;
        this.capture = capture;
        this.captures = captures;
    }

    /** Outside a tapnet run, the tests are skipped rather than failed. */
    public TapnetExtension optional() {
        return new TapnetExtension(false, capture, captures);
    }

    /** No capture around each test. */
    public TapnetExtension withoutCaptures() {
        return new TapnetExtension(required, false, captures);
    }

    /** Captures into {@code directory} (the run writes them: it needs to be able to). */
    public TapnetExtension capturesIn(Path directory) {
        return new TapnetExtension(required, capture, directory);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (control(context).isPresent() || required(context)) {
            return ConditionEvaluationResult.enabled("inside a tapnet run, or required to be");
        }
        return ConditionEvaluationResult.disabled("not inside a tapnet run (no TAPNET_CONTROL); run the tests inside one: "
                + COMMAND);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        network(context); // fail the whole class at once, with the command, rather than each test
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Network net = network(context);
        context.getStore(NAMESPACE).put(TestWatch.class, TestWatch.start(net, eventCursor(context), capturePath(context)));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestWatch watch = context.getStore(NAMESPACE).remove(TestWatch.class, TestWatch.class);
        if (watch == null) {
            return;
        }
        Optional<Throwable> failure = context.getExecutionException().filter(TapnetExtension::isFailure);
        try {
            watch.finish(failure.orElse(null), context::publishReportEntry, context.getDisplayName());
        } finally {
            network(context).reset();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Network.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return network(context);
    }

    /** A skipped test (an assumption) did not fail: its capture goes like a passing one's. */
    private static boolean isFailure(Throwable thrown) {
        return !(thrown instanceof org.opentest4j.TestAbortedException);
    }

    /** The run's network, one client for the whole test run. */
    @SuppressWarnings("deprecation") // getOrComputeIfAbsent: JUnit 6's computeIfAbsent is not in JUnit 5, which users still run
    private Network network(ExtensionContext context) {
        Optional<String> control = control(context);
        if (control.isEmpty()) {
            throw new ExtensionConfigurationException("not inside a tapnet run: these tests change an emulated network,"
                    + " so run them inside one: " + COMMAND + " (TAPNET_CONTROL names its control socket; "
                    + "-D" + CONTROL_PARAMETER + "=SOCKET for a run started apart). To skip them outside a run instead,"
                    + " write @Tapnet(required = false) or pass -D" + REQUIRED_PARAMETER + "=false");
        }
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("network " + control.get(),
                key -> connect(context), Network.class);
    }

    /** The parameter names a socket; otherwise the environment says all, the token file too. */
    private static Network connect(ExtensionContext context) {
        Optional<String> socket = context.getConfigurationParameter(CONTROL_PARAMETER).filter(s -> !s.isBlank());
        return socket.isPresent() ? tapnet.client.Tapnet.connect(Path.of(socket.get())) : tapnet.client.Tapnet.connect();
    }

    /** Where the run is: the configuration parameter's socket, else the environment's socket or URL. */
    private static Optional<String> control(ExtensionContext context) {
        Optional<String> parameter = context.getConfigurationParameter(CONTROL_PARAMETER).filter(s -> !s.isBlank());
        if (parameter.isPresent()) {
            return parameter;
        }
        Map<String, String> environment = System.getenv();
        String socket = environment.getOrDefault(tapnet.client.Tapnet.CONTROL, "");
        String url = environment.getOrDefault(tapnet.client.Tapnet.CONTROL_URL, "");
        return !socket.isEmpty() ? Optional.of(socket) : !url.isEmpty() ? Optional.of(url) : Optional.empty();
    }

    private boolean required(ExtensionContext context) {
        if (context.getConfigurationParameter(REQUIRED_PARAMETER).map("false"::equalsIgnoreCase).orElse(false)) {
            return false;
        }
        return required != null ? required : annotation(context).map(Tapnet::required).orElse(true);
    }

    /** The capture's file for this test, or null when captures are off. */
    private Path capturePath(ExtensionContext context) {
        boolean on = capture != null ? capture : annotation(context).map(Tapnet::capture).orElse(true);
        if (!on) {
            return null;
        }
        Path directory = captures != null ? captures
                : Path.of(context.getConfigurationParameter(CAPTURES_PARAMETER).orElse("target/tapnet-captures"));
        String method = context.getRequiredTestMethod().getName();
        java.util.regex.Matcher invocation = java.util.regex.Pattern.compile("invocation:#(\\d+)]$").matcher(context.getUniqueId());
        String name = invocation.find() ? method + "-" + invocation.group(1) : method; // a repeated or parameterized test's run
        return directory.resolve(context.getRequiredTestClass().getName()).resolve(name + ".pcapng").toAbsolutePath();
    }

    /** @Tapnet on the test class, its superclasses or the classes around a @Nested one. */
    private static Optional<Tapnet> annotation(ExtensionContext context) {
        for (Optional<Class<?>> type = context.getTestClass(); type.isPresent(); type = Optional.ofNullable(type.get().getEnclosingClass())) {
            Optional<Tapnet> found = AnnotationSupport.findAnnotation(type.get(), Tapnet.class);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Where the events seen so far end, for the whole test run: each test asks only for what came after. */
    @SuppressWarnings("deprecation") // as in network()
    private static AtomicLong eventCursor(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("event cursor", key -> new AtomicLong(), AtomicLong.class);
    }
}
