/**
 * From model to engine: {@link tapnet.build.EngineBuilder} makes an engine of a
 * {@link tapnet.topology.Topology} (hosts, routers, services, ports, links), {@link tapnet.build.ServiceHandlers}
 * says what plays each kind of service, and {@link tapnet.build.EngineActions} applies an
 * {@link tapnet.topology.Action} to a running engine: the one path every change takes, from a script's
 * timeline, {@code tapnet ctl} or the HTTP API. A new kind of change is a record in {@code Action}, a branch
 * here, and its syntax where it is written.
 *
 * <p>Depends on the model and the engine's layers. EngineBuilder before the engine starts; EngineActions on
 * the engine thread.
 */
package tapnet.build;
