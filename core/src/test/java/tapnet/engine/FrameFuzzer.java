package tapnet.engine;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import tapnet.build.EngineBuilder;
import tapnet.capture.Capture;
import tapnet.dns.DnsQueries;
import tapnet.dns.MalformedQuery;
import tapnet.frame.Offload;
import tapnet.testing.CapturingSink;
import tapnet.testing.FrameBuilder;
import tapnet.testing.FrameBuilder.Extension;
import tapnet.time.TimerWheel;
import tapnet.time.VirtualClock;
import tapnet.topology.Topology;
import tapnet.topology.yaml.TopologyLoader;
import tapnet.wire.DnsMessage;
import tapnet.wire.Icmpv6Message;
import tapnet.wire.Ipv6Address;
import tapnet.wire.Ipv4Address;
import tapnet.wire.MacAddress;
import tapnet.wire.TcpSegment;

/**
 * A seeded mutator of frames, and the engine it throws them at: a topology with every kind of service,
 * faults, a router with a host behind it, a real port, links that lose, delay, corrupt and cut to an MTU,
 * and a small connection table, so that malformed frames meet every path (the segment, routers, links,
 * software GSO, ARP, ICMP, UDP, TCP in every state, the DNS server, captures). Each frame is a valid one
 * (ARP, ICMP, UDP, TCP with options, GSO frames with their virtio-net descriptor, IPv6 (neighbour discovery,
 * echo, UDP, TCP, extension headers, fragments), VLAN, DNS queries
 * over UDP and TCP, well-formed and each {@link MalformedQuery}) changed in a few random ways: bits
 * flipped, bytes set to edge values, fields that hold lengths and flags rewritten, a DNS message's bytes
 * made pointers or label lengths, truncated or extended, given a random or a broken offload descriptor,
 * sent from the TAP or the port. Between frames the virtual clock moves and timers fire. DNS messages over
 * TCP go on a connection the fuzzer opens with a real handshake now and then, so that they reach the
 * server rather than a reset. The same seed gives the same frames.
 */
final class FrameFuzzer {
    private static final String TOPOLOGY = """
            tap: { address: 10.77.0.1/24, address6: fd77::1/64 }
            tcp: { maxConnections: 256, synBacklog: 16, timeWait: 200ms }
            routers:
              edge: { address: 10.77.0.254, subnet: 10.79.1.1/24 }
            hosts:
              web:
                address: 10.77.0.10
                address6: fd77::10
                services:
                  - { port: 80, http: { body: "hello" } }
                  - { port: 7, echo: {} }
                  - { port: 9, discard: {} }
                  - { port: 19, chargen: {} }
                  - { port: 25, banner: { text: "220 hi", close: true } }
                  - { port: 81, http: {}, faults: [ { synAckDelay: 5ms }, { resetAfter: 100, probability: 30% },
                                                    { window: 100, probability: 30% }, { corruptAt: 3 } ] }
              deep: { address: 10.79.1.10, services: [ { port: 7, echo: {} } ] }
              mail: { address: 10.77.0.20, address6: fd77::20, services: [ { port: 25, banner: "220 mail" } ] }
            ports:
              left: { netns: fuzz-left, address: 10.77.0.101 }
            links:
              - { between: [tap, web], delay: 1ms, jitter: 1ms, loss: 2%, corrupt: 1%, duplicate: 1% }
              - { between: [tap, mail], mtu: 600 }
              - { between: [tap, left], rate: 100mbit }
            dns:
              address: 10.77.0.53
              domain: shop.test
              records:
                - { name: www, type: CNAME, value: web }
                - { name: big, type: TXT, value: "BIG" }
            """.replace("BIG", "x".repeat(700)); // an answer too big for UDP: TC, then TCP

    private static final long KERNEL_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final int KERNEL = Ipv4Address.parse("10.77.0.1");
    private static final int DNS = Ipv4Address.parse("10.77.0.53");
    private static final int[] HOSTS = {Ipv4Address.parse("10.77.0.10"), Ipv4Address.parse("10.79.1.10"),
        Ipv4Address.parse("10.77.0.20"), Ipv4Address.parse("10.77.0.254"), Ipv4Address.parse("10.77.0.77"), DNS};
    private static final int[] PORTS = {80, 7, 9, 19, 25, 81, 1234};
    private static final int TCP_AT = 34;
    /** Where TCP starts after an IPv6 header without extensions. */
    private static final int TCP6_AT = 54;
    private static final int ICMPV6 = 58;
    /** Where a UDP frame's payload (a DNS message) starts: Ethernet, IPv4 without options, UDP. */
    private static final int UDP_PAYLOAD_AT = 42;

