package tapnet.net;

import java.nio.ByteBuffer;
import tapnet.node.HostTable;
import tapnet.node.VirtualHost;
import tapnet.observe.Counter;
import tapnet.observe.Counters;
import tapnet.wire.Ipv4Packet;
import tapnet.wire.Ipv6Packet;
import tapnet.wire.UdpDatagram;

/**
 * Datagrams the virtual hosts send themselves, as clients (a probe's DNS query): written straight into a
 * frame, or held while ARP asks for the neighbour's MAC and sent when it answers, as a kernel queues a few
 * per unresolved neighbour. At most {@value #CAPACITY} wait, of at most {@value #MAX_HELD} bytes each; a
 * new one takes the oldest one's place, which is never sent (its sender times out). A held datagram of a
 * host stopped meanwhile is dropped. Allocates nothing once built. Engine thread only.
 */
final class UdpOutput {
    static final int CAPACITY = 16;
    /** A datagram's payload in one 1500-byte frame. */
    static final int MAX_HELD = 1472;

    private final PacketWriter out;
    private final Counters counters;
    private final UdpDatagram udp = new UdpDatagram();
    private final VirtualHost[] hosts = new VirtualHost[CAPACITY];
    private final int[] addresses = new int[CAPACITY];
    private final int[] localPorts = new int[CAPACITY];
    private final int[] remotePorts = new int[CAPACITY];
    private final int[] lengths = new int[CAPACITY];
    private final byte[][] payloads = new byte[CAPACITY][MAX_HELD];
    private int held;
    private int next;

    UdpOutput(PacketWriter out, Counters counters) {
        this.out = out;
        this.counters = counters;
    }

    /**
     * The largest payload one datagram carries here, to either family: what a frame holds past IPv6's longer
     * header, and no more than can be held while the neighbour is asked for.
     */
    int maxPayload() {
        return Math.min(MAX_HELD, out.maxTransportLength() - (Ipv6Packet.HEADER_LENGTH - Ipv4Packet.MIN_HEADER_LENGTH)
                - UdpDatagram.HEADER_LENGTH);
    }

    /** Sends {@code length} bytes of {@code payload} from {@code host}'s {@code localPort} to {@code address:remotePort} via {@code mac}. */
    void send(VirtualHost host, long mac, int address, int localPort, int remotePort, byte[] payload, int length) {
        int source = host.sourceFor(address);
        int at = PacketWriter.transportOffset(address);
        ByteBuffer frame = out.beginIp(host.mac(), mac, address);
        frame.put(at + UdpDatagram.HEADER_LENGTH, payload, 0, length);
        udp.wrap(frame, at, UdpDatagram.HEADER_LENGTH + length)
                .write(localPort, remotePort, length, out.addressSum(source, address));
        out.commitIp(source, address, Ipv4Packet.PROTOCOL_UDP, UdpDatagram.HEADER_LENGTH + length);
        counters.increment(Counter.UDP_DATAGRAMS_OUT);
    }

    /** Keeps the datagram until ARP answers for {@code address} ({@link #learned}). */
    void hold(VirtualHost host, int address, int localPort, int remotePort, byte[] payload, int length) {
        int slot = next;
        next = (next + 1) % CAPACITY;
        if (hosts[slot] == null) {
            held++;
        }
        hosts[slot] = host;
        addresses[slot] = address;
        localPorts[slot] = localPort;
        remotePorts[slot] = remotePort;
        lengths[slot] = length;
        System.arraycopy(payload, 0, payloads[slot], 0, length);
    }

    /** ARP told us {@code address}'s MAC: the datagrams that waited for it go out, oldest first, from hosts still running. */
    void learned(int address, long mac, HostTable table) {
        for (int i = 0; held > 0 && i < CAPACITY; i++) {
            int slot = (next + i) % CAPACITY; // the ring's oldest entry is where the next one will go
            if (hosts[slot] != null && addresses[slot] == address) {
                VirtualHost host = hosts[slot];
                hosts[slot] = null;
                held--;
                if (!table.isStopped(host)) {
                    send(host, mac, address, localPorts[slot], remotePorts[slot], payloads[slot], lengths[slot]);
                }
            }
        }
    }
}
