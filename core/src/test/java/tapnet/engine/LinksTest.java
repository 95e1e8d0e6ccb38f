package tapnet.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tapnet.link.Impairments;
import tapnet.node.VirtualHost;
import tapnet.observe.DropReason;
import tapnet.service.EchoService;
import tapnet.tcp.TcpConfig;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.testing.TcpPeer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Emulated links between the TAP and a host, in the engine, on a virtual clock. */
class LinksTest {
    private final EngineHarness net = new EngineHarness();
    private final VirtualHost web = net.host("web", "10.77.0.10", 7, new EchoService());

    private byte[] ping(int seq) {
        return FrameBuilder.echoRequest(EngineHarness.PEER_MAC, web.mac(), EngineHarness.PEER_IP, web.address(), 1, seq, new byte[16]);
    }

    @Test
    void aPingCrossesTheLinksDelayBothWays() {
        Impairments twentyMs = Impairments.NONE.withDelay(Duration.ofMillis(20));
        net.engine.setLink(web, twentyMs, twentyMs);
        assertTrue(net.send(ping(1)).isEmpty());
        assertTrue(net.advanceMillis(19).isEmpty());
        assertTrue(net.advanceMillis(1).isEmpty(), "the request arrives at 20 ms; the reply then travels 20 ms");
        assertTrue(net.advanceMillis(19).isEmpty());
        List<Decoded> reply = net.advanceMillis(1);
        assertEquals(1, reply.size());
        assertEquals(1, reply.get(0).icmp().sequence());
    }

    @Test
    void aLinkThatLosesEverythingCountsTheLosses() {
        net.engine.setLink(web, Impairments.NONE.withLoss(1.0), Impairments.NONE);
        for (int i = 0; i < 10; i++) {
            assertTrue(net.send(ping(i)).isEmpty());
        }
        assertEquals(10, net.engine.counters().dropped(DropReason.LINK_LOSS));
    }

    @Test
    void aDownLinkCarriesNothingUntilItIsUpAgain() {
        net.engine.setLink(web, Impairments.NONE.withDown(true), Impairments.NONE);
        assertTrue(net.send(ping(1)).isEmpty());
        net.engine.setLink(web, Impairments.NONE, Impairments.NONE);
        assertEquals(1, net.send(ping(2)).size());
        assertEquals(1, net.engine.counters().dropped(DropReason.LINK_DOWN));
    }

    @Test
    void otherHostsAreUntouched() {
        VirtualHost other = net.host("other", "10.77.0.11");
        net.engine.setLink(web, Impairments.NONE.withLoss(1.0), Impairments.NONE.withLoss(1.0));
        byte[] request = FrameBuilder.echoRequest(EngineHarness.PEER_MAC, other.mac(), EngineHarness.PEER_IP, other.address(), 1, 1, new byte[8]);
        assertEquals(1, net.send(request).size());
    }

    @Test
    void echoOverALossyDelayedLinkStillDeliversEveryByte() {
        Impairments lossy = Impairments.NONE.withDelay(Duration.ofMillis(5)).withLoss(0.05);
        net.engine.setLink(web, lossy, lossy);
        byte[] data = new byte[64 * 1024];
        new Random(8).nextBytes(data);
        byte[] back = echoThroughLink(data);
        assertArrayEquals(data, back);
        assertTrue(net.engine.counters().dropped(DropReason.LINK_LOSS) > 0, "some frames were lost and resent");
    }

    @Test
    void theSameSeedReplaysTheSameLossesAndAnotherDoesNot() {
        assertEquals(lossPattern(42), lossPattern(42));
        assertNotEquals(lossPattern(42), lossPattern(43));
    }

    private String lossPattern(long seed) {
        EngineHarness seeded = new EngineHarness(TcpConfig.defaults().withMaxConnections(16), 1514, seed);
        VirtualHost host = seeded.host("h", "10.77.0.10");
        seeded.engine.setLink(host, Impairments.NONE.withLoss(0.5), Impairments.NONE);
        StringBuilder pattern = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            byte[] request = FrameBuilder.echoRequest(EngineHarness.PEER_MAC, host.mac(), EngineHarness.PEER_IP, host.address(), 1, i, new byte[8]);
            pattern.append(seeded.send(request).isEmpty() ? '.' : 'x');
        }
        return pattern.toString();
    }

    /** Streams data to echo over the link, advancing virtual time until everything came back. */
    private byte[] echoThroughLink(byte[] data) {
        TcpPeer client = net.client(web, 7);
        List<Decoded.Tcp> synAck = new ArrayList<>(client.sendSyn());
        for (int i = 0; i < 200 && synAck.isEmpty(); i++) {
            synAck.addAll(client.advanceMillis(10));
            if (synAck.isEmpty() && i % 100 == 99) {
                client.sndNxt = TcpPeer.ISS;
                synAck.addAll(client.sendSyn());
            }
        }
        client.sendAck();
        int sent = 0;
        for (int round = 0; round < 20_000 && client.received().length < data.length; round++) {
            int inFlight = client.sndNxt - client.sndUna;
            if (sent < data.length && inFlight < 8 * 1460) {
                int n = Math.min(1460, data.length - sent);
                client.sendData(java.util.Arrays.copyOfRange(data, sent, sent + n));
                sent += n;
            } else {
                client.sendAck();
                client.advanceMillis(5);
                if (client.sndUna != client.sndNxt && round % 50 == 49) {
                    // go back to the first unacknowledged byte, as a sender's timeout would
                    int unacked = client.sndUna - (TcpPeer.ISS + 1);
                    client.sndNxt = client.sndUna;
                    sent = unacked;
                }
            }
        }
        return client.received();
    }
}
