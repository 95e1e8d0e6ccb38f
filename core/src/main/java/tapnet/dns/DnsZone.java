package tapnet.dns;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tapnet.wire.DnsMessage;
import tapnet.wire.DnsNames;
import tapnet.wire.DnsReply;

/**
 * The names one emulated DNS server answers for, and the answering: {@link #answer} turns a query's bytes
 * into the reply's. Built once ({@link #builder}); answering allocates nothing: the question's name is
 * hashed and compared in place against the zone's pre-encoded lower-case names.
 *
 * <p>The server is authoritative for its domain and for the reverse names (PTR) it was given, and
 * recursive for nothing (RA clear): a name in the domain it does not know is NXDOMAIN; a name outside
 * both is REFUSED, as an authoritative-only server answers (RFC 8906 §3.1.4.1). A CNAME is followed
 * within the zone up to {@value #MAX_CHAIN} links (a loop ends there with what was written); a chain that
 * ends at an unknown name in the domain is NXDOMAIN (RFC 6604), one that leaves the zone stops at the
 * CNAME, for the resolver to follow. A name with records, but none of the asked type, is NOERROR with no
 * answer (no SOA is served yet, so negative answers carry no TTL).
 *
 * <p>One instance per thread: it owns the two flyweights it reads and writes with.
 */
public final class DnsZone {
    /** CNAME links followed in one answer; RFC 1034 §3.6.2 asks to follow chains, and loops must end. */
    public static final int MAX_CHAIN = 8;

    private final byte[] domain;
    private final byte[][] names;
    private final int[] hashes;
    private final Record[][] records;
    /** Open addressing: index + 1 of the name in each slot, 0 for empty. */
    private final int[] slots;
    private final int mask;
    private final DnsMessage query = new DnsMessage();
    private final DnsReply reply = new DnsReply();

    /** One resource record's fixed parts; {@code target} is a CNAME target's index in the zone, or -1. */
    private record Record(int type, int ttl, byte[] rdata, int target, boolean targetInDomain) {
    }

    private DnsZone(byte[] domain, List<byte[]> names, List<List<Record>> records) {
        this.domain = domain;
        int n = names.size();
        this.names = names.toArray(byte[][]::new);
        this.hashes = new int[n];
        this.records = new Record[n][];
        int capacity = Integer.highestOneBit(Math.max(4, n * 2) - 1) << 1;
        this.slots = new int[capacity];
        this.mask = capacity - 1;
        for (int i = 0; i < n; i++) {
            this.records[i] = records.get(i).toArray(Record[]::new);
            int hash = hash(this.names[i]);
            hashes[i] = hash;
            int slot = hash & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = i + 1;
        }
    }

    public static Builder builder(String domain) {
        return new Builder(domain);
    }

    /**
     * Answers the query in {@code queryBuffer} (from {@code queryOffset}, {@code queryLength} bytes) with a
     * reply written into {@code replyBuffer} from {@code replyOffset}, at most {@code maxSize} bytes (and
     * at most 512, or the query's EDNS0 size). Returns the reply's length; 0 means send nothing (shorter
     * than a header, itself a response, or no room even for a header). An unreadable query gets FORMERR,
     * an opcode other than QUERY NOTIMP, a class other than IN REFUSED.
     */
    public int answer(ByteBuffer queryBuffer, int queryOffset, int queryLength, ByteBuffer replyBuffer, int replyOffset,
                      int maxSize) {
        return answer(queryBuffer, queryOffset, queryLength, replyBuffer, replyOffset, maxSize, false);
    }

    /**
     * As {@link #answer}, for a query that came over TCP (RFC 1035 §4.2.2): the reply is limited by
     * {@code maxSize} alone (at most 65,535), not by 512 bytes or the query's EDNS0 size, so that an answer
     * truncated over UDP (TC) is whole here.
     */
    public int answerOverTcp(ByteBuffer queryBuffer, int queryOffset, int queryLength, ByteBuffer replyBuffer,
                             int replyOffset, int maxSize) {
        return answer(queryBuffer, queryOffset, queryLength, replyBuffer, replyOffset, Math.min(maxSize, 0xffff), true);
    }

