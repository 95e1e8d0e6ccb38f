package tapnet.frame;

/**
 * What a frame's virtio-net header says about it (linux/virtio_net.h), packed into one {@code long} so
 * that it travels with the frame through the ring, the segment, the links and the held frames without an
 * object: whether its transport checksum is left to the receiver (NEEDS_CSUM, from checksum start to the
 * end, stored at start + offset) or was checked (DATA_VALID), and whether it is a GSO frame, a TCP or UDP
 * segment of up to 64 KB that stands for wire frames of {@code gsoSize} bytes of payload each.
 *
 * <pre>
 *   bits  0-7   flags        NEEDS_CSUM 1, DATA_VALID 2
 *   bits  8-15  gso type     NONE 0, TCPV4 1, UDP (UFO) 3, TCPV6 4, UDP_L4 (USO) 5; | ECN 0x80
 *   bits 16-31  gso size     payload bytes per wire frame
 *   bits 32-47  csum start   from the Ethernet header's first byte
 *   bits 48-63  csum offset  from csum start
 * </pre>
 * The header's {@code hdr_len} is not kept: it is only a hint, worked out again when a frame is written.
 * {@link #NONE} (0) is a wire frame whose checksums are complete, what virtual hosts send.
 */
public final class Offload {
    /** A plain wire frame: checksums complete, nothing to segment. */
    public static final long NONE = 0;

    public static final int FLAG_NEEDS_CSUM = 1;
    public static final int FLAG_DATA_VALID = 2;

    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    /** UDP fragmentation offload: IP fragments. tapnet never asks for it, so never gets it. */
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    /** UDP segmentation offload (USO): UDP datagrams of {@code gsoSize} bytes each. */
    public static final int GSO_UDP_L4 = 5;
    /** Set with a TCP type when the segments carry ECN's CWR on the first one only. */
    public static final int GSO_ECN = 0x80;

    private Offload() {
    }

    public static long of(int flags, int gsoType, int gsoSize, int checksumStart, int checksumOffset) {
        return (flags & 0xffL) | (gsoType & 0xffL) << 8 | (gsoSize & 0xffffL) << 16
                | (checksumStart & 0xffffL) << 32 | (checksumOffset & 0xffffL) << 48;
    }

    /** A frame whose transport checksum from {@code start} is left to the receiver, stored at start + offset. */
    public static long partialChecksum(int start, int offset) {
        return of(FLAG_NEEDS_CSUM, GSO_NONE, 0, start, offset);
    }

    public static int flags(long offload) {
        return (int) (offload & 0xff);
    }

    /** The GSO type with the ECN bit. */
    public static int gsoType(long offload) {
        return (int) (offload >>> 8 & 0xff);
    }

    public static int gsoSize(long offload) {
        return (int) (offload >>> 16 & 0xffff);
    }

    public static int checksumStart(long offload) {
        return (int) (offload >>> 32 & 0xffff);
    }

    public static int checksumOffset(long offload) {
        return (int) (offload >>> 48 & 0xffff);
    }

    /** Whether the frame stands for several wire frames (its GSO type is set). */
    public static boolean isGso(long offload) {
        return (gsoType(offload) & ~GSO_ECN) != GSO_NONE;
    }

    /** Whether its transport checksum holds only the pseudo-header's sum, to be completed by the receiver. */
    public static boolean needsChecksum(long offload) {
        return (offload & FLAG_NEEDS_CSUM) != 0;
    }

    /**
     * Whether its device vouches for its TCP and UDP checksums (NEEDS_CSUM or DATA_VALID): the frame came
     * from the kernel on this machine and crossed no wire, so a receiver does not check them.
     */
    public static boolean checksumsTrusted(long offload) {
        return (offload & (FLAG_NEEDS_CSUM | FLAG_DATA_VALID)) != 0;
    }

    /** Whether the frame is not a plain wire frame: something is owed before a link may act on it per frame. */
    public static boolean isOffloaded(long offload) {
        return offload != NONE;
    }

    /** For logs and test failures: {@code gso tcpv4 1448, csum 34+16}. */
    public static String describe(long offload) {
        if (offload == NONE) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        if (isGso(offload)) {
            int type = gsoType(offload) & ~GSO_ECN;
            text.append("gso ").append(switch (type) {
                case GSO_TCPV4 -> "tcpv4";
                case GSO_TCPV6 -> "tcpv6";
                case GSO_UDP -> "udp";
                case GSO_UDP_L4 -> "udp_l4";
                default -> "type " + type;
            }).append((gsoType(offload) & GSO_ECN) != 0 ? "+ecn " : " ").append(gsoSize(offload)).append(", ");
        }
        if (needsChecksum(offload)) {
            text.append("csum ").append(checksumStart(offload)).append('+').append(checksumOffset(offload));
        } else if ((flags(offload) & FLAG_DATA_VALID) != 0) {
            text.append("data valid");
        } else {
            text.append("flags ").append(flags(offload));
        }
        return text.toString();
    }
}
