package tapnet.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code tapnet run} refuses of VXLAN segments and parts, in one line, exit code 2, before it makes a
 * namespace or a TAP: a split file without {@code --part}, a part the file does not have, {@code --part}
 * with a whole file or with {@code --simulate}, and COMMAND beside a VXLAN without a named namespace.
 */
class SplitRunUsageTest {
    private static final String SPLIT = """
            tap: { address: 10.77.0.1/24, vxlan: { vni: 42 } }
            hosts: { web: { address: 10.77.0.10 }, db: { address: 10.77.0.20 } }
            parts:
              east: { nodes: [web], underlay: 192.168.50.1 }
              west: { nodes: [db], underlay: 192.168.50.2, tap: 10.77.0.2 }
            """;

    @Test
    void aSplitFileRunsOnePartAtATime(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("split.yaml"), SPLIT);
        assertEquals(0, CommandOutput.of(() -> Main.execute("check", file.toString())).code());
        assertRefused("tapnet: split.yaml is split into parts (east, west): run one with --part NAME on each machine, or"
                + " --simulate to play it whole", "run", file.toString());
        assertRefused("tapnet: --part north: no such part; the topology's parts are east, west",
                "run", "--part", "north", "--netns", "tapnet-split-usage", file.toString());
        assertRefused("tapnet: --simulate plays the whole file in one process: drop --part",
                "run", "--part", "east", "--simulate", file.toString());
    }

    @Test
    void simulateRunsASplitFileWholeInOneProcess(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("split.yaml"), SPLIT.replace("db: { address: 10.77.0.20 }",
                "db: { address: 10.77.0.20, services: [ { port: 80, http: {} } ] }") + """
                script:
                  duration: 2s
                  probes: { db: { connect: 10.77.0.20:80, from: web, every: 500ms } }
                  expect: [ { probe: db, at: end, success: "== 100%" } ]
                """);
        CommandOutput simulated = CommandOutput.of(() -> Main.execute("run", "--simulate", "--report",
                dir.resolve("report").toString(), file.toString()));
        assertEquals(0, simulated.code(), simulated.out() + simulated.err());
    }

    @Test
    void aWholeFileHasNoParts(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("vx.yaml"), """
                tap: { address: 10.77.0.1/24, vxlan: { vni: 42, local: 192.168.50.1, remotes: [192.168.50.2] } }
                hosts: { web: { address: 10.77.0.10 } }
                """);
        assertRefused("tapnet: --part east: vx.yaml has no parts: (README, \"VXLAN segments and parts\")",
                "run", "--part", "east", file.toString());
    }

    @Test
    void aCommandBesideAVxlanNeedsANamedNamespace(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("vx.yaml"), """
                tap: { address: 10.77.0.1/24, vxlan: { vni: 42, local: 192.168.50.1, remotes: [192.168.50.2] } }
                hosts: { web: { address: 10.77.0.10 } }
                """);
        assertRefused("tapnet: a segment over VXLAN runs as root in a named namespace: give --netns NAME for COMMAND"
                + " to run in (README, \"VXLAN segments and parts\")", "run", file.toString(), "--", "true");
    }

    @Test
    void aRoutersSubnetOverVxlanBesideACommandNeedsANamedNamespaceToo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("r.yaml"), """
                tap: { address: 10.77.0.1/24 }
                routers: { r1: { address: 10.77.0.254, subnet: 10.78.1.1/24, vxlan: { vni: 7, local: 192.168.50.1, remotes: [192.168.50.2] } } }
                hosts: { web: { address: 10.78.1.10 } }
                """);
        assertEquals(0, CommandOutput.of(() -> Main.execute("check", file.toString())).code());
        assertRefused("tapnet: a segment over VXLAN runs as root in a named namespace: give --netns NAME for COMMAND"
                + " to run in (README, \"VXLAN segments and parts\")", "run", file.toString(), "--", "true");
    }

    @Test
    void aStartTimeNeedsAScriptALiveRunAndATimeToCome(@TempDir Path dir) throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.yaml"), "tap: { address: 10.77.0.1/24 }\nhosts: { web: { address: 10.77.0.10 } }\n");
        assertRefused("tapnet: --start-at starts a script's timeline, and plain.yaml has no script:", "run", "--start-at", "23:59",
                plain.toString());
        Path scripted = Files.writeString(dir.resolve("scripted.yaml"), Files.readString(plain) + "script: { duration: 1s }\n");
        CommandOutput simulated = CommandOutput.of(() -> Main.execute("run", "--simulate", "--start-at", "23:59", scripted.toString()));
        assertEquals(2, simulated.code(), simulated.err());
        assertTrue(simulated.err().startsWith("--simulate plays the timeline at once, on a clock of its own: drop --start-at"),
                simulated.err());
        CommandOutput past = CommandOutput.of(() -> Main.execute("run", "--start-at", "2020-01-01T00:00:00Z", scripted.toString()));
        assertEquals(2, past.code(), past.err());
        assertTrue(past.err().startsWith("tapnet: --start-at 2020-01-01T00:00:00Z: that was "), past.err());
    }

    private static void assertRefused(String message, String... arguments) {
        CommandOutput run = CommandOutput.of(() -> Main.execute(arguments));
        assertEquals(2, run.code(), run.err());
        assertEquals(message + "\n", run.err());
    }
}
