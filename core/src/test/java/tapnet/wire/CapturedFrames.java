package tapnet.wire;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ethernet frames captured from a real Linux kernel (6.18) with tcpdump 4.99.3, pasted as hex, one line
 * per protocol layer. They were captured by {@code capture-frames.sh} beside this file: two network
 * namespaces joined by a veth pair, tnw-a = 10.231.0.1 / 02:00:0a:e7:00:01 and tnw-b = 10.231.0.2 /
 * 02:00:0a:e7:00:02, with transmit checksum offload off so every checksum is the real one; tcpdump ran on
 * tnw-a's end, and each frame's hex is {@code tcpdump -r capture.pcap -xx}. The comment above each constant
 * is tcpdump's own decoding of it ({@code -nn -v}).
 *
 * <p>Frames shorter than 60 bytes are as the veth carried them: unpadded. Ports, sequence numbers and
 * timestamps are whatever that run drew; re-running the script gives other values, so the constants are
 * pasted, not regenerated.
 */
final class CapturedFrames {
    private CapturedFrames() {
    }

    static final long MAC_A = 0x02000ae70001L;
    static final long MAC_B = 0x02000ae70002L;
    /** The packet-socket peer that provoked the SACKs; no kernel owns its address (see the script). */
    static final long MAC_PEER = 0x02000ae70003L;
    static final int IP_A = 0x0ae70001;    // 10.231.0.1
    static final int IP_B = 0x0ae70002;    // 10.231.0.2
    static final int IP_PEER = 0x0ae70003; // 10.231.0.3

    // ping -c 1 -s 16 10.231.0.2 from tnw-a, neighbour cache empty.

    /** ARP, Request who-has 10.231.0.2 tell 10.231.0.1, length 28 (frame length 42). */
    static final String ARP_REQUEST = ""
            + "ffffffffffff 02000ae70001 0806"                                 // Ethernet
            + "0001 0800 06 04 0001 02000ae70001 0ae70001 000000000000 0ae70002"; // ARP

    /** ARP, Reply 10.231.0.2 is-at 02:00:0a:e7:00:02, length 28 (frame length 42). */
    static final String ARP_REPLY = ""
            + "02000ae70001 02000ae70002 0806"                                 // Ethernet
            + "0001 0800 06 04 0002 02000ae70002 0ae70002 02000ae70001 0ae70001"; // ARP

    /**
     * (tos 0x0, ttl 64, id 22362, offset 0, flags [DF], proto ICMP (1), length 44)
     * 10.231.0.1 > 10.231.0.2: ICMP echo request, id 7046, seq 1, length 24.
     */
    static final String ICMP_ECHO_REQUEST = ""
            + "02000ae70002 02000ae70001 0800"            // Ethernet
            + "4500002c575a40004001cda60ae700010ae70002"  // IPv4
            + "0800473f1b860001"                          // ICMP echo request
            + "244f0b6b000000005d7f080000000000";         // payload: ping's timeval

    /**
     * (tos 0x0, ttl 64, id 9043, offset 0, flags [none], proto ICMP (1), length 44)
     * 10.231.0.2 > 10.231.0.1: ICMP echo reply, id 7046, seq 1, length 24.
     */
    static final String ICMP_ECHO_REPLY = ""
            + "02000ae70001 02000ae70002 0800"            // Ethernet
            + "4500002c23530000400141ae0ae700020ae70001"  // IPv4
            + "00004f3f1b860001"                          // ICMP echo reply
            + "244f0b6b000000005d7f080000000000";         // payload

    // printf 'hello tapnet\n' | nc -N 10.231.0.2 7000 from tnw-a, nc -l in tnw-b.

    /**
     * (tos 0x0, ttl 64, id 3374, offset 0, flags [DF], proto TCP (6), length 60)
     * 10.231.0.1.36022 > 10.231.0.2.7000: Flags [S], cksum 0x10d6 (correct), seq 269377941, win 64240,
     * options [mss 1460,sackOK,TS val 1759683537 ecr 0,nop,wscale 10], length 0.
     */
    static final String TCP_SYN = ""
            + "02000ae70002 02000ae70001 0800"                  // Ethernet
            + "4500003c0d2e4000400617be0ae700010ae70002"        // IPv4
            + "8cb61b58 100e6195 00000000 a002faf0 10d60000"    // TCP
            + "020405b4 0402080a68e2a3d100000000 0103030a";     // options: MSS, SACK-permitted + TS, NOP + WS

    /**
     * (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 60)
     * 10.231.0.2.7000 > 10.231.0.1.36022: Flags [S.], cksum 0x27e8 (correct), seq 3786070535,
     * ack 269377942, win 65160, options [mss 1460,sackOK,TS val 1224532117 ecr 1759683537,nop,wscale 10],
     * length 0.
     */
    static final String TCP_SYN_ACK = ""
            + "02000ae70001 02000ae70002 0800"                  // Ethernet
            + "4500003c00004000400624ec0ae700020ae70001"        // IPv4
            + "1b588cb6 e1aada07 100e6196 a012fe88 27e80000"    // TCP
            + "020405b4 0402080a48fce09568e2a3d1 0103030a";     // options

