package tapnet.tcp;

import java.time.Duration;

/**
 * Tunables of the TCP engine. Defaults follow the RFCs where they give a number and Linux where they
 * leave it to the implementation; {@link #timeWait} is shorter than 2 × 2 min because an emulator's
 * network holds no segment for minutes (documented in the README).
 *
 * @param maxConnections   connection slots, preallocated
 * @param bufferSize       send and receive buffer size per connection, each (bytes)
 * @param bufferMemory     bytes all buffers together may hold; past it windows close
 * @param mss              largest payload we receive per segment, announced in SYN-ACKs (MTU 1500 - 40)
 * @param initialRto       RTO before any RTT sample (RFC 6298 §2.1: 1 s)
 * @param minRto           RTO floor (RFC 6298 §2.4: 1 s)
 * @param maxRto           RTO ceiling (RFC 6298 §2.5: at least 60 s)
 * @param synAckRetries    SYN-ACK retransmissions before a handshake is given up (Linux: 5)
 * @param dataRetries      retransmissions of data or FIN before the connection is aborted (RFC 9293 R2)
 * @param timeWait         how long TIME-WAIT lasts (2 × MSL)
 * @param initialWindow    initial congestion window in segments (RFC 6928: 10)
 * @param synRetries       SYN retransmissions of an active open; 8 covers the 3 minutes RFC 9293 MUST-20 asks
 * @param synBacklog       half-open connections per listener before SYN cookies answer instead (RFC 4987)
 */
public record TcpConfig(int maxConnections, int bufferSize, long bufferMemory, int mss,
                        Duration initialRto, Duration minRto, Duration maxRto,
                        int synAckRetries, int dataRetries, Duration timeWait, int initialWindow,
                        int synRetries, int synBacklog) {

    public static final int DEFAULT_MSS = 1460;
    /** RFC 9293 §3.7.1 [MUST-15]: the MSS to assume when a SYN carries no MSS option. */
    public static final int DEFAULT_PEER_MSS = 536;
    /** The same over IPv6 (RFC 9293 MUST-15, RFC 8200 §5: 1280 less 60). */
    public static final int DEFAULT_PEER_MSS_6 = 1220;

    /** The MSS to assume from a peer whose SYN says none, by the family of {@code localAddress}. */
    public static int defaultPeerMss(int localAddress) {
        return tapnet.wire.Ipv6Addresses.isHandle(localAddress) ? DEFAULT_PEER_MSS_6 : DEFAULT_PEER_MSS;
    }

    public TcpConfig {
        if (maxConnections <= 0 || bufferSize <= 0 || bufferMemory < bufferSize || mss < 64 || synBacklog < 0) {
            throw new IllegalArgumentException("TCP configuration out of range");
        }
    }

    public static TcpConfig defaults() {
        return new TcpConfig(65_536, 64 * 1024, 512L << 20, DEFAULT_MSS,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(60),
                5, 15, Duration.ofSeconds(2), 10, 8, 1024);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public TcpConfig withMaxConnections(int value) {
        return toBuilder().maxConnections(value).build();
    }

    public TcpConfig withBuffers(int size, long memory) {
        return toBuilder().bufferSize(size).bufferMemory(memory).build();
    }

    public TcpConfig withTimeWait(Duration value) {
        return toBuilder().timeWait(value).build();
    }

    public TcpConfig withRetries(int synAck, int data) {
        return toBuilder().synAckRetries(synAck).dataRetries(data).build();
    }

    public TcpConfig withRto(Duration initial, Duration min, Duration max) {
        return toBuilder().initialRto(initial).minRto(min).maxRto(max).build();
    }

    public TcpConfig withSynBacklog(int value) {
        return toBuilder().synBacklog(value).build();
    }

    /** Changes a few settings of a configuration: {@code TcpConfig.defaults().toBuilder().mss(8960).build()}. */
    public static final class Builder {
        private int maxConnections;
        private int bufferSize;
        private long bufferMemory;
        private int mss;
        private Duration initialRto;
        private Duration minRto;
        private Duration maxRto;
        private int synAckRetries;
        private int dataRetries;
        private Duration timeWait;
        private int initialWindow;
        private int synRetries;
        private int synBacklog;

        private Builder(TcpConfig c) {
            maxConnections = c.maxConnections;
            bufferSize = c.bufferSize;
            bufferMemory = c.bufferMemory;
            mss = c.mss;
            initialRto = c.initialRto;
            minRto = c.minRto;
            maxRto = c.maxRto;
            synAckRetries = c.synAckRetries;
            dataRetries = c.dataRetries;
            timeWait = c.timeWait;
            initialWindow = c.initialWindow;
            synRetries = c.synRetries;
            synBacklog = c.synBacklog;
        }

        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder bufferSize(int v) { bufferSize = v; return this; }
        public Builder bufferMemory(long v) { bufferMemory = v; return this; }
        public Builder mss(int v) { mss = v; return this; }
        public Builder initialRto(Duration v) { initialRto = v; return this; }
        public Builder minRto(Duration v) { minRto = v; return this; }
        public Builder maxRto(Duration v) { maxRto = v; return this; }
        public Builder synAckRetries(int v) { synAckRetries = v; return this; }
        public Builder dataRetries(int v) { dataRetries = v; return this; }
        public Builder timeWait(Duration v) { timeWait = v; return this; }
        public Builder initialWindow(int v) { initialWindow = v; return this; }
        public Builder synRetries(int v) { synRetries = v; return this; }
        public Builder synBacklog(int v) { synBacklog = v; return this; }

        public TcpConfig build() {
            return new TcpConfig(maxConnections, bufferSize, bufferMemory, mss, initialRto, minRto, maxRto,
                    synAckRetries, dataRetries, timeWait, initialWindow, synRetries, synBacklog);
        }
    }
}
