package tapnet.wire;

import java.nio.ByteBuffer;

/**
 * A DNS message (RFC 1035 §4.1) read as a query: {@link #check()} parses the header, the one question
 * and an EDNS0 OPT record (RFC 6891); {@link DnsReply} writes the reply to it. The question's name is
 * copied once, with its compression pointers followed, into a buffer this view owns (at most 255 bytes,
 * RFC 1035 §2.3.4), so a zone compares it with its own pre-encoded names; nothing is allocated per
 * message.
 *
 * <p>A pointer in a name must point strictly before the part of the name being read, so a loop is
 * impossible, and a name may hold at most {@value #MAX_POINTERS} pointers; with at most
 * {@value #MAX_RECORDS} records besides the question, reading any message takes a bounded number of
 * steps. Anything else makes the message invalid with a reason, never an exception.
 */
public final class DnsMessage extends BufferView {
    public static final int HEADER_LENGTH = 12;
    /** RFC 1035 §4.2.1: replies over UDP without EDNS0 carry at most 512 bytes. */
    public static final int CLASSIC_UDP_SIZE = 512;
    /** The largest payload tapnet advertises or uses, the DNS flag day 2020's recommendation. */
    public static final int MAX_UDP_SIZE = 1232;
    public static final int MAX_NAME_LENGTH = 255;
    public static final int MAX_LABEL_LENGTH = 63;

    public static final int TYPE_A = 1;
    public static final int TYPE_CNAME = 5;
    public static final int TYPE_PTR = 12;
    public static final int TYPE_MX = 15;
    public static final int TYPE_TXT = 16;
    public static final int TYPE_AAAA = 28;
    public static final int TYPE_SRV = 33;
    public static final int TYPE_OPT = 41;
    public static final int TYPE_ANY = 255;
    public static final int CLASS_IN = 1;

    public static final int OPCODE_QUERY = 0;
    public static final int RCODE_NOERROR = 0;
    public static final int RCODE_FORMERR = 1;
    public static final int RCODE_SERVFAIL = 2;
    public static final int RCODE_NXDOMAIN = 3;
    public static final int RCODE_NOTIMP = 4;
    public static final int RCODE_REFUSED = 5;
    /** RFC 6891 §6.1.3: an EDNS version the responder does not implement; 16, so in the OPT record's extended bits. */
    public static final int RCODE_BADVERS = 16;

    static final int ID = 0;
    static final int FLAGS = 2;
    static final int QDCOUNT = 4;
    static final int ANCOUNT = 6;
    static final int NSCOUNT = 8;
    static final int ARCOUNT = 10;

    static final int FLAG_QR = 0x8000;
    static final int OPCODE_SHIFT = 11;
    static final int OPCODE_MASK = 0xf;
    static final int FLAG_AA = 0x0400;
    static final int FLAG_TC = 0x0200;
    static final int FLAG_RD = 0x0100;
    static final int FLAG_RA = 0x0080;
    static final int RCODE_MASK = 0xf;

    private static final int POINTER_BITS = 0xc0;
    /** A resource record after its name: type, class, TTL, RDLENGTH (RFC 1035 §4.1.3). */
    static final int RECORD_FIXED = 10;

    /** What {@link #check()} found; anything but {@link #VALID} says what is wrong with the query. */
    public enum Validity {
        VALID, SHORTER_THAN_HEADER, NOT_A_QUERY, NOT_ONE_QUESTION, NAME_TRUNCATED, LABEL_TOO_LONG, NAME_TOO_LONG,
        POINTER_OUT_OF_RANGE, POINTER_FORWARD, POINTER_LOOP, QUESTION_TRUNCATED, RECORD_TRUNCATED,
        OPT_NOT_ROOT, TWO_OPT_RECORDS, TOO_MANY_RECORDS
    }

    /**
     * Records after the question that a query may carry: an OPT, a TSIG or SIG(0), a few more. More is no
     * query a resolver sends, and reading each costs up to {@value #MAX_POINTERS} pointer steps.
     */
    public static final int MAX_RECORDS = 16;
    /** A 255-byte name has at most 127 labels, so at most 128 pointers: more is a chain made to waste work. */
    public static final int MAX_POINTERS = 128;

