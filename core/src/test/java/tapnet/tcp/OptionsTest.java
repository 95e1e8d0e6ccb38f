package tapnet.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tapnet.wire.TcpSegment.ACK;
import static tapnet.wire.TcpSegment.RST;
import static tapnet.wire.TcpSegment.SYN;

import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.DropReason;
import tapnet.service.EchoService;
import tapnet.testing.Decoded;
import tapnet.testing.StackHarness;
import tapnet.testing.TcpPeer;

/** TCP options: RFC 9293 §3.2 and §3.7.1, RFC 7323 (window scale, timestamps, PAWS), RFC 2018 (SACK). */
class OptionsTest {
    private final StackHarness net = new StackHarness();
    private final VirtualHost web = net.host("web", "10.77.0.10", 7, new EchoService());

    private Decoded.Tcp synWith(TcpPeer client, java.util.function.UnaryOperator<tapnet.testing.FrameBuilder.Tcp> options) {
        List<Decoded.Tcp> out = client.send(options.apply(client.segment().flags(SYN).ack(0).mss(1460)));
        client.sndNxt = TcpPeer.ISS + 1;
        assertEquals(1, out.size(), out.toString());
        return out.get(0);
    }

    @Test
    void noOptionIsSentThatThePeerDidNotOffer() {
        Decoded.Tcp synAck = synWith(net.client(web, 7), s -> s);
        assertEquals(-1, synAck.windowScale());
        assertFalse(synAck.sackPermitted());
        assertFalse(synAck.timestamps());
        assertEquals(1460, synAck.mss());
    }

    @Test
    void offeredOptionsAreAllAnswered() {
        Decoded.Tcp synAck = synWith(net.client(web, 7), s -> s.windowScale(7).sackPermitted().timestamps(555, 0));
        assertEquals(1, synAck.windowScale(), "the least shift that advertises a 64 KiB buffer");
        assertTrue(synAck.sackPermitted());
        assertTrue(synAck.timestamps());
        assertEquals(555, synAck.tsEcr(), "TSecr echoes the SYN's TSval");
    }

    @Test
    void mssIsNeverSentOutsideSyn() {
        TcpPeer client = net.client(web, 7);
        client.connect();
        List<Decoded.Tcp> echo = client.sendData("x".getBytes());
        assertEquals(-1, echo.get(0).mss(), "RFC 9293 [MUST-65]");
    }

    @Test
    void windowScaleAboveFourteenCountsAsFourteen() {
        TcpPeer client = net.client(web, 7);
        synWith(client, s -> s.windowScale(20));
        client.send(client.segment().window(1));
        TcpConnection c = net.connections().find(web.address(), 7, StackHarness.PEER_IP, client.localPort);
        assertEquals(1 << 14, c.sndWnd, "RFC 7323 §2.3");
    }

    @Test
    void scaledWindowsAreScaledBothWays() {
        TcpPeer client = net.client(web, 7);
        synWith(client, s -> s.windowScale(2));
        List<Decoded.Tcp> ack = client.send(client.segment().window(1000).payload("hi".getBytes()));
        TcpConnection c = net.connections().find(web.address(), 7, StackHarness.PEER_IP, client.localPort);
        assertEquals(4000, c.sndWnd);
        int advertised = ack.get(ack.size() - 1).window() << 1;
        assertTrue(advertised > 65535 - 1460 && advertised <= 65536 + 1, "64 KiB buffer seen through shift 1: " + advertised);
    }

    @Test
    void windowOfTheSynItselfIsNeverScaled() {
        TcpPeer client = net.client(web, 7);
        synWith(client, s -> s.windowScale(3).window(1000));
        TcpConnection c = net.connections().find(web.address(), 7, StackHarness.PEER_IP, client.localPort);
        assertEquals(1000, c.sndWnd, "RFC 7323 §2.2");
    }

    @Test
    void timestampsGoOnEveryNonResetSegmentAndEchoTheLatest() {
        TcpPeer client = net.client(web, 7);
        synWith(client, s -> s.timestamps(100, 0));
        client.send(client.segment().timestamps(101, 0));
        List<Decoded.Tcp> echo = client.send(client.segment().timestamps(150, 0).payload("abc".getBytes()));
        assertTrue(echo.get(0).timestamps());
        assertEquals(150, echo.get(0).tsEcr());
        client.sndNxt += 3;
    }

    @Test
    void pawsDropsASegmentWithAnOlderTimestampAndAcknowledgesIt() {
        TcpPeer client = net.client(web, 7);
        synWith(client, s -> s.timestamps(1000, 0));
        client.send(client.segment().timestamps(1001, 0));
        List<Decoded.Tcp> out = client.send(client.segment().timestamps(900, 0).payload("old".getBytes()));
        assertEquals(1, out.size());
        assertTrue(out.get(0).only(ACK));
        assertEquals(client.sndNxt, out.get(0).ack(), "nothing taken");
        assertEquals(1, net.counters().get(Counter.TCP_PAWS_REJECTED));
    }

    @Test
    void resetIsNotSubjectToPaws() {
        TcpPeer client = net.client(web, 7);
        synWith(client, s -> s.timestamps(1000, 0));
        client.send(client.segment().timestamps(1001, 0));
        client.send(client.segment().flags(RST).timestamps(1, 0));
        assertEquals(0, net.connections().size());
    }

    @Test
    void unknownOptionsAreSkippedAndIllegalLengthsSurvived() {
        TcpPeer client = net.client(web, 7);
        // kind 99 length 4, then MSS: the unknown option is skipped [MUST-6]
        List<Decoded.Tcp> out = client.send(client.segment().flags(SYN).ack(0).rawOptions((byte) 99, (byte) 4, (byte) 0, (byte) 0, (byte) 2, (byte) 4, (byte) 2, (byte) 0));
        assertTrue(out.get(0).only(SYN | ACK));
        client.sndNxt = TcpPeer.ISS + 1;
        client.sendAck();
        // an option of length 0 [MUST-7]: the segment is still taken
        List<Decoded.Tcp> echo = client.send(client.segment().rawOptions((byte) 30, (byte) 0).payload("ok".getBytes()));
        assertArrayEquals("ok".getBytes(), echo.get(0).payload());
        assertEquals(0, net.counters().dropped(DropReason.TCP_MALFORMED));
    }

    @Test
    void sackBlocksDescribeOutOfOrderDataMostRecentFirst() {
        VirtualHost sink = net.host("sink", "10.77.0.11", 9, new tapnet.service.DiscardService());
        TcpPeer client = net.client(sink, 9);
        List<Decoded.Tcp> synAck = client.send(client.segment().flags(SYN).ack(0).mss(1460).sackPermitted());
        assertTrue(synAck.get(0).sackPermitted());
        client.sndNxt = TcpPeer.ISS + 1;
        client.sendAck();
        int base = client.sndNxt;
        client.send(client.segment().seq(base + 100).payload(new byte[100]));
        List<Decoded.Tcp> out = client.send(client.segment().seq(base + 300).payload(new byte[100]));
        int[] blocks = out.get(0).sackBlocks();
        assertArrayEquals(new int[] {base + 300, base + 400, base + 100, base + 200}, blocks);
        assertEquals(base, out.get(0).ack());
    }
}
