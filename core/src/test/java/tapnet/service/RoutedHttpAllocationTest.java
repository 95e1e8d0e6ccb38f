package tapnet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.PSH;
import static tapnet.wire.TcpSegment.SYN;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.net.PacketWriter;
import tapnet.node.VirtualHost;
import tapnet.observe.Counters;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.wire.TcpSegment;

/**
 * Routed HTTP allocates nothing per request: on one kept-alive connection, requests for a text route, a
 * chunked generated body, a delayed answer, a route with a status fault and a path no route takes, after a
 * warm-up. Frames are crafted in place, as in {@code SteadyStateAllocationTest}, so the test allocates
 * nothing either.
 */
class RoutedHttpAllocationTest {
    private static final int REQUESTS = 50_000;
    private static final int WARM_UP = 10_000;
    private static final byte[][] PATHS = {
            ascii("GET /text HTTP/1.1\r\n\r\n"), ascii("GET /gens HTTP/1.1\r\n\r\n"), ascii("GET /late HTTP/1.1\r\n\r\n"),
            ascii("GET /flak HTTP/1.1\r\n\r\n"), ascii("GET /none HTTP/1.1\r\n\r\n")};
    private static final int CLIENT_PORT = 40_000;

    private final EngineHarness net = new EngineHarness();
    private final Counters counters = net.engine.counters();
    private final VirtualHost host = net.host("web", "10.77.0.10", 80, new RoutedHttpService(List.of(
            new RoutedHttpService.Route("GET", "/text", answer(ascii("hello"), 0, false, 0), List.of()),
            new RoutedHttpService.Route(null, "/gen*", answer(null, 3000, true, 0), List.of()),
            new RoutedHttpService.Route(null, "/late", answer(ascii("late"), 0, false, 1_000_000), List.of()),
            new RoutedHttpService.Route(null, "/flak", answer(ascii("ok"), 0, false, 0), List.of(HttpFault.status(503, 100), HttpFault.status(500, 0, 0.25)))), // a drawn fault too
            counters, "http.web.80"));
    private final ByteBuffer syn = ByteBuffer.wrap(template(0, true));
    private final ByteBuffer bare = ByteBuffer.wrap(template(0, false));
    private final ByteBuffer request = ByteBuffer.wrap(template(PATHS[0].length, false));
    private final TcpSegment writer = new TcpSegment();
    private final TcpSegment reader = new TcpSegment();
    private int seq = 1000;
    private int ack;
    private long bytesBack;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static HttpAnswer answer(byte[] body, long generated, boolean chunked, long delayNanos) {
        return new HttpAnswer(200, "text/plain", List.of(), body, generated, chunked, delayNanos, 0);
    }

    private byte[] template(int payload, boolean withMss) {
        FrameBuilder.Tcp t = FrameBuilder.tcp(EngineHarness.PEER_MAC, host.mac(), EngineHarness.PEER_IP, host.address())
                .payload(new byte[payload]);
        return (withMss ? t.mss(1460) : t).build();
    }

    @Test
    void requestsOnAKeptAliveConnectionAllocateNothing() {
        send(syn, seq, 0, SYN, 24);
        ack = readSequence() + 1;
        seq++;
        net.sink.clear();
        send(bare, seq, ack, ACK, 20);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        requests(WARM_UP);
        long before = threads.getCurrentThreadAllocatedBytes();
        requests(REQUESTS);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        System.out.println("allocated " + allocated + " bytes over " + REQUESTS + " requests");
        assertEquals(2 * (WARM_UP + REQUESTS) / PATHS.length, counters.namedValue("http.web.80.route.2.requests")
                + counters.namedValue("http.web.80.route.3.requests"));
        assertEquals((WARM_UP + REQUESTS) / PATHS.length, counters.namedValue("http.web.80.unmatched.requests"));
        assertTrue(bytesBack > (long) (WARM_UP + REQUESTS) / PATHS.length * 3000, bytesBack + " bytes answered");
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over " + REQUESTS + " requests");
    }

    private void requests(int count) {
        for (int i = 0; i < count; i++) {
            byte[] path = PATHS[i % PATHS.length];
            request.put(PacketWriter.TRANSPORT_OFFSET + 20, path);
            send(request, seq, ack, ACK | PSH, 20);
            seq += path.length;
            if (path == PATHS[2]) {
                net.clock.advanceTo(net.clock.nanos() + 2_000_000);
                net.engine.pollTimers();
            }
            for (int rounds = 0; rounds < 20 && absorb(); rounds++) {
                send(bare, seq, ack, ACK, 20);
            }
        }
    }

    /** Reads what the host sent and moves our ACK past it; false when it sent no data. */
    private boolean absorb() {
        boolean data = false;
        for (int f = 0; f < net.sink.count(); f++) {
            ByteBuffer out = net.sink.frame(f);
            reader.wrap(out, PacketWriter.TRANSPORT_OFFSET, ipPayloadLength(out));
            int length = reader.payloadLength();
            if (length > 0 && reader.sequenceNumber() == ack) {
                ack += length;
                bytesBack += length;
                data = true;
            }
        }
        net.sink.clear();
        return data;
    }

    /** The TCP segment's length from the IPv4 header: a frame may carry Ethernet padding after it. */
    private static int ipPayloadLength(ByteBuffer frame) {
        int ip = PacketWriter.TRANSPORT_OFFSET - 20;
        return (frame.getShort(ip + 2) & 0xffff) - 20;
    }

    private int readSequence() {
        ByteBuffer out = net.sink.frame(0);
        reader.wrap(out, PacketWriter.TRANSPORT_OFFSET, ipPayloadLength(out));
        return reader.sequenceNumber();
    }

    private void send(ByteBuffer frame, int sequence, int acknowledgment, int flags, int headerLength) {
        int at = PacketWriter.TRANSPORT_OFFSET;
        writer.wrap(frame, at, frame.capacity() - at)
                .writeHeader(CLIENT_PORT, 80, sequence, acknowledgment, headerLength, flags, 65535)
                .writeChecksum(EngineHarness.PEER_IP, host.address());
        net.engine.onFrame(frame, 0, frame.capacity());
        net.engine.endOfBatch();
    }
}