    final VirtualClock clock = new VirtualClock(TimeUnit.SECONDS.toNanos(100));
    final Engine engine;
    private final CapturingSink tap = new CapturingSink(1514);
    private final CapturingSink port = new CapturingSink(1514);
    private final SplittableRandom random;
    private final List<byte[]> seeds = new ArrayList<>();
    /** DNS messages, length-prefixed, sent on the DNS connection (see {@link #openDnsConnection}). */
    private final List<byte[]> dnsOverTcp = new ArrayList<>();
    private int dnsClientPort;
    private int dnsSeq;
    private int dnsAck;
    private final Capture capture;
    private long frames;

    FrameFuzzer(long seed, Path captureDirectory) throws Exception {
        Topology topology = TopologyLoader.parse("fuzz.yaml", TOPOLOGY);
        this.engine = EngineBuilder.build(topology, clock, tap, List.of(port));
        this.capture = Capture.open(captureDirectory, "fuzz", 1 << 20, 2);
        engine.capture(capture);
        engine.captureLink("web", capture);
        this.random = new SplittableRandom(seed);
        for (int host : HOSTS) {
            long mac = MacAddress.derivedFrom(host);
            seeds.add(FrameBuilder.arpRequest(KERNEL_MAC, KERNEL, host));
            seeds.add(FrameBuilder.echoRequest(KERNEL_MAC, mac, KERNEL, host, 7, 1, new byte[40]));
            seeds.add(FrameBuilder.udp(KERNEL_MAC, mac, KERNEL, host, 5000, 53, new byte[30]));
            for (int p : PORTS) {
                seeds.add(tcp(mac, host, p).flags(TcpSegment.SYN).mss(1460).sackPermitted().timestamps(5, 0).windowScale(7).build());
                seeds.add(tcp(mac, host, p).flags(TcpSegment.ACK).ack(1).build());
                seeds.add(tcp(mac, host, p).flags(TcpSegment.ACK | TcpSegment.PSH).ack(1).payload("GET / HTTP/1.1\r\n\r\n".getBytes()).build());
                seeds.add(tcp(mac, host, p).flags(TcpSegment.ACK | TcpSegment.FIN).ack(1).build());
                seeds.add(tcp(mac, host, p).flags(TcpSegment.RST).build());
                seeds.add(tcp(mac, host, p).flags(TcpSegment.ACK).ack(1).payload(new byte[4000]).build()); // a GSO frame's bytes
            }
        }
        addDnsSeeds();
        addIpv6Seeds();
        seeds.add(ipv6Frame());
        seeds.add(vlanFrame());
    }

    /**
     * DNS messages to the server's port 53: well-formed queries (an A, a CNAME chain with EDNS0, an answer
     * too big for UDP) and every named malformation, over UDP and as TCP segments (length-prefixed).
     */
    private void addDnsSeeds() {
        long mac = MacAddress.derivedFrom(DNS);
        List<byte[]> messages = new ArrayList<>();
        messages.add(DnsQueries.query(1, "web.shop.test", DnsMessage.TYPE_A, 0));
        messages.add(DnsQueries.query(2, "www.shop.test", DnsMessage.TYPE_A, 1232));
        messages.add(DnsQueries.query(3, "big.shop.test", DnsMessage.TYPE_TXT, 0));
        for (MalformedQuery malformed : MalformedQuery.values()) {
            messages.add(malformed.bytes());
        }
        for (byte[] message : messages) {
            seeds.add(FrameBuilder.udp(KERNEL_MAC, mac, KERNEL, DNS, 5353, 53, message));
            dnsOverTcp.add(DnsQueries.framed(message));
        }
    }

