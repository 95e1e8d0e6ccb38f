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
 */
public record TcpConfig(int maxConnections, int bufferSize, long bufferMemory, int mss,
                        Duration initialRto, Duration minRto, Duration maxRto,
                        int synAckRetries, int dataRetries, Duration timeWait, int initialWindow) {

    public static final int DEFAULT_MSS = 1460;
    /** RFC 9293 §3.7.1 [MUST-15]: the MSS to assume when a SYN carries no MSS option. */
    public static final int DEFAULT_PEER_MSS = 536;

    public TcpConfig {
        if (maxConnections <= 0 || bufferSize <= 0 || bufferMemory < bufferSize || mss < 64) {
            throw new IllegalArgumentException("TCP configuration out of range");
        }
    }

    public static TcpConfig defaults() {
        return new TcpConfig(65_536, 64 * 1024, 512L << 20, DEFAULT_MSS,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(60),
                5, 15, Duration.ofSeconds(2), 10);
    }

    public TcpConfig withMaxConnections(int value) {
        return new TcpConfig(value, bufferSize, bufferMemory, mss, initialRto, minRto, maxRto,
                synAckRetries, dataRetries, timeWait, initialWindow);
    }

    public TcpConfig withBuffers(int size, long memory) {
        return new TcpConfig(maxConnections, size, memory, mss, initialRto, minRto, maxRto,
                synAckRetries, dataRetries, timeWait, initialWindow);
    }

    public TcpConfig withTimeWait(Duration value) {
        return new TcpConfig(maxConnections, bufferSize, bufferMemory, mss, initialRto, minRto, maxRto,
                synAckRetries, dataRetries, value, initialWindow);
    }

    public TcpConfig withRetries(int synAck, int data) {
        return new TcpConfig(maxConnections, bufferSize, bufferMemory, mss, initialRto, minRto, maxRto,
                synAck, data, timeWait, initialWindow);
    }

    public TcpConfig withRto(Duration initial, Duration min, Duration max) {
        return new TcpConfig(maxConnections, bufferSize, bufferMemory, mss, initial, min, max,
                synAckRetries, dataRetries, timeWait, initialWindow);
    }
}