    /**
     * (tos 0x0, ttl 64, id 3375, offset 0, flags [DF], proto TCP (6), length 52)
     * 10.231.0.1.36022 > 10.231.0.2.7000: Flags [.], cksum 0x5500 (correct), ack 1, win 63,
     * options [nop,nop,TS val 1759683538 ecr 1224532117], length 0.
     */
    static final String TCP_ACK = ""
            + "02000ae70002 02000ae70001 0800"                  // Ethernet
            + "450000340d2f4000400617c50ae700010ae70002"        // IPv4
            + "8cb61b58 100e6196 e1aada08 8010003f 55000000"    // TCP
            + "0101080a68e2a3d248fce095";                       // options: NOP, NOP, TS

    /**
     * (tos 0x0, ttl 64, id 3376, offset 0, flags [DF], proto TCP (6), length 65)
     * 10.231.0.1.36022 > 10.231.0.2.7000: Flags [P.], cksum 0xbcb4 (correct), seq 1:14, ack 1, win 63,
     * options [nop,nop,TS val 1759683538 ecr 1224532117], length 13.
     */
    static final String TCP_DATA = ""
            + "02000ae70002 02000ae70001 0800"                  // Ethernet
            + "450000410d304000400617b70ae700010ae70002"        // IPv4
            + "8cb61b58 100e6196 e1aada08 8018003f bcb40000"    // TCP
            + "0101080a68e2a3d248fce095"                        // options
            + "68656c6c6f207461706e65740a";                     // "hello tapnet\n"

    /**
     * (tos 0x0, ttl 64, id 3377, offset 0, flags [DF], proto TCP (6), length 52)
     * 10.231.0.1.36022 > 10.231.0.2.7000: Flags [F.], cksum 0x54f2 (correct), seq 14, ack 1, win 63,
     * options [nop,nop,TS val 1759683538 ecr 1224532117], length 0.
     */
    static final String TCP_FIN = ""
            + "02000ae70002 02000ae70001 0800"                  // Ethernet
            + "450000340d314000400617c30ae700010ae70002"        // IPv4
            + "8cb61b58 100e61a3 e1aada08 8011003f 54f20000"    // TCP
            + "0101080a68e2a3d248fce095";                       // options

    // nc -z 10.231.0.2 7001 from tnw-a: nothing listens there.

    /**
     * (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 40)
     * 10.231.0.2.7001 > 10.231.0.1.56760: Flags [R.], cksum 0x6d51 (correct), seq 0, ack 4089528283,
     * win 0, length 0 (frame length 54).
     */
    static final String TCP_RST_ACK = ""
            + "02000ae70001 02000ae70002 0800"                  // Ethernet
            + "4500002800004000400625000ae700020ae70001"        // IPv4
            + "1b59ddb8 00000000 f3c13fdb 50140000 6d510000";   // TCP

    // printf 'tapnet udp\n' | nc -u -w 1 10.231.0.2 7002 from tnw-a: nothing listens there.

    /**
     * (tos 0x0, ttl 64, id 4275, offset 0, flags [DF], proto UDP (17), length 39)
     * 10.231.0.1.45268 > 10.231.0.2.7002, length 11 (frame length 53).
     */
    static final String UDP_DATAGRAM = ""
            + "02000ae70002 02000ae70001 0800"                  // Ethernet
            + "4500002710b34000401114430ae700010ae70002"        // IPv4
            + "b0d4 1b5a 0013 449f"                             // UDP
            + "7461706e6574207564700a";                         // "tapnet udp\n"

    /**
     * (tos 0xc0, ttl 64, id 9093, offset 0, flags [none], proto ICMP (1), length 67)
     * 10.231.0.2 > 10.231.0.1: ICMP 10.231.0.2 udp port 7002 unreachable, length 47.
     */
    static final String ICMP_PORT_UNREACHABLE = ""
            + "02000ae70001 02000ae70002 0800"                  // Ethernet
            + "45c0004323850000400140a50ae700020ae70001"        // IPv4
            + "030312f200000000"                                // ICMP destination unreachable, port
            + "4500002710b34000401114430ae700010ae70002"        // the offending datagram, whole: Linux quotes
            + "b0d41b5a0013449f7461706e6574207564700a";         // up to 576 bytes (RFC 1812 §4.3.2.3)

    // A packet socket in tnw-a plays 10.231.0.3:40000 against nc -l 10.231.0.2 7003: SYN with MSS and
    // SACK-permitted only, then two segments beyond a hole (seq 101 and 201). These two are the kernel's.

