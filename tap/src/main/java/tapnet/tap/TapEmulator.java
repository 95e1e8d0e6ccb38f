package tapnet.tap;

import java.util.function.Function;
import tapnet.engine.Engine;
import tapnet.engine.DirectIntake;
import tapnet.engine.EngineRunner;
import tapnet.frame.FrameSink;
import tapnet.wire.EthernetFrame;

/**
 * An engine running live behind an open TAP: the engine on its own thread behind the ingress ring, a
 * {@link TapReader} feeding the ring, answers written to the TAP by a {@link TapSink}. Closing stops the
 * reader, then the engine, then closes the TAP, which removes a device tapnet created, with its route.
 */
public final class TapEmulator implements AutoCloseable {
    private static final int RING_SIZE = 4096;
    /** With offloads a slot holds up to 64 KB: fewer slots keep the ring at 32 MB. */
    private static final int OFFLOADED_RING_SIZE = 512;

    private final TapDevice tap;
    private final TapSink sink;
    private final Engine engine;
    /** The ring's runner, or null when the reader thread runs the engine itself. */
    private final EngineRunner runner;
    private final DirectIntake direct;
    private final TapReader reader;

    private TapEmulator(TapDevice tap, TapSink sink, Engine engine, EngineRunner runner, DirectIntake direct, TapReader reader) {
        this.tap = tap;
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
        int frameLength = EthernetFrame.HEADER_LENGTH + mtu;
        try {
            TapSink sink = new TapSink(tap, frameLength);
            Engine engine = engineFor.apply(sink);
            DirectIntake intake = new DirectIntake(engine, tap.offloads() ? TapDevice.MAX_OFFLOADED_FRAME : frameLength);
            TapReader reader = new TapReader(tap, intake);
            reader.start();
            return new TapEmulator(tap, sink, engine, null, intake, reader);
        } catch (SystemCallException | RuntimeException | Error e) {
            tap.close();
            throw e;
        }
    }

    /**
     * Starts {@code engineFor(sink)} behind {@code tap}, whose MTU is {@code mtu}. Takes ownership of the
     * TAP: it is closed here if starting fails, and by {@link #close()} otherwise.
     */
    public static TapEmulator start(TapDevice tap, int mtu, Function<FrameSink, Engine> engineFor) throws SystemCallException {
        return start(tap, mtu, EngineRunner.Idle.BLOCK, engineFor);
    }

    /** As above, choosing how the engine thread waits for frames. */
    public static TapEmulator start(TapDevice tap, int mtu, EngineRunner.Idle idle, Function<FrameSink, Engine> engineFor)
            throws SystemCallException {
        int frameLength = EthernetFrame.HEADER_LENGTH + mtu;
        EngineRunner runner = null;
        try {
            TapSink sink = new TapSink(tap, frameLength);
            Engine engine = engineFor.apply(sink);
            runner = tap.offloads()
                    ? new EngineRunner(engine, OFFLOADED_RING_SIZE, TapDevice.MAX_OFFLOADED_FRAME, true, idle)
                    : new EngineRunner(engine, RING_SIZE, frameLength, true, idle);
            runner.start();
            TapReader reader = new TapReader(tap, runner.publisher());
            reader.start();
            return new TapEmulator(tap, sink, engine, runner, null, reader);
        } catch (SystemCallException | RuntimeException | Error e) {
            if (runner != null) {
                runner.close();
            }
            tap.close();
            throw e;
        }
    }

    public TapDevice tap() {
        return tap;
    }

    public Engine engine() {
        return engine;
    }

    /**
     * Runs {@code query} on the engine thread between batches; the way another thread reads or changes
     * engine state (an active open, say).
     */
    public <T> java.util.concurrent.CompletableFuture<T> call(Function<Engine, T> query) {
        return runner != null ? runner.call(query) : direct.call(query);
    }

    public TapReader reader() {
        return reader;
    }

    public TapSink sink() {
        return sink;
    }

    /** The engine's counters and the TAP's, in one line: for logs and failure messages. */
    public String describeCounters() {
        return engine.counters().snapshot() + " tap: read " + reader.framesRead() + ", read errors " + reader.readErrors()
                + ", written " + sink.framesWritten() + ", write errors " + sink.writeErrors();
    }

    @Override
    public void close() {
        reader.close();
        if (runner != null) {
            runner.close();
        }
        tap.close();
    }
}
