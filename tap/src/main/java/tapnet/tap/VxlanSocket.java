package tapnet.tap;

import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLongArray;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Ipv4Address;
import tapnet.wire.VxlanHeader;

/**
 * The underlay of the segments a run extends over VXLAN (RFC 7348): one UDP socket, bound in an underlay
 * network namespace, that sends the segments' frames to a fixed list of remotes (the peers of every segment)
 * behind a VXLAN header, of the socket's VNI or a segment's ({@link VxlanRemoteSink}), and receives their
 * datagrams, whatever their VNI. {@link #send} puts the header in front of a frame and sends it to remote
 * number i at this socket's own port (both ends use the same UDP port, 4789 by default; a sender's source
 * port is free, RFC 7348 §5, as Linux picks it per flow). {@link #receive} reads one datagram whole, VXLAN
 * header included, or with UDP_GRO (Linux 5.0; without it, one at a time) several of one sender back to back,
 * and says which remote sent them ({@link #sender()}): it does not judge the header, the engine does and
 * counts what it drops.
 *
 * <p>libc through jnr-ffi, not a DatagramChannel: the {@link TapReader} waits for the TAP, its ports and
 * this socket in one ppoll(2) over raw descriptors, and reads each datagram straight into a ring slot. The
 * addresses are preallocated structs and the sender is matched by its four address bytes, so nothing is
 * allocated per datagram either way. Non-blocking ({@code SOCK_NONBLOCK}): neither call waits.
 *
 * <p>An offloaded frame (a TCP segment of up to 64 KB from a TAP with offloads, say) goes as the wire frames
 * it stands for in batches of equal-sized datagrams ({@link VxlanRemoteSink}, {@link #batch()}), one
 * sendmsg(2) each under UDP segmentation offload ({@link DatagramBatch}, UDP_SEGMENT): some 45 datagrams in
 * two system calls where {@link #send} takes one per datagram. Whether the kernel takes UDP_SEGMENT (Linux
 * 4.18) is asked once, at open; without it, or once the kernel refused a segmented send (a segment longer
 * than the route's MTU), {@link #sendsInBatches()} is false, the engine cuts such frames itself and every
 * datagram goes on its own, as before.
 *
 * <p>IPv4 underlays only: the local address and the remotes are IPv4 addresses ({@code int}s in network
 * order, as {@link Ipv4Address} holds them); an IPv6 underlay is out of scope.
 *
 * <p>One thread sends (the engine's) and one receives (the TAP reader's, which may be the same); the
 * counters may be read from any thread.
 */
public final class VxlanSocket implements AutoCloseable {
    /** What {@link #receive} returns when no datagram is waiting: -EAGAIN. */
    public static final int WOULD_BLOCK = -Errno.EAGAIN;
    /** What {@link #sender()} says of a datagram from an address that is none of the remotes. */
    public static final int UNKNOWN_SENDER = -1;
    /** The largest frame {@link #send} takes unless told otherwise: an Ethernet frame of a 1500-byte MTU. */
    public static final int DEFAULT_MAX_FRAME = EthernetFrame.HEADER_LENGTH + 1500;
    /** The largest UDP payload over IPv4: 65535 less the IPv4 and UDP headers. */
    private static final int MAX_DATAGRAM = 65_507;
    /**
     * The most one {@link #receive} takes when the socket {@link #batches}: the kernel joins datagrams up to
     * 64 KB, as one datagram at most (UDP_SEGMENT's limit on the sending side, GRO's on the receiving one).
     */
    public static final int MAX_BATCH = MAX_DATAGRAM;

    private static final System.Logger LOG = System.getLogger(VxlanSocket.class.getName());
    // sys/socket.h
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVBUF = 8;
    /**
     * The buffer size asked for each way. The default (net.core.rmem_default, 208 KiB on most machines) holds
     * about a hundred full-size datagrams: a part whose engine cuts a burst of 64 KB TCP segments into wire
     * frames overran the other part's, which dropped one datagram in seven and slowed iperf3 by a third
     * (bench/vxlan.sh, BENCHMARKS.md). 4 MiB holds a TCP window's worth. The kernel caps what it grants at
     * net.core.rmem_max / wmem_max (machine-wide sysctls, left as they are: 4 MiB here, often 208 KiB) and
     * doubles it for its own bookkeeping; the send side is sized alike for an underlay that queues.
     */
    static final int BUFFER_BYTES = 4 << 20;

