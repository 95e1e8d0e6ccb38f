package tapnet.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tapnet.engine.Engine;
import tapnet.node.VirtualHost;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConfig;
import tapnet.time.VirtualClock;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

/**
 * An engine on a virtual clock with an in-memory sink, and the kernel's side of the TAP played by the
 * test: every call sends frames in, runs the engine to the end of its batch, and returns what came out,
 * decoded. Deterministic: the same calls give the same frames.
 */
public final class EngineHarness implements FrameExchange {
    public final VirtualClock clock = new VirtualClock(TimeUnit.SECONDS.toNanos(1000));
    public final CapturingSink sink;
    public final Engine engine;
    private int nextClientPort = 40000;

    public EngineHarness() {
        this(TcpConfig.defaults().withMaxConnections(1024));
    }

    public EngineHarness(TcpConfig config) {
        this(config, 1514);
    }

    public EngineHarness(TcpConfig config, int maxFrameLength) {
        this(config, maxFrameLength, 42);
    }

    public EngineHarness(TcpConfig config, int maxFrameLength, long seed) {
        this.sink = new CapturingSink(maxFrameLength);
        this.engine = new Engine(config, clock, sink, seed);
    }

    /** The engine {@code topology} builds (its tap at {@link #PEER_IP}, as the peer's frames come from there). */
    public EngineHarness(tapnet.topology.Topology topology) {
        this.sink = new CapturingSink(tapnet.wire.EthernetFrame.HEADER_LENGTH + topology.tap().mtu());
        this.engine = tapnet.build.EngineBuilder.build(topology, clock, sink);
    }

    public VirtualHost host(String name, String address) {
        int ip = Ipv4Address.parse(address);
        return engine.addHost(name, ip, MacAddress.derivedFrom(ip));
    }

    /**
     * A host with IPv6 too: {@code address6} and the link-local address its MAC makes. Give it services
     * after this, as the topology builder does (a listener serves the addresses the host has then).
     */
    public VirtualHost host6(String name, String address, String address6) {
        VirtualHost h = host(name, address);
        long[] a = tapnet.wire.Ipv6Address.parse(address6);
        engine.hosts().addIpv6(h, a[0], a[1]);
        return h;
    }

    /** The TAP's IPv6 prefix ({@code fd77::/64} style): the senders in it are neighbours the hosts learn. */
    public EngineHarness prefix6(String prefix) {
        String[] parts = prefix.split("/");
        long[] a = tapnet.wire.Ipv6Address.parse(parts[0]);
        engine.segmentPrefix6(a[0], a[1], Integer.parseInt(parts[1]));
        return this;
    }

    public VirtualHost host(String name, String address, int port, ConnectionHandler service) {
        VirtualHost h = host(name, address);
        engine.listen(h, port, service);
        return h;
    }

    @Override
    public List<Decoded> send(byte[] frame) {
        engine.onFrame(ByteBuffer.wrap(frame), 0, frame.length);
        engine.endOfBatch();
        return drain();
    }

    /** Delivers frames as one batch (as the ring would hand them over together). */
    public List<Decoded> sendBatch(List<byte[]> frames) {
        for (byte[] frame : frames) {
            engine.onFrame(ByteBuffer.wrap(frame), 0, frame.length);
        }
        engine.endOfBatch();
        return drain();
    }

    /**
     * Moves virtual time forward, stopping at every timer and held frame due on the way (as a simulated
     * run does), and fires them; returns what they sent.
     */
    @Override
    public List<Decoded> advanceMillis(long millis) {
        long target = clock.nanos() + TimeUnit.MILLISECONDS.toNanos(millis);
        long next;
        int polls = 0;
        while ((next = engine.nextDeadline()) != tapnet.time.TimerWheel.NONE && next <= target) {
            if (next > clock.nanos()) {
                clock.advanceTo(next);
            } else if (++polls > 100_000) {
                throw new IllegalStateException("the engine stays due at " + next + " however often it is polled");
            }
            engine.pollTimers(); // also when due now: frames between hosts a call queued
        }
        clock.advanceTo(target);
        engine.pollTimers();
        return drain();
    }

    public List<Decoded> drain() {
        List<Decoded> out = new ArrayList<>();
        for (byte[] f : sink.drain()) {
            out.add(Decoded.of(f));
        }
        return out;
    }

    /** A client of {@code host:port} with the next free client port. */
    public TcpPeer client(VirtualHost host, int port) {
        return new TcpPeer(this, host, nextClientPort++, port);
    }

    public TcpPeer client(VirtualHost host, int localPort, int port) {
        return new TcpPeer(this, host, localPort, port);
    }

    /** A client of {@code host:port} over IPv6, from {@link #PEER6} to the host's {@code address6}. */
    public TcpPeer client6(VirtualHost host, String address6, int port) {
        return new TcpPeer(this, host, nextClientPort++, port).ipv6(PEER6, tapnet.wire.Ipv6Address.parse(address6));
    }
}
