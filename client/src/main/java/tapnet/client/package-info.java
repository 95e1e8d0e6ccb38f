/**
 * A Java client of a tapnet run's control API (HTTP/1.1 and JSON over the run's Unix socket, or TCP with a
 * token), with nothing beyond the JDK. {@link tapnet.client.Tapnet#connect()} finds the run from the
 * environment {@code tapnet run FILE -- COMMAND} gives; {@link tapnet.client.Network} has one typed call per
 * resource; answers are immutable values ({@link tapnet.client.Link}, {@link tapnet.client.Counters},
 * {@link tapnet.client.Events}, {@link tapnet.client.Topology}); a refusal is a
 * {@link tapnet.client.TapnetException} with the server's status, message and line:column problems.
 * {@link tapnet.client.Transport} (one exchange per connection) and {@link tapnet.client.Json} (a strict
 * reader and writer) are the plumbing.
 */
package tapnet.client;
