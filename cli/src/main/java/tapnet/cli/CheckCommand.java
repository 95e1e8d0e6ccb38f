package tapnet.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tapnet.topology.Topology;
import tapnet.topology.TopologyError;
import tapnet.topology.TopologyException;
import tapnet.topology.TopologyLoader;

/** {@code tapnet check FILE...}: validates topology files without touching the network. */
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
                System.out.println(file + ": valid (" + topology.hosts().size() + " hosts, "
                        + topology.hosts().stream().mapToInt(h -> h.services().size()).sum() + " services)");
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
                System.err.println(file + ": cannot read: " + e.getMessage());
            }
        }
        return allValid ? 0 : 1;
    }
}
