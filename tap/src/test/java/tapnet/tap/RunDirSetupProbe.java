package tapnet.tap;

/**
 * Run by {@link NetworkNamespaceRunDirTest} in a mount namespace of its own whose /run is an empty tmpfs:
 * creates a namespace (which must first make /run/netns and turn it into a shared mount point), lets
 * iproute2 list and enter it, deletes it, and prints what it saw.
 */
public final class RunDirSetupProbe {
    private RunDirSetupProbe() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        NetworkNamespace namespace = NetworkNamespace.create(name);
        try {
            System.out.println("list: " + ExternalCommand.check("ip", "netns", "list").trim());
            System.out.println("exec: " + ExternalCommand.run("ip", "netns", "exec", name, "true").exitCode());
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/mountinfo"))) {
                if (line.contains(" /run/netns ")) {
                    System.out.println("mount: " + line);
                }
            }
        } finally {
            namespace.delete();
        }
        System.out.println("after delete: " + ExternalCommand.check("ip", "netns", "list").trim() + ".");
    }
}