    /**
     * As {@link #answer} ({@code overTcp} false) or {@link #answerOverTcp}, with what {@code faults} decided
     * for the query ({@link DnsFaults#decide}): an outcome replaces the answer (NXDOMAIN, SERVFAIL, REFUSED,
     * TC without answers; 0, nothing to send, for a timeout), and the records of the answer that goes out
     * take the decision's TTL and A address. Holding the answer back (a delay) is the transport's.
     */
    public int answer(ByteBuffer queryBuffer, int queryOffset, int queryLength, ByteBuffer replyBuffer, int replyOffset,
                      int maxSize, boolean overTcp, DnsFaultDecision faults) {
        if (faults.silent()) {
            return 0;
        }
        int length = write(queryBuffer, queryOffset, queryLength, replyBuffer, replyOffset,
                overTcp ? Math.min(maxSize, 0xffff) : maxSize, overTcp, faults.outcome());
        if (length > 0 && (faults.ttl >= 0 || faults.replaceAddress)) {
            reply.rewriteAnswers(faults.ttl, faults.replaceAddress, faults.address);
        }
        return length;
    }

    private int answer(ByteBuffer queryBuffer, int queryOffset, int queryLength, ByteBuffer replyBuffer, int replyOffset,
                       int maxSize, boolean overTcp) {
        return write(queryBuffer, queryOffset, queryLength, replyBuffer, replyOffset, maxSize, overTcp, null);
    }

    /** The reply, or in its place the one {@code outcome} (a fault's; null: none) puts there. */
    private int write(ByteBuffer queryBuffer, int queryOffset, int queryLength, ByteBuffer replyBuffer, int replyOffset,
                      int maxSize, boolean overTcp, DnsFaults.Kind outcome) {
        query.wrap(queryBuffer, queryOffset, queryLength);
        reply.wrap(replyBuffer, replyOffset, Math.min(maxSize, replyBuffer.capacity() - replyOffset));
        if (query.check() != DnsMessage.Validity.VALID) {
            return reply.writeHeaderOnlyReply(query, DnsMessage.RCODE_FORMERR, maxSize);
        }
        if (!reply.startReply(query, DnsMessage.RCODE_NOERROR, maxSize, overTcp)) {
            return reply.writeHeaderOnlyReply(query, DnsMessage.RCODE_SERVFAIL, maxSize);
        }
        if (query.opcode() != DnsMessage.OPCODE_QUERY) {
            reply.setRcode(DnsMessage.RCODE_NOTIMP);
            reply.setAuthoritative(false);
            return reply.finish();
        }
        if (query.ednsVersion() > 0) {
            reply.setBadVersion(); // a later EDNS version is answered BADVERS, faults or not: it is not understood
            return reply.finish();
        }
        if (outcome != null) {
            return faulted(outcome);
        }
        int node = find();
        if (node < 0 || query.questionClass() != DnsMessage.CLASS_IN && query.questionClass() != DnsMessage.TYPE_ANY) {
            boolean ours = query.questionClass() == DnsMessage.CLASS_IN && query.nameWithin(domain);
            reply.setRcode(ours ? DnsMessage.RCODE_NXDOMAIN : DnsMessage.RCODE_REFUSED);
            reply.setAuthoritative(ours);
            return reply.finish();
        }
        int type = query.questionType();
        int owner = DnsReply.questionPointer();
        for (int hop = 0; hop <= MAX_CHAIN; hop++) {
            Record cname = null;
            boolean answered = false;
            for (Record r : records[node]) {
                if (r.type == type || type == DnsMessage.TYPE_ANY) {
                    if (reply.addRecord(owner, r.type, r.ttl, r.rdata) < 0) {
                        return reply.finish();
                    }
                    answered = true;
                } else if (r.type == DnsMessage.TYPE_CNAME) {
                    cname = r;
                }
            }
            if (answered || cname == null || hop == MAX_CHAIN) {
                break;
            }
            int at = reply.addRecord(owner, DnsMessage.TYPE_CNAME, cname.ttl, cname.rdata);
            if (at < 0) {
                break;
            }
            if (cname.target < 0) {
                if (cname.targetInDomain) {
                    reply.setRcode(DnsMessage.RCODE_NXDOMAIN);
                }
                break;
            }
            owner = 0xc000 | at; // the next owner is the target just written
            node = cname.target;
        }
        return reply.finish();
    }

