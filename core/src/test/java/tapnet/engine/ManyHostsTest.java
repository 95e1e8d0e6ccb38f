package tapnet.engine;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tapnet.link.Impairments;
import tapnet.node.VirtualHost;
import tapnet.service.EchoService;
import tapnet.testing.Decoded;
import tapnet.testing.EngineHarness;
import tapnet.testing.FrameBuilder;
import tapnet.wire.IcmpMessage;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An engine of 100,000 hosts behind one router, as {@code bench/many-hosts.sh} writes them: adding them
 * costs the same for the last as for the first (the per-host tables grow by half again, not host by host,
 * which took 20 s for 100,000), every one answers, and a link or a stop on one host touches that host only.
 */
class ManyHostsTest {
    private static final int HOSTS = 100_000;
    private static final int FIRST = Ipv4Address.parse("10.98.0.2");
    private final EngineHarness net = new EngineHarness();
    private VirtualHost router;

    /** The router on the TAP's segment, then the hosts on its subnet, 10.98.0.0/15. */
    private void build() {
        int outside = Ipv4Address.parse("10.77.0.2");
        router = net.engine.addRouter("edge", outside, MacAddress.derivedFrom(outside), Ipv4Address.parse("10.98.0.1"), 15);
        EchoService echo = new EchoService();
        for (int i = 0; i < HOSTS; i++) {
            VirtualHost host = net.engine.addHost("h" + i, FIRST + i, MacAddress.derivedFrom(FIRST + i));
            net.engine.listen(host, 7, echo);
        }
    }

    private List<Decoded> ping(int address, int sequence) {
        return net.send(FrameBuilder.echoRequest(EngineHarness.PEER_MAC, router.mac(), EngineHarness.PEER_IP, address,
                1, sequence & 0xffff, new byte[8]));
    }

    @Test
    @Timeout(20)
    void aHundredThousandHostsAreAddedQuicklyAndEveryOneAnswersAPing() {
        long started = System.nanoTime();
        build();
        long buildMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(buildMillis < 5_000, "100,000 hosts added in " + buildMillis + " ms");
        for (int i = 0; i < HOSTS; i++) {
            List<Decoded> replies = ping(FIRST + i, i);
            assertEquals(1, replies.size(), "host " + i + " answers once");
            Decoded reply = replies.get(0);
            assertEquals(IcmpMessage.TYPE_ECHO_REPLY, reply.icmp().type(), "host " + i);
            assertEquals(FIRST + i, reply.ipSource(), "host " + i);
            assertEquals(router.mac(), reply.ethSource(), "through the router");
        }
    }

    @Test
    void aLinkOnOneOfManyHostsNarrowsItsMssAlone() {
        build();
        VirtualHost last = net.engine.node("h" + (HOSTS - 1));
        net.engine.setLink(last, Impairments.NONE.withMtu(1000), Impairments.NONE.withMtu(1000));
        assertEquals(960, net.client(last, 7).connect().mss());
        assertEquals(1460, net.client(net.engine.node("h0"), 7).connect().mss(), "another host keeps its MSS");
        net.engine.setLink(router, Impairments.NONE.withMtu(1200), Impairments.NONE.withMtu(1200));
        assertEquals(1160, net.client(net.engine.node("h0"), 7).connect().mss(), "the router's link is on every host's way");
        assertEquals(960, net.client(last, 7).connect().mss(), "its own link is narrower still");
    }

    @Test
    void stoppingOneOfManyHostsSilencesItAlone() {
        build();
        net.engine.stopHost(net.engine.node("h5"));
        assertTrue(ping(FIRST + 5, 1).isEmpty());
        assertEquals(1, ping(FIRST + 4, 2).size());
        assertEquals(1, ping(FIRST + 6, 3).size());
        net.engine.startHost(net.engine.node("h5"));
        assertEquals(1, ping(FIRST + 5, 4).size());
    }
}
