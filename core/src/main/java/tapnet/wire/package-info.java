/**
 * Layer 1, the wire: flyweight views over (buffer, offset, length) for every header tapnet reads or
 * writes (Ethernet, ARP, IPv4, ICMP, UDP, TCP and its options), with named field offsets, accessors and
 * setters (TTL included), checksums, and {@link tapnet.wire.FrameAddresses}, a frame's IPv4 ends read once.
 * Nobody else reads or writes header bytes by offset. Parsing never allocates; a malformed header is a
 * {@code Validity} or a false, never an exception.
 *
 * <p>Depends on nothing in tapnet. Any thread; each flyweight instance belongs to one.
 */
package tapnet.wire;
