package tapnet.tap;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tapnet.engine.Engine;
import tapnet.engine.DirectIntake;
import tapnet.engine.EngineRunner;
import tapnet.frame.FrameSink;
import tapnet.frame.UnderlaySinks;
import tapnet.wire.EthernetFrame;
import tapnet.wire.VxlanHeader;

/**
 * An engine running live behind an open TAP: the engine on its own thread behind the ingress ring, a
 * {@link TapReader} feeding the ring, answers written to the TAP by a {@link TapSink}. With a VXLAN underlay
 * the reader polls its socket too and the engine gets a {@link VxlanRemoteSink} per remote. Closing stops
 * the reader, then the engine, then closes the TAP (which removes a device tapnet created, with its route),
 * the ports and the underlay's socket.
 */
public final class TapEmulator implements AutoCloseable, tapnet.engine.EngineAccess {
    private static final int RING_SIZE = 4096;
    /** With offloads or underlay batches a slot holds up to 64 KB: fewer slots keep the ring at 32 MB. */
    private static final int OFFLOADED_RING_SIZE = 512;

    private final TapDevice tap;
    /** Real ports: TAP devices in other namespaces, devices 1 onwards of the engine's segment. */
    private final List<TapDevice> ports;
    /** The VXLAN underlay's socket, or null. */
    private final VxlanSocket underlay;
    private final TapSink sink;
    private final Engine engine;
    /** The ring's runner, or null when the reader thread runs the engine itself. */
    private final EngineRunner runner;
    private final DirectIntake direct;
    private final TapReader reader;

    private TapEmulator(TapDevice tap, List<TapDevice> ports, VxlanSocket underlay, TapSink sink, Engine engine,
                        EngineRunner runner, DirectIntake direct, TapReader reader) {
        this.tap = tap;
        this.ports = ports;
        this.underlay = underlay;
        this.sink = sink;
        this.engine = engine;
        this.runner = runner;
        this.direct = direct;
        this.reader = reader;
    }

    /**
     * The engine on the TAP reader's own thread, without the ring: one thread wakes per burst of frames
     * instead of two. See {@link DirectIntake}.
     */
    public static TapEmulator startDirect(TapDevice tap, int mtu, Function<FrameSink, Engine> engineFor) throws SystemCallException {
        return startDirect(tap, List.of(), null, mtu, 0, (sink, portSinks, remoteSinks) -> engineFor.apply(sink));
    }

    /**
     * As above, with real ports and a VXLAN {@code underlay} (null: none): {@code engineFor} gets the TAP's
     * sink, one per port and one per remote, and adds the ports and remotes. Takes ownership of the ports and
     * the underlay as of the TAP. After each burst of frames the reader keeps looking for the next for
     * {@code spinNanos} before it sleeps (0: it sleeps at once).
     */
    public static TapEmulator startDirect(TapDevice tap, List<TapDevice> ports, VxlanSocket underlay, int mtu,
                                          long spinNanos, EngineFactory engineFor) throws SystemCallException {
        int frameLength = EthernetFrame.HEADER_LENGTH + mtu;
        try {
            TapSink sink = new TapSink(tap, frameLength);
            Engine engine = engineFor.build(sink, sinks(ports, frameLength), remoteSinks(underlay));
            DirectIntake intake = new DirectIntake(engine, slotCapacity(tap, ports, underlay, frameLength));
            TapReader reader = new TapReader(tap, ports, underlay, intake, spinNanos);
            reader.start();
            return new TapEmulator(tap, ports, underlay, sink, engine, null, intake, reader);
        } catch (SystemCallException | RuntimeException | Error e) {
            closeAll(tap, ports, underlay);
            throw e;
        }
    }

    /**
     * Makes the engine, given the TAP's sink, a sink per real port (in the order the ports were given) and
     * the VXLAN underlay's sinks, one per remote and VNI (null without an underlay).
     */
    @FunctionalInterface
    public interface EngineFactory {
        Engine build(FrameSink tap, List<FrameSink> ports, UnderlaySinks underlay);
    }

    /**
     * Whether a read may take 64 KB: a device hands over offloaded frames (plus their header), or the underlay
     * reads datagrams in batches.
     */
    private static boolean largeReads(TapDevice tap, List<TapDevice> ports, VxlanSocket underlay) {
        return tap.offloads() || ports.stream().anyMatch(TapDevice::offloads) || underlay != null && underlay.batches();
    }

    /**
     * Bytes a slot needs for the longest read from any device: from the underlay, a VXLAN header and the
     * largest frame behind {@link TapReader#UNDERLAY_OFFSET}, or a batch of datagrams of up to {@link
     * VxlanSocket#MAX_BATCH} bytes, and one byte more, so that a read that fills the slot is known to be too long.
     */
    static int slotCapacity(TapDevice tap, List<TapDevice> ports, VxlanSocket underlay, int frameLength) {
        int devices = largeReads(tap, ports, null) ? TapDevice.MAX_OFFLOADED_FRAME : frameLength;
        if (underlay == null) {
            return devices;
        }
        int datagram = underlay.batches() ? VxlanSocket.MAX_BATCH
                : VxlanHeader.LENGTH + Math.max(frameLength, underlay.maxFrameLength());
        return Math.max(devices, TapReader.UNDERLAY_OFFSET + datagram + 1);
    }