    /**
     * IPv6 to the hosts that have it (web behind a lossy link, mail behind a 600-byte MTU) and to an address
     * nobody has: neighbour solicitations (from the kernel, its link-local address, a DAD probe), an
     * advertisement, echo, UDP, TCP SYNs and data, and extension headers taken, refused and unknown.
     */
    private void addIpv6Seeds() {
        long[] kernel = FrameBuilder.v6("fd77::1");
        long[] kernelLinkLocal = FrameBuilder.linkLocal(KERNEL_MAC);
        long[] unspecified = new long[2];
        for (String address : new String[] {"fd77::10", "fd77::20", "fd77::99"}) {
            long[] host = FrameBuilder.v6(address);
            long mac = MacAddress.derivedFrom(Ipv4Address.parse(address.equals("fd77::20") ? "10.77.0.20" : "10.77.0.10"));
            long[] group = FrameBuilder.solicitedNode(host);
            seeds.add(FrameBuilder.neighborSolicitation(KERNEL_MAC, kernel, host));
            seeds.add(FrameBuilder.neighborSolicitation(KERNEL_MAC, kernelLinkLocal, FrameBuilder.linkLocal(mac)));
            seeds.add(FrameBuilder.ipv6(KERNEL_MAC, Ipv6Address.multicastMac(group[1]), unspecified, group, 255, ICMPV6,
                    FrameBuilder.icmpv6(unspecified, group, Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION, 0, 0, FrameBuilder.ndBody(host))));
            seeds.add(FrameBuilder.ipv6(KERNEL_MAC, mac, kernel, host, 255, ICMPV6, FrameBuilder.icmpv6(kernel, host,
                    Icmpv6Message.TYPE_NEIGHBOR_ADVERTISEMENT, 0, 0x6000_0000,
                    FrameBuilder.ndBody(kernel, FrameBuilder.targetLinkLayer(KERNEL_MAC)))));
            seeds.add(FrameBuilder.echoRequest6(KERNEL_MAC, mac, kernel, host, 7, 1, new byte[40]));
            seeds.add(FrameBuilder.echoRequest6(KERNEL_MAC, mac, kernel, host, 7, 2, new byte[1200]));
            seeds.add(FrameBuilder.udp6(KERNEL_MAC, mac, kernel, host, 5000, 53, new byte[30]));
            seeds.add(FrameBuilder.ipv6(KERNEL_MAC, mac, kernel, host, 64, 17,
                    FrameBuilder.udp6Datagram(kernel, host, 5000, 7, new byte[20]), Extension.hopByHopPadN(),
                    Extension.destinationOption(0x87)));
            seeds.add(FrameBuilder.ipv6(KERNEL_MAC, mac, kernel, host, 64, 253, new byte[24], Extension.hopByHopPadN()));
            seeds.add(FrameBuilder.ipv6(KERNEL_MAC, mac, kernel, host, 64, 44, new byte[] {6, 0, 0, 1, 0, 0, 0, 9, 1, 2, 3, 4}));
            for (int p : new int[] {80, 7, 25, 81}) {
                seeds.add(tcp(mac, 0, p).ipv6(kernel, host).flags(TcpSegment.SYN).mss(1440).sackPermitted().timestamps(5, 0)
                        .windowScale(7).build());
                seeds.add(tcp(mac, 0, p).ipv6(kernel, host).flags(TcpSegment.ACK | TcpSegment.PSH).ack(1)
                        .payload("GET / HTTP/1.1\r\n\r\n".getBytes()).build());
                seeds.add(tcp(mac, 0, p).ipv6(kernel, host).flags(TcpSegment.SYN).mss(1440)
                        .extensions(Extension.hopByHopPadN()).build());
                seeds.add(tcp(mac, 0, p).ipv6(kernel, host).flags(TcpSegment.ACK).ack(1).payload(new byte[4000]).build());
            }
        }
    }

    /** A DNS message as the next segment of the fuzzer's DNS connection (before mutation). */
    private byte[] dnsSegment(byte[] framed) {
        return FrameBuilder.tcp(KERNEL_MAC, MacAddress.derivedFrom(DNS), KERNEL, DNS).ports(dnsClientPort, 53)
                .seq(dnsSeq).ack(dnsAck).flags(TcpSegment.ACK | TcpSegment.PSH).payload(framed).build();
    }

