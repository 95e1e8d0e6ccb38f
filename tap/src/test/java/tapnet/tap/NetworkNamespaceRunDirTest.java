package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The first namespace on a machine: /run/netns does not exist yet and must become a shared mount point,
 * as iproute2 makes it. Tried in a child JVM inside a private mount namespace whose /run is an empty
 * tmpfs, so the machine's own /run/netns is never touched.
 */
@Timeout(60)
class NetworkNamespaceRunDirTest {
    @Test
    void firstNamespaceMakesRunNetnsASharedMountPointIproute2Uses() {
        TapTestEnvironment.assumeTapTestsCanRun();
        TapTestEnvironment.assumeCommand("unshare");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String name = TestNamespace.uniqueName();
        String script = "mount -t tmpfs tapnet-test /run && exec \"$0\" -cp \"$1\" tapnet.tap.RunDirSetupProbe \"$2\"";
        ExternalCommand probe = ExternalCommand.run(45, "unshare", "--mount", "--propagation", "private",
                "sh", "-c", script, java, System.getProperty("java.class.path"), name);
        assertEquals(0, probe.exitCode(), probe.describe());
        String output = probe.output();
        assertTrue(output.contains("list: " + name), output);
        assertTrue(output.contains("exec: 0"), output);
        // mountinfo(5): the tmpfs's /netns bound onto /run/netns, with a peer group: "shared:N".
        assertTrue(output.matches("(?s).*mount: \\S+ \\S+ \\S+ /netns /run/netns \\S+ shared:\\d+ - tmpfs tapnet-test.*"), output);
        assertTrue(output.contains("after delete: ."), output);
    }
}
