package tapnet.tcp;

import static tapnet.wire.TcpSegment.ACK;

/**
 * Acknowledgments of in-order data that may wait for the end of the engine's batch of frames, so that
 * one ACK covers what a batch brought (the effect of a delayed ACK without its timer); but at least every
 * second full-sized segment is acknowledged at once (RFC 9293 §3.8.6.3). A queue of connection ids,
 * allocated once.
 */
final class DelayedAcks {
    private final ConnectionTable table;
    private final SegmentWriter writer;
    private final int[] queue;
    private int length;

    DelayedAcks(ConnectionTable table, SegmentWriter writer) {
        this.table = table;
        this.writer = writer;
        this.queue = new int[table.capacity()];
    }

    /** {@code c} took data in order: it owes an ACK, now (ackNow) or at the batch's end. */
    void owe(TcpConnection c) {
        if (c.rcvNxt - c.lastAckSent >= 2 * c.localMss) {
            c.ackNow = true; // RFC 9293 §3.8.6.3: at least every second full-sized segment
            return;
        }
        c.ackPending = true;
        if (!c.inAckQueue) {
            c.inAckQueue = true;
            queue[length++] = c.id;
        }
    }

    /** The batch is over: the ACKs still owed go out (one that left meanwhile cleared ackPending). */
    void flush(long now) {
        for (int i = 0; i < length; i++) {
            TcpConnection c = table.get(queue[i]);
            if (c.inAckQueue) {
                c.inAckQueue = false;
                if (c.ackPending && c.state != TcpState.CLOSED) {
                    writer.send(c, c.sndNxt, ACK, 0, 0, now);
                }
            }
        }
        length = 0;
    }
}
