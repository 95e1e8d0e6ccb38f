/**
 * The control socket of a running tapnet ({@code tapnet ctl}): a Unix domain socket taking one request
 * line per connection ({@link tapnet.cli.control.ControlRequest}), answered by
 * {@link tapnet.cli.control.ControlHandler}. A change is read into the same {@link tapnet.topology.Action}
 * a script's event is ({@link tapnet.cli.control.ControlActions}) and applied through
 * {@link tapnet.build.EngineActions} on the engine thread: one path for every change.
 *
 * <p>Depends on core. The socket's own thread accepts and answers; engine state is reached only through
 * {@link tapnet.engine.EngineAccess}.
 */
package tapnet.cli.control;
