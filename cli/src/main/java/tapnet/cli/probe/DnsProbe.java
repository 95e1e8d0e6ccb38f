package tapnet.cli.probe;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import tapnet.script.DnsProbeExchange;
import tapnet.script.RunReport.Sample;
import tapnet.tap.NetworkNamespace;
import tapnet.topology.ProbeSpec;
import tapnet.wire.Ipv4Address;

/**
 * DNS {@code name}: one query over a UDP socket of the namespace's kernel to the topology's DNS server, port
 * 53, with a random id (RFC 5452 §9.2); milliseconds from the send to the answer. Datagrams that are not
 * the answer (another id, another question) are skipped until the timeout; an ICMP port unreachable
 * ends the sample as {@code unreachable}. The outcome of an answer is {@link DnsProbeExchange#judge}'s.
 */
final class DnsProbe implements KernelProbe {
    private static final SecureRandom IDS = new SecureRandom();
    /** What one answer may be: 512 bytes without EDNS0, and room to see a longer one as it came. */
    private static final int MAX_ANSWER = 65_535;

    private final int port;

    DnsProbe() {
        this(DnsProbeExchange.PORT);
    }

    /** Asks on {@code port} instead of 53: for tests, with a server of their own on loopback. */
    DnsProbe(int port) {
        this.port = port;
    }

    @Override
    public Sample measure(ProbeSpec probe, long atNanos, NetworkNamespace namespace) throws IOException {
        ProbeSpec.DnsQuery question = probe.dns();
        byte[] query = DnsProbeExchange.query(question, IDS.nextInt(1 << 16));
        byte[] answer = new byte[MAX_ANSWER];
        long start = System.nanoTime();
        long deadline = start + probe.timeout().toNanos();
        try (DatagramSocket socket = new DatagramSocket()) {
            // connected: the kernel drops datagrams from anyone else and reports the server's port unreachable
            socket.connect(new InetSocketAddress(Ipv4Address.format(question.server()), port));
            socket.send(new DatagramPacket(query, query.length));
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return KernelProbe.failed(atNanos, "timeout");
                }
                socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                DatagramPacket packet = new DatagramPacket(answer, answer.length);
                socket.receive(packet);
                Sample sample = DnsProbeExchange.judge(query, answer, packet.getLength(), atNanos,
                        (System.nanoTime() - start) / 1e6);
                if (sample != null) {
                    return sample;
                }
            }
        } catch (SocketTimeoutException e) {
            return KernelProbe.failed(atNanos, "timeout");
        } catch (PortUnreachableException e) {
            return KernelProbe.failed(atNanos, "unreachable");
        }
    }
}
