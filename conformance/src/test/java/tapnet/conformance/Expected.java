package tapnet.conformance;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import tapnet.testing.Decoded;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.TcpOptions;
import tapnet.wire.TcpSegment;

/**
 * What a segment from the target must look like: each call adds one condition, and {@link #mismatch}
 * names the first that fails. Built with {@link Segments#tcp()}.
 */
final class Expected {
    private final List<String> descriptions = new ArrayList<>();
    private final List<Predicate<Decoded>> conditions = new ArrayList<>();

    Expected that(String description, Predicate<Decoded> condition) {
        descriptions.add(description);
        conditions.add(condition);
        return this;
    }

    private Expected thatTcp(String description, Predicate<Decoded.Tcp> condition) {
        return that(description, d -> condition.test(d.tcp()));
    }

    /** Exactly these flags. */
    Expected flags(int exactly) {
        return thatTcp("flags [" + TcpSegment.flagsToString(exactly) + "]", t -> t.flags() == exactly);
    }

    /** At least these flags, maybe others. */
    Expected withFlags(int mask) {
        return thatTcp("flags include [" + TcpSegment.flagsToString(mask) + "]", t -> (t.flags() & mask) == mask);
    }

    Expected withoutFlags(int mask) {
        return thatTcp("flags exclude [" + TcpSegment.flagsToString(mask) + "]", t -> (t.flags() & mask) == 0);
    }

    Expected seq(int value) {
        return thatTcp("seq " + Integer.toUnsignedString(value), t -> t.seq() == value);
    }

    Expected ack(int value) {
        return thatTcp("ack " + Integer.toUnsignedString(value), t -> t.has(TcpSegment.ACK) && t.ack() == value);
    }

    Expected window(int value) {
        return thatTcp("window " + value, t -> t.window() == value);
    }

    Expected noPayload() {
        return thatTcp("no payload", t -> t.payload().length == 0);
    }

    Expected withPayload() {
        return thatTcp("a payload", t -> t.payload().length > 0);
    }

    Expected payload(byte[] value) {
        return thatTcp("payload " + new String(value, java.nio.charset.StandardCharsets.ISO_8859_1), t -> Arrays.equals(t.payload(), value));
    }

    Expected mss() {
        return thatTcp("an MSS option", t -> t.mss() >= 0);
    }

    Expected noMss() {
        return thatTcp("no MSS option", t -> t.mss() < 0);
    }

    Expected windowScale() {
        return thatTcp("a window scale option", t -> t.windowScale() >= 0);
    }

    Expected noWindowScale() {
        return thatTcp("no window scale option", t -> t.windowScale() < 0);
    }

    Expected sackPermitted() {
        return thatTcp("SACK-permitted", Decoded.Tcp::sackPermitted);
    }

    Expected noSackPermitted() {
        return thatTcp("no SACK-permitted", t -> !t.sackPermitted());
    }

    Expected timestamps() {
        return thatTcp("a timestamps option", Decoded.Tcp::timestamps);
    }

    Expected noTimestamps() {
        return thatTcp("no timestamps option", t -> !t.timestamps());
    }

    Expected tsEcr(int echo) {
        return thatTcp("TSecr " + Integer.toUnsignedString(echo), t -> t.timestamps() && t.tsEcr() == echo);
    }

    /** A SACK option whose first block is exactly [left, right). */
    Expected sackBlock(int left, int right) {
        return that("SACK block " + Integer.toUnsignedString(left) + "-" + Integer.toUnsignedString(right), d -> {
            int[][] blocks = sackBlocks(d);
            return blocks.length > 0 && blocks[0][0] == left && blocks[0][1] == right;
        });
    }

    /** Null when {@code frame} meets every condition, else the first one it misses. */
    String mismatch(Decoded frame) {
        if (frame.tcp() == null) {
            return "not a TCP segment";
        }
        for (int i = 0; i < conditions.size(); i++) {
            if (!conditions.get(i).test(frame)) {
                return descriptions.get(i);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return descriptions.isEmpty() ? "any segment" : String.join(", ", descriptions);
    }

    /** The SACK blocks (RFC 2018) of a received segment, each {left, right}. */
    static int[][] sackBlocks(Decoded frame) {
        ByteBuffer b = ByteBuffer.wrap(frame.raw());
        Ipv4Packet ip = new Ipv4Packet().wrap(b, EthernetFrame.HEADER_LENGTH, frame.raw().length - EthernetFrame.HEADER_LENGTH);
        TcpSegment s = new TcpSegment().wrap(b, ip.payloadOffset(), ip.payloadLength());
        TcpOptions o = new TcpOptions().parse(s);
        int[][] blocks = new int[o.sackBlockCount()][];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = new int[] {o.sackLeft(i), o.sackRight(i)};
        }
        return blocks;
    }
}
