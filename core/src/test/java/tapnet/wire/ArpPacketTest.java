package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ArpPacketTest {
    private final ArpPacket arp = new ArpPacket();

    private static ByteBuffer withByte(String hex, int index, int value) {
        ByteBuffer buffer = Hex.buffer(hex);
        buffer.put(index, (byte) value);
        return buffer;
    }

    @Test
    void parsesCapturedRequest() {
        arp.wrap(Hex.buffer(CapturedFrames.ARP_REQUEST), 14, 28);

        assertTrue(arp.isValidEthernetIpv4());
        assertEquals(ArpPacket.OPERATION_REQUEST, arp.operation());
        assertEquals(CapturedFrames.MAC_A, arp.senderMac());
        assertEquals(CapturedFrames.IP_A, arp.senderIp());
        assertEquals(MacAddress.ZERO, arp.targetMac());
        assertEquals(CapturedFrames.IP_B, arp.targetIp());
    }

    @Test
    void parsesCapturedReply() {
        arp.wrap(Hex.buffer(CapturedFrames.ARP_REPLY), 14, 28);

        assertTrue(arp.isValidEthernetIpv4());
        assertEquals(ArpPacket.OPERATION_REPLY, arp.operation());
        assertEquals(CapturedFrames.MAC_B, arp.senderMac());
        assertEquals(CapturedFrames.IP_B, arp.senderIp());
        assertEquals(CapturedFrames.MAC_A, arp.targetMac());
        assertEquals(CapturedFrames.IP_A, arp.targetIp());
    }

    @Test
    void writesCapturedRequestByteForByte() {
        ByteBuffer written = ByteBuffer.allocate(42);
        new EthernetFrame().wrap(written, 0, 42)
                .setDestination(MacAddress.BROADCAST).setSource(CapturedFrames.MAC_A).setEtherType(EthernetFrame.TYPE_ARP);

        arp.wrap(written, 14, 28).write(ArpPacket.OPERATION_REQUEST, CapturedFrames.MAC_A, CapturedFrames.IP_A,
                MacAddress.ZERO, CapturedFrames.IP_B);

        assertEquals(Hex.plain(CapturedFrames.ARP_REQUEST), Hex.of(written));
    }

    @Test
    void writesCapturedReplyByteForByteOverGarbage() {
        ByteBuffer written = ByteBuffer.allocate(42);
        for (int i = 0; i < 42; i++) {
            written.put(i, (byte) 0x5a);
        }
        new EthernetFrame().wrap(written, 0, 42)
                .setDestination(CapturedFrames.MAC_A).setSource(CapturedFrames.MAC_B).setEtherType(EthernetFrame.TYPE_ARP);

        arp.wrap(written, 14, 28).write(ArpPacket.OPERATION_REPLY, CapturedFrames.MAC_B, CapturedFrames.IP_B,
                CapturedFrames.MAC_A, CapturedFrames.IP_A);

        assertEquals(Hex.plain(CapturedFrames.ARP_REPLY), Hex.of(written));
    }

    @Test
    void paddedPacketIsStillValid() {
        // On a real wire the 42-byte frame arrives padded to 60: 18 bytes of padding after the ARP packet.
        ByteBuffer padded = Hex.buffer(Hex.plain(CapturedFrames.ARP_REQUEST) + "00".repeat(18));

        assertTrue(arp.wrap(padded, 14, 46).isValidEthernetIpv4());
        assertEquals(CapturedFrames.IP_B, arp.targetIp());
    }

    @Test
    void packetShorterThanTwentyEightBytesIsNotValid() {
        ByteBuffer captured = Hex.buffer(CapturedFrames.ARP_REQUEST);
        for (int length = 0; length < ArpPacket.LENGTH; length++) {
            assertFalse(arp.wrap(captured, 14, length).isValidEthernetIpv4(), "length " + length);
        }
    }

    @Test
    void hardwareOtherThanEthernetIsNotValid() {
        // Hardware type 6 is IEEE 802 networks (RFC 1700).
        assertFalse(arp.wrap(withByte(CapturedFrames.ARP_REQUEST, 15, 6), 14, 28).isValidEthernetIpv4());
    }

    @Test
    void protocolOtherThanIpv4IsNotValid() {
        ByteBuffer buffer = Hex.buffer(CapturedFrames.ARP_REQUEST);
        buffer.putShort(16, (short) EthernetFrame.TYPE_IPV6);

        assertFalse(arp.wrap(buffer, 14, 28).isValidEthernetIpv4());
    }

    @Test
    void addressLengthsOtherThanSixAndFourAreNotValid() {
        assertFalse(arp.wrap(withByte(CapturedFrames.ARP_REQUEST, 18, 8), 14, 28).isValidEthernetIpv4());
        assertFalse(arp.wrap(withByte(CapturedFrames.ARP_REQUEST, 19, 16), 14, 28).isValidEthernetIpv4());
    }
}
