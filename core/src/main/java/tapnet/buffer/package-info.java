/**
 * Byte buffers for the transports: a ring of bytes per connection direction and the pool of fixed chunks
 * they draw from, bounded, allocated once. A basic TCP and the services use.
 *
 * <p>Depends on nothing in tapnet. Engine thread only.
 */
package tapnet.buffer;
