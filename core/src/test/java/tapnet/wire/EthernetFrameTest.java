package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EthernetFrameTest {
    private final EthernetFrame frame = new EthernetFrame();

    @Test
    void parsesCapturedBroadcastArpRequest() {
        frame.wrap(Hex.buffer(CapturedFrames.ARP_REQUEST), 0, 42);

        assertTrue(frame.isComplete());
        assertEquals(MacAddress.BROADCAST, frame.destination());
        assertEquals(CapturedFrames.MAC_A, frame.source());
        assertEquals(EthernetFrame.TYPE_ARP, frame.etherType());
        assertEquals(14, frame.payloadOffset());
        assertEquals(28, frame.payloadLength());
    }

    @Test
    void parsesCapturedIpv4Frame() {
        frame.wrap(Hex.buffer(CapturedFrames.TCP_SYN_ACK), 0, 74);

        assertEquals(CapturedFrames.MAC_A, frame.destination());
        assertEquals(CapturedFrames.MAC_B, frame.source());
        assertEquals(EthernetFrame.TYPE_IPV4, frame.etherType());
        assertEquals(60, frame.payloadLength());
    }

    @Test
    void fieldsAreRelativeToTheWrappedOffsetAndPayloadOffsetIsAbsolute() {
        byte[] captured = Hex.bytes(CapturedFrames.TCP_SYN);
        ByteBuffer slot = ByteBuffer.allocate(100 + captured.length);
        slot.put(100, captured);

        frame.wrap(slot, 100, captured.length);

        assertEquals(CapturedFrames.MAC_B, frame.destination());
        assertEquals(CapturedFrames.MAC_A, frame.source());
        assertEquals(EthernetFrame.TYPE_IPV4, frame.etherType());
        assertEquals(114, frame.payloadOffset());
        assertEquals(60, frame.payloadLength());
    }

    @Test
    void wrapReturnsTheSameFlyweight() {
        assertSame(frame, frame.wrap(Hex.buffer(CapturedFrames.ARP_REQUEST), 0, 42));
        assertSame(frame, frame.wrap(Hex.buffer(CapturedFrames.ARP_REPLY), 0, 42));
        assertEquals(CapturedFrames.MAC_A, frame.destination());
    }

    @Test
    void settersWriteCapturedBroadcastHeader() {
        ByteBuffer written = ByteBuffer.allocate(EthernetFrame.HEADER_LENGTH);

        frame.wrap(written, 0, EthernetFrame.HEADER_LENGTH)
                .setDestination(MacAddress.BROADCAST)
                .setSource(CapturedFrames.MAC_A)
                .setEtherType(EthernetFrame.TYPE_ARP);

        assertEquals(Hex.plain(CapturedFrames.ARP_REQUEST).substring(0, 28), Hex.of(written));
    }

    @Test
    void settersWriteCapturedUnicastHeaderOverGarbage() {
        ByteBuffer written = Hex.buffer("a5a5a5a5a5a5a5a5a5a5a5a5a5a5");

        frame.wrap(written, 0, EthernetFrame.HEADER_LENGTH)
                .setDestination(CapturedFrames.MAC_A)
                .setSource(CapturedFrames.MAC_B)
                .setEtherType(EthernetFrame.TYPE_IPV4);

        assertEquals(Hex.plain(CapturedFrames.TCP_SYN_ACK).substring(0, 28), Hex.of(written));
    }

    @Test
    void headerIsCompleteFromFourteenBytes() {
        ByteBuffer captured = Hex.buffer(CapturedFrames.ARP_REQUEST);
        for (int length = 0; length < 14; length++) {
            assertFalse(frame.wrap(captured, 0, length).isComplete(), "length " + length);
        }
        assertTrue(frame.wrap(captured, 0, 14).isComplete());
    }

    @Test
    void shortCapturedFramesAreNotPaddedOnVeth() {
        // Ethernet pads to 60 bytes on a wire; a veth (and a TAP) hands over the frame as the kernel built it.
        assertTrue(Hex.bytes(CapturedFrames.ARP_REQUEST).length < EthernetFrame.MIN_FRAME_LENGTH);
        assertTrue(Hex.bytes(CapturedFrames.TCP_RST_ACK).length < EthernetFrame.MIN_FRAME_LENGTH);
    }
}
