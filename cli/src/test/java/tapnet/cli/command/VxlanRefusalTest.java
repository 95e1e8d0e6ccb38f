package tapnet.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file with {@code vxlan:} or {@code parts:} is read and checked, not yet run: {@code tapnet check} passes
 * it, {@code tapnet run} refuses it in one line, exit code 2, before it makes a namespace or a TAP.
 */
class VxlanRefusalTest {
    private static final String REFUSAL = " has vxlan: or parts:, which tapnet reads and checks but does not run yet;"
            + " tapnet check reads it (README, \"VXLAN segments and parts\")\n";

    @Test
    void aSegmentOverVxlanIsCheckedButNotRun(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("vx.yaml"), """
                tap: { address: 10.77.0.1/24, vxlan: { vni: 42, local: 192.168.50.1, remotes: [192.168.50.2] } }
                hosts: { web: { address: 10.77.0.10 } }
                """);
        assertChecksButDoesNotRun(file);
    }

    @Test
    void partsAreCheckedButNotRun(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("split.yaml"), """
                tap: { address: 10.77.0.1/24, vxlan: { vni: 42 } }
                hosts: { web: { address: 10.77.0.10 }, db: { address: 10.77.0.20 } }
                parts:
                  east: { nodes: [web], underlay: 192.168.50.1 }
                  west: { nodes: [db], underlay: 192.168.50.2 }
                """);
        assertChecksButDoesNotRun(file);
    }

    private static void assertChecksButDoesNotRun(Path file) {
        CommandOutput check = CommandOutput.of(() -> Main.execute("check", file.toString()));
        assertEquals(0, check.code(), check.err());
        CommandOutput run = CommandOutput.of(() -> Main.execute("run", file.toString()));
        assertEquals(2, run.code());
        assertEquals("tapnet: " + file.getFileName() + REFUSAL, run.err());
        CommandOutput simulate = CommandOutput.of(() -> Main.execute("run", "--simulate", file.toString()));
        assertEquals(2, simulate.code(), simulate.err());
    }
}
