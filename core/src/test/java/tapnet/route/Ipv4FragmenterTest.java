package tapnet.route;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tapnet.testing.FrameBuilder;
import tapnet.testing.Fragments;
import tapnet.wire.InternetChecksum;
import tapnet.wire.Ipv4Packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cutting IPv4 datagrams into fragments (RFC 791 §3.2): sizes, flags, offsets, the options' copy rule. */
class Ipv4FragmenterTest {
    private static final int ETH = 14;
    /** Router alert (type 0x94: copy flag set), record route (type 7: not copied), a no-operation. */
    private static final byte[] OPTIONS = {(byte) 0x94, 4, 0, 0, 7, 3, 4, 1};
    private final Ipv4Fragmenter cutter = new Ipv4Fragmenter();

    private static byte[] datagram(int payloadLength, byte[] options, boolean dontFragment) {
        byte[] plain = FrameBuilder.udp(1, 2, 0x0a4d0001, 0x0a4d000a, 5000, 7, new byte[payloadLength - 8]);
        for (int i = ETH + 28; i < plain.length; i++) {
            plain[i] = (byte) i;
        }
        byte[] frame = new byte[plain.length + options.length];
        System.arraycopy(plain, 0, frame, 0, ETH + 20);
        System.arraycopy(options, 0, frame, ETH + 20, options.length);
        System.arraycopy(plain, ETH + 20, frame, ETH + 20 + options.length, plain.length - ETH - 20);
        Ipv4Packet ip = new Ipv4Packet().wrap(ByteBuffer.wrap(frame), ETH, frame.length - ETH)
                .setHeaderLength(20 + options.length).setTotalLength(frame.length - ETH).setFragment(0, false);
        if (dontFragment) {
            frame[ETH + 6] |= 0x40;
        }
        ip.updateChecksum();
        return frame;
    }

    private List<byte[]> cut(byte[] frame, int mtu) {
        assertTrue(cutter.begin(ByteBuffer.wrap(frame), 0, frame.length, mtu));
        List<byte[]> pieces = new ArrayList<>();
        ByteBuffer into = ByteBuffer.allocate(frame.length);
        while (cutter.hasNext()) {
            int length = cutter.next(into);
            byte[] piece = Arrays.copyOf(into.array(), length);
            assertEquals(0, InternetChecksum.of(ByteBuffer.wrap(piece), ETH, (piece[ETH] & 0xf) * 4), "header checksum");
            assertTrue(length - ETH <= mtu, "fits the MTU: " + (length - ETH));
            pieces.add(piece);
        }
        return pieces;
    }

    @Test
    void eachFragmentFitsTheMtuCarriesMultiplesOfEightAndTheyJoinToTheDatagram() {
        byte[] whole = datagram(1000, new byte[0], false);
        List<byte[]> pieces = cut(whole, 300);
        assertEquals(4, pieces.size(), "280 bytes each: 1,000 in four");
        for (int i = 0; i < pieces.size(); i++) {
            assertEquals(i * 280, Fragments.offset(pieces.get(i)));
            assertEquals(i < 3, Fragments.moreFragments(pieces.get(i)));
            assertFalse(Fragments.dontFragment(pieces.get(i)));
            assertEquals(Fragments.identification(whole), Fragments.identification(pieces.get(i)));
        }
        assertArrayEquals(whole, Fragments.join(pieces));
    }

    @Test
    void optionsWithTheCopyFlagGoIntoEveryFragmentTheOthersIntoTheFirstOnly() {
        byte[] whole = datagram(1000, OPTIONS, false);
        List<byte[]> pieces = cut(whole, 300);
        assertArrayEquals(OPTIONS, Arrays.copyOfRange(pieces.get(0), ETH + 20, ETH + 28), "the first keeps them all");
        assertEquals(272, pieces.get(0).length - ETH - 28);
        for (byte[] later : pieces.subList(1, pieces.size())) {
            assertEquals(24, (later[ETH] & 0xf) * 4, "20 bytes and the router alert");
            assertArrayEquals(new byte[] {(byte) 0x94, 4, 0, 0}, Arrays.copyOfRange(later, ETH + 20, ETH + 24));
        }
        assertArrayEquals(whole, Fragments.join(pieces));
    }

    @Test
    void aFragmentCutAgainKeepsItsPlaceAndMoreFragments() {
        byte[] whole = datagram(4000, new byte[0], false);
        byte[] middle = Fragments.piece(whole, 1480, 1480, true);
        List<byte[]> pieces = cut(middle, 576);
        assertEquals(1480, Fragments.offset(pieces.get(0)));
        assertTrue(pieces.stream().allMatch(Fragments::moreFragments), "more follow each: the datagram goes on");
        byte[] last = Fragments.piece(whole, 2960, 1040, false);
        List<byte[]> lastPieces = cut(last, 576);
        assertFalse(Fragments.moreFragments(lastPieces.get(lastPieces.size() - 1)));
        List<byte[]> all = new ArrayList<>(List.of(Fragments.piece(whole, 0, 1480, true)));
        all.addAll(pieces);
        all.addAll(lastPieces);
        assertArrayEquals(whole, Fragments.join(all));
    }

    @Test
    void aDatagramWithDfOrThatFitsIsNotCut() {
        byte[] df = datagram(1000, new byte[0], true);
        assertFalse(cutter.begin(ByteBuffer.wrap(df), 0, df.length, 300));
        byte[] small = datagram(200, new byte[0], false);
        assertFalse(cutter.begin(ByteBuffer.wrap(small), 0, small.length, 300));
    }
}
