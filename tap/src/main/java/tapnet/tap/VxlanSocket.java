package tapnet.tap;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLongArray;
import tapnet.wire.EthernetFrame;
import tapnet.wire.VxlanHeader;

/**
 * A UDP socket that carries Ethernet frames as VXLAN (RFC 7348) for one VNI, bound in an underlay network
 * namespace: {@link #send} puts the VXLAN header in front of a frame and sends it to a remote; {@link
 * #receive} takes one datagram and hands back the inner frame, or counts and drops what is not VXLAN of
 * this VNI. Non-blocking: neither call waits.
 *
 * <p>A {@link DatagramChannel}, not libc through jnr-ffi: with direct buffers it reads and writes in place
 * and allocates nothing per datagram (it keeps the sender's address object while the sender stays the
 * same), it speaks IPv4 and IPv6 alike, and its errors come as IOExceptions with the reason. Sending needs
 * one copy of the frame behind the header: a datagram to an address cannot be gathered from two buffers.
 *
 * <p>One thread sends and one receives (the same or two); the counters may be read from any thread.
 */
public final class VxlanSocket implements AutoCloseable {
    /** What {@link #receive} returns when no datagram is waiting. */
    public static final int NOTHING = 0;
    /** What {@link #receive} returns for a datagram it counted and dropped. */
    public static final int DROPPED = -1;
    /** The largest frame {@link #send} takes unless told otherwise: an Ethernet frame of a 1500-byte MTU. */
    public static final int DEFAULT_MAX_FRAME = EthernetFrame.HEADER_LENGTH + 1500;

    /** Why a received datagram was dropped. */
    public enum Drop {
        /** Shorter than a VXLAN header and an Ethernet header. */
        SHORT,
        /** The I flag is clear: not VXLAN, or not a VNI we can read (RFC 7348 §5). */
        NOT_VXLAN,
        /** VXLAN of another VNI than this socket's. */
        OTHER_VNI,
        /** Filled the caller's room to the last byte, so it may have been longer: cut, not whole. */
        TRUNCATED;

        private static final Drop[] ALL = values();
    }

    private static final int RECEIVED = 0;
    private static final int SENT = 1;
    private static final int UNSENT = 2;

    private final DatagramChannel channel;
    private final InetSocketAddress local;
    private final int vni;
    private final int maxFrame;
    /** The VXLAN header, then room for one frame: every sent datagram is built here. */
    private final ByteBuffer outgoing;
    private final VxlanHeader receivedHeader = new VxlanHeader();
    private final AtomicLongArray drops = new AtomicLongArray(Drop.ALL.length);
    /** Slots {@link #RECEIVED}, {@link #SENT}, {@link #UNSENT}: one writer each, any reader. */
    private final AtomicLongArray traffic = new AtomicLongArray(3);

    private int frameOffset;
    private int frameLength;
    private InetSocketAddress remote;

    private VxlanSocket(DatagramChannel channel, InetSocketAddress local, int vni, int maxFrame) {
        this.channel = channel;
        this.local = local;
        this.vni = vni;
        this.maxFrame = maxFrame;
        this.outgoing = ByteBuffer.allocateDirect(VxlanHeader.LENGTH + maxFrame);
        new VxlanHeader().wrap(outgoing, 0, VxlanHeader.LENGTH).write(vni); // once: the header never changes
    }

    /**
     * A socket for {@code vni} bound to {@code local} (port {@link VxlanHeader#DEFAULT_PORT} unless another is
     * given) in {@code namespace}, or in the calling thread's namespace when it is null; frames up to
     * {@link #DEFAULT_MAX_FRAME} bytes.
     */
    public static VxlanSocket open(NetworkNamespace namespace, InetSocketAddress local, int vni) throws Exception {
        return open(namespace, local, vni, DEFAULT_MAX_FRAME);
    }

    /** As above, sending frames of up to {@code maxFrame} bytes. */
    public static VxlanSocket open(NetworkNamespace namespace, InetSocketAddress local, int vni, int maxFrame) throws Exception {
        if ((vni & ~VxlanHeader.MAX_VNI) != 0) {
            throw new IllegalArgumentException("a VXLAN VNI is 24 bits, 0 to " + VxlanHeader.MAX_VNI + ": " + vni);
        }
        if (local.isUnresolved()) {
            throw new IllegalArgumentException("the VXLAN local address must be an IP address: " + local);
        }
        if (maxFrame < EthernetFrame.HEADER_LENGTH || maxFrame > 65_507 - VxlanHeader.LENGTH) {
            throw new IllegalArgumentException("a VXLAN frame fits in one UDP datagram: " + maxFrame + " bytes");
        }
        DatagramChannel channel = namespace == null ? bind(local, null) : namespace.call(() -> bind(local, namespace));
        return new VxlanSocket(channel, (InetSocketAddress) channel.getLocalAddress(), vni, maxFrame);
    }

