/**
 * Layer 8, services: what listens on a virtual host's port ({@link tapnet.tcp.ConnectionHandler}s): echo,
 * discard, chargen, banner, HTTP. A new protocol's server goes here.
 *
 * <p>Depends on tcp and buffer. Engine thread only; a handler keeps per-connection state in the connection.
 */
package tapnet.service;
