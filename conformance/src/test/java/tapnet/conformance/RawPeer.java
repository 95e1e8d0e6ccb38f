package tapnet.conformance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import tapnet.testing.Decoded;
import tapnet.testing.FrameBuilder;
import tapnet.wire.ArpPacket;
import tapnet.wire.EthernetFrame;
import tapnet.wire.Icmpv6Message;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.Ipv6Address;
import tapnet.wire.Ipv6Packet;
import tapnet.wire.MacAddress;
import tapnet.wire.TcpSegment;

/**
 * The fake peer on the wire: addresses ({@code ip}, {@code ip6}, {@code mac}) that no kernel in the test
 * owns, played through a {@link PacketSocket}. A receiver thread reads every frame: it answers ARP requests
 * and neighbour solicitations for the peer's addresses at once (so the target can always reach it), learns
 * ARP replies and neighbour advertisements, ignores the socket's own outgoing frames and anything that is
 * not TCP to the peer (IPv4 or IPv6), and files each TCP segment under the peer's port it is addressed to,
 * where a {@link Peer} (one conversation) takes it. The peer's ports are shared by both families: no two conversations use one.
 */
final class RawPeer implements AutoCloseable {
    /** A TCP segment received, decoded, with when it arrived ({@link System#nanoTime()}). */
    record Received(Decoded.Tcp tcp, long atNanos, String invalid) {
    }

    private static final int MAX_QUEUED_PER_PORT = 1024;

    final int ip;
    /** The peer's IPv6 address, {high, low}. */
    final long[] ip6;
    final long mac;
    private final PacketSocket socket;
    private final Map<Integer, BlockingQueue<Received>> byPort = new ConcurrentHashMap<>();
    private final Map<Integer, Long> arpTable = new ConcurrentHashMap<>();
    /** MACs advertised in neighbour advertisements, by the target address's text. */
    private final Map<String, Long> neighbors = new ConcurrentHashMap<>();
    private final Thread receiver;
    private volatile boolean running = true;
    private volatile Throwable receiverFailure;

    RawPeer(PacketSocket socket, int ip, long[] ip6, long mac) {
        this.socket = socket;
        this.ip = ip;
        this.ip6 = ip6;
        this.mac = mac;
        this.receiver = new Thread(this::receiveLoop, "conformance-peer-" + Ipv4Address.format(ip));
        receiver.setDaemon(true);
        receiver.start();
    }

    void send(byte[] frame) {
        try {
            socket.send(frame);
        } catch (IOException e) {
            throw new IllegalStateException("the fake peer cannot send: " + e.getMessage(), e);
        }
    }

    /** Starts filing segments for {@code port}, forgetting any that came before. */
    BlockingQueue<Received> subscribe(int port) {
        BlockingQueue<Received> queue = new LinkedBlockingQueue<>(MAX_QUEUED_PER_PORT);
        byPort.put(port, queue);
        return queue;
    }

    void unsubscribe(int port) {
        byPort.remove(port);
    }

    /**
     * The target host's MAC, asked by ARP (RFC 826) for {@code address} and by neighbour solicitation
     * (RFC 4861 §7.2.2) for {@code address6}: both must answer within {@code timeoutMillis}, naming the same.
     */
    long resolveHost(int address, long[] address6, long timeoutMillis) {
        long hostMac = ask(arpTable, address, () -> send(FrameBuilder.arpRequest(mac, ip, address)), timeoutMillis,
                "no ARP reply for " + Ipv4Address.format(address));
        String text6 = Ipv6Address.format(address6[0], address6[1]);
        long hostMac6 = ask(neighbors, text6, () -> send(Ipv6Frames.solicitation(mac, ip6, address6)), timeoutMillis,
                "no neighbour advertisement for " + text6);
        if (hostMac6 != hostMac) {
            throw new AssertionError("ARP gives " + MacAddress.format(hostMac) + " for " + Ipv4Address.format(address)
                    + ", neighbour discovery " + MacAddress.format(hostMac6) + " for " + text6);
        }
        return hostMac;
    }

