package tapnet.observe;

/**
 * Why the engine dropped a frame. Every drop is counted under exactly one reason, so a user can tell
 * "the kernel sent us garbage" from "the frame was fine but nobody lives at that address".
 */
public enum DropReason {
    NONE("not dropped"),
    ETHERNET_TRUNCATED("shorter than an Ethernet header"),
    ETHERTYPE_UNSUPPORTED("neither ARP, IPv4 nor IPv6 (LLDP, ...)"),
    NOT_OUR_MAC("destination MAC belongs to no virtual host"),
    ARP_MALFORMED("ARP packet truncated or not Ethernet/IPv4"),
    ARP_NOT_OURS("ARP request for an address no virtual host has"),
    IPV4_MALFORMED("IPv4 header truncated, wrong version or inconsistent lengths"),
    IPV4_BAD_CHECKSUM("IPv4 header checksum wrong"),
    FRAGMENT_DUPLICATE("IPv4 fragment that repeats one already received: the copy dropped"),
    FRAGMENT_OVERLAP("IPv4 fragment overlapping another of its datagram (not a copy): the whole datagram dropped"),
    FRAGMENT_INCONSISTENT("IPv4 fragment contradicting its datagram (two ends, data past the end, a middle piece not a multiple of 8 bytes, over 65,535 bytes): the whole datagram dropped"),
    FRAGMENT_TINY("IPv4 tiny fragment (RFC 1858): a TCP fragment at offset 8, or a first fragment shorter than its transport header"),
    FRAGMENT_MEMORY_FULL("IPv4 fragment of a new datagram while 64 datagrams (4 MiB) are being reassembled"),
    FRAGMENT_TIMEOUT("IPv4 datagram not reassembled within 30 s: its fragments dropped (time exceeded sent when the first had come)"),
    IPV4_NOT_UNICAST("IPv4 broadcast or multicast destination"),
    NO_HOST("IP destination is no virtual host"),
    IPV4_RESERVED("IPv4 address in 240.0.0.0/4, reserved (tapnet names IPv6 addresses there)"),
    IPV6_MALFORMED("IPv6 header truncated, wrong version, or payload length past the frame"),
    IPV6_NOT_UNICAST("IPv6 multicast a host does not take (it takes neighbour solicitations), or a multicast source"),
    IPV6_ADDRESS_TABLE_FULL("IPv6 packet from a new address while the engine's table of IPv6 addresses is full"),
    IPV6_EXTENSION_REFUSED("IPv6 extension header a host does not take (answered with parameter problem)"),
    NDP_MALFORMED("neighbour discovery message failing RFC 4861 §7.1 validity checks"),
    NDP_NOT_OURS("neighbour solicitation for an address no virtual host has"),
    ICMPV6_MALFORMED("ICMPv6 message truncated"),
    ICMPV6_BAD_CHECKSUM("ICMPv6 checksum wrong"),
    ICMPV6_IGNORED("ICMPv6 type a host does not answer"),
    PROTOCOL_UNSUPPORTED("IP protocol other than ICMP, TCP, UDP"),
    ICMP_MALFORMED("ICMP message truncated"),
    ICMP_BAD_CHECKSUM("ICMP checksum wrong"),
    ICMP_IGNORED("ICMP type a host does not answer"),
    TCP_MALFORMED("TCP header truncated or data offset wrong"),
    TCP_BAD_CHECKSUM("TCP checksum wrong"),
    TCP_UNACCEPTABLE("TCP segment outside the receive window (acknowledged, then dropped)"),
    TCP_DUPLICATE("TCP segment whose data had all arrived already, the peer's retransmission (acknowledged with a D-SACK)"),
    TCP_NO_ACK("TCP segment without ACK in a synchronized state"),
    TCP_RST_IGNORED("TCP RST that matched no connection or was out of window"),
    TCP_STRAY("TCP segment for no connection that needs no answer"),
    TCP_TABLE_FULL("TCP SYN dropped: the connection table is full"),
    TCP_FAULT("TCP segment dropped on purpose by a topology fault"),
    UDP_MALFORMED("UDP datagram truncated or length field wrong"),
    UDP_BAD_CHECKSUM("UDP checksum wrong"),
    UDP_HELD_FULL("a UDP reply to send late (a DNS delay fault) found the store of held replies full, or was over 4 KiB"),
    TTL_EXCEEDED("IPv4 TTL ran out at an emulated router (answered with ICMP time exceeded)"),
    LINK_LOSS("lost on an emulated link (its loss model)"),
    LINK_QUEUE_FULL("an emulated link's queue was full (rate limit, tail drop)"),
    LINK_DOWN("an emulated link is down"),
    LINK_TOO_BIG("larger than an emulated link's MTU"),
    LINK_HELD_FULL("too many frames held in flight by emulated links"),
    NO_SUCH_HOST("to an address on a router's subnet where no host is (answered host unreachable)"),
    PARTITIONED("between nodes a partition keeps apart"),
    HOST_STOPPED("to or through a virtual host or router that is stopped"),
    HOSTS_QUEUE_FULL("too many frames between virtual hosts waiting to be delivered"),
    INGRESS_RING_FULL("ingress ring full: the engine did not keep up"),
    SHED_OFF_SUBNET("IPv4 from a source off the TAP's subnet, dropped unanswered while tapnet was behind (a flood)"),
    EGRESS_FULL("egress full: the frame sink did not keep up"),
    OFFLOAD_MALFORMED("offloaded frame whose virtio-net header does not fit it: cannot be made into wire frames"),
    VXLAN_MALFORMED("VXLAN datagram shorter than its header and an Ethernet header, too long to take whole, or without the I flag (RFC 7348 section 5)"),
    VXLAN_OTHER_VNI("VXLAN datagram of a VNI the segment does not carry"),
    VXLAN_UNKNOWN_REMOTE("VXLAN datagram from an underlay address that is none of the segment's remotes"),
    NEIGHBOR_UNRESOLVED("packet for a machine on a router's VXLAN subnet that waited for ARP and gave way to a newer one");

    private final String description;

    DropReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Reasons in declaration order; cached because {@code values()} clones its array on every call. */
    public static final DropReason[] ALL = values();
}
