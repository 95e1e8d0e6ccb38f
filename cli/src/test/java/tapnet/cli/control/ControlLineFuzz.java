package tapnet.cli.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Pattern;
import tapnet.cli.api.ApiRoutes;
import tapnet.cli.api.RunChanges;
import tapnet.engine.Engine;
import tapnet.time.VirtualClock;
import tapnet.build.EngineBuilder;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyException;
import tapnet.topology.yaml.TopologyLoader;

/**
 * A seeded fuzzer of {@code tapnet ctl} request lines, as the control socket reads them: mutated lines go
 * through the control API's routes against a running engine (the whole path: {@link ControlRequest}
 * parsing, the API request it becomes, the link and partition readers, the engine), and command-line words through
 * {@link ControlRequest#of}. Every line must give a reply, never an exception, and an error reply's every
 * line must be one line of text: {@code ctl:line:column: ...} from the readers, or one sentence. The topology
 * readers themselves are fuzzed harder by core's {@code ReaderFuzz}.
 */
final class ControlLineFuzz {
    private static final Pattern READER_ERROR = Pattern.compile("ctl:[1-9][0-9]*:[1-9][0-9]*: \\S.*");
    private static final String[] SEEDS = {
            "link {between: [tap, web], delay: 50ms, loss: 1%}",
            "link {between: [tap, web]}",
            "link {from: db, to: r1, rate: 1mbit, limit: 100}",
            "link {between: [tap, left], gemodel: { p: 1%, r: 25% }, slot: { min: 10ms, packets: 4 }}",
            "link between: [r1, db]\\ndelay: 5ms\\njitter: 1ms\\ndistribution: normal",
            "down web", "up web", "down left", "up r1",
            "partition [[tap, left], [web, db]]", "partition - [tap]\\n- [web]", "heal", "links", "counters",
            "stop web", "start db", "stopService web:80", "startService web:80",
    };
    private static final String[] TOKENS = {" ", "  ", "\\n", "\\r", "\\\\", "\\", "\n", "\r", "\t", "\u0000", "\u0085",
            "\u2028", "[", "]", "{", "}", ":", ",", "- ", "&a ", "*a", "!!binary ", "---", "#", "\"", "'", ">=", "|",
            "link", "down", "up", "partition", "heal", "links", "counters", "stop", "start", "stopService", "startService",
            "tap", "web", "db", "r1", "left", "nowhere", "web:80", ":80", ":0",
            "between", "from", "to", "delay", "loss", "rate", "mtu", "slot", "gemodel", "5ms", "1%", "100", "-1",
            "99999999999999999999", "1e400", "💥", "\uD800", "[[[[[[[[[[", "{a: {a: {a: {a: "};

    private final long seed;
    private final Engine engine;
    private final ApiRoutes routes;

    ControlLineFuzz(long seed) {
        this.seed = seed;
        Topology topology;
        try {
            topology = TopologyLoader.parse("ctl.yaml", """
                    tap: { address: 10.77.0.1/24 }
                    routers: { r1: { address: 10.77.0.254, subnet: 10.78.1.1/24 } }
                    ports: { left: { netns: lab, address: 10.77.0.101 } }
                    hosts:
                      web: { address: 10.77.0.10, services: [ { port: 80, http: {} } ] }
                      db: { address: 10.78.1.10 }
                    links: [ { between: [r1, db], delay: 5ms } ]
                    """);
        } catch (TopologyException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        engine = EngineBuilder.build(topology, new VirtualClock(), new tapnet.frame.DiscardingSink(65_536), List.of(new tapnet.frame.DiscardingSink(65_536)));
        routes = new ApiRoutes(topology, "ctl.yaml", "tap0", null, this::onEngine, new RunChanges(topology), Map::of);
    }

    /** The engine thread, here: the caller's. */
    private <T> CompletableFuture<T> onEngine(Function<Engine, T> query) {
        return CompletableFuture.completedFuture(query.apply(engine));
    }

    /** What a round found: inputs, seconds, and each failure with its seed and number. */
    record Result(long lines, long nanos, List<String> failures) {
        String summary() {
            return String.format(Locale.ROOT, "ctl lines %d, seconds %.1f, failures %d", lines, nanos / 1e9, failures.size());
        }
    }

    Result run(int count) {
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
            String line = SEEDS[random.nextInt(SEEDS.length)];
            int rounds = 1 + random.nextInt(4);
            for (int r = 0; r < rounds; r++) {
                line = mutate(line, random);
            }
            String problem = check(line);
            if (problem == null) {
                problem = checkWords(List.of(line.split(" ", random.nextInt(1, 4))));
            }
            if (problem != null) {
                failures.add("seed " + seed + " line " + i + " " + ControlRequest.escape(line) + ": " + problem);
            }
        }
        return new Result(count, System.nanoTime() - started, failures);
    }