    /** What the receiver files in {@code table} under {@code key}, sending {@code request} every 200 ms until it comes. */
    private <K> long ask(Map<K, Long> table, K key, Runnable request, long timeoutMillis, String failure) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            Long known = table.get(key);
            if (known != null) {
                return known;
            }
            request.run();
            for (int i = 0; i < 20 && !table.containsKey(key); i++) {
                sleep(10);
            }
        }
        throw new AssertionError(failure + " within " + timeoutMillis + " ms"
                + (receiverFailure != null ? "; the receiver failed: " + receiverFailure : ""));
    }

    private void receiveLoop() {
        try {
            while (running) {
                PacketSocket.Frame frame = socket.receive(100);
                if (frame == null || frame.packetType() == PacketSocket.PACKET_OUTGOING) {
                    continue;
                }
                onFrame(frame.bytes(), System.nanoTime());
            }
        } catch (Throwable t) {
            if (running) {
                receiverFailure = t;
            }
        }
    }

    private void onFrame(byte[] bytes, long atNanos) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        EthernetFrame eth = new EthernetFrame().wrap(b, 0, bytes.length);
        if (!eth.isComplete()) {
            return;
        }
        if (eth.etherType() == EthernetFrame.TYPE_ARP) {
            onArp(new ArpPacket().wrap(b, eth.payloadOffset(), eth.payloadLength()));
            return;
        }
        if (eth.destination() != mac && !MacAddress.isGroup(eth.destination())) {
            return;
        }
        if (eth.etherType() == EthernetFrame.TYPE_IPV4) {
            onIpv4(bytes, b, eth, atNanos);
        } else if (eth.etherType() == EthernetFrame.TYPE_IPV6) {
            onIpv6(bytes, b, eth, atNanos);
        }
    }

    private void onIpv4(byte[] bytes, ByteBuffer b, EthernetFrame eth, long atNanos) {
        Ipv4Packet ipv4 = new Ipv4Packet().wrap(b, eth.payloadOffset(), eth.payloadLength());
        if (ipv4.check() == Ipv4Packet.Validity.MALFORMED || ipv4.protocol() != Ipv4Packet.PROTOCOL_TCP
                || ipv4.destination() != ip || ipv4.payloadLength() < 4) {
            return;
        }
        TcpSegment tcp = new TcpSegment().wrap(b, ipv4.payloadOffset(), ipv4.payloadLength());
        // Frames may carry padding past the IPv4 datagram; Decoded wants the datagram exactly.
        file(tcp.destinationPort(), exact(bytes, eth.payloadOffset() + ipv4.totalLength()), atNanos,
                frame -> Decoded.of(frame).tcp());
    }

    private void onIpv6(byte[] bytes, ByteBuffer b, EthernetFrame eth, long atNanos) {
        Ipv6Packet ipv6 = new Ipv6Packet().wrap(b, eth.payloadOffset(), eth.payloadLength());
        if (!ipv6.isValid()) {
            return;
        }
        long[] advertised = Ipv6Frames.neighborMessage(b, ipv6, Icmpv6Message.TYPE_NEIGHBOR_ADVERTISEMENT);
        if (advertised != null) {
            if (advertised[2] >= 0) {
                neighbors.put(Ipv6Address.format(advertised[0], advertised[1]), advertised[2]);
            }
            return;
        }
        long[] solicited = Ipv6Frames.neighborMessage(b, ipv6, Icmpv6Message.TYPE_NEIGHBOR_SOLICITATION);
        if (solicited != null) {
            if (solicited[0] == ip6[0] && solicited[1] == ip6[1]) {
                // From :: (duplicate address detection) the answer goes to all nodes (RFC 4861 §7.2.4).
                boolean dad = Ipv6Address.isUnspecified(ipv6.sourceHigh(), ipv6.sourceLow());
                long[] to = dad ? new long[] {Ipv6Address.ALL_NODES_HIGH, Ipv6Address.ALL_NODES_LOW}
                        : new long[] {ipv6.sourceHigh(), ipv6.sourceLow()};
                send(Ipv6Frames.advertisement(mac, ip6, dad ? Ipv6Address.multicastMac(to[1]) : eth.source(), to));
            }
            return;
        }
        if (ipv6.nextHeader() != Ipv6Packet.NEXT_TCP || ipv6.destinationHigh() != ip6[0] || ipv6.destinationLow() != ip6[1]
                || ipv6.payloadLength() < 4) {
            return;
        }
        TcpSegment tcp = new TcpSegment().wrap(b, ipv6.payloadOffset(), ipv6.payloadLength());
        file(tcp.destinationPort(), exact(bytes, ipv6.payloadOffset() + ipv6.payloadLength()), atNanos, Ipv6Frames::decodeTcp);
    }

    private static byte[] exact(byte[] bytes, int end) {
        return end < bytes.length ? Arrays.copyOf(bytes, end) : bytes;
    }

    /** Decodes {@code frame} (checking it) and files it for the conversation on {@code port}, if there is one. */
    private void file(int port, byte[] frame, long atNanos, Function<byte[], Decoded.Tcp> decoder) {
        BlockingQueue<Received> queue = byPort.get(port);
        if (queue == null) {
            return; // a conversation that has ended: late retransmissions of its target
        }
        Received received;
        try {
            received = new Received(decoder.apply(frame), atNanos, null);
        } catch (AssertionError invalid) {
            received = new Received(null, atNanos, invalid.getMessage() + ": " + hex(frame));
        }
        if (!queue.offer(received)) {
            queue.poll();
            queue.offer(received);
        }
    }

    private void onArp(ArpPacket arp) {
        if (!arp.isValidEthernetIpv4()) {
            return;
        }
        if (arp.operation() == ArpPacket.OPERATION_REPLY && arp.targetIp() == ip) {
            arpTable.put(arp.senderIp(), arp.senderMac());
        } else if (arp.operation() == ArpPacket.OPERATION_REQUEST && arp.targetIp() == ip) {
            arpTable.putIfAbsent(arp.senderIp(), arp.senderMac());
            send(arpReply(arp.senderMac(), arp.senderIp()));
        }
    }

    private byte[] arpReply(long toMac, int toIp) {
        ByteBuffer b = ByteBuffer.allocate(EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH);
        new EthernetFrame().wrap(b, 0, EthernetFrame.HEADER_LENGTH).setDestination(toMac).setSource(mac)
                .setEtherType(EthernetFrame.TYPE_ARP);
        new ArpPacket().wrap(b, EthernetFrame.HEADER_LENGTH, ArpPacket.LENGTH)
                .write(ArpPacket.OPERATION_REPLY, mac, ip, toMac, toIp);
        return b.array();
    }

    /** Why the receiver stopped, if it failed; for failure messages. */
    Throwable receiverFailure() {
        return receiverFailure;
    }

    static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte x : bytes) {
            s.append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            receiver.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
    }
}
