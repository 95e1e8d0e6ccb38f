package tapnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class BufferViewTest {
    /** The smallest concrete view: exposes the protected accessors. */
    private static final class Fields extends BufferView {
        Fields wrap(ByteBuffer buffer, int offset, int length) {
            wrapRegion(buffer, offset, length);
            return this;
        }
    }

    private final Fields view = new Fields();

    @Test
    void readsAreBigEndianAndUnsignedWhereTheNameSaysSo() {
        view.wrap(Hex.buffer("ff fffe 80000001 ffffffffffff"), 0, 13);

        assertEquals(0xff, view.u8(0));
        assertEquals(0xfffe, view.u16(1));
        assertEquals(0x80000001, view.i32(3));
        assertEquals(0xffff_ffff_ffffL, view.u48(7));
    }

    @Test
    void fieldsAreRelativeToTheViewsOffset() {
        ByteBuffer buffer = Hex.buffer("eeeeeeee 02000ae70001 0800");
        view.wrap(buffer, 4, 8);

        assertEquals(4, view.offset());
        assertEquals(8, view.length());
        assertEquals(buffer, view.buffer());
        assertEquals(CapturedFrames.MAC_A, view.u48(0));
        assertEquals(0x0800, view.u16(6));
    }

    @Test
    void writesAreBigEndianAtTheViewsOffsetAndTouchNothingElse() {
        ByteBuffer buffer = Hex.buffer("ee".repeat(17));
        view.wrap(buffer, 2, 15);

        view.putU8(0, 0x1ff);
        view.putU16(1, 0x1_0800);
        view.putI32(3, 0x0ae70001);
        view.putU48(7, 0xffff_0200_0ae7_0002L);

        assertEquals("eeee" + "ff" + "0800" + "0ae70001" + "02000ae70002" + "eeee", Hex.of(buffer));
    }

    @Test
    void viewsNeverMoveTheBuffersPositionOrLimit() {
        ByteBuffer frame = Hex.buffer(CapturedFrames.TCP_SYN);
        frame.position(5).limit(74);

        new FrameDissector().dissect(frame, 0, 74);
        TcpSegment segment = new TcpSegment().wrap(frame, 34, 40);
        segment.writeHeader(1, 2, 3, 4, 40, TcpSegment.ACK, 5);
        TcpOptions.writeTimestamps(frame, segment.optionsOffset(), 6, 7);
        segment.writeChecksum(CapturedFrames.IP_A, CapturedFrames.IP_B);

        assertEquals(5, frame.position());
        assertEquals(74, frame.limit());
    }

    @Test
    void readOnlyBuffersCanBeParsedButNotWritten() {
        ByteBuffer readOnly = Hex.buffer(CapturedFrames.TCP_RST_ACK).asReadOnlyBuffer();

        assertEquals(FrameDissector.ACCEPTED_TCP, new FrameDissector().dissect(readOnly, 0, 54));
        assertThrows(ReadOnlyBufferException.class, () -> new EthernetFrame().wrap(readOnly, 0, 54).setEtherType(0));
    }
}
