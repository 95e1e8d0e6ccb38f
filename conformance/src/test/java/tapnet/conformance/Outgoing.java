package tapnet.conformance;

import java.nio.charset.StandardCharsets;
import tapnet.wire.TcpSegment;

/**
 * A segment the fake peer is to send, as a test describes it: flags, and only the fields the rule is about.
 * What is left out is filled in by the {@link Peer} that sends it: ports, SEQ = the peer's SND.NXT, ACK =
 * its RCV.NXT when the ACK flag is on (0 otherwise), window 65535, no options. A segment sent without an
 * explicit {@link #seq} advances the peer's SND.NXT by its length, like a real sender's; one with an
 * explicit sequence number is a crafted segment and changes nothing.
 */
final class Outgoing {
    final int flags;
    Integer seq;
    Integer ack;
    Integer window;
    int mss = -1;
    int windowScale = -1;
    boolean sackPermitted;
    boolean timestamps;
    int tsVal;
    int tsEcr;
    byte[] rawOptions;
    byte[] payload = new byte[0];
    boolean badChecksum;
    Integer ipDestination;
    long[] ipDestination6;
    Long ethDestination;

    Outgoing(int flags) {
        this.flags = flags;
    }

    Outgoing seq(int value) {
        seq = value;
        return this;
    }

    Outgoing ack(int value) {
        ack = value;
        return this;
    }

    Outgoing window(int value) {
        window = value;
        return this;
    }

    Outgoing mss(int value) {
        mss = value;
        return this;
    }

    Outgoing windowScale(int shift) {
        windowScale = shift;
        return this;
    }

    Outgoing sackPermitted() {
        sackPermitted = true;
        return this;
    }

    Outgoing timestamps(int value, int echo) {
        timestamps = true;
        tsVal = value;
        tsEcr = echo;
        return this;
    }

    /** Option bytes exactly as given (padded with zeros, EOL, to a multiple of 4), instead of typed ones. */
    Outgoing rawOptions(int... bytes) {
        rawOptions = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            rawOptions[i] = (byte) bytes[i];
        }
        return this;
    }

    Outgoing payload(byte[] value) {
        payload = value;
        return this;
    }

    Outgoing payload(String text) {
        return payload(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** The TCP checksum is made wrong (one bit flipped) after it is computed. */
    Outgoing badChecksum() {
        badChecksum = true;
        return this;
    }

    /** Sends to this IPv4 destination (broadcast, multicast) instead of the target's address. */
    Outgoing toAddress(int address, long ethernetDestination) {
        ipDestination = address;
        ethDestination = ethernetDestination;
        return this;
    }

    /** Sends to this IPv6 destination (multicast) instead of the target's address. */
    Outgoing toAddress6(long[] address, long ethernetDestination) {
        ipDestination6 = address;
        ethDestination = ethernetDestination;
        return this;
    }

    /** Only the Ethernet destination changes (a link-layer broadcast to the target's own address). */
    Outgoing toEthernet(long ethernetDestination) {
        ethDestination = ethernetDestination;
        return this;
    }

    int sequenceLength() {
        return payload.length + ((flags & TcpSegment.SYN) != 0 ? 1 : 0) + ((flags & TcpSegment.FIN) != 0 ? 1 : 0);
    }

    /** The segment as sent, with the sequence and acknowledgment numbers it was given. */
    String describe(int sentSeq, int sentAck, int sentWindow) {
        return "[" + TcpSegment.flagsToString(flags) + "] seq " + Integer.toUnsignedString(sentSeq)
                + " ack " + Integer.toUnsignedString(sentAck) + " win " + sentWindow
                + (payload.length > 0 ? " len " + payload.length : "") + (mss >= 0 ? " mss " + mss : "")
                + (windowScale >= 0 ? " wscale " + windowScale : "") + (sackPermitted ? " sackOK" : "")
                + (timestamps ? " TS val " + Integer.toUnsignedString(tsVal) + " ecr " + Integer.toUnsignedString(tsEcr) : "")
                + (rawOptions != null ? " options " + RawPeer.hex(rawOptions) : "") + (badChecksum ? " BAD CHECKSUM" : "");
    }
}
