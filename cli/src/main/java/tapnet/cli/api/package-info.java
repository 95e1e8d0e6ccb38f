/**
 * The control API of a running tapnet: HTTP/1.1 and JSON on the run's Unix socket, and on a TCP address
 * with a bearer token when asked ({@link tapnet.cli.api.ApiServer}, Jetty). Its resources
 * ({@link tapnet.cli.api.ApiRoutes}) read bodies with the topology readers ({@code ApiBodies}), so a
 * mistake answers as a file's does, and apply every change as an {@link tapnet.topology.Action} through
 * {@link tapnet.build.EngineActions} on the engine thread, the path of every change, reached only through
 * {@link tapnet.engine.EngineAccess}. {@link tapnet.cli.api.RunChanges} records every change (API, ctl,
 * script, reset) for {@code GET /v1/events} and {@code POST /v1/reset}.
 *
 * <p>Depends on core and Jetty; the engine knows nothing of it.
 */
package tapnet.cli.api;
