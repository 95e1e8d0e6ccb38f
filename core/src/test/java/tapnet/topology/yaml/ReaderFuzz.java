package tapnet.topology.yaml;

import tapnet.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A seeded fuzzer of tapnet's readers: topology files, and the link and partition specs {@code tapnet ctl}
 * sends. It starts from every file in {@code topologies/} and every YAML example of the README, and
 * mutates them: bytes (also into bytes that are not UTF-8), lines, indentation, keys, numbers, units,
 * YAML syntax, deep nesting, splices of other files. Every input must give either a model or errors in
 * the one-line {@code file:line:column: message} form: any other exception, a message across lines or an
 * input that takes more than {@link #SLOW_NANOS} is a failure.
 *
 * <p>The same seed gives the same inputs: input {@code i} of seed {@code s} is made from its own generator,
 * so a failure is replayed by its seed and number alone. {@link ReaderFuzzTest} runs a short round in the
 * test suite; {@code bench/fuzz-readers.sh FILES SEED} runs {@link #main} for a long one.
 */
final class ReaderFuzz {
    /** Longer than this for one input is a failure: nothing a topology holds should take seconds to read. */
    static final long SLOW_NANOS = 10_000_000_000L;
    private static final Path README = Path.of("..", "README.md");
    private static final Path TOPOLOGIES = Path.of("..", "topologies");
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern KEY = Pattern.compile("([A-Za-z][A-Za-z0-9]*)(\\s*:)");
    private static final Pattern NUMBER = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    private static final Pattern UNIT = Pattern.compile("(?<=[0-9])(ns|us|µs|ms|s|m|h|KiB|MiB|GiB|B|%|mbit|gbit|kbit|mbps)");
    private static final String[] UNITS = {"", "ns", "us", "µs", "ms", "s", "m", "h", "d", "KiB", "MiB", "GiB", "TiB",
            "KB", "kB", "MB", "B", "%", "%%", "mbit", "gbit", "kbit", "mbps", "bit", "e3", "e999", ".5", " ms", "M"};
    private static final String[] NUMBERS = {"0", "-0", "-1", "1", "00", "0.0", "1.5", "65535", "65536", "2147483647",
            "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "99999999999999999999999999999999", "1e400", "1e-400", "NaN", ".inf", "-.inf", "0x1F", "0o17", "1_000",
            "0.000000001", "4294967296", "255", "256", "10.77.0.300", "1/2", "１"};
    private static final String[] TOKENS = {"[", "]", "{", "}", ":", ": ", ", ", ",", "- ", "-", "#", "# x", "&a ",
            "*a", "&b [*a, *a] ", "<<: *a", "---\n", "...\n", "!!str ", "!!binary ", "!!int ", "!foo ", "? ", "|", "|-\n",
            ">", ">=", ">= 1", "< 5ms", "\"", "'", "\\", "\\n", "\t", "\n", "\r\n", "\r", "\u2028", "\u0085", "\u0000",
            "\uFEFF", "%YAML 1.2\n", "%TAG ! tag:x,2000:\n", "~", "null", "true", "false", "yes", "on", "''", "\"\"",
            "{}", "[]", "@", "`", "%", "💥", "\uD800", "é", "\u00A0", " ", "  ", "tap", "web", "left", "r1", "{run}",
            "10.77.0.1/24", "10.77.0.10", "02:00:00:00:00:10", "http://10.77.0.10/", "10.77.0.10:80", "&x { a: *x }"};

    private final long seed;
    private final List<String> files;
    private final List<String> specs;
    private final List<String> keys;
    private final Topology ctlTopology;
    private volatile long inputStarted;

    /** What a round found. */
    record Result(long files, long specs, long nanos, long slowestNanos, List<String> failures, long models,
                  long syntaxErrors) {
        String summary() {
            return String.format(Locale.ROOT, "files %d (%d read as models, %d with YAML syntax errors, the rest with"
                            + " other errors), ctl specs %d, seconds %.1f, slowest input %.3f s, failures %d",
                    files, models, syntaxErrors, specs, nanos / 1e9, slowestNanos / 1e9, failures.size());
        }
    }

    ReaderFuzz(long seed) {
        this.seed = seed;
        this.files = seedFiles();
        this.keys = knownKeys();
        this.specs = seedSpecs(files);
        try {
            this.ctlTopology = TopologyLoader.parse("ctl.yaml", """
                    tap: { address: 10.77.0.1/24 }
                    routers: { r1: { address: 10.77.0.254, subnet: 10.78.1.1/24 } }
                    ports: { left: { address: 10.77.0.101 }, right: { netns: lab, address: 10.77.0.102 } }
                    hosts:
                      web: { address: 10.77.0.10, services: [ { port: 80, http: {} } ] }
                      db: { address: 10.78.1.10 }
                    """);
        } catch (TopologyException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Reads {@code files} mutated files and as many mutated link or partition specs; failing inputs go to
     * {@code keep} (when not null) as {@code failure-N.yaml} or {@code failure-N.ctl}.
     */
    Result run(int count, Path keep) {
        List<String> failures = new ArrayList<>();
        models = 0;
        syntaxErrors = 0;
        long slowest = 0;
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
            byte[] file = mutateFile(random);
            String name = "fuzz-" + i + ".yaml";
            inputStarted = System.nanoTime();
            String problem = checkFile(name, file);
            long took = System.nanoTime() - inputStarted;
            slowest = Math.max(slowest, took);
            if (problem == null && took > SLOW_NANOS) {
                problem = String.format(Locale.ROOT, "took %.1f s", took / 1e9);
            }
            if (problem != null) {
                failures.add("seed " + seed + " file " + i + ": " + problem);
                keep(keep, "failure-" + i + ".yaml", file);
            }

            String spec = mutateSpec(random);
            inputStarted = System.nanoTime();
            problem = checkSpec(spec, random.nextBoolean());
            took = System.nanoTime() - inputStarted;
            slowest = Math.max(slowest, took);
            if (problem != null) {
                failures.add("seed " + seed + " spec " + i + ": " + problem);
                keep(keep, "failure-" + i + ".ctl", spec.getBytes(StandardCharsets.UTF_8));
            }
        }
        inputStarted = 0;
        return new Result(count, count, System.nanoTime() - started, slowest, failures, models, syntaxErrors);
    }

    private long models;
    private long syntaxErrors;

    /** When the current input started, 0 when none runs: for a watchdog. */
    long inputStarted() {
        return inputStarted;
    }

    // ------------------------------------------------------------------------------------------------
    // checks
    // ------------------------------------------------------------------------------------------------

    /** Null when the file gave a model (whose summary and run names work) or one-line errors; else what went wrong. */
    String checkFile(String name, byte[] bytes) {
        try {
            Topology topology = TopologyLoader.parse(name, bytes);
            models++;
            TopologySummary.of(topology);
            try {
                topology.inRun("fuzz");
            } catch (IllegalArgumentException e) { // two ports as one device once {run} is filled in: one line
                return oneLine(e.getMessage()) ? null : "a multi-line message from inRun: " + e.getMessage();
            }
            return null;
        } catch (TopologyException e) {
            if (e.errors().stream().anyMatch(error -> error.message().startsWith("invalid YAML"))) {
                syntaxErrors++;
            }
            return checkErrors(e, name);
        } catch (Throwable t) {
            return "threw " + describe(t);
        }
    }

    /** As {@link #checkFile}, for a spec as {@code tapnet ctl link} or {@code partition} sends it. */
    String checkSpec(String spec, boolean link) {
        try {
            if (link) {
                TopologyLoader.parseLink("ctl", spec, ctlTopology);
            } else {
                TopologyLoader.parsePartition("ctl", spec, ctlTopology);
            }
            return null;
        } catch (TopologyException e) {
            return checkErrors(e, "ctl");
        } catch (Throwable t) {
            return "threw " + describe(t);
        }
    }

    private static final Pattern ERROR = Pattern.compile("(.*):([1-9][0-9]*):([1-9][0-9]*): (\\S.*)");

    private static String checkErrors(TopologyException e, String name) {
        if (e.errors().isEmpty()) {
            return "a TopologyException without errors";
        }
        List<String> lines = new ArrayList<>();
        for (TopologyError error : e.errors()) {
            String text = error.toString();
            lines.add(text);
            Matcher m = ERROR.matcher(text);
            if (!oneLine(text)) {
                return "an error across lines: " + text.replace("\n", "⏎");
            }
            if (!m.matches() || !m.group(1).equals(name)) {
                return "an error not in the file:line:column: form: " + text;
            }
        }
        if (!String.join("\n", lines).equals(e.getMessage())) {
            return "the exception's message is not its errors, one a line";
        }
        return null;
    }

    /** No line terminator (as Java, terminals or editors see one) and no other control character. */
    static boolean oneLine(String text) {
        return text.chars().noneMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029');
    }

    /** The throwable and where in tapnet it came from. */
    private static String describe(Throwable t) {
        StringBuilder out = new StringBuilder(t.toString());
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().startsWith("tapnet.") && !frame.getClassName().startsWith("tapnet.topology.yaml.ReaderFuzz")) {
                return out.append(" at ").append(frame).toString();
            }
        }
        StackTraceElement[] trace = t.getStackTrace();
        return out.append(trace.length > 0 ? " at " + trace[0] : "").toString();
    }

    // ------------------------------------------------------------------------------------------------
    // mutation
    // ------------------------------------------------------------------------------------------------

    private byte[] mutateFile(SplittableRandom random) {
        String text = files.get(random.nextInt(files.size()));
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            text = mutate(text, random);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(10) == 0 && bytes.length > 0) { // bytes that may not be UTF-8
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
        }
        return bytes;
    }

    private String mutateSpec(SplittableRandom random) {
        String text = specs.get(random.nextInt(specs.size()));
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            text = mutate(text, random);
        }
        return text;
    }

    String mutate(String text, SplittableRandom random) {
        return switch (random.nextInt(14)) {
            case 0 -> insert(text, random, pick(TOKENS, random));
            case 1 -> insert(text, random, keys.get(random.nextInt(keys.size())) + pick(new String[] {": ", ":", " ", ""}, random));
            case 2 -> deleteRange(text, random);
            case 3 -> copyRange(text, random);
            case 4 -> lines(text, random);
            case 5 -> indentation(text, random);
            case 6 -> replaceMatch(text, random, KEY, m -> pickKey(random, m.group(1)) + m.group(2));
            case 7 -> replaceMatch(text, random, NUMBER, m -> pick(NUMBERS, random));
            case 8 -> replaceMatch(text, random, UNIT, m -> pick(UNITS, random));
            case 9 -> insert(text, random, deepNesting(random));
            case 10 -> insert(text, random, substring(files.get(random.nextInt(files.size())), random));
            case 11 -> text.isEmpty() ? text : text.substring(0, random.nextInt(text.length()));
            case 12 -> insert(text, random, aliasTower(random));
            default -> replaceChar(text, random);
        };
    }

    private static String pick(String[] choices, SplittableRandom random) {
        return choices[random.nextInt(choices.length)];
    }

    private String pickKey(SplittableRandom random, String key) {
        return switch (random.nextInt(4)) {
            case 0 -> key.isEmpty() ? key : key.substring(0, key.length() - 1); // a letter short
            case 1 -> key.toUpperCase(Locale.ROOT);
            default -> keys.get(random.nextInt(keys.size()));
        };
    }

    private static int position(String text, SplittableRandom random) {
        int at = text.isEmpty() ? 0 : random.nextInt(text.length() + 1);
        // never between the halves of a surrogate pair: a lone half is not UTF-8 (flipped bytes test that)
        return at > 0 && at < text.length() && Character.isLowSurrogate(text.charAt(at)) ? at - 1 : at;
    }

    private static String insert(String text, SplittableRandom random, String piece) {
        int at = position(text, random);
        return text.substring(0, at) + piece + text.substring(at);
    }

    private static String deleteRange(String text, SplittableRandom random) {
        int from = position(text, random);
        int to = Math.min(text.length(), from + 1 + random.nextInt(40));
        to = to < text.length() && Character.isLowSurrogate(text.charAt(to)) ? to + 1 : to;
        return text.substring(0, from) + text.substring(to);
    }

    private static String substring(String text, SplittableRandom random) {
        int from = position(text, random);
        int to = Math.min(text.length(), from + 1 + random.nextInt(200));
        to = to < text.length() && Character.isLowSurrogate(text.charAt(to)) ? to + 1 : to;
        return text.substring(from, to);
    }

    private static String copyRange(String text, SplittableRandom random) {
        return insert(text, random, substring(text, random));
    }

    private static String replaceChar(String text, SplittableRandom random) {
        if (text.isEmpty()) {
            return text;
        }
        int at = position(text, random);
        if (at >= text.length()) {
            return text;
        }
        int end = at + Character.charCount(text.codePointAt(at));
        String[] with = {"", " ", "\t", "\n", ":", "-", "[", "{", "0", "x", "\"", "#", "\u0001", "\u00FF"};
        return text.substring(0, at) + pick(with, random) + text.substring(end);
    }

    private static String lines(String text, SplittableRandom random) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (lines.isEmpty()) {
            return text;
        }
        int a = random.nextInt(lines.size());
        int b = random.nextInt(lines.size());
        switch (random.nextInt(4)) {
            case 0 -> lines.remove(a);
            case 1 -> lines.add(a, lines.get(b));
            case 2 -> {
                String swap = lines.get(a);
                lines.set(a, lines.get(b));
                lines.set(b, swap);
            }
            default -> lines.add(a, lines.remove(b));
        }
        return String.join("\n", lines);
    }

    private static String indentation(String text, SplittableRandom random) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int at = random.nextInt(lines.size());
        String line = lines.get(at);
        String stripped = line.stripLeading();
        int indent = line.length() - stripped.length();
        int change = random.nextInt(9) - 4;
        String prefix = random.nextInt(8) == 0 ? "\t" : " ".repeat(Math.max(0, indent + change));
        lines.set(at, prefix + stripped);
        return String.join("\n", lines);
    }

    private static String replaceMatch(String text, SplittableRandom random, Pattern pattern,
                                       java.util.function.Function<Matcher, String> with) {
        Matcher m = pattern.matcher(text);
        List<int[]> spans = new ArrayList<>();
        while (m.find() && spans.size() < 10_000) {
            spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
            return text;
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        m = pattern.matcher(text);
        m.find(span[0]);
        return text.substring(0, span[0]) + with.apply(m) + text.substring(span[1]);
    }

    /** Nesting about the limit and far past it: flow lists and mappings, block lists, block indentation. */
    private static String deepNesting(SplittableRandom random) {
        int[] depths = {20, 99, 100, 101, 102, 500, 2_000, 3_000};
        int n = depths[random.nextInt(depths.length)];
        return switch (random.nextInt(5)) {
            case 0 -> "[".repeat(n) + (random.nextBoolean() ? "]".repeat(n) : "");
            case 1 -> "{a: ".repeat(n) + "1" + (random.nextBoolean() ? "}".repeat(n) : "");
            case 2 -> "- ".repeat(n) + "x\n";
            case 3 -> {
                StringBuilder block = new StringBuilder("\n");
                int depth = Math.min(n, 400); // past the limit; DeepNestingTest has 3,000 (4.5 million spaces)
                for (int level = 0; level < depth; level++) {
                    block.append(" ".repeat(level)).append("k").append(level % 10).append(":\n");
                }
                yield block.append(" ".repeat(depth)).append("v\n").toString();
            }
            default -> "&d " + "[*d, ".repeat(Math.min(n, 200)) + "]".repeat(Math.min(n, 200));
        };
    }

    /** Each level a list of two aliases of the one below: a billion nodes if aliases were copied. */
    private static String aliasTower(SplittableRandom random) {
        StringBuilder out = new StringBuilder("\nl0: &l0 [x, x]\n");
        int levels = 5 + random.nextInt(30);
        for (int i = 1; i < levels; i++) {
            out.append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l").append(i - 1).append("]\n");
        }
        return out.append("links: *l").append(levels - 1).append('\n').toString();
    }

    // ------------------------------------------------------------------------------------------------
    // seeds
    // ------------------------------------------------------------------------------------------------

    /** Every file of topologies/ and every YAML example of the README. */
    static List<String> seedFiles() {
        List<String> seeds = new ArrayList<>();
        try (Stream<Path> paths = Files.list(TOPOLOGIES)) {
            for (Path path : paths.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                seeds.add(Files.readString(path));
            }
            Matcher m = YAML_BLOCK.matcher(Files.readString(README));
            while (m.find()) {
                seeds.add(m.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (seeds.size() < 10) {
            throw new IllegalStateException("too few seeds found (" + seeds.size() + "): run from the module's directory");
        }
        return seeds;
    }

    /** Link and partition specs as tapnet ctl sends them, and every links: entry of the seed files. */
    private static List<String> seedSpecs(List<String> files) {
        Set<String> specs = new LinkedHashSet<>(List.of(
                "{between: [tap, web], delay: 50ms, loss: 1%}",
                "{between: [tap, web]}",
                "{from: db, to: r1, rate: 1mbit, limit: 100}",
                "{between: [tap, left], gemodel: { p: 1%, r: 25% }, slot: { min: 10ms, packets: 4 }}",
                "{between: [r1, db], lossState: { p13: 1% }, reorder: 25%, gap: 5, delay: 10ms}",
                "between: [tap, right]\ndown: true\nmtu: 1000",
                "[[tap, left], [web, right]]",
                "[[tap], [web, db], [r1]]",
                "- [tap]\n- [left, right]"));
        Pattern entry = Pattern.compile("\\{ *(between|from)[^\\n]*\\}");
        for (String file : files) {
            Matcher m = entry.matcher(file);
            while (m.find()) {
                specs.add(m.group());
            }
        }
        return List.copyOf(specs);
    }

    /** Every key of every section the readers know, for mutations that swap keys. */
    private static List<String> knownKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (Class<?> reader : List.of(TopologyReader.class, LinksReader.class, ImpairmentsReader.class, TapReader.class, TcpReader.class,
                RoutersReader.class, PortsReader.class, HostsReader.class, ServicesReader.class, FaultsReader.class,
                ScriptReader.class, ScriptProbes.class, ScriptCapture.class, ScriptEvents.class, ScriptActions.class,
                ScriptExpectations.class)) {
            for (Field field : reader.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == Section.Keys.class) {
                    try {
                        field.setAccessible(true);
                        keys.addAll(((Section.Keys) field.get(null)).known());
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        keys.addAll(List.of("handshake", "<<", "hosts", "ports", "netns", "script", "nope"));
        return List.copyOf(keys);
    }

    private static void keep(Path dir, String name, byte[] input) {
        if (dir == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name), input);
        } catch (IOException e) {
            System.err.println("could not keep " + name + ": " + e.getMessage());
        }
    }

    /**
     * {@code ReaderFuzz FILES SEED [DIR]}: reads FILES mutated files and as many specs from SEED, keeps
     * failing inputs in DIR, prints a summary and every failure; exit 0 without failures, 1 with.
     * Run from {@code core/} (it reads {@code ../topologies} and {@code ../README.md}).
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: ReaderFuzz FILES SEED [FAILURES_DIR]");
            System.exit(2);
        }
        int count = Integer.parseInt(args[0]);
        long seed = Long.parseLong(args[1]);
        Path keep = args.length == 3 ? Path.of(args[2]) : null;
        ReaderFuzz fuzz = new ReaderFuzz(seed);
        Thread watchdog = new Thread(() -> {
            while (true) {
                long started = fuzz.inputStarted();
                if (started != 0 && System.nanoTime() - started > 6 * SLOW_NANOS) {
                    System.err.println("an input has been read for a minute: a hang; seed " + seed);
                    Runtime.getRuntime().halt(3);
                }
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fuzz-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        System.out.println("seeds: " + fuzz.files.size() + " files, " + fuzz.specs.size() + " specs; seed " + seed);
        Result result = fuzz.run(count, keep);
        result.failures().forEach(System.out::println);
        System.out.println(result.summary() + "; seed " + seed);
        System.exit(result.failures().isEmpty() ? 0 : 1);
    }
}
