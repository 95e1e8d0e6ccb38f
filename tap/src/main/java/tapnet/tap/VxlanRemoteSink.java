package tapnet.tap;

import java.nio.ByteBuffer;
import tapnet.frame.FrameSink;
import tapnet.frame.Offload;
import tapnet.frame.WireFrames;
import tapnet.wire.VxlanHeader;

/**
 * The engine's {@link FrameSink} towards one VXLAN remote. A wire frame the engine writes into {@link #claim()}
 * lies in the {@link VxlanSocket}'s outgoing buffer right behind the VXLAN header, so {@link #commit} sends
 * it with one sendto(2) and no copy. An offloaded frame ({@link #takesOffloads()}: a GSO frame of up to
 * 64 KB, or a partial checksum) comes whole through {@link #send}, which cuts it into the wire frames it
 * stands for ({@link WireFrames}, checksums filled in) straight into the socket's batch, each behind its
 * VXLAN header, and sends them together ({@link DatagramBatch}: one sendmsg(2) under UDP_SEGMENT for up to
 * 64 datagrams or 64 KB); a 64 KB TCP segment of 1448-byte frames goes in two calls instead of 46.
 *
 * <p>It takes offloaded frames only while the socket {@link VxlanSocket#sendsInBatches() sends in batches}:
 * without UDP_SEGMENT the engine cuts them itself and each wire frame goes by claim and commit, as before.
 * Every remote's sink shares the socket's buffers: claim and commit (or abandon) one frame before claiming
 * the next, as the engine does. Engine thread only; a frame not sent is counted by the socket
 * ({@link VxlanSocket#unsent(int)}, per datagram), never thrown into the engine.
 */
public final class VxlanRemoteSink implements FrameSink {
    private final VxlanSocket socket;
    private final int remote;
    private final ByteBuffer frame;
    private final WireFrames wireFrames;
    /** The VXLAN header of the segment's VNI as 8 bytes, big-endian, as each of its datagrams starts. */
    private final long header;

    /** The sink of {@code socket}'s remote number {@code remote}, with the socket's VNI. */
    public VxlanRemoteSink(VxlanSocket socket, int remote) {
        this(socket, remote, socket.vni());
    }

    /** The sink of {@code socket}'s remote number {@code remote} for the segment of VXLAN {@code vni}. */
    public VxlanRemoteSink(VxlanSocket socket, int remote, int vni) {
        if (remote < 0 || remote >= socket.remoteCount()) {
            throw new IllegalArgumentException("no VXLAN remote " + remote + " of " + socket.remoteCount());
        }
        this.socket = socket;
        this.remote = remote;
        this.frame = socket.outgoingFrame();
        this.wireFrames = new WireFrames(socket.maxFrameLength());
        ByteBuffer bytes = ByteBuffer.allocate(VxlanHeader.LENGTH);
        new VxlanHeader().wrap(bytes, 0, VxlanHeader.LENGTH).write(vni);
        this.header = bytes.getLong(0);
    }

    @Override
    public ByteBuffer claim() {
        frame.clear();
        return frame;
    }

    @Override
    public void commit(int length) {
        socket.sendOutgoing(length, remote, header);
    }

    @Override
    public int maxFrameLength() {
        return socket.maxFrameLength();
    }

    @Override
    public boolean takesOffloads() {
        return socket.sendsInBatches();
    }

    /**
     * A wire frame goes as by claim and commit; an offloaded one as its wire frames, in batches. One that
     * cannot be cut (malformed, a GSO type other than TCP and USO, wire frames longer than the socket's
     * largest) counts as one datagram unsent.
     */
    @Override
    public void send(ByteBuffer source, int offset, int length, long offload) {
        if (offload == Offload.NONE) {
            socket.send(source, offset, length, remote, header);
            return;
        }
        if (wireFrames.begin(source, offset, length, offload) < 0) {
            socket.countUncut(remote, length, offload);
            return;
        }
        DatagramBatch batch = socket.batch();
        ByteBuffer datagrams = batch.buffer();
        ByteBuffer scratch = wireFrames.buffer();
        for (;;) {
            // made in place, behind the batch's end, then placed: one copy of the payload, not two
            int end = batch.bytes();
            int n = wireFrames.next(datagrams, end + VxlanHeader.LENGTH);
            if (n == 0) {
                break;
            }
            int at = batch.place(VxlanHeader.LENGTH + n);
            if (at < 0) { // full, or a datagram that cannot follow: the batch goes first, this one starts the next
                socket.sendBatch(remote);
                scratch.put(0, datagrams, end + VxlanHeader.LENGTH, n); // the regions may overlap: through the scratch
                at = batch.place(VxlanHeader.LENGTH + n);
                datagrams.put(at + VxlanHeader.LENGTH, scratch, 0, n);
            }
            datagrams.putLong(at, header);
        }
        socket.sendBatch(remote);
    }

    /** Which of the socket's remotes this sink sends to. */
    public int remote() {
        return remote;
    }
}