    /**
     * (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 48)
     * 10.231.0.2.7003 > 10.231.0.3.40000: Flags [S.], seq 1152700627, ack 1001, win 64240,
     * options [mss 1460,nop,nop,sackOK], length 0.
     */
    static final String TCP_SYN_ACK_WITHOUT_TIMESTAMPS = ""
            + "02000ae70003 02000ae70002 0800"                  // Ethernet
            + "4500003000004000400624f60ae700020ae70003"        // IPv4
            + "1b5b9c40 44b4d0d3 000003e9 7012faf0 a13f0000"    // TCP
            + "020405b4 01010402";                              // options: MSS; NOP, NOP, SACK-permitted

    /**
     * (tos 0x0, ttl 64, id 31019, offset 0, flags [DF], proto TCP (6), length 52)
     * 10.231.0.2.7003 > 10.231.0.3.40000: Flags [.], ack 1, win 64240,
     * options [nop,nop,sack 1 {101:117}], length 0.
     */
    static final String TCP_SACK_ONE_BLOCK = ""
            + "02000ae70003 02000ae70002 0800"                  // Ethernet
            + "45000034792b40004006abc60ae700020ae70003"        // IPv4
            + "1b5b9c40 44b4d0d4 000003e9 8010faf0 8f420000"    // TCP
            + "0101050a 0000044d 0000045d";                     // options: NOP, NOP, SACK [1101, 1117)

    /**
     * (tos 0x0, ttl 64, id 31020, offset 0, flags [DF], proto TCP (6), length 56)
     * 10.231.0.2.7003 > 10.231.0.3.40000: Flags [.], ack 1, win 64240,
     * options [nop,nop,sack 2 {201:217}{101:117}], length 0.
     */
    static final String TCP_SACK_TWO_BLOCKS = ""
            + "02000ae70003 02000ae70002 0800"                  // Ethernet
            + "4500003c792c40004006abbd0ae700020ae70003"        // IPv4
            + "1b5b9c40 44b4d0d4 000003e9 a010faf0 65c00000"    // TCP
            + "01010512 000004b1 000004c1 0000044d 0000045d";   // NOP, NOP, SACK [1201, 1217) [1101, 1117)

    // Both MTUs at 68, ping -c 1 -M dont -s 64 10.231.0.2 from tnw-a: the request leaves in two fragments.

    /**
     * (tos 0x0, ttl 64, id 22534, offset 0, flags [+], proto ICMP (1), length 68)
     * 10.231.0.1 > 10.231.0.2: ICMP echo request, id 7196, seq 1, length 48.
     */
    static final String IPV4_FIRST_FRAGMENT = ""
            + "02000ae70002 02000ae70001 0800"                  // Ethernet
            + "45000044580620004001ece20ae700010ae70002"        // IPv4: MF, offset 0
            + "0800bc501c1c0001"                                // ICMP header (its checksum covers all 72 bytes)
            + "284f0b6b0000000090b509000000000065747461706e65747461706e65747461706e65747461706e";

    /**
     * (tos 0x0, ttl 64, id 22534, offset 48, flags [none], proto ICMP (1), length 44)
     * 10.231.0.1 > 10.231.0.2: ip-proto-1.
     */
    static final String IPV4_LAST_FRAGMENT = ""
            + "02000ae70002 02000ae70001 0800"                  // Ethernet
            + "4500002c5806000640010cf50ae700010ae70002"        // IPv4: offset 6 × 8 bytes
            + "65747461706e65747461706e65747461706e65747461706e";

    /** Every frame above by name, in capture order: for tests that must hold for any real frame. */
    static Map<String, String> all() {
        Map<String, String> frames = new LinkedHashMap<>();
        frames.put("ARP request", ARP_REQUEST);
        frames.put("ARP reply", ARP_REPLY);
        frames.put("ICMP echo request", ICMP_ECHO_REQUEST);
        frames.put("ICMP echo reply", ICMP_ECHO_REPLY);
        frames.put("TCP SYN", TCP_SYN);
        frames.put("TCP SYN-ACK", TCP_SYN_ACK);
        frames.put("TCP ACK", TCP_ACK);
        frames.put("TCP data", TCP_DATA);
        frames.put("TCP FIN", TCP_FIN);
        frames.put("TCP RST-ACK", TCP_RST_ACK);
        frames.put("UDP datagram", UDP_DATAGRAM);
        frames.put("ICMP port unreachable", ICMP_PORT_UNREACHABLE);
        frames.put("TCP SYN-ACK without timestamps", TCP_SYN_ACK_WITHOUT_TIMESTAMPS);
        frames.put("TCP SACK, one block", TCP_SACK_ONE_BLOCK);
        frames.put("TCP SACK, two blocks", TCP_SACK_TWO_BLOCKS);
        frames.put("IPv4 first fragment", IPV4_FIRST_FRAGMENT);
        frames.put("IPv4 last fragment", IPV4_LAST_FRAGMENT);
        return frames;
    }
}
