package tapnet.conformance;

import java.util.concurrent.atomic.AtomicInteger;
import tapnet.tap.ExternalCommand;
import tapnet.tap.NetworkNamespace;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv6Address;

/**
 * The Linux kernel as a target: two namespaces joined by a veth pair. The kernel host's namespace has
 * 10.242.N.2/24 and fd77:242:N::2/64 on {@code host0} and the {@link KernelServices} on both; the peer's
 * namespace has {@code peer0} with no address of its own (IPv6 off there, not even a link-local one), only
 * the fake peer's packet socket on it, so no kernel ever answers for 10.242.N.3 or fd77:242:N::3 in the
 * peer's place. Each side finds the other's MAC by ARP and by neighbour solicitation.
 */
final class KernelTarget implements TargetNetwork {
    static final String HOST_INTERFACE = "host0";
    static final String PEER_INTERFACE = "peer0";

    private final int subnet;
    private final NetworkNamespace peerNamespace;
    private final NetworkNamespace hostNamespace;
    private final KernelServices services;
    private final RawPeer raw;
    private final long mac;
    private final AtomicInteger nextPort = new AtomicInteger(20_000);

    private KernelTarget(int subnet, NetworkNamespace peerNamespace, NetworkNamespace hostNamespace,
                         KernelServices services, RawPeer raw, long mac) {
        this.subnet = subnet;
        this.peerNamespace = peerNamespace;
        this.hostNamespace = hostNamespace;
        this.services = services;
        this.raw = raw;
        this.mac = mac;
    }

    static KernelTarget start() throws Exception {
        int subnet = Namespaces.nextSubnet();
        int address = Ipv4Address.parse(Family.IPV4.address(subnet, 2));
        NetworkNamespace peerNamespace = null;
        NetworkNamespace hostNamespace = null;
        KernelServices services = null;
        RawPeer raw = null;
        try {
            peerNamespace = Namespaces.create();
            hostNamespace = Namespaces.create();
            Namespaces.ip(peerNamespace, "link", "add", PEER_INTERFACE, "type", "veth", "peer", "name", HOST_INTERFACE,
                    "netns", hostNamespace.name());
            Namespaces.sysctl(peerNamespace, "net.ipv6.conf." + PEER_INTERFACE + ".disable_ipv6", "1");
            Namespaces.ip(peerNamespace, "link", "set", PEER_INTERFACE, "up");
            Namespaces.ip(hostNamespace, "link", "set", "lo", "up");
            // Linux (since 6.5) retransmits a SYN at linear 1 s intervals the first 4 times; RFC 6298 §5.5 (and
            // RFC 9293 MUST-19, MUST-22) back off exponentially, which is what the scenarios check.
            Namespaces.sysctl(hostNamespace, "net.ipv4.tcp_syn_linear_timeouts", "0");
            Namespaces.ip(hostNamespace, "addr", "add", Family.IPV4.address(subnet, 2) + "/24", "dev", HOST_INTERFACE);
            // nodad: the address is usable at once, not tentative for a second of duplicate address detection.
            Namespaces.ip(hostNamespace, "-6", "addr", "add", Family.IPV6.address(subnet, 2) + "/64", "dev", HOST_INTERFACE, "nodad");
            Namespaces.ip(hostNamespace, "link", "set", HOST_INTERFACE, "up");
            hostNamespace.call(() -> {
                PacketSocket.disableOffloads(HOST_INTERFACE);
                return null;
            });
            services = KernelServices.start(hostNamespace, address, Ipv6Address.parse(Family.IPV6.address(subnet, 2)));
            PacketSocket socket = peerNamespace.call(() -> PacketSocket.open(PEER_INTERFACE));
            raw = new RawPeer(socket, Targets.peerAddress(subnet), Targets.peerAddress6(subnet), Targets.peerMac(subnet));
            long mac = raw.resolveHost(address, Ipv6Address.parse(Family.IPV6.address(subnet, 2)), 5_000);
            return new KernelTarget(subnet, peerNamespace, hostNamespace, services, raw, mac);
        } catch (Exception | Error e) {
            StringBuilder problems = new StringBuilder();
            if (raw != null) {
                raw.close();
            }
            if (services != null) {
                services.close();
            }
            Namespaces.deleteQuietly(peerNamespace, problems);
            Namespaces.deleteQuietly(hostNamespace, problems);
            if (problems.length() > 0) {
                e.addSuppressed(new IllegalStateException(problems.toString()));
            }
            throw e;
        }
    }

    @Override
    public Stack stack() {
        return Stack.KERNEL;
    }

    @Override
    public int address() {
        return Ipv4Address.parse(Family.IPV4.address(subnet, 2));
    }

    @Override
    public long[] address6() {
        return Ipv6Address.parse(Family.IPV6.address(subnet, 2));
    }

    @Override
    public long mac() {
        return mac;
    }

    @Override
    public int subnet() {
        return subnet;
    }

    @Override
    public Peer peer(Target target, int port) {
        return new Peer(raw, this, target, nextPort.getAndIncrement(), port);
    }

    @Override
    public Peer listener(Target target) {
        return new Peer(raw, this, target, nextPort.getAndIncrement(), -1);
    }

    @Override
    public void connect(Peer listener) throws Exception {
        int peer = raw.ip;
        java.net.InetAddress address = listener.target.family == Family.IPV6 ? Ipv6Address.toInet(raw.ip6[0], raw.ip6[1])
                : java.net.InetAddress.getByAddress(new byte[] {(byte) (peer >>> 24), (byte) (peer >>> 16), (byte) (peer >>> 8), (byte) peer});
        services.connect(hostNamespace, address, listener.localPort);
    }

    @Override
    public String describe() {
        ExternalCommand ss = Namespaces.exec(hostNamespace, 5, "ss", "-tanoi");
        return "sockets of the kernel host:\n" + ss.output().indent(4);
    }

    @Override
    public void close() {
        StringBuilder problems = new StringBuilder();
        raw.close();
        services.close();
        Namespaces.deleteQuietly(peerNamespace, problems);
        Namespaces.deleteQuietly(hostNamespace, problems);
        if (problems.length() > 0) {
            throw new IllegalStateException(problems.toString());
        }
    }
}
