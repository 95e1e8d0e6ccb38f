package tapnet.tap;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.engine.Engine;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.DropReason;
import tapnet.service.DiscardService;
import tapnet.service.EchoService;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A TAP with virtio-net headers, checksum and TSO offload: the kernel hands over TCP segments of up to 64 KB
 * with their checksums left partial, and the engine still takes every byte right.
 */
@Timeout(90)
class OffloadTest {
    @BeforeEach
    void needsRoot() {
        TapTestEnvironment.assumeTapTestsCanRun();
    }

    private static void addHost(Engine engine, String address) {
        int ip = Ipv4Address.parse(address);
        VirtualHost host = engine.addHost("h", ip, MacAddress.derivedFrom(ip));
        engine.listen(host, 7, new EchoService());
        engine.listen(host, 9, new DiscardService());
    }

    @Test
    void bulkDataArrivesInLargeSegmentsAndWhole() throws Exception {
        byte[] sent = new byte[32 * 1024 * 1024];
        new SplittableRandom(40).nextBytes(sent);
        try (TestNamespace ns = TestNamespace.create();
             EmulatorInNamespace tapnet = EmulatorInNamespace.start(ns, "10.241.41.1/24", true, e -> addHost(e, "10.241.41.2"))) {
            byte[] back = EchoRoundTrip.through(ns, "10.241.41.2", 7, sent, 5000, 20_000);
            assertTrue(tapnet.tap().offloads(), "the kernel took IFF_VNET_HDR");
            assertArrayEquals(sent, back, tapnet.counters());
            long segmentsIn = tapnet.engine().counters().get(Counter.TCP_SEGMENTS_IN);
            long bytesIn = tapnet.engine().counters().get(Counter.TCP_DATA_BYTES_IN);
            assertEquals(sent.length, bytesIn);
            assertTrue(segmentsIn < sent.length / 1460 / 2,
                    "TSO: " + segmentsIn + " segments carried " + bytesIn + " bytes (MSS-sized would be " + sent.length / 1460 + ")");
            assertEquals(0, tapnet.engine().counters().dropped(DropReason.TCP_BAD_CHECKSUM),
                    "partial checksums (NEEDS_CSUM) are taken, not dropped");
        }
    }
}
