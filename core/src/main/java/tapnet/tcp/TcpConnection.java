package tapnet.tcp;

import tapnet.buffer.ByteRing;
import tapnet.buffer.ChunkPool;

/**
 * One connection's transmission control block (RFC 9293 §3.3.1) and its buffers. Instances are
 * preallocated in a {@link ConnectionTable} and reused; fields are package-private to the TCP stack,
 * which is their only writer. Services use the public methods, from within {@link ConnectionHandler} calls.
 * Faults injected on purpose are not part of it: {@link FaultInjection} keeps them beside it.
 */
public final class TcpConnection {
    final int id;
    TcpState state = TcpState.CLOSED;

    int localAddress;
    int localPort;
    int remoteAddress;
    int remotePort;
    long localMac;
    /** The peer's MAC; {@link #MAC_UNKNOWN} while an active open waits for ARP. */
    long remoteMac;
    ConnectionHandler handler;
    /** The listener that accepted it (its backlog counts it while half-open); null for an active open. */
    Listener listener;
    /** The counters of the service that accepted it, for as long as it lives; null for an active open. */
    ServiceCounters service;
    boolean activeOpen;

    // Options negotiated in the handshake (RFC 7323, RFC 2018). Scales are shifts; 0 when not negotiated.
    boolean windowScaling;
    int sndScale;
    int rcvScale;
    boolean timestamps;
    int tsRecent;
    int tsOffset;
    boolean sack;

    // Send sequence space (RFC 9293 §3.3.1). sndMax is the highest sequence number sent so far; after a
    // timeout sndNxt goes back to sndUna while sndMax remembers what the peer may still acknowledge.
    int iss;
    int sndUna;
    int sndNxt;
    int sndMax;
    int sndWnd;
    int sndWl1;
    int sndWl2;
    int maxSndWnd;
    int sendMss;
    /** The MSS we announce (and the most we send): the configured MSS, capped by the host's interface MTU. */
    int localMss;

    // Receive sequence space. rcvAdv is the right edge of the window we last advertised; it never moves left.
    int irs;
    int rcvNxt;
    int rcvAdv;
    /** Data received beyond rcvNxt, kept in the receive buffer's space ahead of its readable bytes. */
    final SequenceRanges outOfOrder = new SequenceRanges();
    boolean finPending;
    int finPendingSequence;

    // Congestion control (RFC 5681).
    int cwnd;
    int ssthresh;
    int bytesAckedInAvoidance;
    // Fast retransmit and NewReno recovery (RFC 5681 §3.2, RFC 6582).
    int duplicateAcks;
    boolean inRecovery;
    int recover;
    /** Duplicate ACKs that start fast retransmit: 3, raised when reordering fooled it (Eifel, RFC 3522). */
    int duplicateThreshold = CongestionControl.DUPLICATE_THRESHOLD;
    // Undo of a spurious fast retransmit (RFC 3522 detection, RFC 4015 response): what to restore, and the
    // TSval the retransmission carried; an ACK echoing an older one proves the original arrived.
    boolean undoable;
    int undoCwnd;
    int undoSsthresh;
    int retransmitTsval;

    // Retransmission (RFC 6298) and round-trip timing of one segment at a time (Karn's rule).
    final RetransmissionTimeout rto;
    int retries;
    /** A SYN or SYN-ACK was sent again: RFC 6298 §5.7 then starts data with a 3 s RTO. */
    boolean handshakeRetransmitted;
    boolean rttTiming;
    int rttSequence;
    long rttStartNanos;
    long retransmitDeadline;
    long timeWaitDeadline;

    // Close and acknowledgment bookkeeping.
    boolean closeRequested;
    boolean finSent;
    int finSequence;
    boolean peerFinReceived;
    /** An ACK must go out when this segment's processing ends (out of order, FIN, window update). */
    boolean ackNow;
    /** An ACK is owed, and may wait for the end of the engine's batch. */
    boolean ackPending;
    boolean inAckQueue;
    int lastAckSent;
    /** The handler saw onOpen and has not yet seen onClose. */
    boolean opened;
    /** The handler must hear onClose when the connection ends (it opened, or it asked to connect). */
    boolean owesCloseNotice;
    boolean abortRequested;
    /** Nagle's algorithm off (RFC 9293 §3.7.4 [MUST-17]: the application may disable it). */
    boolean noDelay;
    CloseReason closeReason = CloseReason.NONE;
    /** The service asked to be woken this long after the current event ({@link #wakeAfter}); 0: not asked. */
    long wakeRequestNanos;
    /** When the service is woken ({@link ConnectionHandler#onWake}); 0: not scheduled. */
    long wakeAt;
    /** When the last ACK answering an unacceptable segment went out (0: never): they are rate-limited. */
    long lastInvalidAckNanos;
    /** A duplicate segment's range, reported in the next ACK's first SACK block (RFC 2883 D-SACK). */
    int dsackLeft;
    int dsackRight;
    boolean dsackPending;

    final ByteRing sendBuffer;
    final ByteRing receiveBuffer;
    private Object attachment;

