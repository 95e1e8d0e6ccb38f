/**
 * Layer 9, the engine: every virtual host played by one thread. {@link tapnet.engine.Engine} is the one
 * door (building, live changes, state); {@link tapnet.engine.FramePath} the way a frame goes through the
 * layers below; {@link tapnet.engine.DutyCycle} the one duty cycle (end the batch, run what is due from one
 * deadline, apply commands), driven by the ring's consumer ({@link tapnet.engine.EngineRunner}), the
 * device reader itself ({@link tapnet.engine.DirectIntake}) or a simulated timeline. Other threads reach
 * the engine only through {@link tapnet.engine.EngineAccess}: their calls run on the engine thread.
 * {@link tapnet.engine.HostDatagrams} is the door to UDP the hosts send as clients (a script's dns probes).
 *
 * <p>Depends on every layer below and the basics. Engine thread only, except {@code EngineAccess.call}, the
 * ring's occupancy ({@code EngineAccess.ringOccupancy}) and the ring's producer side
 * ({@link tapnet.engine.IngressPublisher}, the reader thread's).
 */
package tapnet.engine;
