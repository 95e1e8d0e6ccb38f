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
import tapnet.wire.Ipv6Address;

/**
 * The targets of one test class, started on first use and shared by its tests (each test talks from
 * source ports of its own), stopped after the last; with every namespace they made. The two families of
 * a stack share one target network. Register as
 * {@code @RegisterExtension static final Targets TARGETS = new Targets();}. Conversations a test opened
 * are ended after it ({@link Peer#close}), pass or fail.
 */
final class Targets implements AfterEachCallback, AfterAllCallback {
    private final Map<Stack, TargetNetwork> running = new EnumMap<>(Stack.class);
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
        return Ipv4Address.parse(Family.IPV4.address(subnet, 3));
    }

    /** The fake peer's address in fd77:242:N::/64: ::3, which no kernel in the test owns. */
    static long[] peerAddress6(int subnet) {
        return Ipv6Address.parse(Family.IPV6.address(subnet, 3));
    }

    /** The fake peer's MAC: locally administered, unlike tapnet's 02:54:… and the kernel's random ones. */
    static long peerMac(int subnet) {
        return 0x02_42_0a_f2_00_03L | ((long) subnet << 8);
    }

    /** The network of {@code target}'s stack, started now if it is not yet. Skips without root or a TAP. */
    TargetNetwork get(Target target) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        TargetNetwork network = running.get(target.stack);
        if (network == null) {
            network = switch (target.stack) {
                case KERNEL -> KernelTarget.start();
                case TAPNET -> TapnetTarget.start(tapnetConfig);
            };
            running.put(target.stack, network);
        }
        return network;
    }

    /** A new conversation with {@code port} of {@code target}, in its family, from a fresh source port. */
    Peer peer(Target target, int port) throws Exception {
        Peer peer = get(target).peer(target, port);
        peers.add(peer);
        return peer;
    }

    /** A conversation {@code target} is to open ({@link TargetNetwork#connect}), on a fresh port of the peer. */
    Peer listener(Target target) throws Exception {
        Peer peer = get(target).listener(target);
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