    /**
     * Resets the fuzzer's DNS connection, if it is still in step, and opens another from the next client
     * port: SYN, the server's SYN-ACK read from the TAP's frames, ACK. Unmutated frames, counted as any.
     */
    private void openDnsConnection() {
        long mac = MacAddress.derivedFrom(DNS);
        if (dnsClientPort != 0) {
            send(FrameBuilder.tcp(KERNEL_MAC, mac, KERNEL, DNS).ports(dnsClientPort, 53).seq(dnsSeq).flags(TcpSegment.RST).build());
        }
        dnsClientPort = 30000 + (dnsClientPort + 1) % 1000;
        dnsSeq = 1000;
        engine.endOfBatch();
        tap.clear();
        send(FrameBuilder.tcp(KERNEL_MAC, mac, KERNEL, DNS).ports(dnsClientPort, 53).seq(dnsSeq).flags(TcpSegment.SYN).mss(1460).build());
        engine.endOfBatch();
        for (int i = 0; i < tap.count(); i++) {
            ByteBuffer f = tap.frame(i); // Ethernet, IPv4 (protocol at 23, source at 26), TCP after the IHL
            int tcpAt = 14 + (f.get(14) & 0xf) * 4;
            if (f.getShort(12) == 0x0800 && f.get(23) == 6 && f.getInt(26) == DNS && tap.length(i) >= tcpAt + 20
                    && f.getShort(tcpAt) == 53 && (f.getShort(tcpAt + 2) & 0xffff) == dnsClientPort
                    && f.get(tcpAt + 13) == (TcpSegment.SYN | TcpSegment.ACK)) {
                dnsSeq++;
                dnsAck = f.getInt(tcpAt + 4) + 1;
                send(FrameBuilder.tcp(KERNEL_MAC, mac, KERNEL, DNS).ports(dnsClientPort, 53).seq(dnsSeq).ack(dnsAck)
                        .flags(TcpSegment.ACK).build());
                return;
            }
        }
    }

    private void send(byte[] frame) {
        engine.onFrame(ByteBuffer.wrap(frame), 0, frame.length);
        frames++;
    }

    private static FrameBuilder.Tcp tcp(long mac, int host, int port) {
        return FrameBuilder.tcp(KERNEL_MAC, mac, KERNEL, host).ports(40000 + port, port).seq(1000);
    }

    /** Throws {@code count} mutated frames at the engine; returns how many it was given in all. */
    long run(long count) {
        for (long i = 0; i < count; i++) {
            one();
        }
        return frames;
    }

