package tapnet.cli.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.cli.relaunch.UserIds;

/** COMMAND's command line: one wrapper per change, each exec'ing the next, COMMAND last and untouched. */
class UserCommandProcessTest {
    private static final Path HOSTS = Path.of("/run/tapnet/tapnet0.hosts");

    @Test
    void inARelaunchedRootlessRunCommandGetsItsHostsFileThenTheUsersOwnIds() {
        UserCommand command = new UserCommand(List.of("curl", "http://web/"), null, new UserIds(1000, 100));
        assertEquals(List.of("setpriv", "--pdeathsig", "KILL", "--",
                "unshare", "--mount", "--propagation", "private", "--", "sh", "-c", BoundNames.BIND_HOSTS, HOSTS.toString(),
                "unshare", "--user", "--map-user=1000", "--map-group=100", "--",
                "curl", "http://web/"), UserCommandProcess.argv(command, HOSTS, null, null));
    }

    @Test
    void asRootInANetnsRunCommandEntersTheNamespaceAndKeepsRoot() {
        UserCommand command = new UserCommand(List.of("sh", "-c", "echo \"$0\""), null, null);
        assertEquals(List.of("setpriv", "--pdeathsig", "KILL", "--", "nsenter", "--net=/run/netns/shop", "--",
                "unshare", "--mount", "--propagation", "private", "--", "sh", "-c", BoundNames.BIND_HOSTS, HOSTS.toString(),
                "sh", "-c", "echo \"$0\""), UserCommandProcess.argv(command, HOSTS, null, Path.of("/run/netns/shop")));
    }

    @Test
    void aRelaunchAsRootMapsNoUser() {
        UserCommand command = new UserCommand(List.of("true"), null, new UserIds(0, 0));
        assertEquals("true", UserCommandProcess.argv(command, HOSTS, null, null).get(13));
        assertEquals(14, UserCommandProcess.argv(command, HOSTS, null, null).size());
    }

    @Test
    void withADnsServerTheShellAlsoBindsResolvConfAndDropsItsPathFromTheCommand() {
        UserCommand command = new UserCommand(List.of("dig", "web"), null, null);
        Path resolv = Path.of("/run/tapnet/tapnet0.resolv.conf");
        assertEquals(List.of("setpriv", "--pdeathsig", "KILL", "--",
                "unshare", "--mount", "--propagation", "private", "--", "sh", "-c", BoundNames.BIND_HOSTS_AND_RESOLV,
                HOSTS.toString(), resolv.toString(), "dig", "web"), UserCommandProcess.argv(command, HOSTS, resolv, null));
    }

    @Test
    void aCommandIsAtLeastOneWord() {
        assertThrows(IllegalArgumentException.class, () -> new UserCommand(List.of(), null, null));
    }
}
