package tapnet.topology.yaml;

import tapnet.dns.DnsFaults;
import tapnet.topology.LinkChange;
import tapnet.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads topology files. Every problem, from a YAML syntax error to a host outside the TAP's subnet, is
 * reported as {@code file:line:column: what is wrong; expected ...}, and as many as can be found in one
 * reading are reported together in a {@link TopologyException}. The file format is described in
 * the README's "Topology files".
 *
 * <p>The YAML is only composed into nodes (which carry their positions), never constructed into Java
 * objects: no tags, classes or environment variables are ever resolved from a file.
 */
public final class TopologyLoader {
    /** Where the default topology ({@code topologies/default.yaml}) lies on the classpath. */
    public static final String DEFAULT_RESOURCE = "/tapnet/topology/default.yaml";

    /**
     * Aliases a file may use: a few per host (its list of services, say) for a million hosts. They cost no
     * more than the nodes they name (see {@link #compose}).
     */
    private static final int MAX_ALIASES = 4_000_000;
    /** Characters a file may have: a million hosts of one line each, and room to spare. */
    private static final int MAX_CODE_POINTS = 256 << 20;
    /**
     * How deep mappings and lists may nest. A topology uses about six levels (script, events, an event, its
     * link, between, the list); the parser composes nested collections by recursion, and a few thousand
     * levels of {@code [} would overflow a thread's stack. snakeyaml-engine 2.9 has no setting for this
     * (SnakeYAML 1.x's {@code nestingDepthLimit} was not carried over), so {@link DepthLimitedComposer}
     * counts.
     */
    static final int MAX_NESTING = 100;

    private TopologyLoader() {
    }

    /** Reads a topology file; errors name it as given. */
    public static Topology load(Path file) throws IOException, TopologyException {
        return parse(file.toString(), Files.readAllBytes(file));
    }

    /** Reads a topology from the bytes of a file, which must be UTF-8; {@code fileName} names it in errors. */
    static Topology parse(String fileName, byte[] bytes) throws TopologyException {
        return parse(fileName, decode(fileName, bytes));
    }

    /** Reads a topology from {@code text}; {@code fileName} names it in errors and gives a nameless topology its name. */
    public static Topology parse(String fileName, String text) throws TopologyException {
        Problems problems = new Problems(fileName);
        Node root = compose(text, problems, "the file holds no topology; expected a mapping with keys from: "
                + String.join(", ", TopologyReader.TOPOLOGY.known()), "topology per file");
        Topology topology = root == null ? null : new TopologyReader(problems, defaultName(fileName)).read(root);
        if (topology == null || problems.any()) {
            if (!problems.any()) {
                problems.at(1, 1, "the topology could not be read"); // every path above reports; keep the promise anyway
            }
            throw new TopologyException(problems.inFileOrder());
        }
        return topology;
    }

    /**
     * Reads one link entry, as a topology's {@code links:} list holds them ({@code {between: [tap, web],
     * delay: 20ms}}), against {@code topology}'s hosts and routers: how {@code tapnet ctl link} changes a
     * running link. Errors name {@code source} and give line and column as a file's errors do.
     */
    public static LinkChange parseLink(String source, String yaml, Topology topology) throws TopologyException {
        Problems problems = new Problems(source);
        Node root = compose(yaml, problems, "no link given; expected a mapping like {between: [tap, web], delay: 20ms}"
                + " with keys from: " + String.join(", ", TopologyReader.LINK.known()), "link");
        LinkChange link = root == null ? null : new TopologyReader(problems, source).readLink(root, topology);
        if (link == null || problems.any()) {
            if (!problems.any()) {
                problems.at(1, 1, "the link could not be read");
            }
            throw new TopologyException(problems.inFileOrder());
        }
        return link;
    }

    /**
     * Reads a partition, {@code [[tap, left], [right, web]]}: groups of nodes of {@code topology} that are to
     * be cut off from each other (see {@code Engine.partition}). Errors as {@link #parseLink} gives them.
     */
    public static List<List<String>> parsePartition(String source, String yaml, Topology topology) throws TopologyException {
        Problems problems = new Problems(source);
        Node root = compose(yaml, problems, "no groups given; expected a list of groups of nodes like [[tap, web], [db]]",
                "partition");
        List<List<String>> groups = root == null ? null : new TopologyReader(problems, source).readPartition(root, topology);
        if (groups == null || problems.any()) {
            if (!problems.any()) {
                problems.at(1, 1, "the partition could not be read");
            }
            throw new TopologyException(problems.inFileOrder());
        }
        return groups;
    }

