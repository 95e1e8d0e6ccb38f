package tapnet.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tapnet.engine.Engine;
import tapnet.net.PacketWriter;
import tapnet.node.VirtualHost;
import tapnet.service.EchoService;
import tapnet.tcp.TcpConfig;
import tapnet.testing.CapturingSink;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.time.VirtualClock;
import tapnet.wire.TcpSegment;

import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.PSH;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

/**
 * The engine alone, frames in memory, one thread: what a handshake, an echo round trip and a parse cost.
 * Frames are crafted in place in reused buffers and answers read with flyweights, so the benchmark itself
 * allocates nothing and {@code -prof gc} shows the engine's own allocation per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineBenchmark {
    private static final int PORT = 7;
    private CapturingSink sink;
    private Engine engine;
    private VirtualHost host;
    private ByteBuffer syn;
    private ByteBuffer bare;
    private ByteBuffer data;
    private final TcpSegment writer = new TcpSegment();
    private final TcpSegment reader = new TcpSegment();
    private int next;
    // The connection the echo benchmark keeps open.
    private int echoPort;
    private int echoSeq;
    private int echoAck;

    @Setup
    public void setUp() {
        sink = new CapturingSink();
        engine = new Engine(TcpConfig.defaults().withMaxConnections(4096), new VirtualClock(1), sink, 1);
        int address = tapnet.wire.Ipv4Address.parse("10.77.0.10");
        host = engine.addHost("h", address, tapnet.wire.MacAddress.derivedFrom(address));
        engine.listen(host, PORT, new EchoService(), true);
        syn = ByteBuffer.wrap(template(0, true));
        bare = ByteBuffer.wrap(template(0, false));
        data = ByteBuffer.wrap(template(64, false));
        echoPort = 65000;
        send(syn, echoPort, 1, 0, SYN, 24);
        echoAck = answerSequence(0) + 1;
        echoSeq = 2;
        sink.clear();
        send(bare, echoPort, echoSeq, echoAck, ACK, 20);
    }

    private byte[] template(int payload, boolean mss) {
        FrameBuilder.Tcp t = FrameBuilder.tcp(EngineHarness.PEER_MAC, host.mac(), EngineHarness.PEER_IP, host.address())
                .payload(new byte[payload]);
        return (mss ? t.mss(1460) : t).build();
    }

    /** SYN in, SYN-ACK out, ACK in (established), RST in: one whole handshake and teardown. */
    @Benchmark
    public int handshake() {
        int port = 1024 + (next++ & 0x7fff);
        int iss = next * 7919;
        send(syn, port, iss, 0, SYN, 24);
        int serverIsn = answerSequence(0);
        sink.clear();
        send(bare, port, iss + 1, serverIsn + 1, ACK, 20);
        send(bare, port, iss + 1, 0, RST, 20);
        return serverIsn;
    }

    /** 64 bytes to echo and back, then the ACK of the echo. */
    @Benchmark
    public int echoRoundTrip() {
        send(data, echoPort, echoSeq, echoAck, ACK | PSH, 20);
        echoSeq += 64;
        echoAck += 64;
        sink.clear();
        send(bare, echoPort, echoSeq, echoAck, ACK, 20);
        return echoAck;
    }

    /** A SYN parsed through every layer, checksums checked, answered with RST+ACK from a closed port. */
    @Benchmark
    public int synToClosedPort() {
        int at = PacketWriter.TRANSPORT_OFFSET;
        writer.wrap(syn, at, syn.capacity() - at).writeHeader(40000, 9, 1, 0, 24, SYN, 65535)
                .writeChecksum(EngineHarness.PEER_IP, host.address());
        engine.onFrame(syn, 0, syn.capacity());
        engine.endOfBatch();
        int n = sink.count();
        sink.clear();
        return n;
    }

    private void send(ByteBuffer frame, int port, int seq, int ack, int flags, int headerLength) {
        int at = PacketWriter.TRANSPORT_OFFSET;
        writer.wrap(frame, at, frame.capacity() - at)
                .writeHeader(port, PORT, seq, ack, headerLength, flags, 65535)
                .writeChecksum(EngineHarness.PEER_IP, host.address());
        engine.onFrame(frame, 0, frame.capacity());
        engine.endOfBatch();
    }

    /** Each handshake must end in RST and free its slot; otherwise the figure would measure something else. */
    @TearDown(Level.Iteration)
    public void checkEveryHandshakeEnded() {
        int open = engine.tcp().connections().size();
        if (open > 1) { // the echo benchmark's own connection
            throw new IllegalStateException(open + " connections left open: the benchmark's frames are wrong");
        }
        if (engine.counters().get(tapnet.observe.Counter.TCP_SYN_COOKIES_SENT) > 0) {
            throw new IllegalStateException("SYN cookies were used: the benchmark measured the wrong path");
        }
    }

    private int answerSequence(int frame) {
        reader.wrap(sink.frame(frame), PacketWriter.TRANSPORT_OFFSET, sink.length(frame) - PacketWriter.TRANSPORT_OFFSET);
        return reader.sequenceNumber();
    }

}
