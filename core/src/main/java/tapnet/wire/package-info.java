/**
 * Layer 1, the wire: flyweight views over (buffer, offset, length) for every header tapnet reads or
 * writes (Ethernet, ARP, IPv4, ICMP, UDP, TCP and its options, DNS queries and replies, the IPv6 Fragment
 * header, the VXLAN header), with named field offsets, accessors and setters (TTL included), checksums,
 * {@link tapnet.wire.FrameAddresses}, a frame's IPv4 ends read once, {@link tapnet.wire.DnsNames}, domain
 * names from text to wire form once, when a zone is built, and {@link tapnet.wire.Ipv6HeaderChain}, the
 * walk over IPv6 extension headers to the upper layer, a fragment to reassemble, or a Parameter Problem.
 * Nobody else reads or writes header bytes by offset. Parsing never allocates; a malformed header is a
 * {@code Validity} or a false, never an exception.
 *
 * <p>Depends on nothing in tapnet. Any thread; each flyweight instance belongs to one.
 */
package tapnet.wire;
