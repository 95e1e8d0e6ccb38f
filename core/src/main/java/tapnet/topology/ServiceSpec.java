package tapnet.topology;

import java.util.List;
import tapnet.tcp.ConnectionFaults;

/**
 * What serves one port of a virtual host: one record per kind, TCP's or UDP's ({@link #udp()}). What plays each kind at run time is
 * {@code tapnet.build.ServiceHandlers}' to say.
 */
public sealed interface ServiceSpec {
    int MIN_PORT = 1;
    int MAX_PORT = 65_535;

    /** The port served, 1 to 65535: TCP's, or UDP's for a UDP service. */
    int port();

    /** The kind's name as a topology file spells it: echo, discard, chargen, banner, http, udpEcho, udpDiscard. */
    String kind();

    /** Whether it serves a UDP port; TCP and UDP ports are apart, so a host may serve port 7 over both. */
    default boolean udp() {
        return false;
    }

    /** Whether its connections send small segments at once (Nagle off, RFC 9293 §3.7.4 [MUST-17]). */
    default boolean noDelay() {
        return false;
    }

    /** Faults its connections suffer on purpose, in the order the file gives them. */
    default List<ConnectionFaults.Rule> faults() {
        return List.of();
    }

    /** Any service with settings beside its kind: {@code nodelay: true} and {@code faults: [...]}. */
    record Tuned(ServiceSpec service, boolean noDelay, List<ConnectionFaults.Rule> faults) implements ServiceSpec {
        public Tuned {
            if (service instanceof Tuned) {
                throw new IllegalArgumentException("a tuned service cannot be tuned again");
            }
            faults = List.copyOf(faults);
        }

        @Override
        public int port() {
            return service.port();
        }

        @Override
        public String kind() {
            return service.kind();
        }

    }

    private static int checkPort(int port) {
        if (port < MIN_PORT || port > MAX_PORT) {
            throw new IllegalArgumentException("port " + port + " out of range " + MIN_PORT + "-" + MAX_PORT);
        }
        return port;
    }

    /** Echo (RFC 862): every byte received is sent back. */
    record Echo(int port) implements ServiceSpec {
        public Echo {
            checkPort(port);
        }

        @Override
        public String kind() {
            return "echo";
        }

    }

    /** Discard (RFC 863), also called a sink: every byte received is counted and thrown away. */
    record Discard(int port) implements ServiceSpec {
        public Discard {
            checkPort(port);
        }

        @Override
        public String kind() {
            return "discard";
        }

    }

    /** Character generator (RFC 864): an endless stream of text lines, as fast as the peer reads. */
    record Chargen(int port) implements ServiceSpec {
        public Chargen {
            checkPort(port);
        }

        @Override
        public String kind() {
            return "chargen";
        }

    }

    /**
     * A greeting sent as soon as a connection opens, as SMTP or SSH servers do; input is discarded.
     *
     * @param closeAfter close the connection right after the text (tapnet then closes first)
     */
    record Banner(int port, String text, boolean closeAfter) implements ServiceSpec {
        public Banner {
            checkPort(port);
            if (text == null) {
                throw new IllegalArgumentException("banner text is null");
            }
        }

        @Override
        public String kind() {
            return "banner";
        }

    }

    /**
     * An HTTP/1.1 server. Without routes, every request gets the same status and body; with routes, the first
     * route that matches a request answers it, and a request none matches gets 404 ({@link HttpRoute}).
     */
    record Http(int port, int status, String body, String contentType, List<HttpRoute> routes) implements ServiceSpec {
        public static final int DEFAULT_STATUS = 200;
        public static final String DEFAULT_BODY = "hello from tapnet\n";
        public static final String DEFAULT_CONTENT_TYPE = "text/plain";
        /** 1xx responses carry no body and would confuse clients; anything from 200 to 599 is served as is. */
        public static final int MIN_STATUS = 200;
        public static final int MAX_STATUS = 599;

        public Http {
            checkPort(port);
            routes = List.copyOf(routes);
            if (status < MIN_STATUS || status > MAX_STATUS) {
                throw new IllegalArgumentException("HTTP status " + status + " out of range " + MIN_STATUS + "-" + MAX_STATUS);
            }
            if (body == null) {
                throw new IllegalArgumentException("HTTP body is null");
            }
            if (contentTypeProblem(contentType) != null) {
                throw new IllegalArgumentException(contentTypeProblem(contentType));
            }
        }

        /** The single-answer form: every request gets this status and body. */
        public Http(int port, int status, String body, String contentType) {
            this(port, status, body, contentType, List.of());
        }

        /** The routed form: each request answered by the first of {@code routes} that matches it, else 404. */
        public Http(int port, List<HttpRoute> routes) {
            this(port, DEFAULT_STATUS, DEFAULT_BODY, DEFAULT_CONTENT_TYPE, routes);
        }

        /** An HTTP service with the default status, body and content type. */
        public Http(int port) {
            this(port, DEFAULT_STATUS, DEFAULT_BODY, DEFAULT_CONTENT_TYPE);
        }

        /**
         * How many named counters a host serving this keeps: with routes, each route's requests and each status
         * it may answer, and the unmatched requests (see {@code ServiceHandlers}); none without routes.
         */
        public int namedCounters() {
            return routes.isEmpty() ? 0 : 1 + routes.stream().mapToInt(HttpRoute::namedCounters).sum();
        }

        /** Null when {@code value} can be sent as a Content-Type header, else what is wrong with it. */
        public static String contentTypeProblem(String value) {
            if (value == null || value.isBlank()) {
                return "the content type is empty; expected a media type like text/plain or application/json";
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 && c != '\t' || c >= 0x7f) { // RFC 9110 §5.5: no CR, LF or other controls in a field value
                    return "the content type holds a line break, a control or a non-ASCII character;"
                            + " expected a media type like text/plain or application/json";
                }
            }
            return null;
        }

        @Override
        public String kind() {
            return "http";
        }

    }

    /** Echo over UDP (RFC 862): each datagram goes back to its sender. */
    record UdpEcho(int port) implements ServiceSpec {
        public UdpEcho {
            checkPort(port);
        }

        @Override
        public String kind() {
            return "udpEcho";
        }

        @Override
        public boolean udp() {
            return true;
        }
    }

    /** Discard over UDP (RFC 863): each datagram is counted and thrown away. */
    record UdpDiscard(int port) implements ServiceSpec {
        public UdpDiscard {
            checkPort(port);
        }

        @Override
        public String kind() {
            return "udpDiscard";
        }

        @Override
        public boolean udp() {
            return true;
        }
    }
}
