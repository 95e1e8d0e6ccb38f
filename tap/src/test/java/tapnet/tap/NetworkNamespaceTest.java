package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NetworkNamespaceTest {
    private static final Path THREAD_NAMESPACE = Path.of("/proc/thread-self/ns/net");

    @BeforeEach
    void needsRoot() {
        TapTestEnvironment.assumeTapTestsCanRun();
    }

    @Test
    void createdNamespaceIsListedByIpNetnsList() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            assertTrue(ipNetnsList().contains(ns.name()), ipNetnsList());
            assertTrue(NetworkNamespace.exists(ns.name()));
        }
    }

    @Test
    void ipNetnsExecRunsInTheNamespaceTapnetCreated() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            String seenByIp = ExternalCommand.check("ip", "netns", "exec", ns.name(), "readlink", "/proc/self/ns/net").trim();
            String seenByCall = ns.call(() -> Files.readSymbolicLink(THREAD_NAMESPACE).toString());
            assertEquals(seenByCall, seenByIp);
            assertEquals("lo", ns.exec(5, "ip", "-o", "link").output().split(":")[1].trim(), "a new namespace has only lo");
        }
    }

    @Test
    void callRunsInsideWhileTheCallerStaysOutside() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            String outside = Files.readSymbolicLink(THREAD_NAMESPACE).toString();
            String inside = ns.call(() -> Files.readSymbolicLink(THREAD_NAMESPACE).toString());
            assertNotEquals(outside, inside);
            assertEquals(outside, Files.readSymbolicLink(THREAD_NAMESPACE).toString());
        }
    }

    @Test
    void callPassesOnWhatTheTaskThrows() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            IOException thrown = assertThrows(IOException.class, () -> ns.call(() -> {
                throw new IOException("from inside");
            }));
            assertEquals("from inside", thrown.getMessage());
        }
    }

    @Test
    void deleteRemovesTheNamespace() throws Exception {
        TestNamespace ns = TestNamespace.create();
        ns.close();
        assertFalse(NetworkNamespace.exists(ns.name()));
        assertFalse(ipNetnsList().contains(ns.name()), ipNetnsList());
    }

    @Test
    void namespaceMadeByIpNetnsAddCanBeEnteredAndDeleted() throws Exception {
        String name = TestNamespace.uniqueName();
        ExternalCommand.check("ip", "netns", "add", name);
        try {
            NetworkNamespace namespace = NetworkNamespace.existing(name);
            String seenByIp = ExternalCommand.check("ip", "netns", "exec", name, "readlink", "/proc/self/ns/net").trim();
            assertEquals(seenByIp, namespace.call(() -> Files.readSymbolicLink(THREAD_NAMESPACE).toString()));
            namespace.delete();
            assertFalse(ipNetnsList().contains(name), ipNetnsList());
        } finally {
            ExternalCommand.run("ip", "netns", "del", name);
        }
    }

    @Test
    void namespaceTapnetMadeCanBeDeletedByIpNetnsDel() throws Exception {
        TestNamespace ns = TestNamespace.create();
        try {
            ExternalCommand.check("ip", "netns", "del", ns.name());
            assertFalse(NetworkNamespace.exists(ns.name()));
        } finally {
            ns.close();
        }
    }

    @Test
    void creatingAnExistingNamespaceFailsAndSaysHowToDeleteIt() throws Exception {
        try (TestNamespace ns = TestNamespace.create()) {
            IOException thrown = assertThrows(IOException.class, () -> NetworkNamespace.create(ns.name()));
            assertTrue(thrown.getMessage().contains("ip netns del " + ns.name()), thrown.getMessage());
            assertTrue(NetworkNamespace.exists(ns.name()), "the existing namespace is left alone");
        }
    }

    @Test
    void enteringAMissingNamespaceIsRefused() {
        String name = TestNamespace.uniqueName();
        IOException thrown = assertThrows(IOException.class, () -> NetworkNamespace.existing(name));
        assertTrue(thrown.getMessage().contains("ip netns list"), thrown.getMessage());
    }

    private static String ipNetnsList() {
        return Arrays.toString(ExternalCommand.check("ip", "netns", "list").lines().map(l -> l.split(" ")[0]).toArray());
    }
}