    /**
     * Reads DNS faults, {@code [ { name: db, servfail: {} } ]} ({@code []}: none), as a {@code dns:} section's
     * {@code faults:} list, names under {@code topology}'s domain. Errors as {@link #parseLink} gives them.
     *
     * @throws IllegalArgumentException when the topology has no DNS server
     */
    public static List<DnsFaults.Rule> parseDnsFaults(String source, String yaml, Topology topology) throws TopologyException {
        if (topology.dns() == null) {
            throw new IllegalArgumentException(DnsFaultsReader.NO_SERVER);
        }
        Problems problems = new Problems(source);
        Node root = compose(yaml, problems, "no DNS faults given; expected a list like " + DnsFaultsReader.EXAMPLE
                + ", or [] for none", "list of DNS faults");
        List<DnsFaults.Rule> rules = root == null ? null
                : new DnsFaultsReader(problems, new Scalars(problems)).read(root, topology.dns().domain());
        if (rules == null || problems.any()) {
            if (!problems.any()) {
                problems.at(1, 1, "the DNS faults could not be read");
            }
            throw new TopologyException(problems.inFileOrder());
        }
        return rules;
    }

    /** The topology tapnet runs when given none: {@code topologies/default.yaml}, built into the jar. */
    public static Topology loadDefault() {
        try (InputStream in = TopologyLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the default topology is missing from the classpath: " + DEFAULT_RESOURCE);
            }
            return parse("default.yaml", decode("default.yaml", in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TopologyException e) {
            throw new IllegalStateException("the built-in default topology is invalid:\n" + e.getMessage(), e);
        }
    }

    /** A topology without a {@code name:} is named after its file: {@code shop} for {@code topologies/shop.yaml}. */
    static String defaultName(String fileName) {
        String base = fileName.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        for (String extension : List.of(".yaml", ".yml")) {
            if (base.endsWith(extension) && base.length() > extension.length()) {
                return base.substring(0, base.length() - extension.length());
            }
        }
        return base.isEmpty() ? "topology" : base;
    }

    /**
     * The single YAML document of the text, or null when there is none ({@code emptyMessage} reported) or it
     * is not valid YAML (reported); {@code one} says what a single document holds ("topology per file").
     */
    static Node compose(String text, Problems problems, String emptyMessage, String one) {
        // Aliases share nodes, they are not copied, and the reader descends a fixed few levels: a file cannot
        // make it do exponential work, so aliases can be many (100,000 hosts sharing one list of services, say).
        // The parser's own limits (50 aliases, 3 MB) are for untrusted documents; a topology is the user's own.
        LoadSettings settings = LoadSettings.builder().setLabel(problems.file()).setUseMarks(true)
                .setMaxAliasesForCollections(MAX_ALIASES).setCodePointLimit(MAX_CODE_POINTS).build();
        try {
            Composer documents = new DepthLimitedComposer(settings, text);
            Node root = documents.hasNext() ? documents.next() : null;
            if (root == null || Section.isNull(root) && !documents.hasNext()) {
                problems.at(1, 1, emptyMessage);
                return null;
            }
            if (documents.hasNext()) {
                problems.at(documents.next(), "a second YAML document starts here; expected one " + one);
            }
            return root;
        } catch (NestingTooDeep e) {
            problems.at(e.where, "nesting deeper than " + MAX_NESTING + " levels of mappings and lists; expected the few"
                    + " levels a topology has (is a bracket or a brace left open, or indentation growing line by line?)");
        } catch (MarkedYamlEngineException e) {
            problems.at(e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark(), syntaxMessage(e));
        } catch (ReaderException e) {
            int[] at = lineAndColumn(text, e.getPosition());
            problems.at(at[0], at[1], String.format("character U+%04X is not allowed in YAML; expected printable text"
                    + " (write control characters with escapes like \\t inside double quotes)", e.getCodePoint()));
        } catch (YamlEngineException e) {
            problems.at(1, 1, "invalid YAML: " + e.getMessage());
        } catch (StackOverflowError e) {
            // Not expected below MAX_NESTING on any usual stack; should a small thread stack overflow anyway, the
            // user still gets one line, and the thread (a control connection's, say) lives on.
            problems.at(1, 1, "the YAML nests too deeply to be read; expected the few levels of mappings and lists a"
                    + " topology has");
        }
        return null;
    }

    /** The parser's composer, refusing collections nested more than {@link #MAX_NESTING} deep where they start. */
    private static final class DepthLimitedComposer extends Composer {
        private int depth;

        DepthLimitedComposer(LoadSettings settings, String text) {
            super(settings, new ParserImpl(settings, new StreamReader(settings, text)));
        }

        @Override
        protected SequenceNode composeSequenceNode(Optional<org.snakeyaml.engine.v2.common.Anchor> anchor) {
            enter();
            try {
                return super.composeSequenceNode(anchor);
            } finally {
                depth--;
            }
        }

        @Override
        protected Node composeMappingNode(Optional<org.snakeyaml.engine.v2.common.Anchor> anchor) {
            enter();
            try {
                return super.composeMappingNode(anchor);
            } finally {
                depth--;
            }
        }

        private void enter() {
            if (++depth > MAX_NESTING) {
                depth--;
                throw new NestingTooDeep(parser.peekEvent().getStartMark());
            }
        }
    }

    /** Thrown by {@link DepthLimitedComposer} at the collection one level too deep. */
    private static final class NestingTooDeep extends RuntimeException {
        final Optional<Mark> where;

        NestingTooDeep(Optional<Mark> where) {
            super(null, null, false, false);
            this.where = where;
        }
    }

    private static String syntaxMessage(MarkedYamlEngineException e) {
        StringBuilder message = new StringBuilder("invalid YAML: ").append(e.getProblem());
        String context = e.getContext();
        if (context != null && !context.isBlank()) {
            message.append(" (").append(context);
            e.getContextMark().ifPresent(m -> message.append(" that starts at line ").append(m.getLine() + 1)
                    .append(", column ").append(m.getColumn() + 1));
            message.append(')');
        }
        String problem = String.valueOf(e.getProblem());
        if (problem.contains("mapping values are not allowed here")) {
            message.append("; expected one key per line, or a value with ': ' in it written in quotes");
        } else if (problem.contains("expected <block end>")) {
            message.append("; expected the keys of a mapping to line up: check the indentation");
        } else if (startsWithBlockIndicator(problem, context)) {
            message.append("; a value that starts with > or | begins a block of text in YAML: write a comparison in"
                    + " quotes, like \">= 1\" or \"> 5mbit\"");
        }
        return message.toString();
    }

    /**
     * True when YAML choked on a value starting with {@code >} or {@code |}: in a flow collection neither can
     * start a value; elsewhere they begin a block scalar, whose header ({@code >=}, {@code > 1}) is then wrong.
     * Comparisons of expectations ({@code >= 99%}) run into this unquoted.
     */
    private static boolean startsWithBlockIndicator(String problem, String context) {
        if (problem.contains("found character '>'") || problem.contains("found character '|'")) {
            return true;
        }
        return context != null && context.contains("block scalar")
                && (problem.contains("chomping or indentation indicators") || problem.contains("a comment or a line break")
                || problem.contains("indentation indicator"));
    }

    /** 1-based line and column of the code point at {@code position}. */
    private static int[] lineAndColumn(String text, int position) {
        int line = 1;
        int column = 1;
        int index = 0;
        for (int codePoints = 0; codePoints < position && index < text.length(); codePoints++) {
            int c = text.codePointAt(index);
            index += Character.charCount(c);
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }

    /** UTF-8 bytes as text; bytes that are not UTF-8 are reported where they are. */
    private static String decode(String fileName, byte[] bytes) throws TopologyException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            out.flip();
            int[] at = lineAndColumn(out.toString(), Integer.MAX_VALUE);
            throw new TopologyException(List.of(new TopologyError(fileName, at[0], at[1],
                    String.format("byte 0x%02X is not UTF-8; expected a text file in UTF-8", bytes[in.position()] & 0xff))));
        }
        decoder.flush(out);
        out.flip();
        return out.toString();
    }
}
