package tapnet.topology;

import java.util.Objects;

/**
 * A real port: one more TAP device, on the TAP's segment, that leads into the network namespace
 * {@code netns} where real programs run. The kernel there has {@code address} on the TAP's subnet;
 * frames between ports, the TAP and the virtual hosts cross the port's link (a {@link LinkSpec} naming it).
 *
 * @param name    the port's name in the topology, as links name it
 * @param netns   the namespace its device goes into; made when missing, and then removed on exit
 * @param device  the device's name inside that namespace, like {@code eth0}
 * @param address the kernel's address on that device, in the TAP's subnet (an IPv4 address as an int)
 */
public record PortSpec(String name, String netns, String device, int address) {
    public static final String DEFAULT_DEVICE = "eth0";

    public PortSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(device, "device");
        String problem = TapSpec.deviceProblem(device);
        if (problem != null) {
            throw new IllegalArgumentException("port " + name + ": " + problem);
        }
    }
}