    /** A peer MAC not known yet: {@link TcpStack#connect} asks the network layer (ARP) before the SYN. */
    public static final long MAC_UNKNOWN = -1;
    /**
     * This slot's id is in {@link ActiveOpen}'s list of SYNs waiting for ARP. Kept across {@link #reset}:
     * the list may still hold the id after the connection it was for ended, and a new connection in the
     * slot takes that entry rather than adding a second one, so the list never outgrows the table.
     */
    boolean listedForArp;

    TcpConnection(int id, ChunkPool pool, int bufferSize, RetransmissionTimeout rto) {
        this.id = id;
        this.sendBuffer = new ByteRing(pool, bufferSize);
        this.receiveBuffer = new ByteRing(pool, bufferSize);
        this.rto = rto;
    }

    /** Clears everything for a new connection in this slot; keeps the attachment for the service to reuse. */
    void reset() {
        state = TcpState.CLOSED;
        handler = null;
        listener = null;
        service = null;
        activeOpen = false;
        sndScale = rcvScale = tsRecent = tsOffset = 0;
        timestamps = sack = windowScaling = false;
        outOfOrder.clear();
        finPending = false;
        finPendingSequence = 0;
        duplicateAcks = recover = 0;
        inRecovery = false;
        duplicateThreshold = CongestionControl.DUPLICATE_THRESHOLD;
        undoable = false;
        undoCwnd = undoSsthresh = retransmitTsval = 0;
        handshakeRetransmitted = false;
        owesCloseNotice = abortRequested = noDelay = false;
        closeReason = CloseReason.NONE;
        wakeRequestNanos = wakeAt = 0;
        lastInvalidAckNanos = 0;
        dsackLeft = dsackRight = 0;
        dsackPending = false;
        iss = sndUna = sndNxt = sndMax = sndWnd = sndWl1 = sndWl2 = maxSndWnd = sendMss = localMss = 0;
        irs = rcvNxt = rcvAdv = 0;
        cwnd = ssthresh = bytesAckedInAvoidance = 0;
        rto.reset();
        retries = 0;
        rttTiming = false;
        retransmitDeadline = 0;
        timeWaitDeadline = 0;
        closeRequested = finSent = peerFinReceived = ackNow = ackPending = inAckQueue = opened = false;
        finSequence = lastAckSent = 0;
        sendBuffer.clear();
        receiveBuffer.clear();
    }

    // --- for services ---

    /** Slot number, stable for the connection's life: an index for per-connection state. */
    public int id() {
        return id;
    }

    public TcpState state() {
        return state;
    }

    public int localAddress() {
        return localAddress;
    }

    public int localPort() {
        return localPort;
    }

    public int remoteAddress() {
        return remoteAddress;
    }

    public int remotePort() {
        return remotePort;
    }

    /** Bytes received in order and not yet consumed; read them with peek/copy, then {@link #consume}. */
    public ByteRing received() {
        return receiveBuffer;
    }

    /** Drops {@code n} bytes from the front of the receive buffer, opening the window by as much. */
    public int consume(int n) {
        return receiveBuffer.discard(n);
    }

    /** Room left in the send buffer. Zero after {@link #close()}. */
    public int sendSpace() {
        return closeRequested ? 0 : sendBuffer.free();
    }

    /** Queues bytes for sending; returns how many fit. */
    public int send(byte[] data, int from, int length) {
        return closeRequested ? 0 : sendBuffer.write(data, from, length);
    }

    /** Moves up to {@code n} received bytes to the send buffer without a copy in between; returns how many. */
    public int echo(int n) {
        return closeRequested ? 0 : receiveBuffer.moveTo(sendBuffer, n);
    }

    /** Bytes written but not yet acknowledged by the peer. */
    public int unacknowledged() {
        return sendBuffer.size();
    }

    /** Orderly close: a FIN follows the data already queued. */
    public void close() {
        closeRequested = true;
    }

    /** Abortive close: an RST goes out and the connection ends at once, queued data unsent. */
    public void abort() {
        abortRequested = true;
    }

    /**
     * Turns Nagle's algorithm off (true) or on (false, the default): like TCP_NODELAY, small writes go out at
     * once instead of waiting for outstanding data to be acknowledged.
     */
    public void setNoDelay(boolean value) {
        noDelay = value;
    }

    /**
     * Asks for {@link ConnectionHandler#onWake} about {@code nanos} from now (at least 1 ns; the timer wheel's
     * resolution is a millisecond). One wake per connection: asking again replaces it. What a service needs to
     * pace its sending or answer late without a timer of its own.
     */
    public void wakeAfter(long nanos) {
        wakeRequestNanos = Math.max(1, nanos);
    }

    /** How the connection ended; {@link CloseReason#NONE} while open. Meaningful in {@link ConnectionHandler#onClose}. */
    public CloseReason closeReason() {
        return closeReason;
    }

    /** Whether the peer has sent its FIN. */
    public boolean peerClosed() {
        return peerFinReceived;
    }

    public Object attachment() {
        return attachment;
    }

    /** Per-connection state of the service; stays with the slot, so a service can reuse it for the next connection. */
    public void attach(Object value) {
        attachment = value;
    }

    @Override
    public String toString() {
        return "#" + id + " " + state + " " + tapnet.wire.Ipv4Address.format(localAddress) + ":" + localPort
                + " <- " + tapnet.wire.Ipv4Address.format(remoteAddress) + ":" + remotePort;
    }
}