    /** The question's name, uncompressed in wire form, as it came (case kept: resolvers check it, 0x20). */
    private final byte[] name = new byte[MAX_NAME_LENGTH];
    private int nameLength;
    private int questionType;
    private int questionClass;
    private int questionEnd;
    private int ednsPayloadSize;
    private int ednsVersion;
    private boolean edns;
    /** Where {@link #readName} ended in the message: the byte after the name as it sits in the message. */
    private int nameEnd;
    private Validity nameProblem;

    public DnsMessage wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        nameLength = 0;
        edns = false;
        ednsPayloadSize = 0;
        return this;
    }

    /**
     * Reads the message as a query: a whole header with QR clear, exactly one question whose name is
     * well formed, and in the additional section at most one OPT record, with the root as its name.
     * Answer and authority records are skipped (their names bounded the same way). Bytes after the
     * counted records are ignored.
     */
    public Validity check() {
        edns = false;
        ednsPayloadSize = 0;
        nameLength = 0;
        if (length < HEADER_LENGTH) {
            return Validity.SHORTER_THAN_HEADER;
        }
        if (isResponse()) {
            return Validity.NOT_A_QUERY;
        }
        if (questionCount() != 1) {
            return Validity.NOT_ONE_QUESTION;
        }
        if (!readName(HEADER_LENGTH, true)) {
            return nameProblem;
        }
        if (nameEnd + 4 > length) {
            return Validity.QUESTION_TRUNCATED;
        }
        questionType = u16(nameEnd);
        questionClass = u16(nameEnd + 2);
        questionEnd = nameEnd + 4;
        int at = questionEnd;
        int records = answerCount() + authorityCount();
        if (records + additionalCount() > MAX_RECORDS) {
            return Validity.TOO_MANY_RECORDS;
        }
        for (int i = 0; i < records; i++) {
            at = skipRecord(at);
            if (at < 0) {
                return nameProblem;
            }
        }
        int additional = additionalCount();
        for (int i = 0; i < additional; i++) {
            if (!readName(at, false)) {
                return nameProblem;
            }
            if (nameEnd + RECORD_FIXED > length) {
                return Validity.RECORD_TRUNCATED;
            }
            if (u16(nameEnd) == TYPE_OPT) { // RFC 6891 §6.1.1: one OPT, owned by the root
                if (nameEnd != at + 1 || u8(at) != 0) {
                    return Validity.OPT_NOT_ROOT;
                }
                if (edns) {
                    return Validity.TWO_OPT_RECORDS;
                }
                edns = true;
                ednsPayloadSize = u16(nameEnd + 2);
                ednsVersion = u8(nameEnd + 5); // TTL: extended rcode, version, flags (RFC 6891 §6.1.3)
            }
            at = skipRecord(at);
            if (at < 0) {
                return nameProblem;
            }
        }
        return Validity.VALID;
    }

    /** The offset after the record at {@code at}, or -1 with {@link #nameProblem} set. */
    private int skipRecord(int at) {
        if (!readName(at, false)) {
            return -1;
        }
        if (nameEnd + RECORD_FIXED > length) {
            nameProblem = Validity.RECORD_TRUNCATED;
            return -1;
        }
        int end = nameEnd + RECORD_FIXED + u16(nameEnd + 8);
        if (end > length) {
            nameProblem = Validity.RECORD_TRUNCATED;
            return -1;
        }
        return end;
    }

    /**
     * Reads the name at {@code start} (relative to the view), following pointers; sets {@link #nameEnd}
     * and, when {@code keep}, copies it into {@link #name}. RFC 1035 §4.1.4: a pointer's top two bits are
     * set; a length byte of 64 to 191 is a label longer than 63 or a retired label type (RFC 6891 §5).
     */
    private boolean readName(int start, boolean keep) {
        int at = start;
        int segmentStart = start; // a pointer must land before the segment it is found in
        int total = 0;
        int pointers = 0;
        nameEnd = -1;
        while (true) {
            if (at >= length) {
                nameProblem = Validity.NAME_TRUNCATED;
                return false;
            }
            int label = u8(at);
            if ((label & POINTER_BITS) == POINTER_BITS) {
                if (at + 1 >= length) {
                    nameProblem = Validity.NAME_TRUNCATED;
                    return false;
                }
                int target = ((label & 0x3f) << 8) | u8(at + 1);
                if (nameEnd < 0) {
                    nameEnd = at + 2;
                }
                if (target >= length) {
                    nameProblem = Validity.POINTER_OUT_OF_RANGE;
                    return false;
                }
                if (target > at) {
                    nameProblem = Validity.POINTER_FORWARD;
                    return false;
                }
                if (target >= segmentStart || ++pointers > MAX_POINTERS) {
                    nameProblem = Validity.POINTER_LOOP;
                    return false;
                }
                at = target;
                segmentStart = target;
                continue;
            }
            if ((label & POINTER_BITS) != 0) {
                nameProblem = Validity.LABEL_TOO_LONG; // 64 to 191: longer than 63, or a retired label type
                return false;
            }
            if (total + 1 + label > MAX_NAME_LENGTH) {
                nameProblem = Validity.NAME_TOO_LONG;
                return false;
            }
            if (at + 1 + label > length) {
                nameProblem = Validity.NAME_TRUNCATED;
                return false;
            }
            if (keep) {
                for (int i = 0; i <= label; i++) {
                    name[total + i] = buffer.get(offset + at + i);
                }
            }
            total += 1 + label;
            at += 1 + label;
            if (label == 0) {
                if (nameEnd < 0) {
                    nameEnd = at;
                }
                if (keep) {
                    nameLength = total;
                }
                return true;
            }
        }
    }

    public int id() {
        return u16(ID);
    }

    public int flags() {
        return u16(FLAGS);
    }

    public boolean isResponse() {
        return (flags() & FLAG_QR) != 0;
    }

    public int opcode() {
        return (flags() >>> OPCODE_SHIFT) & OPCODE_MASK;
    }

    public boolean authoritative() {
        return (flags() & FLAG_AA) != 0;
    }

    public boolean truncated() {
        return (flags() & FLAG_TC) != 0;
    }

    public boolean recursionDesired() {
        return (flags() & FLAG_RD) != 0;
    }

    public boolean recursionAvailable() {
        return (flags() & FLAG_RA) != 0;
    }

    public int rcode() {
        return flags() & RCODE_MASK;
    }

    public int questionCount() {
        return u16(QDCOUNT);
    }

    public int answerCount() {
        return u16(ANCOUNT);
    }

    public int authorityCount() {
        return u16(NSCOUNT);
    }

    public int additionalCount() {
        return u16(ARCOUNT);
    }

    /** After a VALID {@link #check()}: the question's type, class and name. */
    public int questionType() {
        return questionType;
    }

    public int questionClass() {
        return questionClass;
    }

    /** Bytes of the question's name in wire form, the root's zero included. */
    public int nameLength() {
        return nameLength;
    }

    /** Byte {@code i} of the question's name in wire form, as it came. */
    public int nameByte(int i) {
        return name[i] & 0xff;
    }

    /** Byte {@code i} of the question's name, ASCII letters lower-cased (RFC 4343: names match case-insensitively). */
    public int lowerNameByte(int i) {
        int b = name[i] & 0xff;
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    /**
     * True when the question's name is {@code encoded} (lower-case wire form), case aside. Length bytes
     * are below 64, so lower-casing them changes nothing.
     */
    public boolean nameEquals(byte[] encoded) {
        if (encoded.length != nameLength) {
            return false;
        }
        for (int i = 0; i < nameLength; i++) {
            if (lowerNameByte(i) != (encoded[i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    /** True when the question's name is {@code encoded} (lower-case wire form) or below it, at a label boundary. */
    public boolean nameWithin(byte[] encoded) {
        int at = 0;
        while (nameLength - at > encoded.length) {
            at += 1 + name[at];
        }
        if (nameLength - at != encoded.length) {
            return false;
        }
        for (int i = 0; i < encoded.length; i++) {
            if (lowerNameByte(at + i) != (encoded[i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    /** True when the query carried an EDNS0 OPT record. */
    public boolean hasEdns() {
        return edns;
    }

    /** The OPT record's EDNS version (tapnet implements 0); 0 without one. */
    public int ednsVersion() {
        return edns ? ednsVersion : 0;
    }

    /** The OPT record's UDP payload size, as sent; 0 without one. */
    public int ednsPayloadSize() {
        return ednsPayloadSize;
    }

    /**
     * The most a reply to this query may hold over UDP: 512 bytes, or with EDNS0 the requester's size
     * (no less than 512, RFC 6891 §6.2.5) up to {@value #MAX_UDP_SIZE}.
     */
    public int replySizeLimit() {
        return edns ? Math.min(Math.max(ednsPayloadSize, CLASSIC_UDP_SIZE), MAX_UDP_SIZE) : CLASSIC_UDP_SIZE;
    }
}
