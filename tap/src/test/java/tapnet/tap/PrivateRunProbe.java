package tapnet.tap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Run by {@link PrivateRunDirectoryTest} in a mount namespace of its own: covers /run, makes a namespace in
 * the new /run/netns, and prints what /run then holds.
 */
public final class PrivateRunProbe {
    private PrivateRunProbe() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("missed: " + PrivateRunDirectory.cover());
        System.out.println("run: " + list(Path.of("/run")));
        System.out.println("netns: " + list(Path.of("/run/netns")) + ".");
        System.out.println("tapnet: " + list(Path.of("/run/tapnet")) + ".");
        NetworkNamespace namespace = NetworkNamespace.create(args[0]);
        System.out.println("list: " + ExternalCommand.check("ip", "netns", "list").trim());
        namespace.delete();
    }

    static String list(Path directory) throws java.io.IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).sorted().collect(Collectors.joining(" "));
        }
    }
}
