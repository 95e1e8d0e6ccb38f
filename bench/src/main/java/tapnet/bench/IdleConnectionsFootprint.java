package tapnet.bench;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import tapnet.engine.Engine;
import tapnet.net.PacketWriter;
import tapnet.node.VirtualHost;
import tapnet.service.EchoService;
import tapnet.tcp.TcpConfig;
import tapnet.testing.CapturingSink;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.time.VirtualClock;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;
import tapnet.wire.TcpSegment;

import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.SYN;

/**
 * Memory per idle established connection: the heap after a full GC with an engine of N connection slots
 * and N connections established (in process, the handshakes crafted in place), minus the heap before the
 * engine existed, divided by N. Slots are preallocated, so the engine costs nearly as much before the
 * connections as after: both figures are printed.
 * Run: {@code java -Xmx4g -cp bench/target/benchmarks.jar tapnet.bench.IdleConnectionsFootprint 1000000}.
 */
public final class IdleConnectionsFootprint {
    private IdleConnectionsFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        // Clients: a source address per 65,536 ports, all to one echo port.
        long baseline = usedHeapAfterGc();
        CapturingSink sink = new CapturingSink();
        TcpConfig config = TcpConfig.defaults().withMaxConnections(count);
        Engine engine = new Engine(config, new VirtualClock(1), sink, 1);
        int address = Ipv4Address.parse("10.77.0.10");
        VirtualHost host = engine.addHost("h", address, MacAddress.derivedFrom(address));
        engine.listen(host, 7, new EchoService());
        long empty = usedHeapAfterGc();

        ByteBuffer syn = ByteBuffer.wrap(FrameBuilder.tcp(EngineHarness.PEER_MAC, host.mac(), EngineHarness.PEER_IP, address).mss(1460).build());
        ByteBuffer ack = ByteBuffer.wrap(FrameBuilder.tcp(EngineHarness.PEER_MAC, host.mac(), EngineHarness.PEER_IP, address).build());
        TcpSegment writer = new TcpSegment();
        TcpSegment reader = new TcpSegment();
        int at = PacketWriter.TRANSPORT_OFFSET;
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            int port = i & 0xffff;
            int sourceAddress = Ipv4Address.parse("10.78." + (i >>> 16) + ".1");
            setSource(syn, sourceAddress);
            setSource(ack, sourceAddress);
            writer.wrap(syn, at, syn.capacity() - at).writeHeader(port, 7, i, 0, 24, SYN, 65535).writeChecksum(sourceAddress, address);
            engine.onFrame(syn, 0, syn.capacity());
            engine.endOfBatch();
            reader.wrap(sink.frame(0), at, sink.length(0) - at);
            int serverIsn = reader.sequenceNumber();
            sink.clear();
            writer.wrap(ack, at, ack.capacity() - at).writeHeader(port, 7, i + 1, serverIsn + 1, 20, ACK, 65535).writeChecksum(sourceAddress, address);
            engine.onFrame(ack, 0, ack.capacity());
            engine.endOfBatch();
            sink.clear();
        }
        long seconds = (System.nanoTime() - started) / 1_000_000;
        int established = engine.tcp().connections().size();
        if (established != count) {
            throw new IllegalStateException("only " + established + " of " + count + " connections established");
        }
        long full = usedHeapAfterGc();
        System.out.printf("%d idle established connections: %.0f bytes each, of which %.0f preallocated per slot "
                        + "(heap: %d MiB before the engine, %d MiB with empty slots, %d MiB established); handshakes took %d ms%n",
                count, (full - baseline) / (double) count, (empty - baseline) / (double) count,
                baseline >> 20, empty >> 20, full >> 20, seconds);
        // Keep the engine reachable until measured.
        if (engine.counters() == null) {
            throw new AssertionError();
        }
    }

    /** Rewrites the IPv4 source address of a frame made by FrameBuilder and fixes the header checksum. */
    private static void setSource(ByteBuffer frame, int source) {
        frame.putInt(PacketWriter.IP_OFFSET + 12, source);
        frame.putShort(PacketWriter.IP_OFFSET + 10, (short) 0);
        frame.putShort(PacketWriter.IP_OFFSET + 10, (short) tapnet.wire.InternetChecksum.of(frame, PacketWriter.IP_OFFSET, 20));
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
