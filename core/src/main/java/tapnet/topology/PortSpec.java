package tapnet.topology;

import java.util.Objects;

/**
 * A real port: one more TAP device, on the TAP's segment, that leads into the network namespace
 * {@code netns} where real programs run. The kernel there has {@code address} on the TAP's subnet;
 * frames between ports, the TAP and the virtual hosts cross the port's link (a {@link LinkSpec} naming it).
 *
 * <p>{@code netns} may hold {@value #RUN}, which stands for the run's name (its {@code --netns}, else its
 * TAP device's): a port without a {@code netns:} in its file goes into {@code {run}-NAME}, so that
 * {@code tapnet run --netns shop} puts port {@code left} into {@code shop-left}, and two runs of one file
 * under different {@code --netns} names never share a port's namespace. {@link Topology#inRun} fills it in.
 *
 * @param name    the port's name in the topology, as links name it
 * @param netns   the namespace its device goes into, perhaps with {@value #RUN} in it; made when missing,
 *                and then removed on exit
 * @param device  the device's name inside that namespace, like {@code eth0}
 * @param address  the kernel's address on that device, in the TAP's subnet (an IPv4 address as an int)
 * @param address6 the kernel's IPv6 address there, in the TAP's IPv6 prefix; null: none
 */
public record PortSpec(String name, String netns, String device, int address, Address6 address6) {
    public static final String DEFAULT_DEVICE = "eth0";
    /** Stands for the run's name in a port's {@code netns}. */
    public static final String RUN = "{run}";

    /** A port without IPv6. */
    public PortSpec(String name, String netns, String device, int address) {
        this(name, netns, device, address, null);
    }

    public PortSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(device, "device");
        String problem = TapSpec.deviceProblem(device);
        if (problem != null) {
            throw new IllegalArgumentException("port " + name + ": " + problem);
        }
    }

    /** The namespace of a port whose file gives none: {@code {run}-NAME}. */
    public static String defaultNetns(String portName) {
        return RUN + "-" + portName;
    }

    /** True when the namespace's name depends on the run's ({@value #RUN} in it). */
    public boolean followsRun() {
        return netns.contains(RUN);
    }

    /** This port with {@value #RUN} in its namespace replaced by {@code run}. */
    PortSpec inRun(String run) {
        return followsRun() ? new PortSpec(name, netns.replace(RUN, run), device, address, address6) : this;
    }
}
