package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VxlanHeaderTest {
    /**
     * A Linux vxlan device's ARP request over VXLAN (id 42, dstport 4789, 10.243.0.1 to 10.243.0.2), as
     * tcpdump took it on the underlay; {@code tshark -d udp.port==4789,vxlan} decodes it as "VXLAN Network
     * Identifier (VNI): 42" around "Who has 10.244.0.2? Tell 10.244.0.1".
     */
    static final String KERNEL_ARP_OVER_VXLAN =
            "72d895a65899 6ea227fc8063 0800"
            + " 4500004e904e00004011d4680af300010af30002"
            + " e0da12b5003a1634"
            + " 0800000000002a00"
            + " ffffffffffff 02000000 0a01 0806"
            + " 0001080006040001 02000000 0a01 0af40001 000000000000 0af40002";
    private static final int UDP = 34;
    private static final int VXLAN = 42;
    private static final int INNER = 50;
    private static final int UNDERLAY_A = Ipv4Address.parse("10.243.0.1");
    private static final int UNDERLAY_B = Ipv4Address.parse("10.243.0.2");

    private final VxlanHeader vxlan = new VxlanHeader();

    @Test
    void parsesTheKernelsHeader() {
        ByteBuffer frame = Hex.buffer(KERNEL_ARP_OVER_VXLAN);
        vxlan.wrap(frame, VXLAN, frame.capacity() - VXLAN);

        assertTrue(vxlan.isValid());
        assertEquals(VxlanHeader.FLAG_I, vxlan.flags());
        assertEquals(42, vxlan.vni());
        assertEquals(INNER, vxlan.payloadOffset());
        assertEquals(42, vxlan.payloadLength());
        EthernetFrame inner = new EthernetFrame().wrap(frame, vxlan.payloadOffset(), vxlan.payloadLength());
        assertEquals(EthernetFrame.TYPE_ARP, inner.etherType());
        assertEquals(MacAddress.BROADCAST, inner.destination());
        ArpPacket arp = new ArpPacket().wrap(frame, inner.payloadOffset(), inner.payloadLength());
        assertTrue(arp.isValidEthernetIpv4());
        assertEquals(Ipv4Address.parse("10.244.0.2"), arp.targetIp());
    }

    @Test
    void writesTheKernelsDatagramByteForByte() {
        // the UDP datagram on (the outer IPv4 header differs by the kernel leaving DF clear)
        ByteBuffer written = ByteBuffer.allocate(Hex.bytes(KERNEL_ARP_OVER_VXLAN).length);
        new EthernetFrame().wrap(written, INNER, EthernetFrame.HEADER_LENGTH)
                .setDestination(MacAddress.BROADCAST).setSource(0x02000000_0a01L).setEtherType(EthernetFrame.TYPE_ARP);
        new ArpPacket().wrap(written, INNER + EthernetFrame.HEADER_LENGTH, ArpPacket.LENGTH).write(ArpPacket.OPERATION_REQUEST,
                0x02000000_0a01L, Ipv4Address.parse("10.244.0.1"), 0, Ipv4Address.parse("10.244.0.2"));
        written.put(VXLAN, Hex.bytes("ffffffffffffffff")); // whatever was there before
        vxlan.wrap(written, VXLAN, VxlanHeader.LENGTH).write(42);
        new UdpDatagram().wrap(written, UDP, written.capacity() - UDP)
                .write(57562, VxlanHeader.DEFAULT_PORT, written.capacity() - VXLAN, UNDERLAY_A, UNDERLAY_B);

        // the captured checksum is the veth's offload placeholder (the pseudo-header's sum only): check ours instead
        ByteBuffer captured = Hex.buffer(KERNEL_ARP_OVER_VXLAN);
        assertEquals(Hex.of(captured, UDP, 6), Hex.of(written, UDP, 6));
        int tail = written.capacity() - VXLAN;
        assertEquals(Hex.of(captured, VXLAN, tail), Hex.of(written, VXLAN, tail));
        assertTrue(new UdpDatagram().wrap(written, UDP, written.capacity() - UDP).isChecksumValid(UNDERLAY_A, UNDERLAY_B));
    }

    @Test
    void iFlagClearIsNotVxlan() {
        ByteBuffer header = Hex.buffer("00000000 00002a00");
        assertFalse(vxlan.wrap(header, 0, VxlanHeader.LENGTH).isValid());
    }

    @Test
    void reservedBitsAreIgnoredOnReceipt() {
        // RFC 7348 §5: reserved fields "MUST be set to zero on transmission and ignored on receipt"
        ByteBuffer header = Hex.buffer("ffffffff ffffffff");
        vxlan.wrap(header, 0, VxlanHeader.LENGTH);
        assertTrue(vxlan.isValid());
        assertEquals(VxlanHeader.MAX_VNI, vxlan.vni());
    }

    @Test
    void writeClearsEveryReservedBit() {
        ByteBuffer header = Hex.buffer("ffffffff ffffffff");
        vxlan.wrap(header, 0, VxlanHeader.LENGTH).write(0x123456);
        assertEquals("08000000" + "12345600", Hex.of(header));
    }

    @Test
    void aHeaderCutShortIsNotValid() {
        for (int length = 0; length < VxlanHeader.LENGTH; length++) {
            assertFalse(vxlan.wrap(Hex.truncated("08000000 00002a00", length), 0, length).isValid(), "length " + length);
        }
    }

    @Test
    void aVniPast24BitsIsRefused() {
        ByteBuffer header = ByteBuffer.allocate(VxlanHeader.LENGTH);
        vxlan.wrap(header, 0, VxlanHeader.LENGTH);
        assertThrows(IllegalArgumentException.class, () -> vxlan.write(1 << 24));
        assertThrows(IllegalArgumentException.class, () -> vxlan.write(-1));
    }

    @Test
    void everyVniRoundTrips() {
        ByteBuffer header = ByteBuffer.allocate(VxlanHeader.LENGTH);
        vxlan.wrap(header, 0, VxlanHeader.LENGTH);
        for (int vni : new int[] {0, 1, 42, 0xffff, 0x10000, VxlanHeader.MAX_VNI}) {
            assertEquals(vni, vxlan.write(vni).vni());
            assertTrue(vxlan.isValid());
        }
    }

    @Test
    void randomBytesNeverThrow() {
        // each datagram sits in a buffer that ends where it does, so a read one byte too far would throw
        SplittableRandom random = new SplittableRandom(Long.getLong("tapnet.fuzz.seed", 7348));
        int valid = 0;
        for (int round = 0; round < 100_000; round++) {
            byte[] bytes = new byte[random.nextInt(20)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) random.nextInt(256);
            }
            try {
                vxlan.wrap(ByteBuffer.wrap(bytes), 0, bytes.length);
                if (vxlan.isValid()) {
                    valid++;
                    assertTrue(vxlan.vni() >= 0 && vxlan.vni() <= VxlanHeader.MAX_VNI);
                    assertEquals(bytes.length - VxlanHeader.LENGTH, vxlan.payloadLength());
                }
            } catch (RuntimeException e) {
                fail("round " + round + " threw on " + Hex.of(ByteBuffer.wrap(bytes)), e);
            }
        }
        assertTrue(valid > 0, "some random headers have the I flag set and are whole");
    }
}
