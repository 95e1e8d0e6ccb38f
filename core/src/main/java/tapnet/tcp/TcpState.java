package tapnet.tcp;

/** Connection states of RFC 9293 §3.3.2. LISTEN is a listener, not a connection, and has no entry here. */
public enum TcpState {
    CLOSED,
    SYN_SENT,
    SYN_RECEIVED,
    ESTABLISHED,
    FIN_WAIT_1,
    FIN_WAIT_2,
    CLOSE_WAIT,
    CLOSING,
    LAST_ACK,
    TIME_WAIT;

    /** States past the handshake, where RFC 9293 §3.10.7.4's rules for synchronized states apply. */
    public boolean isSynchronized() {
        return this != CLOSED && this != SYN_SENT && this != SYN_RECEIVED;
    }

    /** States in which data from the peer is still accepted (RFC 9293 §3.10.7.4, seventh step). */
    public boolean acceptsData() {
        return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
    }

    /** States in which a FIN from the peer has already been received. */
    public boolean peerHasClosed() {
        return this == CLOSE_WAIT || this == CLOSING || this == LAST_ACK || this == TIME_WAIT;
    }
}