    private static UnderlaySinks remoteSinks(VxlanSocket underlay) {
        return underlay == null ? null : (remote, vni) -> new VxlanRemoteSink(underlay, remote, vni);
    }

    private static List<FrameSink> sinks(List<TapDevice> ports, int frameLength) {
        List<FrameSink> sinks = new ArrayList<>();
        for (TapDevice port : ports) {
            sinks.add(new TapSink(port, frameLength));
        }
        return sinks;
    }

    private static void closeAll(TapDevice tap, List<TapDevice> ports, VxlanSocket underlay) {
        tap.close();
        ports.forEach(TapDevice::close);
        if (underlay != null) {
            underlay.close();
        }
    }

    /**
     * Starts {@code engineFor(sink)} behind {@code tap}, whose MTU is {@code mtu}. Takes ownership of the
     * TAP: it is closed here if starting fails, and by {@link #close()} otherwise.
     */
    public static TapEmulator start(TapDevice tap, int mtu, Function<FrameSink, Engine> engineFor) throws SystemCallException {
        return start(tap, List.of(), null, mtu, 0, (sink, portSinks, remoteSinks) -> engineFor.apply(sink));
    }

    /**
     * As above, with real ports and a VXLAN {@code underlay} (null: none): {@code engineFor} gets the TAP's
     * sink, one per port and one per remote, and adds the ports and remotes. Takes ownership of the ports and
     * the underlay as of the TAP. When the ring runs empty the engine thread keeps looking for
     * {@code spinNanos} before it blocks.
     */
    public static TapEmulator start(TapDevice tap, List<TapDevice> ports, VxlanSocket underlay, int mtu, long spinNanos,
                                    EngineFactory engineFor) throws SystemCallException {
        int frameLength = EthernetFrame.HEADER_LENGTH + mtu;
        EngineRunner runner = null;
        try {
            TapSink sink = new TapSink(tap, frameLength);
            Engine engine = engineFor.build(sink, sinks(ports, frameLength), remoteSinks(underlay));
            runner = new EngineRunner(engine, largeReads(tap, ports, underlay) ? OFFLOADED_RING_SIZE : RING_SIZE,
                    slotCapacity(tap, ports, underlay, frameLength), true, spinNanos);
            runner.start();
            TapReader reader = new TapReader(tap, ports, underlay, runner.publisher(), 0);
            reader.start();
            return new TapEmulator(tap, ports, underlay, sink, engine, runner, null, reader);
        } catch (SystemCallException | RuntimeException | Error e) {
            if (runner != null) {
                runner.close();
            }
            closeAll(tap, ports, underlay);
            throw e;
        }
    }

    public TapDevice tap() {
        return tap;
    }

    /** The real ports' devices, in order. */
    public List<TapDevice> ports() {
        return ports;
    }

    /** The VXLAN underlay's socket, or null without one. */
    public VxlanSocket underlay() {
        return underlay;
    }

    public Engine engine() {
        return engine;
    }

    /**
     * Runs {@code query} on the engine thread between batches; the way another thread reads or changes
     * engine state (an active open, say).
     */
    @Override
    public <T> java.util.concurrent.CompletableFuture<T> call(Function<Engine, T> query) {
        return runner != null ? runner.call(query) : direct.call(query);
    }

    /** The ingress ring's slots in use now; 0 when frames go to the engine without a ring. Any thread. */
    @Override
    public long ringOccupancy() {
        return runner != null ? runner.ringOccupancy() : 0;
    }

    @Override
    public int ringCapacity() {
        return runner != null ? runner.ringCapacity() : 0;
    }

    /**
     * Tells {@code listener} when the reader or the engine stops on an error (an engine that ran out of
     * memory, a device removed): the run should end, say why, and clean up.
     */
    public void onFailure(java.util.function.Consumer<Throwable> listener) {
        reader.onFailure(listener);
        if (runner != null) {
            runner.onFailure(listener);
        }
        Throwable already = reader.failure() != null ? reader.failure() : runner != null ? runner.failure() : null;
        if (already != null) {
            listener.accept(already); // it stopped before anyone listened
        }
    }

    public TapReader reader() {
        return reader;
    }

    public TapSink sink() {
        return sink;
    }

    /** The engine's counters and the TAP's, in one line: for logs and failure messages. */
    public String describeCounters() {
        String vxlan = underlay == null ? "" : " vxlan: received " + underlay.received() + ", sent " + underlay.sent()
                + ", unsent " + underlay.unsent();
        return engine.counters().snapshot() + " tap: read " + reader.framesRead() + ", read errors " + reader.readErrors()
                + ", written " + sink.framesWritten() + ", write errors " + sink.writeErrors() + vxlan;
    }

    @Override
    public void close() {
        reader.close();
        if (runner != null) {
            runner.close();
        }
        closeAll(tap, ports, underlay);
    }
}