    private final int fd;
    private final int localAddress;
    private final int port;
    private final int vni;
    private final int maxFrame;
    /** The remotes' addresses, network order: the sender of a datagram is looked up here. */
    private final int[] remotes;
    /** The same as structs, each with the port, for sendto(2). */
    private final Ipv4SocketAddress[] remoteAddresses;
    /** The VXLAN header, then room for one frame: every sent datagram is built here. */
    private final ByteBuffer outgoing;
    /** recvmsg(2), with UDP_GRO when the kernel has it. Receiving thread only. */
    private final DatagramReceiver receiver;
    /** The remotes' structs' native addresses, for sendmsg(2)'s msghdr. */
    private final long[] remoteStructs;
    private final DatagramBatch batch;
    /** The VXLAN header's 8 bytes, big-endian, put in front of each datagram of a batch. */
    private final long header;
    /** Per remote, one writer each (the sender, or the receiver), any reader; received has one more: unknown. */
    private final AtomicLongArray sent;
    private final UnsentDatagrams unsent;
    private final AtomicLongArray received;
    private int sender = UNKNOWN_SENDER;
    private boolean closed;

    private VxlanSocket(int fd, int localAddress, int port, int vni, int[] remotes, int maxFrame, boolean segmenting,
                        boolean batches) {
        this.fd = fd;
        this.receiver = new DatagramReceiver(fd, batches);
        this.localAddress = localAddress;
        this.port = port;
        this.vni = vni;
        this.maxFrame = maxFrame;
        this.remotes = remotes;
        this.remoteAddresses = new Ipv4SocketAddress[remotes.length];
        this.remoteStructs = new long[remotes.length];
        for (int i = 0; i < remotes.length; i++) {
            remoteAddresses[i] = new Ipv4SocketAddress().set(remotes[i], port);
            remoteStructs[i] = remoteAddresses[i].nativeAddress();
        }
        this.outgoing = ByteBuffer.allocateDirect(VxlanHeader.LENGTH + maxFrame);
        new VxlanHeader().wrap(outgoing, 0, VxlanHeader.LENGTH).write(vni);
        this.header = outgoing.getLong(0);
        this.batch = new DatagramBatch(segmenting);
        this.sent = new AtomicLongArray(remotes.length);
        this.unsent = new UnsentDatagrams(remotes, port, maxFrame);
        this.received = new AtomicLongArray(remotes.length + 1);
    }

    /** As {@link #open(NetworkNamespace, int, int, int, int[], int)}, for frames up to {@link #DEFAULT_MAX_FRAME}. */
    public static VxlanSocket open(NetworkNamespace namespace, int localAddress, int port, int vni, int[] remotes)
            throws Exception {
        return open(namespace, localAddress, port, vni, remotes, DEFAULT_MAX_FRAME);
    }

    /**
     * A socket for {@code vni} bound to {@code localAddress} and {@code port} (0: one the kernel picks) in
     * {@code namespace}, or in the calling thread's namespace when it is null; it stays in that namespace.
     * It sends frames of up to {@code maxFrame} bytes (Ethernet header included) to {@code remotes} at the
     * same port; remote i is {@code remotes[i]}.
     */
    public static VxlanSocket open(NetworkNamespace namespace, int localAddress, int port, int vni, int[] remotes,
                                   int maxFrame) throws Exception {
        return open(namespace, localAddress, port, vni, remotes, maxFrame, true);
    }

