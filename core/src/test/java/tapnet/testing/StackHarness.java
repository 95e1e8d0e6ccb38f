package tapnet.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import tapnet.net.PacketWriter;
import tapnet.node.VirtualHost;
import tapnet.observe.Counters;
import tapnet.tcp.ConnectionFaults;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.ConnectionTable;
import tapnet.tcp.IsnGenerator;
import tapnet.tcp.TcpConfig;
import tapnet.tcp.TcpConnection;
import tapnet.tcp.TcpStack;
import tapnet.time.TimerWheel;
import tapnet.time.VirtualClock;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.Ipv6Addresses;
import tapnet.wire.MacAddress;

/**
 * A {@link TcpStack} alone, on a virtual clock, with the test as the network below it: frames sent in are
 * taken apart (Ethernet, IPv4) and their segments handed to TCP, what TCP writes is kept in memory and
 * returned decoded. No segment, router, ARP or host table: what a test sees is TCP's doing only.
 * Deterministic: the same calls give the same frames, and the same as {@link EngineHarness} gives.
 */
public final class StackHarness implements FrameExchange {
    /** What {@link TcpStack#connect} takes for a peer's MAC not known yet. */
    public final VirtualClock clock = new VirtualClock(TimeUnit.SECONDS.toNanos(1000));
    public final CapturingSink sink;
    public final TcpStack tcp;
    private final Counters counters = new Counters();
    /** The IPv6 addresses segments name by handle: a test interns its peers' here. */
    public final Ipv6Addresses addresses6 = new Ipv6Addresses();
    private final Network network = new Network();
    private final Map<Integer, VirtualHost> hosts = new HashMap<>();
    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private int nextClientPort = 40000;

    public StackHarness() {
        this(TcpConfig.defaults().withMaxConnections(1024));
    }

    public StackHarness(TcpConfig config) {
        this(config, 1514);
    }

    public StackHarness(TcpConfig config, int maxFrameLength) {
        this(config, maxFrameLength, 42);
    }

    public StackHarness(TcpConfig config, int maxFrameLength, long seed) {
        this.sink = new CapturingSink(maxFrameLength);
        // The keys drawn from the seed in the engine's order: the same ISNs, cookies and ports as on an engine.
        SplittableRandom random = new SplittableRandom(seed);
        IsnGenerator isn = new IsnGenerator(random.nextLong(), random.nextLong());
        TcpStack.SecretKeys keys = new TcpStack.SecretKeys(random.nextLong(), random.nextLong(), random.nextInt());
        this.tcp = new TcpStack(config, counters, new PacketWriter(sink, counters, addresses6), isn, keys, network, clock.nanos());
    }

    /** A host TCP can serve and connect from: only its address and MAC matter here. */
    public VirtualHost host(String name, String address) {
        int ip = Ipv4Address.parse(address);
        VirtualHost host = new VirtualHost(hosts.size(), name, ip, MacAddress.derivedFrom(ip));
        hosts.put(ip, host);
        return host;
    }

    public VirtualHost host(String name, String address, int port, ConnectionHandler service) {
        VirtualHost h = host(name, address);
        listen(h, port, service);
        return h;
    }

    public void listen(VirtualHost host, int port, ConnectionHandler handler) {
        listen(host, port, handler, false);
    }

    public void listen(VirtualHost host, int port, ConnectionHandler handler, boolean noDelay) {
        tcp.listen(host.address(), port, handler, noDelay);
    }

    public void listen(VirtualHost host, int port, ConnectionHandler handler, boolean noDelay, ConnectionFaults faults) {
        tcp.listen(host.address(), port, handler, noDelay, faults);
    }

    /**
     * Opens a connection from {@code host} (active open), now. The SYN goes at once to a peer made known by
     * {@link #neighbor}, else it waits for that (TCP asks the network layer to resolve the peer first).
     * What it sends stays in the sink, for {@link #drain}.
     */
    public TcpConnection connect(VirtualHost host, int remoteAddress, int remotePort, ConnectionHandler handler) {
        long mac = network.known.getOrDefault(remoteAddress, TcpConnection.MAC_UNKNOWN);
        return tcp.connect(host.address(), host.mac(), remoteAddress, mac, remotePort, handler, clock.nanos());
    }

