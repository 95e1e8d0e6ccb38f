package tapnet.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A run claims its namespaces: one it makes is marked as tapnet's and removed at release; one a dead tapnet
 * left is taken over and removed; one a live tapnet owns is refused; one tapnet did not make is kept.
 */
@Timeout(60)
class NamespaceClaimTest {
    @BeforeEach
    void needsRoot() {
        TapTestEnvironment.assumeTapTestsCanRun();
    }

    @Test
    void aNamespaceMadeByAClaimIsMarkedAndRemovedWithItsMarkAtRelease() throws Exception {
        String name = TestNamespace.uniqueName();
        NetworkNamespace claimed = NetworkNamespace.claim(name);
        try {
            assertEquals(NetworkNamespace.Origin.MADE, claimed.origin());
            assertTrue(NetworkNamespace.exists(name));
            assertEquals("tapnet " + ProcessHandle.current().pid() + " " + NetworkNamespace.ProcessIdentity.startTimeOf(
                    ProcessHandle.current().pid()) + " " + NetworkNamespace.namespaceId(name), Files.readString(mark(name)).strip());
        } finally {
            claimed.release();
        }
        assertFalse(NetworkNamespace.exists(name));
        assertFalse(Files.exists(mark(name)));
    }

    @Test
    void aNamespaceLeftByADeadTapnetIsTakenOverAndRemoved() throws Exception {
        try (TestNamespace left = TestNamespace.create()) {
            // what kill -9 leaves: the namespace and the mark of a process that no longer runs
            Process dead = new ProcessBuilder("true").start();
            dead.waitFor();
            Files.createDirectories(NetworkNamespace.OWNERS);
            Files.writeString(mark(left.name()), "tapnet " + dead.pid() + " 12345 " + NetworkNamespace.namespaceId(left.name()) + "\n");

            NetworkNamespace claimed = NetworkNamespace.claim(left.name());
            assertEquals(NetworkNamespace.Origin.TAKEN_OVER, claimed.origin());
            assertTrue(Files.readString(mark(left.name())).startsWith("tapnet " + ProcessHandle.current().pid() + " "));
            claimed.release();
            assertFalse(NetworkNamespace.exists(left.name()), "taken over, then removed");
            assertFalse(Files.exists(mark(left.name())));
        }
    }

    @Test
    void aNamespaceALiveTapnetOwnsIsRefused() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        String name = null;
        try (TestNamespace other = TestNamespace.create()) {
            name = other.name();
            long start = NetworkNamespace.ProcessIdentity.startTimeOf(sleeper.pid());
            Files.createDirectories(NetworkNamespace.OWNERS);
            Files.writeString(mark(other.name()), "tapnet " + sleeper.pid() + " " + start + " "
                    + NetworkNamespace.namespaceId(other.name()) + "\n");
            NetworkNamespace.InUseException e = assertThrows(NetworkNamespace.InUseException.class,
                    () -> NetworkNamespace.claim(other.name()));
            assertEquals("network namespace " + other.name() + " belongs to another tapnet, still running (pid "
                    + sleeper.pid() + "); stop it, or give this run another name", e.getMessage());
            assertTrue(NetworkNamespace.exists(other.name()));
        } finally {
            sleeper.destroyForcibly();
            if (name != null) {
                Files.deleteIfExists(mark(name));
            }
        }
    }

    @Test
    void aStaleMarkOfANamespaceDeletedByHandAndMadeAgainBySomeoneElseDoesNotMakeItTapnets() throws Exception {
        try (TestNamespace remade = TestNamespace.create()) {
            Process dead = new ProcessBuilder("true").start();
            dead.waitFor();
            Files.createDirectories(NetworkNamespace.OWNERS);
            // the mark names another namespace of the same name: one that was deleted (ip netns del) since
            Files.writeString(mark(remade.name()), "tapnet " + dead.pid() + " 12345 1\n");
            NetworkNamespace claimed = NetworkNamespace.claim(remade.name());
            assertEquals(NetworkNamespace.Origin.EXISTING, claimed.origin());
            claimed.release();
            assertTrue(NetworkNamespace.exists(remade.name()), "someone else's: kept");
            assertFalse(Files.exists(mark(remade.name())), "the stale mark is gone");
        }
    }

    @Test
    void aNamespaceTapnetDidNotMakeIsUsedAndKept() throws Exception {
        try (TestNamespace someone = TestNamespace.create()) {
            NetworkNamespace claimed = NetworkNamespace.claim(someone.name());
            assertEquals(NetworkNamespace.Origin.EXISTING, claimed.origin());
            assertFalse(Files.exists(mark(someone.name())), "not marked: not tapnet's");
            claimed.release();
            assertTrue(NetworkNamespace.exists(someone.name()));
        }
    }

    @Test
    void aSecondClaimInOneProcessUsesTheFirstsNamespaceWithoutOwningIt() throws Exception {
        String name = TestNamespace.uniqueName();
        NetworkNamespace first = NetworkNamespace.claim(name);
        try {
            NetworkNamespace second = NetworkNamespace.claim(name);
            assertEquals(NetworkNamespace.Origin.EXISTING, second.origin());
            second.release();
            assertTrue(NetworkNamespace.exists(name));
        } finally {
            first.release();
        }
        assertFalse(NetworkNamespace.exists(name));
    }

    private static Path mark(String name) {
        return NetworkNamespace.OWNERS.resolve(name);
    }
}
