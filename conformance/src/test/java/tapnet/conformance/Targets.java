package tapnet.conformance;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tapnet.tap.TapTestEnvironment;
import tapnet.tcp.TcpConfig;
import tapnet.wire.Ipv4Address;

/**
 * The targets of one test class, started on first use and shared by its tests (each test talks from
 * source ports of its own), stopped after the last; with every namespace they made. Register as
 * {@code @RegisterExtension static final Targets TARGETS = new Targets();}. Conversations a test opened
 * are ended after it ({@link Peer#close}), pass or fail.
 */
final class Targets implements AfterEachCallback, AfterAllCallback {
    private final Map<Target, TargetNetwork> running = new EnumMap<>(Target.class);
    private final List<Peer> peers = new ArrayList<>();
    private final TcpConfig tapnetConfig;

    Targets() {
        this(TcpConfig.defaults());
    }

    Targets(TcpConfig tapnetConfig) {
        this.tapnetConfig = tapnetConfig;
    }

    /** The fake peer's address in 10.242.N.0/24: .3, which no kernel in the test owns. */
    static int peerAddress(int subnet) {
        return Ipv4Address.parse("10.242." + subnet + ".3");
    }

    /** The fake peer's MAC: locally administered, unlike tapnet's 02:54:… and the kernel's random ones. */
    static long peerMac(int subnet) {
        return 0x02_42_0a_f2_00_03L | ((long) subnet << 8);
    }

    /** The running target {@code kind}, started now if it is not yet. Skips without root or a TAP. */
    TargetNetwork get(Target kind) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TargetNetwork network = running.get(kind);
        if (network == null) {
            network = switch (kind) {
                case KERNEL -> KernelTarget.start();
                case TAPNET -> TapnetTarget.start(tapnetConfig);
            };
            running.put(kind, network);
        }
        return network;
    }

    /** A new conversation with {@code port} of target {@code kind}, from a fresh source port. */
    Peer peer(Target kind, int port) throws Exception {
        Peer peer = get(kind).peer(port);
        peers.add(peer);
        return peer;
    }

    /** A conversation target {@code kind} is to open ({@link TargetNetwork#connect}), on a fresh port of the peer. */
    Peer listener(Target kind) throws Exception {
        Peer peer = get(kind).listener();
        peers.add(peer);
        return peer;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (Peer peer : peers) {
            peer.close();
        }
        peers.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RuntimeException failure = null;
        for (TargetNetwork network : running.values()) {
            try {
                network.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        running.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