    /**
     * The peer at {@code address} has MAC {@code mac}, as an ARP reply would tell: connections opened later
     * send to it at once, and SYNs that waited for it go now. Returns what they sent.
     */
    public List<Decoded> neighbor(int address, long mac) {
        Long before = network.known.put(address, mac);
        if (before == null || before != mac) { // as the network layer, only news is told
            tcp.neighborLearned(address, mac, clock.nanos());
        }
        return drain();
    }

    /** The peers TCP asked the network layer to resolve, in order. */
    public List<Integer> resolveRequests() {
        return network.resolveRequests;
    }

    /** How often TCP asked the network layer for an ICMP port unreachable (the UNREACHABLE fault). */
    public int portUnreachables() {
        return network.portUnreachables;
    }

    @Override
    public List<Decoded> send(byte[] frame) {
        receive(frame);
        tcp.flush(); // the end of the batch, as the engine ends each: delayed ACKs go out
        return drain();
    }

    /** Delivers frames as one batch (as the ring would hand them over together). */
    public List<Decoded> sendBatch(List<byte[]> frames) {
        for (byte[] frame : frames) {
            receive(frame);
        }
        tcp.flush();
        return drain();
    }

    /** Ends the batch without sending anything in: ACKs owed go out, into the sink. */
    public void endOfBatch() {
        tcp.flush();
    }

    /** Takes the frame apart as the hosts' network layer does and hands its segment to TCP. */
    private void receive(byte[] frame) {
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        ethernet.wrap(buffer, 0, frame.length);
        if (!ethernet.isComplete() || ethernet.etherType() != EthernetFrame.TYPE_IPV4) {
            throw new IllegalArgumentException("TCP alone takes IPv4 frames only: " + frame.length + " bytes");
        }
        ip.wrap(buffer, ethernet.payloadOffset(), ethernet.payloadLength());
        if (ip.check() != Ipv4Packet.Validity.VALID || ip.isFragment() || ip.protocol() != Ipv4Packet.PROTOCOL_TCP) {
            throw new IllegalArgumentException("not a whole, valid IPv4 packet carrying TCP: " + ip.check());
        }
        VirtualHost host = hosts.get(ip.destination());
        if (host == null) {
            throw new IllegalArgumentException("no host here has " + Ipv4Address.format(ip.destination()));
        }
        tcp.receive(host.mac(), ethernet.source(), ip.source(), ip.destination(),
                buffer, ip.payloadOffset(), ip.payloadLength(), false, clock.nanos());
    }

    /**
     * Moves virtual time forward, stopping at every timer due on the way (as a simulated run does), and
     * fires them; returns what they sent.
     */
    @Override
    public List<Decoded> advanceMillis(long millis) {
        long target = clock.nanos() + TimeUnit.MILLISECONDS.toNanos(millis);
        long next;
        int polls = 0;
        while ((next = tcp.nextDeadline()) != TimerWheel.NONE && next <= target) {
            if (next > clock.nanos()) {
                clock.advanceTo(next);
            } else if (++polls > 100_000) {
                throw new IllegalStateException("TCP stays due at " + next + " however often it is polled");
            }
            runDue();
        }
        clock.advanceTo(target);
        runDue();
        return drain();
    }

    /** What the engine runs when time is due: the timers, then the end of that batch. */
    private void runDue() {
        tcp.pollTimers(clock.nanos());
        tcp.flush();
    }

    public List<Decoded> drain() {
        List<Decoded> out = new ArrayList<>();
        for (byte[] f : sink.drain()) {
            out.add(Decoded.of(f));
        }
        return out;
    }

    public Counters counters() {
        return counters;
    }

    public ConnectionTable connections() {
        return tcp.connections();
    }

    /** A client of {@code host:port} with the next free client port. */
    public TcpPeer client(VirtualHost host, int port) {
        return new TcpPeer(this, host, nextClientPort++, port);
    }

    public TcpPeer client(VirtualHost host, int localPort, int port) {
        return new TcpPeer(this, host, localPort, port);
    }

    /** The network layer below TCP, played by the harness: it knows the MACs it was told and keeps what TCP asked. */
    private static final class Network implements TcpStack.NetworkLayer {
        final Map<Integer, Long> known = new HashMap<>();
        final List<Integer> resolveRequests = new ArrayList<>();
        int portUnreachables;

        @Override
        public void resolve(int localAddress, long localMac, int remoteAddress) {
            resolveRequests.add(remoteAddress); // answered by StackHarness#neighbor, as ARP answers later
        }

        @Override
        public void portUnreachable() {
            portUnreachables++;
        }
    }
}
