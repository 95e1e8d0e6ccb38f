package tapnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tapnet.tap.TapTestEnvironment;

/** UDP services as the kernel's own UDP sockets meet them through the TAP. */
@Timeout(120)
class UdpIT {
    private static final String HOST = "10.77.0.10";
    private static RunningTopology run;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        TapTestEnvironment.assumeTapTestsCanRun();
        run = RunningTopology.start(dir.resolve("udp.yaml"), """
                tap: { address: 10.77.0.1/24 }
                hosts:
                  dns:
                    address: 10.77.0.10
                    services:
                      - { port: 7, udpEcho: {} }
                      - { port: 9, udpDiscard: {} }
                  lossy:
                    address: 10.77.0.11
                    services:
                      - { port: 7, udpEcho: {} }
                links:
                  - { from: tap, to: lossy, loss: 20% }
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void datagramsSentToUdpEchoComeBackIdentical() throws Exception {
        int echoed = run.call(() -> {
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.setSoTimeout(2000);
                socket.connect(new InetSocketAddress(HOST, 7));
                int count = 0;
                for (int i = 0; i < 20; i++) {
                    byte[] sent = ("datagram " + i + " ").repeat(i * 5 + 1).getBytes(StandardCharsets.US_ASCII);
                    socket.send(new DatagramPacket(sent, sent.length));
                    DatagramPacket back = new DatagramPacket(new byte[2048], 2048);
                    socket.receive(back);
                    assertArrayEquals(sent, Arrays.copyOf(back.getData(), back.getLength()), "datagram " + i);
                    assertEquals(7, back.getPort());
                    count++;
                }
                return count;
            }
        });
        assertEquals(20, echoed);
    }

    /**
     * 1,000 datagrams through a link that loses 20% toward the host: the echoes that come back number
     * 800 give or take what chance allows (a binomial's standard deviation is 12.6; 5 of them either side).
     */
    @Test
    void aLossyLinkLosesDatagramsAtItsRate() throws Exception {
        int sent = 1000;
        int back = run.call(() -> {
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.setReceiveBufferSize(1 << 20);
                socket.connect(new InetSocketAddress("10.77.0.11", 7));
                for (int i = 0; i < sent; i++) {
                    byte[] payload = ByteBuffer.allocate(4).putInt(i).array();
                    socket.send(new DatagramPacket(payload, payload.length));
                }
                java.util.BitSet seen = new java.util.BitSet(sent);
                socket.setSoTimeout(1000);
                try {
                    while (true) {
                        DatagramPacket packet = new DatagramPacket(new byte[16], 16);
                        socket.receive(packet);
                        seen.set(ByteBuffer.wrap(packet.getData(), 0, packet.getLength()).getInt());
                    }
                } catch (java.net.SocketTimeoutException quiet) {
                    return seen.cardinality();
                }
            }
        });
        assertTrue(back >= 737 && back <= 863, back + " of " + sent + " came back through a 20% loss");
    }

    @Test
    void aDatagramToAPortNobodyServesIsRefused() throws Exception {
        // A connected UDP socket hears the ICMP port unreachable as an error on its next receive.
        assertThrows(PortUnreachableException.class, () -> run.call(() -> {
            try (DatagramChannel channel = DatagramChannel.open()) {
                channel.connect(new InetSocketAddress(HOST, 53));
                channel.write(ByteBuffer.wrap("query".getBytes(StandardCharsets.US_ASCII)));
                channel.socket().setSoTimeout(2000);
                channel.socket().receive(new DatagramPacket(new byte[64], 64));
            }
            return null;
        }));
    }

    @Test
    void udpDiscardAnswersNothing() throws Exception {
        boolean timedOut = run.call(() -> {
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.setSoTimeout(500);
                socket.connect(new InetSocketAddress(HOST, 9));
                socket.send(new DatagramPacket(new byte[100], 100));
                try {
                    socket.receive(new DatagramPacket(new byte[64], 64));
                    return false;
                } catch (java.net.SocketTimeoutException expected) {
                    return true;
                }
            }
        });
        assertTrue(timedOut);
    }
}
