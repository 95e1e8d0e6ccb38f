package tapnet.engine;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tapnet.frame.FrameSink;
import tapnet.frame.FrameSlot;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.DropReason;
import tapnet.service.EchoService;
import tapnet.tcp.TcpConfig;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.time.LiveClock;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The live path: a source publishes into the Disruptor ring, the engine thread answers into a sink. */
class EngineRunnerTest {
    /** A sink that hands copies of frames to the test thread. */
    static final class QueueSink implements FrameSink {
        final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        private final ByteBuffer buffer = ByteBuffer.allocate(1514);

        @Override
        public ByteBuffer claim() {
            return buffer;
        }

        @Override
        public void commit(int length) {
            byte[] copy = new byte[length];
            buffer.get(0, copy);
            frames.add(copy);
        }

        @Override
        public int maxFrameLength() {
            return 1514;
        }
    }

    private final QueueSink sink = new QueueSink();
    private final Engine engine = new Engine(TcpConfig.defaults().withMaxConnections(64), new LiveClock(), sink, 1);
    private final int address = Ipv4Address.parse("10.77.0.10");
    private final VirtualHost host = engine.addHost("h", address, MacAddress.derivedFrom(address));

    @Test
    void framesPublishedIntoTheRingAreAnsweredByTheEngineThread() throws Exception {
        engine.listen(host, 7, new EchoService());
        try (EngineRunner runner = new EngineRunner(engine, 1024, 1514, true)) {
            runner.start();
            IngressPublisher publisher = runner.publisher();
            for (int seq = 0; seq < 100; seq++) {
                publish(publisher, FrameBuilder.echoRequest(EngineHarness.PEER_MAC, host.mac(), EngineHarness.PEER_IP, address, 1, seq, new byte[16]));
            }
            for (int seq = 0; seq < 100; seq++) {
                byte[] reply = sink.frames.poll(5, TimeUnit.SECONDS);
                assertEquals(seq, Decoded.of(reply).icmp().sequence(), "replies in order");
            }
            long opened = runner.call(e -> e.counters().get(Counter.ICMP_ECHO_REPLIES)).get(5, TimeUnit.SECONDS);
            assertEquals(100, opened);
        }
    }

    @Test
    void timersFireWhileNoFrameArrives() throws Exception {
        engine.listen(host, 7, new EchoService());
        try (EngineRunner runner = new EngineRunner(engine, 64, 1514, false)) {
            runner.start();
            byte[] syn = FrameBuilder.tcp(EngineHarness.PEER_MAC, host.mac(), EngineHarness.PEER_IP, address)
                    .ports(40000, 7).seq(1).flags(tapnet.wire.TcpSegment.SYN).mss(1460).build();
            publish(runner.publisher(), syn);
            Decoded first = Decoded.of(sink.frames.poll(5, TimeUnit.SECONDS));
            Decoded again = Decoded.of(sink.frames.poll(5, TimeUnit.SECONDS));
            assertEquals(first.tcp().seq(), again.tcp().seq(), "the SYN-ACK is retransmitted by the timer alone");
        }
    }

    @Test
    void aFullRingDropsAndTheEngineCountsTheDrops() throws Exception {
        try (EngineRunner runner = new EngineRunner(engine, 8, 1514, false)) {
            IngressPublisher publisher = runner.publisher();
            byte[] frame = FrameBuilder.arpRequest(EngineHarness.PEER_MAC, EngineHarness.PEER_IP, Ipv4Address.parse("10.77.0.99"));
            for (int i = 0; i < 20; i++) {
                publish(publisher, frame); // the engine is not started: only 8 fit
            }
            runner.start();
            assertEquals(8, runner.call(e -> e.counters().get(Counter.FRAMES_IN)).get(5, TimeUnit.SECONDS));
            // The drops ride on the next frame that finds room, so the engine thread alone counts them. The
            // engine frees its slots just after it answers the query above, so a retry or two may be needed.
            int retries = 0;
            while (!publish(publisher, frame)) {
                retries++;
                Thread.sleep(1);
            }
            // A query may run just before the batch that holds the frame: ask until the frame is in.
            long framesIn = 0;
            for (int i = 0; i < 5000 && framesIn < 9; i++) {
                framesIn = runner.call(e -> e.counters().get(Counter.FRAMES_IN)).get(5, TimeUnit.SECONDS);
            }
            assertEquals(9, framesIn);
            assertEquals(12 + retries, runner.call(e -> e.counters().dropped(DropReason.INGRESS_RING_FULL)).get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void theRingSaysHowManySlotsHoldFramesNotYetApplied() throws Exception {
        try (EngineRunner runner = new EngineRunner(engine, 8, 1514, false)) {
            assertEquals(8, runner.ringCapacity());
            assertEquals(0, runner.ringOccupancy());
            IngressPublisher publisher = runner.publisher();
            byte[] frame = FrameBuilder.arpRequest(EngineHarness.PEER_MAC, EngineHarness.PEER_IP, Ipv4Address.parse("10.77.0.99"));
            for (int i = 0; i < 5; i++) {
                publish(publisher, frame); // the engine is not started: they wait
            }
            assertEquals(5, runner.ringOccupancy());
            runner.start();
            runner.call(e -> e.counters().get(Counter.FRAMES_IN)).get(5, TimeUnit.SECONDS);
            long occupancy = runner.ringOccupancy();
            for (int i = 0; i < 5000 && occupancy > 0; i++) { // the engine frees its slots just after the batch
                Thread.sleep(1);
                occupancy = runner.ringOccupancy();
            }
            assertEquals(0, occupancy);
        }
    }

    private static boolean publish(IngressPublisher publisher, byte[] frame) {
        FrameSlot slot = publisher.claim();
        slot.buffer().put(0, frame);
        return publisher.publish(frame.length, System.nanoTime());
    }

}