    /** As above; {@code segmenting} false sends every datagram on its own, as without UDP_SEGMENT (tests). */
    static VxlanSocket open(NetworkNamespace namespace, int localAddress, int port, int vni, int[] remotes,
                            int maxFrame, boolean segmenting) throws Exception {
        if ((vni & ~VxlanHeader.MAX_VNI) != 0) {
            throw new IllegalArgumentException("a VXLAN VNI is 24 bits, 0 to " + VxlanHeader.MAX_VNI + ": " + vni);
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("a UDP port is 0 to 65535: " + port);
        }
        if (maxFrame < EthernetFrame.HEADER_LENGTH || maxFrame > MAX_DATAGRAM - VxlanHeader.LENGTH) {
            throw new IllegalArgumentException("a VXLAN frame fits in one UDP datagram: " + maxFrame + " bytes");
        }
        int[] copy = remotes.clone();
        for (int i = 0; i < copy.length; i++) {
            for (int j = 0; j < i; j++) {
                if (copy[i] == copy[j]) { // the second would never be told apart from the first on receipt
                    throw new IllegalArgumentException("VXLAN remote " + Ipv4Address.format(copy[i]) + " is given twice");
                }
            }
        }
        int fd = namespace == null ? bind(localAddress, port, null) : namespace.call(() -> bind(localAddress, port, namespace));
        Ipv4SocketAddress bound = new Ipv4SocketAddress();
        ByteBuffer length = ByteBuffer.allocateDirect(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(0, Ipv4SocketAddress.SIZE);
        if (Native.LIBC.getsockname(fd, bound.buffer(), length) < 0) {
            int errno = Native.errno();
            Native.LIBC.close(fd);
            throw SystemCallException.of("cannot read the VXLAN socket's address", errno);
        }
        boolean batches = segmenting && DatagramBatch.supported(fd);
        if (segmenting && !batches) {
            LOG.log(Level.INFO, "the kernel lacks UDP_SEGMENT (Linux 4.18): VXLAN datagrams are sent one by one");
        }
        return new VxlanSocket(fd, localAddress, bound.port(), vni, copy, maxFrame, batches, DatagramReceiver.enableBatches(fd));
    }

    /** Runs in the underlay namespace: the socket belongs to the namespace of the thread that makes it. */
    private static int bind(int localAddress, int port, NetworkNamespace namespace) throws SystemCallException {
        int fd = Native.LIBC.socket(Ipv4SocketAddress.AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw SystemCallException.of("cannot create the VXLAN socket", Native.errno());
        }
        ByteBuffer size = ByteBuffer.allocateDirect(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(0, BUFFER_BYTES);
        for (int option : new int[] {SO_RCVBUF, SO_SNDBUF}) {
            if (Native.LIBC.setsockopt(fd, SOL_SOCKET, option, size, Integer.BYTES) < 0) {
                int errno = Native.errno();
                Native.LIBC.close(fd);
                throw SystemCallException.of("cannot size the VXLAN socket's buffers", errno);
            }
        }
        Ipv4SocketAddress local = new Ipv4SocketAddress().set(localAddress, port);
        if (Native.LIBC.bind(fd, local.buffer(), Ipv4SocketAddress.SIZE) < 0) {
            int errno = Native.errno();
            Native.LIBC.close(fd);
            throw SystemCallException.of("cannot bind the VXLAN socket to " + Ipv4Address.format(localAddress) + " port "
                    + port + (namespace == null ? "" : " in " + namespace), errno,
                    "Give one of the namespace's addresses and a port nothing else there holds, such as a kernel vxlan"
                    + " device of the same dstport");
        }
        return fd;
    }

    /**
     * Reads one datagram, if one waits, into {@code buffer} (direct) from {@code offset}, taking at most
     * {@code room} bytes: the whole UDP payload, VXLAN header first. When the socket {@link #batches}, one read
     * may take several datagrams of one sender at once, back to back, each of {@link #datagramSize()} bytes
     * but the last, which may be shorter (give room for {@link #MAX_BATCH} bytes). Returns their length,
     * {@link #WOULD_BLOCK} when none was waiting, or another {@code -errno}. What did not fit the room comes
     * back as a read that fills the room: give one more byte than the longest read to accept, and take one
     * that fills the room as cut. {@link #sender()} then says who sent it. As a TAP's read, it leaves the
     * buffer's limit where what it read ends (its position at most there). recvmsg(2), its pointers raw
     * addresses: no allocation.
     */
    public int receive(ByteBuffer buffer, int offset, int room) {
        if (!buffer.isDirect() || offset < 0 || room < 0 || offset + room > buffer.capacity()) {
            throw new IllegalArgumentException("a datagram is read into a direct buffer, within it: offset " + offset
                    + ", room " + room + ", capacity " + buffer.capacity());
        }
        int length = receiver.read(buffer, offset, room);
        if (length < 0) {
            return length;
        }
        buffer.limit(offset + length);
        int datagramSize = receiver.datagramSize();
        sender = remoteIndex(receiver.senderAddress());
        int counter = sender == UNKNOWN_SENDER ? remotes.length : sender;
        int datagrams = datagramSize == 0 ? 1 : (length + datagramSize - 1) / datagramSize;
        received.setRelease(counter, received.getPlain(counter) + datagrams);
        return length;
    }

    /**
     * The size of each datagram the last {@link #receive} read, all but the last of them, when it read
     * several at once; 0 when it read one.
     */
    public int datagramSize() {
        return receiver.datagramSize();
    }

    /**
     * Whether one read may take several datagrams (UDP_GRO, Linux 5.0): decided at open, once. Without it
     * (an older kernel) each read takes one datagram, as before the option existed.
     */
    public boolean batches() {
        return receiver.batches();
    }

    /** Linear: a segment has a handful of remotes, and this allocates nothing. */
    private int remoteIndex(int address) {
        for (int i = 0; i < remotes.length; i++) {
            if (remotes[i] == address) {
                return i;
            }
        }
        return UNKNOWN_SENDER;
    }

    /** Which remote sent the last datagram {@link #receive} read, or {@link #UNKNOWN_SENDER}. */
    public int sender() {
        return sender;
    }

    /**
     * Sends {@code length} bytes of {@code frame} from {@code offset} to remote {@code remote} behind a VXLAN
     * header of this socket's VNI (one copy: a datagram to an address is not gathered from two buffers).
     * Returns false, counted as {@link #unsent(int)}, when the frame is longer than this socket's largest,
     * when the socket's send buffer is full, or when the kernel refuses (no route to the remote, say): a lost
     * datagram, as on any underlay.
     */
    public boolean send(ByteBuffer frame, int offset, int length, int remote) {
        return send(frame, offset, length, remote, header);
    }

    /** As above, behind {@code vxlanHeader} (8 bytes, big-endian): a segment of another VNI's. */
    boolean send(ByteBuffer frame, int offset, int length, int remote, long vxlanHeader) {
        if (length < 0 || length > maxFrame) {
            return unsent.count(remote, 1, UnsentDatagrams.TOO_LONG, length, 0);
        }
        outgoing.put(VxlanHeader.LENGTH, frame, offset, length);
        return sendOutgoing(length, remote, vxlanHeader);
    }

    /**
     * Sends the frame of {@code length} bytes written into {@link #outgoingFrame()} to remote {@code remote},
     * behind {@code vxlanHeader} (8 bytes, big-endian).
     */
    boolean sendOutgoing(int length, int remote, long vxlanHeader) {
        if (length < 0 || length > maxFrame) {
            return unsent.count(remote, 1, UnsentDatagrams.TOO_LONG, length, 0);
        }
        outgoing.putLong(0, vxlanHeader);
        long n = Native.LIBC.sendto(fd, outgoing, VxlanHeader.LENGTH + length, 0, remoteAddresses[remote].buffer(),
                Ipv4SocketAddress.SIZE);
        if (n != VxlanHeader.LENGTH + length) {
            return n < 0 ? unsent.count(remote, 1, UnsentDatagrams.FAILED, Native.errno(), 0) : unsent.count(remote, 1, UnsentDatagrams.SHORT, n, VxlanHeader.LENGTH + length);
        }
        countSent(remote, 1);
        return true;
    }

    /**
     * The batch {@link VxlanRemoteSink} lays an offloaded frame's datagrams in, each behind its segment's header,
     * to go by {@link #sendBatch}. Every remote's sink shares it: one frame at a time, as the outgoing buffer.
     */
    DatagramBatch batch() {
        return batch;
    }

    /** Sends the batch's datagrams to remote {@code remote}, counted each as sent or not, and empties it. */
    void sendBatch(int remote) {
        int count = batch.count();
        if (count == 0) {
            return;
        }
        int went = batch.send(fd, remoteStructs[remote]);
        countSent(remote, went);
        if (went < count) {
            unsent.count(remote, count - went, UnsentDatagrams.FAILED, batch.errno(), 0);
        }
        batch.clear();
    }

    /** Counts an offloaded frame of {@code length} bytes that {@link tapnet.frame.WireFrames} could not cut as one datagram unsent. */
    void countUncut(int remote, int length, long offload) {
        unsent.count(remote, 1, UnsentDatagrams.UNCUT, length, offload);
    }

    /**
     * Whether an offloaded frame's datagrams go in batches under UDP_SEGMENT: the kernel took the option at
     * open and has not refused a segmented send since ({@link DatagramBatch#send}).
     */
    public boolean sendsInBatches() {
        return batch.segmenting();
    }

    private void countSent(int remote, int datagrams) {
        sent.setRelease(remote, sent.getPlain(remote) + datagrams);
    }

    /**
     * A view of the outgoing buffer behind the VXLAN header, for {@link VxlanRemoteSink}: a frame written there
     * from index 0 goes out by {@link #sendOutgoing} without a copy. Every view shares the one buffer.
     */
    ByteBuffer outgoingFrame() {
        return outgoing.slice(VxlanHeader.LENGTH, maxFrame);
    }

    /** Frames sent to remote {@code remote}. */
    public long sent(int remote) {
        return sent.getAcquire(remote);
    }

    /** Frames {@link #send} could not send to remote {@code remote}. */
    public long unsent(int remote) {
        return unsent.get(remote);
    }

    /** Datagrams received from remote {@code remote}. */
    public long received(int remote) {
        return received.getAcquire(remote);
    }

    /** Datagrams received from addresses that are none of the remotes. */
    public long receivedFromUnknown() {
        return received.getAcquire(remotes.length);
    }

    /** Frames sent, to every remote. */
    public long sent() {
        return sum(sent);
    }

    /** Frames not sent, to every remote. */
    public long unsent() {
        return unsent.total();
    }

    /** Datagrams received, from remotes or not. */
    public long received() {
        return sum(received);
    }

    private static long sum(AtomicLongArray counts) {
        long total = 0;
        for (int i = 0; i < counts.length(); i++) {
            total += counts.getAcquire(i);
        }
        return total;
    }

    public int vni() {
        return vni;
    }

    /** The local IPv4 address the socket is bound to, network order. */
    public int localAddress() {
        return localAddress;
    }

    /** The UDP port the socket is bound to (the one the kernel chose, when asked for 0), and the remotes' port. */
    public int port() {
        return port;
    }

    public int remoteCount() {
        return remotes.length;
    }

    /** Remote number {@code index}'s address, network order. */
    public int remote(int index) {
        return remotes[index];
    }

    /** The longest frame {@link #send} takes, Ethernet header included. */
    public int maxFrameLength() {
        return maxFrame;
    }

    /** The receive buffer's size as the kernel granted it (SO_RCVBUF: twice what was asked, within the cap). */
    public int receiveBufferBytes() {
        return option(SO_RCVBUF);
    }

    /** The send buffer's size as the kernel granted it (SO_SNDBUF). */
    public int sendBufferBytes() {
        return option(SO_SNDBUF);
    }

    private int option(int name) {
        ByteBuffer value = ByteBuffer.allocateDirect(Integer.BYTES).order(ByteOrder.nativeOrder());
        ByteBuffer length = ByteBuffer.allocateDirect(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(0, Integer.BYTES);
        if (Native.LIBC.getsockopt(fd, SOL_SOCKET, name, value, length) < 0) {
            throw new UncheckedIOException(SystemCallException.of("cannot read the VXLAN socket's option " + name,
                    Native.errno()));
        }
        return value.getInt(0);
    }

    /** The descriptor, for {@link TapReader}'s poll. */
    int fd() {
        return fd;
    }

    /** Closes the socket, once. Stop its reader and sender first. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Native.LIBC.close(fd);
        }
    }

    @Override
    public String toString() {
        return "VXLAN socket " + Ipv4Address.format(localAddress) + " port " + port + " VNI " + vni;
    }
}
