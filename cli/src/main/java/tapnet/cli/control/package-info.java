/**
 * {@code tapnet ctl}'s side of a run's control: its requests ({@link tapnet.cli.control.ControlRequest}),
 * each sent as one HTTP/1.1 exchange to the run's control API over its Unix socket
 * ({@link tapnet.cli.control.ControlClient}), and the socket file itself ({@link tapnet.cli.control.ControlSocket}:
 * where it is, stale files replaced, a live one refused). The server is {@code tapnet.cli.api}.
 *
 * <p>Depends on core for the topology readers' one-line messages; knows nothing of the server.
 */
package tapnet.cli.control;
