package tapnet.tap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace of one test, named tapnet-t&lt;pid&gt;-&lt;n&gt; so that concurrent runs and other
 * tools never collide with it; {@link #close()} deletes it, also when the test fails.
 */
public final class TestNamespace implements AutoCloseable {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final NetworkNamespace namespace;

    private TestNamespace(NetworkNamespace namespace) {
        this.namespace = namespace;
    }

    public static TestNamespace create() throws IOException {
        return new TestNamespace(NetworkNamespace.create(uniqueName()));
    }

    /** A namespace of a name the test chose (unique: it starts with a {@link #uniqueName()}). */
    public static TestNamespace create(String name) throws IOException {
        return new TestNamespace(NetworkNamespace.create(name));
    }

    public static String uniqueName() {
        return "tapnet-t" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
    }

    public String name() {
        return namespace.name();
    }

    public NetworkNamespace namespace() {
        return namespace;
    }

    public <T> T call(Callable<T> task) throws Exception {
        return namespace.call(task);
    }

    /** Runs {@code ip -n NAME args...} and returns its output, failing the test if it fails. */
    public String ip(String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "ip";
        command[1] = "-n";
        command[2] = name();
        System.arraycopy(args, 0, command, 3, args.length);
        return ExternalCommand.check(command);
    }

    /**
     * A veth pair from this namespace ({@code device}, {@code address} with its prefix length) to {@code peer}
     * ({@code peerDevice}, {@code peerAddress}), both up, of {@code mtu}: made here, never in the machine's namespace.
     */
    public void vethTo(TestNamespace peer, String device, String address, String peerDevice, String peerAddress, int mtu) {
        ip("link", "add", device, "mtu", Integer.toString(mtu), "type", "veth", "peer", "name", peerDevice, "mtu",
                Integer.toString(mtu), "netns", peer.name());
        ip("addr", "add", address, "dev", device);
        ip("link", "set", device, "up");
        peer.ip("addr", "add", peerAddress, "dev", peerDevice);
        peer.ip("link", "set", peerDevice, "up");
    }

    /** Runs {@code ip netns exec NAME command...} with a timeout. */
    public ExternalCommand exec(int timeoutSeconds, String... command) {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = name();
        System.arraycopy(command, 0, full, 4, command.length);
        return ExternalCommand.run(timeoutSeconds, full);
    }

    /**
     * Deletes the namespace, and /etc/netns/NAME, where a tapnet run with {@code --netns NAME} wrote its names:
     * a run the test killed had no chance to remove them, and the name was the test's alone.
     */
    @Override
    public void close() throws IOException {
        try {
            namespace.delete();
        } finally {
            Path names = Path.of("/etc/netns", name());
            if (Files.isDirectory(names, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (java.util.stream.Stream<Path> files = Files.list(names)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(names);
            }
        }
    }
}
