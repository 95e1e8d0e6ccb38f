package tapnet.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import tapnet.testing.Decoded;
import tapnet.wire.TcpSegment;

/**
 * What a segment from the target must look like: each call adds one condition, and {@link #mismatch}
 * names the first that fails. Built with {@link Segments#tcp()}.
 */
final class Expected {
    private final List<String> descriptions = new ArrayList<>();
    private final List<Predicate<Decoded.Tcp>> conditions = new ArrayList<>();

    Expected that(String description, Predicate<Decoded.Tcp> condition) {
        descriptions.add(description);
        conditions.add(condition);
        return this;
    }

    /** Exactly these flags. */
    Expected flags(int exactly) {
        return that("flags [" + TcpSegment.flagsToString(exactly) + "]", t -> t.flags() == exactly);
    }

    /** At least these flags, maybe others. */
    Expected withFlags(int mask) {
        return that("flags include [" + TcpSegment.flagsToString(mask) + "]", t -> (t.flags() & mask) == mask);
    }

    Expected withoutFlags(int mask) {
        return that("flags exclude [" + TcpSegment.flagsToString(mask) + "]", t -> (t.flags() & mask) == 0);
    }

    Expected seq(int value) {
        return that("seq " + Integer.toUnsignedString(value), t -> t.seq() == value);
    }

    Expected ack(int value) {
        return that("ack " + Integer.toUnsignedString(value), t -> t.has(TcpSegment.ACK) && t.ack() == value);
    }

    Expected window(int value) {
        return that("window " + value, t -> t.window() == value);
    }

    Expected noPayload() {
        return that("no payload", t -> t.payload().length == 0);
    }

    Expected withPayload() {
        return that("a payload", t -> t.payload().length > 0);
    }

    Expected payload(byte[] value) {
        return that("payload " + new String(value, java.nio.charset.StandardCharsets.ISO_8859_1), t -> Arrays.equals(t.payload(), value));
    }

    Expected mss() {
        return that("an MSS option", t -> t.mss() >= 0);
    }

    Expected noMss() {
        return that("no MSS option", t -> t.mss() < 0);
    }

    Expected windowScale() {
        return that("a window scale option", t -> t.windowScale() >= 0);
    }

    Expected noWindowScale() {
        return that("no window scale option", t -> t.windowScale() < 0);
    }

    Expected sackPermitted() {
        return that("SACK-permitted", Decoded.Tcp::sackPermitted);
    }

    Expected noSackPermitted() {
        return that("no SACK-permitted", t -> !t.sackPermitted());
    }

    Expected timestamps() {
        return that("a timestamps option", Decoded.Tcp::timestamps);
    }

    Expected noTimestamps() {
        return that("no timestamps option", t -> !t.timestamps());
    }

    Expected tsEcr(int echo) {
        return that("TSecr " + Integer.toUnsignedString(echo), t -> t.timestamps() && t.tsEcr() == echo);
    }

    /** A SACK option whose first block is exactly [left, right). */
    Expected sackBlock(int left, int right) {
        return that("SACK block " + Integer.toUnsignedString(left) + "-" + Integer.toUnsignedString(right),
                t -> t.sackBlocks().length >= 2 && t.sackBlocks()[0] == left && t.sackBlocks()[1] == right);
    }

    /** Null when {@code frame} meets every condition, else the first one it misses. */
    String mismatch(Decoded.Tcp segment) {
        if (segment == null) {
            return "not a TCP segment";
        }
        for (int i = 0; i < conditions.size(); i++) {
            if (!conditions.get(i).test(segment)) {
                return descriptions.get(i);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return descriptions.isEmpty() ? "any segment" : String.join(", ", descriptions);
    }
}
