package tapnet.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tapnet.topology.yaml.TopologyLoader;
import tapnet.wire.Ipv4Address;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every YAML example in {@code README.md} is valid: whole files as they are, fragments (a
 * {@code services:} list, a {@code tcp:} section, ...) completed into the smallest file around them.
 */
class TopologyDocsTest {
    static final Path DOC = Path.of("..", "README.md");
    private static final Pattern YAML_BLOCK = Pattern.compile("(?m)^( *)```yaml\\n(.*?)^\\1```", Pattern.DOTALL);
    private static final Pattern TAP_ADDRESS = Pattern.compile("address: (\\d+\\.\\d+\\.\\d+\\.\\d+)/");
    private static final String TAP = "tap: { address: 10.77.0.1/24 }\n";
    private static final String HOSTS = "hosts: { example: { address: 10.77.0.2 } }\n";

    record Example(int number, String yaml) {
        @Override
        public String toString() {
            return "example " + number + ": " + yaml.lines().findFirst().orElse("");
        }
    }

    static Stream<Example> examples() throws IOException {
        Matcher m = YAML_BLOCK.matcher(Files.readString(DOC));
        List<Example> examples = new ArrayList<>();
        while (m.find()) {
            String indent = m.group(1);
            String yaml = m.group(2).lines().map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l)
                    .reduce("", (a, b) -> a + b + "\n");
            examples.add(new Example(examples.size() + 1, yaml));
        }
        assertFalse(examples.isEmpty(), "no YAML examples in " + DOC.toAbsolutePath());
        return examples.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExampleInTheDocsLoads(Example example) throws Exception {
        TopologyLoader.parse("README.md#" + example.number(), completed(example.yaml()));
    }

    /** The example itself when it is a whole file, else the smallest file around it. */
    private static String completed(String yaml) {
        boolean hasTap = yaml.matches("(?s)(.*\\n)?tap:.*");
        boolean hasHosts = yaml.matches("(?s)(.*\\n)?hosts:.*");
        if (yaml.startsWith("links:")) {
            // A links fragment: give it the hosts it names.
            return TAP + "hosts:\n  web: { address: 10.77.0.10 }\n  db: { address: 10.77.0.20 }\n"
                    + "  cache: { address: 10.77.0.30 }\n" + yaml;
        }
        if (yaml.startsWith("services:")) {
            String indented = yaml.lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n");
            return TAP + "hosts:\n  example:\n    address: 10.77.0.2\n" + indented;
        }
        if (hasTap && !hasHosts) {
            Matcher address = TAP_ADDRESS.matcher(yaml);
            int host = address.find() ? Ipv4Address.parse(address.group(1)) + 1 : Ipv4Address.parse("10.77.0.2");
            return yaml + "hosts: { example: { address: " + Ipv4Address.format(host) + " } }\n";
        }
        return (hasTap ? "" : TAP) + yaml + (hasHosts ? "" : HOSTS);
    }
}
