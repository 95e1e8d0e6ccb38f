package tapnet.conformance;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import tapnet.tap.ExternalCommand;
import tapnet.tap.NetworkNamespace;

/**
 * Names and numbers for what the conformance tests make: namespaces tapnet-c&lt;pid&gt;-&lt;n&gt; (unique to
 * this run, so that nothing else is ever touched) and subnets 10.242.N.0/24, one per target.
 */
final class Namespaces {
    private static final AtomicInteger NEXT_NAMESPACE = new AtomicInteger();
    private static final AtomicInteger NEXT_SUBNET = new AtomicInteger();

    private Namespaces() {
    }

    static NetworkNamespace create() throws IOException {
        return NetworkNamespace.create("tapnet-c" + ProcessHandle.current().pid() + "-" + NEXT_NAMESPACE.incrementAndGet());
    }

    /** N of 10.242.N.0/24, 1 to 254, a new one per target started in this JVM. */
    static int nextSubnet() {
        return 1 + (NEXT_SUBNET.getAndIncrement() % 254);
    }

    /** Runs {@code ip -n NAMESPACE args...}; fails with what ip said if it fails. */
    static String ip(NetworkNamespace namespace, String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "ip";
        command[1] = "-n";
        command[2] = namespace.name();
        System.arraycopy(args, 0, command, 3, args.length);
        return ExternalCommand.check(command);
    }

    /** Runs {@code command} inside {@code namespace} ({@code ip netns exec}), killed after {@code timeoutSeconds}. */
    static ExternalCommand exec(NetworkNamespace namespace, int timeoutSeconds, String... command) {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = namespace.name();
        System.arraycopy(command, 0, full, 4, command.length);
        return ExternalCommand.run(timeoutSeconds, full);
    }

    /**
     * Sets a sysctl of {@code namespace} (net.* sysctls are per network namespace); one this kernel does not
     * have is left alone (-e).
     */
    static void sysctl(NetworkNamespace namespace, String name, String value) {
        ExternalCommand result = exec(namespace, 10, "sysctl", "-e", "-q", "-w", name + "=" + value);
        if (result.exitCode() != 0) {
            throw new AssertionError(result.describe());
        }
    }

    /** Deletes {@code namespace} if it was made; never throws, so that cleanup goes on. */
    static void deleteQuietly(NetworkNamespace namespace, StringBuilder problems) {
        if (namespace == null) {
            return;
        }
        try {
            namespace.delete();
        } catch (IOException | RuntimeException e) {
            problems.append("cannot delete ").append(namespace.name()).append(": ").append(e.getMessage()).append('\n');
        }
    }
}