    private void one() {
        if (random.nextInt(256) == 0) {
            openDnsConnection();
        }
        int pick = random.nextInt(seeds.size() + dnsOverTcp.size());
        byte[] frame;
        long offload;
        int device;
        if (pick < seeds.size()) {
            frame = mutate(seeds.get(pick).clone());
            offload = offload(frame);
            device = random.nextInt(10) == 0 ? 1 : 0;
        } else { // half as sent, for the (malformed) message to reach the server on a connection in step
            byte[] framed = dnsOverTcp.get(pick - seeds.size());
            boolean asSent = random.nextBoolean();
            frame = dnsSegment(framed);
            frame = asSent ? frame : mutate(frame);
            offload = asSent ? Offload.NONE : offload(frame);
            device = asSent || random.nextInt(10) != 0 ? 0 : 1;
            if (asSent) {
                dnsSeq += framed.length;
            }
        }
        int offset = random.nextInt(4) == 0 ? random.nextInt(20) : 0; // frames do not always start at 0
        ByteBuffer buffer = ByteBuffer.allocate(offset + frame.length + random.nextInt(8));
        buffer.put(offset, frame);
        engine.onFrame(buffer, offset, frame.length, offload, device);
        frames++;
        if (random.nextInt(8) == 0) {
            engine.endOfBatch();
        }
        if (random.nextInt(32) == 0) {
            clock.advance(random.nextLong(TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
            engine.pollTimers();
        }
        if (random.nextInt(1024) == 0) {
            tap.clear();
            port.clear();
        }
    }

    /** Runs every timer to the end: connections and held frames wind down as they would. */
    void drain() {
        engine.endOfBatch();
        for (int i = 0; i < 10_000 && engine.nextDeadline() != TimerWheel.NONE; i++) {
            clock.advanceTo(Math.max(clock.nanos(), engine.nextDeadline()));
            engine.pollTimers();
            tap.clear();
            port.clear();
        }
    }

    void close() throws Exception {
        capture.close();
    }

    private byte[] mutate(byte[] frame) {
        int changes = 1 + random.nextInt(4);
        for (int c = 0; c < changes; c++) {
            switch (random.nextInt(9)) {
                case 0 -> frame[random.nextInt(frame.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> frame[random.nextInt(frame.length)] = (byte) edge();
                case 2 -> { // a length, offset or flags field of the headers
                    int[] fields = {12, 13, 14, 16, 17, 20, 22, 23, 24, 46, 47, 38, 39, 40, 41, 42, 43, 48, 49,
                        18, 19, 21, 54, 55, 56, 57, 62, 63, 66, 67}; // and IPv6's: lengths, next headers, options

                    int at = fields[random.nextInt(fields.length)];
                    if (at < frame.length) {
                        frame[at] = (byte) edge();
                    }
                }
                case 3 -> frame = java.util.Arrays.copyOf(frame, random.nextInt(frame.length + 1)); // truncated
                case 4 -> { // extended with noise
                    int old = frame.length;
                    frame = java.util.Arrays.copyOf(frame, old + random.nextInt(200));
                    for (int i = old; i < frame.length; i++) {
                        frame[i] = (byte) random.nextInt(256);
                    }
                }
                case 5 -> { // TCP options made of noise
                    for (int i = TCP_AT + 20; i < Math.min(frame.length, TCP_AT + 60); i++) {
                        if (random.nextInt(3) == 0) {
                            frame[i] = (byte) edge();
                        }
                    }
                }
                case 6 -> { // to a broadcast or to another station
                    if (frame.length >= 6) {
                        long mac = random.nextBoolean() ? MacAddress.BROADCAST : MacAddress.derivedFrom(HOSTS[random.nextInt(HOSTS.length)]);
                        for (int i = 0; i < 6; i++) {
                            frame[i] = (byte) (mac >>> (40 - 8 * i));
                        }
                    }
                }
                case 7 -> { // a byte of a UDP payload (a DNS message's) made a pointer or a label length
                    if (frame.length > UDP_PAYLOAD_AT) {
                        int at = UDP_PAYLOAD_AT + random.nextInt(frame.length - UDP_PAYLOAD_AT);
                        frame[at] = (byte) (random.nextBoolean() ? 0xc0 | random.nextInt(64) : random.nextInt(64));
                    }
                }
                default -> { } // unchanged: valid frames keep connections going, so later mutations meet them
            }
            if (frame.length == 0) {
                break;
            }
        }
        return frame;
    }

    private int edge() {
        int[] values = {0, 1, 0x7f, 0x80, 0xfe, 0xff, 5, 6, 15, 16, 20, 40, 60, 64};
        return random.nextInt(3) == 0 ? random.nextInt(256) : values[random.nextInt(values.length)];
    }

    /** Mostly none; sometimes a descriptor that fits a TCP frame, sometimes one of noise. */
    private long offload(byte[] frame) {
        return switch (random.nextInt(10)) {
            case 0 -> Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4, 200 + random.nextInt(1400), TCP_AT, 16);
            case 1 -> Offload.partialChecksum(random.nextInt(frame.length + 8), random.nextInt(40));
            case 2 -> random.nextLong();
            case 3 -> Offload.of(Offload.FLAG_DATA_VALID, 0, 0, 0, 0);
            case 4 -> Offload.of(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV6, 200 + random.nextInt(1400), TCP6_AT, 16);
            default -> Offload.NONE;
        };
    }

    private static byte[] ipv6Frame() {
        byte[] frame = new byte[14 + 40 + 20];
        ByteBuffer b = ByteBuffer.wrap(frame);
        b.putShort(12, (short) 0x86dd);
        b.put(14, (byte) 0x60);
        b.putShort(18, (short) 20);
        b.put(20, (byte) 6);
        b.put(21, (byte) 64);
        return frame;
    }

    private static byte[] vlanFrame() {
        byte[] frame = new byte[18 + 28];
        ByteBuffer b = ByteBuffer.wrap(frame);
        b.putShort(12, (short) 0x8100);
        b.putShort(16, (short) 0x0800);
        return frame;
    }
}