    /** Null when the line got a reply whose error lines are each one line; else what went wrong. */
    String check(String line) {
        ControlReply reply;
        try {
            reply = handle(line);
        } catch (Throwable t) {
            return "handle threw " + t;
        }
        if (reply.ok()) {
            return null;
        }
        if (reply.lines().isEmpty()) {
            return "an error reply without a line";
        }
        List<String> lines = reply.lines();
        boolean fromReader = READER_ERROR.matcher(lines.get(0)).matches();
        for (String text : lines) {
            if (!oneLine(text)) {
                return "an error line holding control characters: " + ControlRequest.escape(text);
            }
            if (fromReader && !READER_ERROR.matcher(text).matches()) {
                return "a reader's error reply with a line not in the ctl:line:column: form (a message across lines?): "
                        + String.join(" | ", lines);
            }
        }
        if (!fromReader && lines.size() != 1) {
            return "an error of " + lines.size() + " lines: " + String.join(" | ", lines);
        }
        return null;
    }

    /** The reply to a request line, as ctl gets it through the API (the socket and HTTP left out). */
    ControlReply handle(String line) {
        ControlRequest.Http http;
        try {
            http = ControlRequest.parse(line).http();
        } catch (IllegalArgumentException e) {
            return ControlReply.error(e.getMessage());
        }
        String path = java.net.URLDecoder.decode(http.path().replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        ApiRoutes.Answer answer = routes.respond(http.method(), path, Map.of(), http.body() == null ? "" : http.body(),
                "ctl", "text/plain");
        return new ControlReply(answer.status() < 300, answer.body().lines().toList());
    }

    /** {@code tapnet ctl WORDS}: a request, or a one-line IllegalArgumentException (picocli's usage error). */
    static String checkWords(List<String> words) {
        try {
            ControlRequest.of(words).line();
            return null;
        } catch (IllegalArgumentException e) {
            return oneLine(e.getMessage()) ? null : "a usage message across lines: " + ControlRequest.escape(e.getMessage());
        } catch (Throwable t) {
            return "of threw " + t;
        }
    }

    static boolean oneLine(String text) {
        return text.chars().noneMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029');
    }

    private static String mutate(String line, SplittableRandom random) {
        int at = line.isEmpty() ? 0 : random.nextInt(line.length() + 1);
        if (at > 0 && at < line.length() && Character.isLowSurrogate(line.charAt(at))) {
            at--;
        }
        return switch (random.nextInt(5)) {
            case 0, 1 -> line.substring(0, at) + TOKENS[random.nextInt(TOKENS.length)] + line.substring(at);
            case 2 -> line.substring(0, at) + line.substring(Math.min(line.length(), at + 1 + random.nextInt(10)));
            case 3 -> line.substring(0, at) + "[".repeat(random.nextBoolean() ? 101 : 3_000) + line.substring(at);
            default -> SEEDS[random.nextInt(SEEDS.length)].substring(0, 4) + " " + line.substring(at);
        };
    }

    /** {@code ControlLineFuzz LINES SEED}: prints a summary and every failure; exit 0 without failures, 1 with. */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ControlLineFuzz LINES SEED");
            System.exit(2);
        }
        long seed = Long.parseLong(args[1]);
        Result result = new ControlLineFuzz(seed).run(Integer.parseInt(args[0]));
        result.failures().forEach(System.out::println);
        System.out.println(result.summary() + "; seed " + seed);
        System.exit(result.failures().isEmpty() ? 0 : 1);
    }
}
