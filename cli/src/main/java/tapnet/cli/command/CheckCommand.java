package tapnet.cli.command;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyError;
import tapnet.topology.yaml.TopologyException;
import tapnet.topology.yaml.TopologyLoader;
import tapnet.cli.live.IoFailureText;

/**
 * {@code tapnet check FILE...}: validates topology files without touching the network. Each file is checked
 * whatever happened with the ones before it; every error is one line, {@code file:line:column: message}.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate topology files without running them. Exit 0 when all are valid, 1 otherwise.")
final class CheckCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Topology files (YAML).")
    private List<Path> files;

    @Override
    public Integer call() {
        boolean allValid = true;
        for (Path file : files) {
            try {
                Topology topology = TopologyLoader.load(file);
                System.out.println(file + ": valid (" + contents(topology) + ")");
            } catch (TopologyException e) {
                allValid = false;
                for (TopologyError error : e.errors()) {
                    System.err.println(error);
                }
            } catch (NoSuchFileException e) {
                allValid = false;
                System.err.println(file + ": no such file");
            } catch (IOException e) {
                allValid = false;
                System.err.println(file + ": cannot read: " + IoFailureText.of(e));
            } catch (RuntimeException | StackOverflowError e) {
                // a bug in tapnet's reader, which its fuzzing has not found: one line, and on to the next file
                allValid = false;
                System.err.println(file + ":1:1: tapnet could not read this file (" + e
                        + "); please report it with the file");
            }
        }
        return allValid ? 0 : 1;
    }

    /** What a topology holds, in words: {@code 2 hosts, 1 service, 1 router, a script of 10m}. */
    private static String contents(Topology topology) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        parts.add(count(topology.hosts().size(), "host"));
        parts.add(count(topology.hosts().stream().mapToInt(h -> h.services().size()).sum(), "service"));
        if (!topology.routers().isEmpty()) {
            parts.add(count(topology.routers().size(), "router"));
        }
        if (!topology.ports().isEmpty()) {
            parts.add(count(topology.ports().size(), "port"));
        }
        if (!topology.links().isEmpty()) {
            parts.add(count(topology.links().size(), "link"));
        }
        if (topology.script() != null) {
            parts.add("a script of " + tapnet.topology.yaml.Units.format(topology.script().duration()));
        }
        return String.join(", ", parts);
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