    private static DatagramChannel bind(InetSocketAddress local, NetworkNamespace namespace) throws IOException {
        // INET for an IPv4 address, so that senders come as IPv4 addresses, not IPv4-mapped IPv6 ones
        DatagramChannel channel = DatagramChannel.open(local.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            channel.bind(local);
            channel.configureBlocking(false);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot bind the VXLAN socket to " + local.getAddress().getHostAddress() + " port "
                    + local.getPort() + (namespace == null ? "" : " in " + namespace) + ": " + e.getMessage()
                    + " (give one of the namespace's addresses and a port nothing else there holds, such as a"
                    + " kernel vxlan device of the same dstport)", e);
        }
    }

    /**
     * Reads one datagram, if one waits, into {@code buffer} from {@code offset}, taking at most {@code room}
     * bytes (give one more than the largest datagram to accept: one that fills the room is counted as
     * {@link Drop#TRUNCATED}). Returns the inner frame's length, at {@link #frameOffset()}, sent by {@link
     * #remote()}; or {@link #NOTHING}; or {@link #DROPPED} for a datagram that is not VXLAN of this VNI,
     * counted by {@link #dropped(Drop) reason}. The buffer's position and limit are as they were.
     */
    public int receive(ByteBuffer buffer, int offset, int room) throws IOException {
        int position = buffer.position();
        int limit = buffer.limit();
        InetSocketAddress sender;
        int length;
        try {
            buffer.limit(offset + room).position(offset);
            sender = (InetSocketAddress) channel.receive(buffer);
            length = buffer.position() - offset;
        } finally {
            buffer.limit(limit).position(position);
        }
        if (sender == null) {
            return NOTHING;
        }
        Drop drop = check(buffer, offset, length, room);
        if (drop != null) {
            drops.setRelease(drop.ordinal(), drops.getPlain(drop.ordinal()) + 1);
            return DROPPED;
        }
        traffic.setRelease(RECEIVED, traffic.getPlain(RECEIVED) + 1);
        remote = sender;
        frameOffset = receivedHeader.payloadOffset();
        frameLength = receivedHeader.payloadLength();
        return frameLength;
    }

    private Drop check(ByteBuffer buffer, int offset, int length, int room) {
        if (length >= room) {
            return Drop.TRUNCATED;
        }
        if (length < VxlanHeader.LENGTH + EthernetFrame.HEADER_LENGTH) {
            return Drop.SHORT;
        }
        receivedHeader.wrap(buffer, offset, length);
        if (!receivedHeader.isValid()) {
            return Drop.NOT_VXLAN;
        }
        return receivedHeader.vni() == vni ? null : Drop.OTHER_VNI;
    }

    /** Where the last received frame starts in the caller's buffer. */
    public int frameOffset() {
        return frameOffset;
    }

    /** The last received frame's length. */
    public int frameLength() {
        return frameLength;
    }

    /**
     * Who sent the last received frame: the remote's underlay address and source port. Answer to its address
     * on the VXLAN port, not to this port: senders pick the source port per flow (RFC 7348 §5, "Source Port"),
     * as Linux does. The same object while the sender and its port stay the same.
     */
    public InetSocketAddress remote() {
        return remote;
    }

    /**
     * Sends {@code length} bytes of {@code frame} from {@code offset} to {@code remote} behind a VXLAN header
     * of this socket's VNI. Returns false, and counts it as {@link #unsent()}, when the frame is longer than
     * this socket's largest, when the socket's send buffer is full, or when the kernel refuses (no route to
     * the remote, say): a lost datagram, as on any underlay. {@code remote} is of the local address's family
     * (check that when the remotes are configured), kept and reused, not made per frame.
     */
    public boolean send(ByteBuffer frame, int offset, int length, InetSocketAddress remote) {
        if (length > maxFrame || length < 0) {
            return countUnsent();
        }
        outgoing.limit(outgoing.capacity());
        outgoing.put(VxlanHeader.LENGTH, frame, offset, length);
        outgoing.limit(VxlanHeader.LENGTH + length).position(0);
        try {
            if (channel.send(outgoing, remote) == 0) {
                return countUnsent();
            }
        } catch (IOException e) {
            return countUnsent();
        }
        traffic.setRelease(SENT, traffic.getPlain(SENT) + 1);
        return true;
    }

    private boolean countUnsent() {
        traffic.setRelease(UNSENT, traffic.getPlain(UNSENT) + 1);
        return false;
    }

    /** Datagrams dropped on receipt for {@code reason}. */
    public long dropped(Drop reason) {
        return drops.getAcquire(reason.ordinal());
    }

    /** Frames received whole, of this VNI. */
    public long received() {
        return traffic.getAcquire(RECEIVED);
    }

    /** Frames sent. */
    public long sent() {
        return traffic.getAcquire(SENT);
    }

    /** Frames {@link #send} could not send. */
    public long unsent() {
        return traffic.getAcquire(UNSENT);
    }

    public int vni() {
        return vni;
    }

    /** The address and port the socket is bound to (the port the kernel chose, when asked for 0). */
    public InetSocketAddress localAddress() {
        return local;
    }

    /** The channel, for a selector that waits for datagrams instead of polling. */
    public DatagramChannel channel() {
        return channel;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
