package tapnet.cli.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run writes under /etc/netns (here a directory of the test's), what it keeps, and what it removes. */
class NetnsNamesTest {
    private static final String HOSTS = "# written by tapnet for this run\n10.77.0.10\tweb\n";
    private static final String RESOLV = "# written by tapnet for this run\nnameserver 10.77.0.53\n";
    /** A run that is gone: no process has this pid (pid_max is at most 2^22). */
    private static final NetnsNames.Owner DEAD = new NetnsNames.Owner(999_999_999L, 1);

    @TempDir
    Path dir;
    private final ByteArrayOutputStream said = new ByteArrayOutputStream();

    private NetnsNames names(String resolv) {
        return new NetnsNames(dir.resolve("netns"), NetnsNames.Owner.current(), HOSTS, resolv,
                new PrintStream(said, true, StandardCharsets.UTF_8));
    }

    private String said() {
        return said.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesMarkedHostsAndResolvConfAndRemovesThemAndTheDirectoriesItMadeAtTheEnd() throws Exception {
        try (NetnsNames names = names(RESOLV)) {
            names.add("shop");
            names.add("shop"); // a second port in the same namespace: once
            Path hosts = dir.resolve("netns/shop/hosts");
            assertEquals(NetnsNames.Owner.current().mark() + HOSTS, Files.readString(hosts));
            assertEquals(NetnsNames.Owner.current().mark() + RESOLV, Files.readString(dir.resolve("netns/shop/resolv.conf")));
            assertEquals(Optional.of(NetnsNames.Owner.current()), NetnsNames.markOf(hosts));
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(hosts)),
                    "any user's program in the namespace reads it, whatever tapnet's umask");
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(hosts.getParent())));
        }
        assertFalse(Files.exists(dir.resolve("netns")), "the run made /etc/netns and /etc/netns/shop: both go");
        assertEquals("", said());
    }

    @Test
    void withoutADnsServerOnlyTheHostsFileIsWritten() throws Exception {
        try (NetnsNames names = names(null)) {
            names.add("shop");
            assertTrue(Files.exists(dir.resolve("netns/shop/hosts")));
            assertFalse(Files.exists(dir.resolve("netns/shop/resolv.conf")));
        }
    }

    @Test
    void aUsersOwnFileIsKeptUntouchedAndSaidSoAndTheirDirectoryStays() throws Exception {
        Path resolv = Files.createDirectories(dir.resolve("netns/shop")).resolve("resolv.conf");
        Files.writeString(resolv, "nameserver 192.0.2.1\n");
        try (NetnsNames names = names(RESOLV)) {
            names.add("shop");
            assertEquals("nameserver 192.0.2.1\n", Files.readString(resolv));
            assertTrue(Files.exists(dir.resolve("netns/shop/hosts")), "the hosts file is still the run's");
            assertTrue(said().startsWith("tapnet: keeping " + resolv + ", which tapnet did not write: `ip netns exec shop`"
                    + " uses it, not the topology's DNS server"), said());
        }
        assertEquals("nameserver 192.0.2.1\n", Files.readString(resolv));
        assertFalse(Files.exists(dir.resolve("netns/shop/hosts")));
        assertTrue(Files.isDirectory(dir.resolve("netns")), "the directories were there before the run");
    }

    @Test
    void aDeadRunsFilesAreReplacedAndItsDirectoryRemovedAtTheEnd() throws Exception {
        Path shop = Files.createDirectories(dir.resolve("netns/shop"));
        Files.writeString(shop.resolve("hosts"), DEAD.mark() + "10.1.1.1\told\n");
        Files.writeString(shop.resolve("resolv.conf"), DEAD.mark() + "nameserver 10.1.1.53\n");
        try (NetnsNames names = names(RESOLV)) {
            names.add("shop");
            assertEquals(NetnsNames.Owner.current().mark() + HOSTS, Files.readString(shop.resolve("hosts")));
            assertEquals(NetnsNames.Owner.current().mark() + RESOLV, Files.readString(shop.resolve("resolv.conf")));
        }
        assertFalse(Files.exists(shop), "it held only a dead run's files");
        assertTrue(Files.isDirectory(dir.resolve("netns")), "/etc/netns was there before");
        assertEquals("", said());
    }

    @Test
    void aLiveRunsFilesAreKept() throws Exception {
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            NetnsNames.Owner live = new NetnsNames.Owner(other.pid(),
                    other.info().startInstant().orElseThrow().toEpochMilli());
            assertTrue(live.isAlive());
            Path hosts = Files.createDirectories(dir.resolve("netns/shop")).resolve("hosts");
            Files.writeString(hosts, live.mark() + "10.1.1.1\tother\n");
            try (NetnsNames names = names(null)) {
                names.add("shop");
                assertTrue(said().contains("written by another tapnet still running (pid " + other.pid() + ")"), said());
            }
            assertEquals(live.mark() + "10.1.1.1\tother\n", Files.readString(hosts));
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void aFileChangedByHandDuringTheRunIsNotRemoved() throws Exception {
        Path hosts = dir.resolve("netns/shop/hosts");
        try (NetnsNames names = names(null)) {
            names.add("shop");
            Files.writeString(hosts, "10.9.9.9\tmine\n");
        }
        assertEquals("10.9.9.9\tmine\n", Files.readString(hosts));
    }

    @Test
    void aDirectoryThatCannotBeMadeIsSaidInOneLineAndTheRunGoesOn() throws Exception {
        Files.writeString(dir.resolve("netns"), "a file, not a directory");
        try (NetnsNames names = names(null)) {
            names.add("shop");
        }
        assertTrue(said().startsWith("tapnet: cannot write " + dir.resolve("netns/shop")), said());
        assertEquals(1, said().lines().count(), said());
    }

    @Test
    void theMarkNamesItsRun() {
        NetnsNames.Owner owner = new NetnsNames.Owner(42, 1733363000123L);
        assertEquals("# tapnet 42 1733363000123: removed when that run ends\n", owner.mark());
        assertEquals(Optional.of(owner), NetnsNames.Owner.parse(owner.mark().strip()));
        assertEquals(Optional.empty(), NetnsNames.Owner.parse("# written by hand"));
        assertEquals(Optional.empty(), NetnsNames.Owner.parse("# tapnet x y: no numbers"));
        assertTrue(NetnsNames.Owner.current().isAlive());
        assertFalse(DEAD.isAlive());
    }

    @Test
    void aSymbolicLinkIsTheUsersAndIsNeitherFollowedNorReplaced() throws Exception {
        Path target = Files.writeString(dir.resolve("stub-resolv.conf"), "nameserver 127.0.0.53\n");
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("netns/shop")).resolve("resolv.conf"), target);
        try (NetnsNames names = names(RESOLV)) {
            names.add("shop");
            assertTrue(said().startsWith("tapnet: keeping " + link + ", which tapnet did not write"), said());
        }
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("nameserver 127.0.0.53\n", Files.readString(target));
    }
}
