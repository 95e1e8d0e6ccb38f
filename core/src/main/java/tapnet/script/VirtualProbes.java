package tapnet.script;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import tapnet.engine.Engine;
import tapnet.net.PingListener;
import tapnet.node.VirtualHost;
import tapnet.tcp.CloseReason;
import tapnet.tcp.ConnectionHandler;
import tapnet.tcp.TcpConnection;
import tapnet.topology.ProbeSpec;

/**
 * Samples taken by a virtual host with tapnet's own stack: ping, connect, HTTP GET and bulk transfer
 * as a client would do them, and DNS queries over UDP ({@link VirtualDnsQueries}), timed on the run's timeline. Every engine call goes through {@code onEngine} (the
 * engine thread; in a simulated run, the caller's), and timeouts come from the timeline.
 */
public final class VirtualProbes implements ProbeSampler {
    /** The ICMP identifier of probe pings, as ping(8) uses its process id. */
    private static final int PING_IDENTIFIER = 0x7470; // "tp"

    private final Engine engine;
    private final Executor onEngine;
    private final Timeline timeline;
    /** Engine thread only. */
    private int nextSequence;
    private final VirtualDnsQueries dns;

    public VirtualProbes(Engine engine, Executor onEngine, Timeline timeline) {
        this.engine = engine;
        this.onEngine = onEngine;
        this.timeline = timeline;
        this.dns = new VirtualDnsQueries(engine);
    }

    @Override
    public void sample(ProbeSpec probe, long atNanos, Consumer<RunReport.Sample> done) {
        Attempt attempt = new Attempt(probe, atNanos, done);
        onEngine.execute(attempt::start);
        timeline.at(atNanos + probe.timeout().toNanos(), () -> onEngine.execute(() -> attempt.fail("timeout")));
    }

    /** One sample: the connection's handler, until it reports once. */
    private final class Attempt implements ConnectionHandler {
        private final ProbeSpec probe;
        private final long startNanos;
        private final Consumer<RunReport.Sample> done;
        private byte[] toSend = new byte[0];
        private int sent;
        private final java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
        private TcpConnection connection;
        private long dnsQuery = VirtualDnsQueries.NONE;
        private boolean reported;

        Attempt(ProbeSpec probe, long startNanos, Consumer<RunReport.Sample> done) {
            this.probe = probe;
            this.startNanos = startNanos;
            this.done = done;
        }

        void start() {
            try {
                ProbeTarget target = ProbeTarget.of(probe.kind(), probe.target());
                VirtualHost from = engine.node(probe.from());
                switch (probe.kind()) {
                    case PING -> {
                        ping(from, target.address(engine.hosts().addresses6()), target.isIpv6());
                        return;
                    }
                    case HTTP -> toSend = target.httpRequest().getBytes(StandardCharsets.US_ASCII);
                    case BULK -> toSend = new byte[(int) Math.min(probe.bytes(), Integer.MAX_VALUE - 8)];
                    case CONNECT -> toSend = new byte[0];
                    case COUNTER -> throw new IllegalArgumentException("counters are read by CounterProbes");
                    case DNS -> {
                        dnsQuery = dns.ask(probe, from, startNanos, this::report);
                        return;
                    }
                }
                connection = engine.connect(from, target.address(engine.hosts().addresses6()), target.port(), this);
                if (connection == null) {
                    fail("no free connection slot or port");
                }
            } catch (RuntimeException e) {
                fail("error: " + e.getMessage());
            }
        }

        /** An ICMP echo; each sample its own sequence number, so a late reply never counts for the next. */
        private void ping(VirtualHost from, int address, boolean ipv6) {
            int sequence = nextSequence++ & 0xffff;
            boolean sent = engine.ping(from, address, PING_IDENTIFIER, sequence, 56, new PingListener() {
                @Override
                public void onReply(int seq, long nanos) {
                    succeed(elapsedMillis());
                }

                @Override
                public void onUnreachable(int seq, int type, int code) {
                    fail(type == (ipv6 ? 3 : 11) ? "ttl exceeded" : "unreachable"); // ICMPv6 time exceeded is type 3
                }
            });
            if (!sent) {
                fail("host stopped");
            }
        }

        private double elapsedMillis() {
            return (timeline.now() - startNanos) / 1e6;
        }

        @Override
        public void onOpen(TcpConnection c) {
            if (probe.kind() == ProbeSpec.Kind.CONNECT) {
                succeed(elapsedMillis());
                c.close();
                return;
            }
            onSendSpace(c);
        }

        @Override
        public void onSendSpace(TcpConnection c) {
            if (sent < toSend.length) {
                sent += c.send(toSend, sent, toSend.length - sent);
                if (sent == toSend.length && probe.kind() == ProbeSpec.Kind.BULK) {
                    c.close(); // all queued: the FIN follows it, and discard closes in turn
                }
            }
        }

        @Override
        public void onReceive(TcpConnection c) {
            int n = c.received().size();
            byte[] bytes = new byte[n];
            c.received().copyTo(0, bytes, 0, n);
            c.consume(n);
            if (probe.kind() == ProbeSpec.Kind.HTTP && answer.size() < 1 << 20) {
                answer.write(bytes, 0, n);
                httpComplete();
            }
        }

        /** The whole answer is in once its headers and Content-Length bytes of body are. */
        private void httpComplete() {
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            int headersEnd = text.indexOf("\r\n\r\n");
            if (headersEnd < 0) {
                return;
            }
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(text);
            if (length.find() && answer.size() >= headersEnd + 4 + Long.parseLong(length.group(1))) {
                httpDone();
            }
        }

        private void httpDone() {
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            java.util.regex.Matcher status = java.util.regex.Pattern.compile("^HTTP/1\\.[01] (\\d{3})").matcher(text);
            if (!status.find()) {
                fail(text.isEmpty() ? "empty answer" : "not HTTP");
            } else if (status.group(1).startsWith("2")) {
                succeed(elapsedMillis());
            } else {
                fail("status " + status.group(1));
            }
            connection.close();
        }

        @Override
        public void onPeerClose(TcpConnection c) {
            if (probe.kind() == ProbeSpec.Kind.HTTP && !reported) {
                httpDone();
            }
            c.close();
        }

        @Override
        public void onClose(TcpConnection c) {
            if (probe.kind() == ProbeSpec.Kind.BULK && c.closeReason() == CloseReason.CLOSED && sent == toSend.length) {
                double seconds = elapsedMillis() / 1e3;
                succeed(toSend.length * 8.0 / seconds / 1e6);
                return;
            }
            fail(switch (c.closeReason()) {
                case REFUSED -> "refused";
                case TIMED_OUT -> "timeout";
                case RESET -> "reset";
                default -> "closed early";
            });
        }

        private void succeed(double value) {
            report(true, value, "ok");
        }

        void fail(String outcome) {
            if (!reported && connection != null && outcome.equals("timeout")) {
                connection.abort();
            }
            if (!reported && dnsQuery != VirtualDnsQueries.NONE) {
                dns.cancel(dnsQuery);
            }
            report(false, Double.NaN, outcome);
        }

        private void report(boolean ok, double value, String outcome) {
            report(new RunReport.Sample(startNanos, ok, value, outcome));
        }

        private void report(RunReport.Sample sample) {
            if (!reported) {
                reported = true;
                done.accept(sample);
            }
        }
    }
}
