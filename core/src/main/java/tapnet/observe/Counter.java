package tapnet.observe;

/** What the engine counts besides drops. */
public enum Counter {
    FRAMES_IN("frames received"),
    FRAMES_OUT("frames sent"),
    BYTES_IN("bytes received (Ethernet frames)"),
    BYTES_OUT("bytes sent (Ethernet frames)"),
    FRAMES_DROPPED("frames dropped, all reasons"),
    ARP_REPLIES("ARP replies sent"),
    ARP_SENDERS_OFF_SEGMENT("ARP senders not learned: their address is not on the TAP's subnet"),
    NEIGHBORS_NOT_LEARNED("addresses on a router's VXLAN subnet whose MAC was not kept: its table of 4,096 was full"),
    NEIGHBORS_EVICTED("neighbours forgotten to make room in the full neighbour table (oldest first)"),
    STATIONS_NOT_LEARNED("source MACs the TAP's segment did not learn: its table of 16,384 was full (frames to them are flooded)"),
    ICMP_ECHO_REPLIES("ICMP echo replies sent"),
    ICMPV6_ECHO_REPLIES("ICMPv6 echo replies sent"),
    ICMPV6_ERRORS_SENT("ICMPv6 errors sent (unreachable, time exceeded, packet too big, parameter problem)"),
    NDP_ADVERTISEMENTS("neighbour advertisements sent"),
    NDP_SOLICITATIONS("neighbour solicitations sent"),
    NDP_ROUTER_ADVERTISEMENTS("router advertisements sent, in answer to router solicitations"),
    ICMP_UNREACHABLES("ICMP destination unreachable sent"),
    ICMP_TIME_EXCEEDED("ICMP time exceeded sent (TTL out at an emulated router, or fragment reassembly timed out)"),
    ICMP_FRAG_NEEDED_SENT("ICMP fragmentation needed sent for DF packets larger than a link's MTU"),
    IPV4_FRAGMENTS_IN("IPv4 fragments received by virtual hosts"),
    IPV4_REASSEMBLED("IPv4 datagrams reassembled from fragments by virtual hosts"),
    IPV4_FRAGMENTS_OUT("IPv4 fragments sent by virtual hosts and routers (datagrams larger than the MTU)"),
    IPV6_FRAGMENTS_IN("IPv6 fragments received by virtual hosts"),
    IPV6_REASSEMBLED("IPv6 datagrams reassembled from fragments by virtual hosts"),
    IPV6_FRAGMENTS_OUT("IPv6 fragments sent by virtual hosts (datagrams larger than the MTU)"),
    UDP_DATAGRAMS_IN("UDP datagrams delivered to a service"),
    UDP_DATAGRAMS_OUT("UDP datagrams sent by services"),
    DNS_QUERIES_UDP("DNS queries received by the DNS server over UDP"),
    DNS_QUERIES_TCP("DNS queries received by the DNS server over TCP"),
    DNS_UNANSWERED("DNS messages not answered (shorter than a header, or themselves responses)"),
    DNS_NOERROR("DNS answers NOERROR"),
    DNS_FORMERR("DNS answers FORMERR (the query could not be read)"),
    DNS_SERVFAIL("DNS answers SERVFAIL (no room for the question)"),
    DNS_NXDOMAIN("DNS answers NXDOMAIN (no such name in the domain)"),
    DNS_NOTIMP("DNS answers NOTIMP (an opcode other than QUERY)"),
    DNS_REFUSED("DNS answers REFUSED (a name outside the domain, a class other than IN)"),
    DNS_TCP_IDLE_CLOSED("DNS-over-TCP connections the server closed after 10 s without a query (RFC 7766)"),
    DNS_BADVERS("DNS answers BADVERS (an EDNS version above 0, RFC 6891)"),
    DNS_TRUNCATED("DNS answers over UDP truncated (TC set: the resolver is to ask again over TCP)"),
    DNS_FAULT_NXDOMAIN("DNS queries a fault answered NXDOMAIN"),
    DNS_FAULT_SERVFAIL("DNS queries a fault answered SERVFAIL"),
    DNS_FAULT_REFUSED("DNS queries a fault answered REFUSED"),
    DNS_FAULT_TIMEOUT("DNS queries a fault left unanswered"),
    DNS_FAULT_TRUNCATE("DNS queries over UDP a fault answered with TC set"),
    DNS_FAULT_DELAY("DNS answers a fault held back"),
    DNS_FAULT_WRONG_ADDRESS("DNS answers whose A records a fault pointed elsewhere"),
    DNS_FAULT_TTL("DNS answers whose TTLs a fault overrode"),
    TCP_SEGMENTS_IN("TCP segments received"),
    TCP_SEGMENTS_OUT("TCP segments sent"),
    TCP_CONNECTIONS_OPENED("TCP connections established"),
    TCP_CONNECTIONS_CLOSED("TCP connections closed after an orderly close"),
    TCP_CONNECTIONS_RESET("TCP connections reset by the peer"),
    TCP_CONNECTIONS_ABORTED("TCP connections aborted by us (retries exhausted, service abort)"),
    TCP_RESETS_SENT("TCP RST segments sent"),
    TCP_RETRANSMISSIONS("TCP segments retransmitted"),
    TCP_HANDSHAKE_TIMEOUTS("TCP handshakes given up after SYN-ACK retries"),
    TCP_CHALLENGE_ACKS("TCP challenge ACKs sent (RFC 5961)"),
    TCP_INVALID_ACKS_SKIPPED("ACKs not sent for unacceptable segments without data: one per connection per 500 ms"),
    TCP_FAST_RETRANSMITS("TCP segments retransmitted after three duplicate ACKs (RFC 5681)"),
    TCP_SPURIOUS_RETRANSMITS("fast retransmits undone: the original arrived after all (reordering; RFC 3522)"),
    TCP_TIMEOUTS("TCP retransmission timer expiries"),
    TCP_OUT_OF_ORDER("TCP segments received out of order and kept"),
    TCP_PAWS_REJECTED("TCP segments rejected by PAWS (RFC 7323 §5)"),
    TCP_SYN_COOKIES_SENT("TCP SYN-ACKs sent with a SYN cookie (backlog or table full)"),
    TCP_SYN_COOKIES_ACCEPTED("TCP connections rebuilt from a valid SYN cookie"),
    TCP_ACTIVE_OPENS("TCP connections opened by a virtual host (SYN sent)"),
    TCP_CONNECTIONS_REFUSED("TCP active opens answered with RST"),
    TCP_FAULTS_INJECTED("TCP faults injected on purpose (topology faults)"),
    TCP_DATA_BYTES_IN("TCP payload bytes accepted in order"),
    TCP_DATA_BYTES_OUT("TCP payload bytes sent, retransmissions included");

    private final String description;

    Counter(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    public static final Counter[] ALL = values();
}