    /** The reply a fault puts in place of the answer, the question echoed; AA only where the zone speaks (NXDOMAIN). */
    private int faulted(DnsFaults.Kind outcome) {
        switch (outcome) {
            case NXDOMAIN -> reply.setRcode(DnsMessage.RCODE_NXDOMAIN);
            case SERVFAIL, REFUSED -> {
                reply.setRcode(outcome == DnsFaults.Kind.SERVFAIL ? DnsMessage.RCODE_SERVFAIL : DnsMessage.RCODE_REFUSED);
                reply.setAuthoritative(false);
            }
            case TRUNCATE -> reply.truncate();
            default -> throw new IllegalStateException("not an answer a fault writes: " + outcome);
        }
        return reply.finish();
    }

    /** The index of the question's name in the zone, or -1. */
    private int find() {
        int hash = 0;
        int length = query.nameLength();
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + query.lowerNameByte(i);
        }
        int slot = hash & mask;
        while (slots[slot] != 0) {
            int index = slots[slot] - 1;
            if (hashes[index] == hash && query.nameEquals(names[index])) {
                return index;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private static int hash(byte[] name) {
        int hash = 0;
        for (byte b : name) {
            hash = 31 * hash + (b & 0xff);
        }
        return hash;
    }

    /** How many names the zone holds; for reports and tests. */
    public int size() {
        return names.length;
    }

    /**
     * Gathers records, then {@link #build()}s the zone. A name is relative to the domain unless it ends
     * with a dot or already ends with the domain; {@code @} is the domain itself. Every method throws
     * IllegalArgumentException, saying why, for a name or value a zone cannot hold; a name with a CNAME
     * may hold nothing else (RFC 1034 §3.6.2).
     */
    public static final class Builder {
        private final String domain;
        private final byte[] domainWire;
        private final Map<String, List<Pending>> names = new LinkedHashMap<>();

        private record Pending(int type, int ttl, byte[] rdata, String cnameTarget) {
        }

        private Builder(String domain) {
            String problem = DnsNames.problem(domain);
            if (problem != null) {
                throw new IllegalArgumentException("DNS domain: " + problem);
            }
            this.domain = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
            this.domainWire = DnsNames.encode(this.domain);
        }

        /** {@code name} as an absolute name in text, lower-cased, without the final dot. */
        public String qualify(String name) {
            String absolute = DnsNames.qualify(name, domain);
            String problem = DnsNames.problem(absolute);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            return absolute;
        }

        public Builder a(String name, int ipv4, int ttl) {
            return add(name, DnsMessage.TYPE_A, ttl, ByteBuffer.allocate(4).putInt(ipv4).array(), null);
        }

        /** An A record and the PTR record that names its address back: how every host, router and port is served. */
        public Builder address(String name, int ipv4, int ttl) {
            a(name, ipv4, ttl);
            return ptr(ipv4, qualify(name) + ".", ttl);
        }

        public Builder aaaa(String name, byte[] ipv6, int ttl) {
            if (ipv6.length != 16) {
                throw new IllegalArgumentException("an IPv6 address has 16 bytes, not " + ipv6.length);
            }
            return add(name, DnsMessage.TYPE_AAAA, ttl, ipv6.clone(), null);
        }

        public Builder cname(String name, String target, int ttl) {
            String absolute = qualify(target);
            return add(name, DnsMessage.TYPE_CNAME, ttl, DnsNames.encode(absolute), absolute);
        }

        /** A TXT record: {@code text} in character-strings of at most 255 bytes (RFC 1035 §3.3.14). */
        public Builder txt(String name, String text, int ttl) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            int pieces = Math.max(1, (bytes.length + 254) / 255);
            ByteBuffer rdata = ByteBuffer.allocate(bytes.length + pieces);
            for (int i = 0; i < pieces; i++) {
                int from = i * 255;
                int n = Math.min(255, bytes.length - from);
                rdata.put((byte) n).put(bytes, from, n);
            }
            return add(name, DnsMessage.TYPE_TXT, ttl, rdata.array(), null);
        }

        /** RFC 2782: priority, weight, port, target (uncompressed, as it requires). */
        public Builder srv(String name, int priority, int weight, int port, String target, int ttl) {
            byte[] wire = DnsNames.encode(qualify(target));
            ByteBuffer rdata = ByteBuffer.allocate(6 + wire.length);
            rdata.putShort((short) u16(priority, "priority")).putShort((short) u16(weight, "weight"))
                    .putShort((short) u16(port, "port")).put(wire);
            return add(name, DnsMessage.TYPE_SRV, ttl, rdata.array(), null);
        }

        public Builder mx(String name, int preference, String exchange, int ttl) {
            byte[] wire = DnsNames.encode(qualify(exchange));
            ByteBuffer rdata = ByteBuffer.allocate(2 + wire.length);
            rdata.putShort((short) u16(preference, "preference")).put(wire);
            return add(name, DnsMessage.TYPE_MX, ttl, rdata.array(), null);
        }

        /** An AAAA record and the PTR record that names its address back (RFC 3596 §2.5). */
        public Builder address6(String name, byte[] ipv6, int ttl) {
            aaaa(name, ipv6, ttl);
            StringBuilder reverse = new StringBuilder();
            for (int i = 15; i >= 0; i--) {
                reverse.append(Character.forDigit(ipv6[i] & 0xf, 16)).append('.')
                        .append(Character.forDigit(ipv6[i] >>> 4 & 0xf, 16)).append('.');
            }
            return add(reverse.append("ip6.arpa.").toString(), DnsMessage.TYPE_PTR, ttl,
                    DnsNames.encode(qualify(name) + "."), null);
        }

        /** A PTR record for {@code ipv4}: {@code d.c.b.a.in-addr.arpa} naming {@code target} (RFC 1035 §3.5). */
        public Builder ptr(int ipv4, String target, int ttl) {
            String reverse = (ipv4 & 0xff) + "." + (ipv4 >>> 8 & 0xff) + "." + (ipv4 >>> 16 & 0xff) + "." + (ipv4 >>> 24)
                    + ".in-addr.arpa.";
            return add(reverse, DnsMessage.TYPE_PTR, ttl, DnsNames.encode(qualify(target)), null);
        }

        private static int u16(int value, String what) {
            if (value < 0 || value > 0xffff) {
                throw new IllegalArgumentException(what + " " + value + " out of range 0-65535");
            }
            return value;
        }

        private Builder add(String name, int type, int ttl, byte[] rdata, String cnameTarget) {
            if (ttl < 0) {
                throw new IllegalArgumentException("TTL " + ttl + " is negative"); // RFC 2181 §8: 0 to 2^31 - 1
            }
            String absolute = qualify(name);
            List<Pending> list = names.computeIfAbsent(absolute, k -> new ArrayList<>());
            boolean hasCname = list.stream().anyMatch(p -> p.type == DnsMessage.TYPE_CNAME);
            if (hasCname || type == DnsMessage.TYPE_CNAME && !list.isEmpty()) {
                throw new IllegalArgumentException(absolute + " has a CNAME and other records; a CNAME must be alone");
            }
            for (Pending p : list) {
                if (p.type == type && java.util.Arrays.equals(p.rdata, rdata)) {
                    return this; // the same record twice is one record (RFC 2181 §5)
                }
            }
            list.add(new Pending(type, ttl, rdata, cnameTarget));
            return this;
        }

        public DnsZone build() {
            List<String> order = new ArrayList<>(names.keySet());
            List<byte[]> wires = new ArrayList<>();
            List<List<Record>> records = new ArrayList<>();
            String suffix = "." + domain.toLowerCase(java.util.Locale.ROOT);
            for (String name : order) {
                wires.add(DnsNames.encode(name));
                List<Record> list = new ArrayList<>();
                for (Pending p : names.get(name)) {
                    String t = p.cnameTarget;
                    int target = t == null ? -1 : order.indexOf(t);
                    boolean inDomain = t != null && (t.equals(suffix.substring(1)) || t.endsWith(suffix));
                    list.add(new Record(p.type, p.ttl, p.rdata, target, inDomain));
                }
                records.add(list);
            }
            return new DnsZone(domainWire, wires, records);
        }
    }
}
