package tapnet.tap;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLongArray;
import tapnet.frame.Offload;
import tapnet.wire.Ipv4Address;

/**
 * The datagrams a {@link VxlanSocket} could not send, per remote, each with why, logged at a remote's 1st,
 * 2nd, 4th, 8th ...: visible, not flooding, and the text is made only then. One writer (the sending thread),
 * any reader.
 */
final class UnsentDatagrams {
    /** A frame of {@code value} bytes, longer than the socket's largest. */
    static final int TOO_LONG = 0;
    /** The system call failed with errno {@code value}. */
    static final int FAILED = 1;
    /** The system call sent {@code value} bytes of {@code of}. */
    static final int SHORT = 2;
    /** An offloaded frame of {@code value} bytes whose offload {@code of} cannot be cut into wire frames. */
    static final int UNCUT = 3;

    /** The socket's logger: the lines are the socket's. */
    private static final System.Logger LOG = System.getLogger(VxlanSocket.class.getName());

    private final AtomicLongArray counts;
    private final int[] remotes;
    private final int port;
    private final int maxFrame;

    UnsentDatagrams(int[] remotes, int port, int maxFrame) {
        this.counts = new AtomicLongArray(remotes.length);
        this.remotes = remotes;
        this.port = port;
        this.maxFrame = maxFrame;
    }

    /** Counts {@code datagrams} to remote {@code remote} not sent, {@code why} one of the reasons above; returns false. */
    boolean count(int remote, int datagrams, int why, long value, long of) {
        long before = counts.getPlain(remote);
        long count = before + datagrams;
        counts.setRelease(remote, count);
        if (Long.highestOneBit(count) > before) { // a power of two reached
            String text = switch (why) {
                case TOO_LONG -> "a frame of " + value + " bytes, longer than " + maxFrame;
                case FAILED -> Errno.describe((int) value);
                case SHORT -> "sent " + value + " of " + of + " bytes";
                default -> "an offloaded frame of " + value + " bytes (" + Offload.describe(of)
                        + ") that cannot be cut into wire frames of at most " + maxFrame + " bytes";
            };
            LOG.log(Level.WARNING, "VXLAN datagram to " + Ipv4Address.format(remotes[remote]) + " port " + port
                    + " not sent (" + count + " so far): " + text);
        }
        return false;
    }

    long get(int remote) {
        return counts.getAcquire(remote);
    }

    long total() {
        long total = 0;
        for (int i = 0; i < counts.length(); i++) {
            total += counts.getAcquire(i);
        }
        return total;
    }
}
