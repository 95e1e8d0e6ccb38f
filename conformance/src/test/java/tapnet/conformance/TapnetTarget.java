package tapnet.conformance;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tapnet.engine.Engine;
import tapnet.node.VirtualHost;
import tapnet.service.BannerService;
import tapnet.service.DiscardService;
import tapnet.service.EchoService;
import tapnet.tap.InterfaceAddress;
import tapnet.tap.InterfaceSettings;
import tapnet.tap.Ipv6InterfaceAddress;
import tapnet.tap.NetworkNamespace;
import tapnet.tap.TapDevice;
import tapnet.tap.TapEmulator;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConfig;
import tapnet.tcp.TcpConnection;
import tapnet.time.LiveClock;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv6Address;
import tapnet.wire.MacAddress;

/**
 * tapnet as a target: a namespace with a TAP (the kernel's side 10.242.N.1/24 and fd77:242:N::1/64) and
 * behind it an engine that plays the host 10.242.N.2 and fd77:242:N::2 with the {@link Ports} served on
 * both (one listener per port serves both families). The fake peer's packet socket sits on the
 * TAP interface itself: what it sends goes into the TAP, to tapnet; what tapnet writes arrives on the
 * interface, where the socket sees it (and the namespace's kernel drops it, since it is addressed to the
 * peer's MAC).
 *
 * <p>The engine runs in a {@link TapEmulator}, as {@code tapnet run} runs it; active opens go through its
 * {@link TapEmulator#call}. The TAP has no offloads: the fake peer's frames are MTU-sized.
 */
final class TapnetTarget implements TargetNetwork {
    static final String TAP_NAME = "tapnet0";
    static final int MTU = 1500;
    private static final long SEED = 42;

    private final int subnet;
    private final NetworkNamespace namespace;
    private final TapEmulator emulator;
    private final VirtualHost host;
    private final RawPeer raw;
    private final long mac;
    private final AtomicInteger nextPort = new AtomicInteger(20_000);

    private TapnetTarget(int subnet, NetworkNamespace namespace, TapEmulator emulator, VirtualHost host, RawPeer raw, long mac) {
        this.subnet = subnet;
        this.namespace = namespace;
        this.emulator = emulator;
        this.host = host;
        this.raw = raw;
        this.mac = mac;
    }

    static TapnetTarget start(TcpConfig config) throws Exception {
        int subnet = Namespaces.nextSubnet();
        int address = Ipv4Address.parse(Family.IPV4.address(subnet, 2));
        long[] address6 = Ipv6Address.parse(Family.IPV6.address(subnet, 2));
        NetworkNamespace namespace = null;
        TapEmulator emulator = null;
        RawPeer raw = null;
        try {
            namespace = Namespaces.create();
            Namespaces.ip(namespace, "link", "set", "lo", "up");
            TapDevice tap = namespace.call(() -> {
                TapDevice device = TapDevice.open(TAP_NAME);
                try {
                    device.configure(new InterfaceSettings(InterfaceAddress.parse(Family.IPV4.address(subnet, 1) + "/24"), MTU,
                            Ipv6InterfaceAddress.parse(Family.IPV6.address(subnet, 1) + "/64")));
                    return device;
                } catch (Exception | Error e) {
                    device.close();
                    throw e;
                }
            });
            VirtualHost[] host = new VirtualHost[1];
            emulator = TapEmulator.start(tap, MTU, sink -> {
                Engine engine = new Engine(config, new LiveClock(), sink, SEED);
                host[0] = engine.addHost("target", address, MacAddress.derivedFrom(address));
                engine.segmentPrefix6(address6[0], address6[1], 64);
                engine.hosts().addIpv6(host[0], address6[0], address6[1]); // before its services
                engine.listen(host[0], Ports.ECHO, new EchoService(), true); // as the kernel's echo: TCP_NODELAY
                engine.listen(host[0], Ports.ECHO_NAGLE, new EchoService(), false);
                engine.listen(host[0], Ports.DISCARD, new DiscardService());
                engine.listen(host[0], Ports.BANNER, new BannerService(Ports.BANNER_TEXT, true));
                engine.listen(host[0], Ports.HOLD, new ConnectionHandler() { });
                return engine;
            });
            PacketSocket socket = namespace.call(() -> PacketSocket.open(TAP_NAME));
            raw = new RawPeer(socket, Targets.peerAddress(subnet), Targets.peerAddress6(subnet), Targets.peerMac(subnet));
            long mac = raw.resolveHost(address, address6, 5_000);
            return new TapnetTarget(subnet, namespace, emulator, host[0], raw, mac);
        } catch (Exception | Error e) {
            StringBuilder problems = new StringBuilder();
            if (raw != null) {
                raw.close();
            }
            if (emulator != null) {
                emulator.close();
            }
            Namespaces.deleteQuietly(namespace, problems);
            if (problems.length() > 0) {
                e.addSuppressed(new IllegalStateException(problems.toString()));
            }
            throw e;
        }
    }

    @Override
    public Stack stack() {
        return Stack.TAPNET;
    }

    @Override
    public int address() {
        return host.address();
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
        EchoService echo = new EchoService();
        ConnectionHandler client = new ConnectionHandler() {
            @Override
            public void onOpen(TcpConnection c) {
                c.setNoDelay(true);
                echo.onOpen(c);
            }

            @Override
            public void onReceive(TcpConnection c) {
                echo.onReceive(c);
            }

            @Override
            public void onSendSpace(TcpConnection c) {
                echo.onSendSpace(c);
            }

            @Override
            public void onPeerClose(TcpConnection c) {
                echo.onPeerClose(c);
            }
        };
        boolean ipv6 = listener.target.family == Family.IPV6;
        TcpConnection opened;
        try {
            // An IPv6 peer is named by its handle, interned on the engine thread.
            opened = emulator.call(engine -> engine.connect(host,
                    ipv6 ? engine.hosts().addresses6().intern(raw.ip6[0], raw.ip6[1]) : raw.ip, listener.localPort, client))
                    .get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("tapnet's Engine.connect to the peer over " + listener.target.family + " threw " + e.getCause(), e);
        }
        if (opened == null) {
            throw new AssertionError("tapnet has no free connection slot or port for an active open");
        }
    }

    @Override
    public String describe() {
        return emulator.describeCounters();
    }

    @Override
    public void close() {
        StringBuilder problems = new StringBuilder();
        raw.close();
        emulator.close();
        Namespaces.deleteQuietly(namespace, problems);
        if (problems.length() > 0) {
            throw new IllegalStateException(problems.toString());
        }
    }
}
