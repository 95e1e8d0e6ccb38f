package tapnet.tap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Two test namespaces joined by a veth pair, the VXLAN underlay 10.241.90.0/30: in {@code kernel}, a Linux
 * vxlan device {@code vx0} of VNI {@link #VNI} towards {@link #SOCKET_ADDRESS}, with {@link #KERNEL_OVERLAY}
 * on it; {@code socket} is where the test binds its {@link VxlanSocket}. Nothing in the root namespace: the
 * veth pair is made inside them. {@link #close()} removes both.
 */
final class VxlanUnderlay implements AutoCloseable {
    static final int VNI = 42;
    static final String KERNEL_UNDERLAY = "10.241.90.1";
    static final String SOCKET_UNDERLAY = "10.241.90.2";
    static final String KERNEL_OVERLAY = "10.241.91.1";
    /** The overlay address the test answers for, behind its socket. */
    static final String SOCKET_OVERLAY = "10.241.91.2";
    static final InetSocketAddress SOCKET_ADDRESS = address(SOCKET_UNDERLAY, 4789);

    final TestNamespace kernel;
    final TestNamespace socket;

    private VxlanUnderlay(TestNamespace kernel, TestNamespace socket) {
        this.kernel = kernel;
        this.socket = socket;
    }

    static VxlanUnderlay create() throws IOException {
        TestNamespace kernel = TestNamespace.create();
        TestNamespace socket = null;
        try {
            socket = TestNamespace.create();
            VxlanUnderlay underlay = new VxlanUnderlay(kernel, socket);
            underlay.build();
            return underlay;
        } catch (IOException | RuntimeException e) {
            kernel.close();
            if (socket != null) {
                socket.close();
            }
            throw e;
        }
    }

    private void build() {
        // no IPv6 on the kernel's side: its router solicitations and MLD reports would come before the ARP
        ExternalCommand.check("ip", "netns", "exec", kernel.name(), "sysctl", "-qw",
                "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        kernel.vethTo(socket, "vxa", KERNEL_UNDERLAY + "/30", "vxb", SOCKET_UNDERLAY + "/30", 1500);
        kernel.ip("link", "add", "vx0", "type", "vxlan", "id", Integer.toString(VNI), "remote", SOCKET_UNDERLAY,
                "local", KERNEL_UNDERLAY, "dstport", "4789", "dev", "vxa");
        kernel.ip("addr", "add", KERNEL_OVERLAY + "/24", "dev", "vx0");
        kernel.ip("link", "set", "vx0", "up");
    }

    static InetSocketAddress address(String address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(address), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            kernel.close();
        } finally {
            socket.close();
        }
    }
}
