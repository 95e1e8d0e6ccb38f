package tapnet.service;

import tapnet.dns.DnsFaultDecision;
import tapnet.dns.DnsFaults;
import tapnet.observe.Counter;
import tapnet.observe.Counters;

/** Counts a DNS server's answers by rcode: the rcodes a {@link tapnet.dns.DnsZone} writes, a bounded set. */
final class DnsAnswers {
    /** By rcode (RFC 1035 §4.1.1): NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED. */
    private static final Counter[] BY_RCODE = {Counter.DNS_NOERROR, Counter.DNS_FORMERR, Counter.DNS_SERVFAIL,
            Counter.DNS_NXDOMAIN, Counter.DNS_NOTIMP, Counter.DNS_REFUSED};
    private static final int FLAGS = 2;
    private static final int FLAG_TC = 0x0200;
    private static final int RCODE_MASK = 0xf;
    /** tapnet's OPT record, when the reply has one, is its last 11 bytes: type at 1, extended rcode at 5. */
    private static final int OPT_LENGTH = 11;
    private static final int ARCOUNT = 10;

    private DnsAnswers() {
    }

    /** By fault kind, in {@link DnsFaults.Kind} order. */
    private static final Counter[] BY_FAULT = {Counter.DNS_FAULT_NXDOMAIN, Counter.DNS_FAULT_SERVFAIL,
            Counter.DNS_FAULT_REFUSED, Counter.DNS_FAULT_TIMEOUT, Counter.DNS_FAULT_TRUNCATE, Counter.DNS_FAULT_DELAY,
            Counter.DNS_FAULT_WRONG_ADDRESS, Counter.DNS_FAULT_TTL};
    private static final DnsFaults.Kind[] KINDS = DnsFaults.Kind.values();

    /** Counts each kind of fault that hit a query. */
    static void countFaults(Counters counters, DnsFaultDecision decision) {
        if (!decision.anyHit()) {
            return; // most queries: no walk over the kinds
        }
        for (DnsFaults.Kind kind : KINDS) {
            if (decision.hit(kind)) {
                counters.increment(BY_FAULT[kind.ordinal()]);
            }
        }
    }

    /** Counts the reply of {@code length} bytes at {@code offset} (0: none was sent). */
    static void count(Counters counters, java.nio.ByteBuffer reply, int offset, int length, boolean overUdp) {
        if (length == 0) {
            counters.increment(Counter.DNS_UNANSWERED);
            return;
        }
        int flags = reply.getShort(offset + FLAGS) & 0xffff;
        int rcode = flags & RCODE_MASK;
        if (rcode == 0 && extendedRcode(reply, offset, length) == 1) {
            counters.increment(Counter.DNS_BADVERS);
        } else if (rcode < BY_RCODE.length) {
            counters.increment(BY_RCODE[rcode]);
        }
        if (overUdp && (flags & FLAG_TC) != 0) {
            counters.increment(Counter.DNS_TRUNCATED);
        }
    }

    /** The upper bits of the reply's rcode, from the OPT record tapnet writes last (RFC 6891 §6.1.3); 0 without one. */
    private static int extendedRcode(java.nio.ByteBuffer reply, int offset, int length) {
        int opt = offset + length - OPT_LENGTH;
        boolean hasOpt = length >= 12 + OPT_LENGTH && reply.getShort(offset + ARCOUNT) != 0
                && (reply.getShort(opt + 1) & 0xffff) == tapnet.wire.DnsMessage.TYPE_OPT;
        return hasOpt ? reply.get(opt + 5) & 0xff : 0;
    }
}
