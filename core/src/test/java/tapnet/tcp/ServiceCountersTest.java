package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.RST;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.select.Selector;
import tapnet.service.EchoService;
import tapnet.tcp.ConnectionFaults.Kind;
import tapnet.tcp.ConnectionFaults.Rule;
import tapnet.testing.StackHarness;
import tapnet.testing.TcpPeer;

/** Each service (listener) counts its own connections opened, reset and refused, and the faults it applied. */
class ServiceCountersTest {
    private final StackHarness net = new StackHarness();
    private final VirtualHost web = net.host("web", "10.77.0.10");
    private final VirtualHost db = net.host("db", "10.77.0.11");

    private ServiceCounters listen(VirtualHost host, int port, Rule... rules) {
        net.listen(host, port, new EchoService(), false, new ConnectionFaults(List.of(rules), 5));
        return net.tcp.listeners().find(host.address(), port).counters();
    }

    private static Rule first(Kind kind, long parameter, int count) {
        return new Rule(kind, parameter, new Selector.First(count));
    }

    @Test
    void eachServiceCountsTheConnectionsItOpenedAndNoOther() {
        ServiceCounters web80 = listen(web, 80);
        ServiceCounters web81 = listen(web, 81);
        ServiceCounters db80 = listen(db, 80);
        net.client(web, 80).connect();
        net.client(web, 80).connect();
        net.client(db, 80).connect();
        assertEquals(2, web80.opened());
        assertEquals(0, web81.opened());
        assertEquals(1, db80.opened());
        assertEquals(3, net.counters().get(Counter.TCP_CONNECTIONS_OPENED));
    }

    @Test
    void aConnectionRebuiltFromASynCookieCountsForItsService() {
        StackHarness small = new StackHarness(TcpConfig.defaults().withMaxConnections(100).withSynBacklog(1));
        VirtualHost host = small.host("web", "10.77.0.10");
        small.listen(host, 80, new EchoService());
        ServiceCounters counters = small.tcp.listeners().find(host.address(), 80).counters();
        small.client(host, 80).sendSyn(); // fills the backlog: half-open, never completed
        TcpPeer cookie = small.client(host, 80);
        cookie.sendSyn();
        cookie.sendAck();
        assertEquals(1, small.counters().get(Counter.TCP_SYN_COOKIES_ACCEPTED));
        assertEquals(1, counters.opened());
        cookie.send(cookie.segment().flags(RST));
        assertEquals(1, counters.reset());
    }

    @Test
    void aStoppedServiceRefusesSynsAndCountsThem() {
        ServiceCounters counters = listen(web, 80);
        net.tcp.serve(web.address(), 80, false);
        assertTrue(net.client(web, 80).sendSyn().get(0).only(RST | ACK));
        TcpPeer stray = net.client(web, 80);
        stray.send(stray.segment().flags(ACK)); // answered with RST too, but refused nothing: no SYN
        assertEquals(1, counters.refused());
        assertEquals(0, counters.opened());
    }

    @Test
    void aRefuseFaultCountsAsRefusedAndAsAFault() {
        ServiceCounters counters = listen(web, 80, first(Kind.REFUSE, 0, 1));
        assertTrue(net.client(web, 80).sendSyn().get(0).only(RST | ACK));
        net.client(web, 80).connect();
        assertEquals(1, counters.refused());
        assertEquals(1, counters.faults(Kind.REFUSE));
        assertEquals(1, counters.opened());
    }

    @Test
    void aResetEitherSideCountsAsReset() {
        ServiceCounters counters = listen(web, 80, first(Kind.RESET_AFTER_BYTES, 4, 1));
        TcpPeer cut = net.client(web, 80);
        cut.connect();
        List<tapnet.testing.Decoded.Tcp> out = cut.sendData("0123456789".getBytes());
        assertTrue(out.get(out.size() - 1).has(RST), "the fault's reset: " + out);
        TcpPeer resetting = net.client(web, 80);
        resetting.connect();
        resetting.send(resetting.segment().flags(RST));
        TcpPeer orderly = net.client(web, 80);
        orderly.connect();
        assertEquals(3, counters.opened());
        assertEquals(2, counters.reset(), "the host's reset (a fault) and the client's");
        assertEquals(1, counters.faults(Kind.RESET_AFTER_BYTES));
    }

    @Test
    void faultsAreCountedByKindAsTheEngineCountsThem() {
        ServiceCounters counters = listen(web, 80, first(Kind.SYN_DROP, 0, 1), first(Kind.SYN_ACK_DROP, 1, 1));
        TcpPeer c = net.client(web, 80);
        assertTrue(c.sendSyn().isEmpty(), "SYN dropped");
        c.sndNxt = TcpPeer.ISS;
        assertTrue(c.sendSyn().isEmpty(), "SYN-ACK dropped");
        assertEquals(1, counters.faults(Kind.SYN_DROP));
        assertEquals(1, counters.faults(Kind.SYN_ACK_DROP));
        assertEquals(0, counters.faults(Kind.RESET_AFTER_BYTES));
        assertEquals(net.counters().get(Counter.TCP_FAULTS_INJECTED), counters.faults(Kind.SYN_DROP) + counters.faults(Kind.SYN_ACK_DROP));
    }

    @Test
    void aServiceWithoutFaultsHasNoRoomForThemUntilItIsGivenSome() {
        ServiceCounters counters = listen(web, 80);
        assertFalse(counters.countsFaults());
        net.tcp.setFaults(web.address(), 80, new ConnectionFaults(List.of(first(Kind.REFUSE, 0, 1)), 5));
        assertTrue(counters.countsFaults());
        net.client(web, 80).sendSyn();
        assertEquals(1, counters.faults(Kind.REFUSE));
    }
}
