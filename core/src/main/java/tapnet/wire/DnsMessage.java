package tapnet.wire;

import java.nio.ByteBuffer;

/**
 * A DNS message (RFC 1035 §4.1), both ways: read as a query ({@link #check()} parses the header, the one
 * question and an EDNS0 OPT record, RFC 6891), and written as the reply to one in another buffer
 * ({@link #startReply}, {@link #addRecord}, {@link #finish}). The question's name is copied once, with its
 * compression pointers followed, into a buffer this view owns (at most 255 bytes, RFC 1035 §2.3.4), so
 * a zone compares it with its own pre-encoded names; nothing is allocated per message.
 *
 * <p>Pointers in the question's name must point strictly before the part of the name being read, so a
 * name is read in at most 127 steps and a loop is impossible; anything else makes the message invalid
 * with a reason, never an exception.
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

    private static final int ID = 0;
    private static final int FLAGS = 2;
    private static final int QDCOUNT = 4;
    private static final int ANCOUNT = 6;
    private static final int NSCOUNT = 8;
    private static final int ARCOUNT = 10;

    private static final int FLAG_QR = 0x8000;
    private static final int OPCODE_SHIFT = 11;
    private static final int OPCODE_MASK = 0xf;
    private static final int FLAG_AA = 0x0400;
    private static final int FLAG_TC = 0x0200;
    private static final int FLAG_RD = 0x0100;
    private static final int FLAG_RA = 0x0080;
    private static final int RCODE_MASK = 0xf;

    private static final int POINTER_BITS = 0xc0;
    /** A resource record after its name: type, class, TTL, RDLENGTH (RFC 1035 §4.1.3). */
    private static final int RECORD_FIXED = 10;
    /** The OPT record tapnet writes: root name, type, class (payload size), TTL (extended rcode, flags), RDLENGTH. */
    private static final int OPT_RECORD_LENGTH = 11;
    /** The question's name begins right after the header, where every reply's owner pointers point. */
    private static final int QUESTION_POINTER = 0xc000 | HEADER_LENGTH;

    /** What {@link #check()} found; anything but {@link #VALID} says what is wrong with the query. */
    public enum Validity {
        VALID, SHORTER_THAN_HEADER, NOT_A_QUERY, NOT_ONE_QUESTION, NAME_TRUNCATED, LABEL_TOO_LONG, NAME_TOO_LONG,
        POINTER_OUT_OF_RANGE, POINTER_FORWARD, POINTER_LOOP, QUESTION_TRUNCATED, RECORD_TRUNCATED,
        OPT_NOT_ROOT, TWO_OPT_RECORDS
    }

    /** The question's name, uncompressed in wire form, as it came (case kept: resolvers check it, 0x20). */
    private final byte[] name = new byte[MAX_NAME_LENGTH];
    private int nameLength;
    private int questionType;
    private int questionClass;
    private int questionEnd;
    private int ednsPayloadSize;
    private boolean edns;
    /** Where {@link #readName} ended in the message: the byte after the name as it sits in the message. */
    private int nameEnd;
    private Validity nameProblem;

    // The reply being written.
    private int position;
    private int limit;
    private int answers;
    private boolean replyEdns;

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
                if (target >= segmentStart) {
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

    // The reply, written into this view's region by a view wrapped over the reply buffer.

    /**
     * Starts the reply to {@code query} (checked VALID) in this view's region: the header with the
     * query's id, opcode and RD, QR and AA set, and the question echoed as it came. The reply is kept
     * within {@code maxSize} and the query's {@link #replySizeLimit()}. Returns false, writing nothing,
     * when even the header and the question do not fit.
     */
    public boolean startReply(DnsMessage query, int rcode, int maxSize) {
        limit = Math.min(Math.min(maxSize, length), query.replySizeLimit());
        replyEdns = query.edns;
        int questionLength = query.nameLength + 4;
        if (HEADER_LENGTH + questionLength + (replyEdns ? OPT_RECORD_LENGTH : 0) > limit) {
            return false;
        }
        writeHeader(query.id(), query.flags(), rcode, 1);
        for (int i = 0; i < query.nameLength; i++) {
            putU8(HEADER_LENGTH + i, query.name[i]);
        }
        putU16(HEADER_LENGTH + query.nameLength, query.questionType);
        putU16(HEADER_LENGTH + query.nameLength + 2, query.questionClass);
        position = HEADER_LENGTH + questionLength;
        answers = 0;
        return true;
    }

    /**
     * Writes a header-only reply (no question) to the query in {@code query}'s region, which need only
     * have a whole header: how FORMERR answers a question it cannot read. Returns its length, 0 when
     * the query is shorter than a header or is itself a response (never answer those: no loops).
     */
    public int writeHeaderOnlyReply(DnsMessage query, int rcode, int maxSize) {
        if (query.length < HEADER_LENGTH || query.isResponse() || Math.min(maxSize, length) < HEADER_LENGTH) {
            return 0;
        }
        writeHeader(query.id(), query.flags(), rcode, 0);
        return HEADER_LENGTH;
    }

    private void writeHeader(int id, int queryFlags, int rcode, int questions) {
        putU16(ID, id);
        putU16(FLAGS, FLAG_QR | (queryFlags & ((OPCODE_MASK << OPCODE_SHIFT) | FLAG_RD)) | FLAG_AA | (rcode & RCODE_MASK));
        putU16(QDCOUNT, questions);
        putU16(ANCOUNT, 0);
        putU16(NSCOUNT, 0);
        putU16(ARCOUNT, 0);
    }

    /** Sets the reply's rcode (after {@link #startReply}), e.g. NXDOMAIN at the end of a CNAME chain. */
    public void setRcode(int rcode) {
        putU16(FLAGS, (u16(FLAGS) & ~RCODE_MASK) | (rcode & RCODE_MASK));
    }

    /** Sets or clears AA: clear when the reply speaks for no zone of this server (REFUSED, NOTIMP). */
    public void setAuthoritative(boolean authoritative) {
        putU16(FLAGS, authoritative ? u16(FLAGS) | FLAG_AA : u16(FLAGS) & ~FLAG_AA);
    }

    /** The message-relative compression pointer to the question's name, for {@link #addRecord}'s owner. */
    public static int questionPointer() {
        return QUESTION_POINTER;
    }

    /**
     * Appends an answer record: its owner a compression pointer ({@link #questionPointer()}, or
     * {@code 0xc000 | offset} of a name written before), class IN, and {@code rdata} copied as is (names
     * inside it uncompressed). Returns the record's RDATA offset in the message (where a CNAME's target
     * starts, for the next record's owner pointer), or -1 when it does not fit: then every answer is
     * dropped and TC set (RFC 2181 §9: a resolver retries over TCP rather than use part of an answer).
     */
    public int addRecord(int ownerPointer, int type, int ttl, byte[] rdata) {
        if (truncated()) {
            return -1;
        }
        int reserve = replyEdns ? OPT_RECORD_LENGTH : 0;
        if (position + 2 + RECORD_FIXED + rdata.length + reserve > limit) {
            position = HEADER_LENGTH + questionLengthWritten();
            answers = 0;
            putU16(FLAGS, u16(FLAGS) | FLAG_TC);
            return -1;
        }
        putU16(position, ownerPointer);
        putU16(position + 2, type);
        putU16(position + 4, CLASS_IN);
        putI32(position + 6, ttl);
        putU16(position + 10, rdata.length);
        int rdataAt = position + 2 + RECORD_FIXED;
        for (int i = 0; i < rdata.length; i++) {
            putU8(rdataAt + i, rdata[i]);
        }
        position = rdataAt + rdata.length;
        answers++;
        return rdataAt;
    }

    private int questionLengthWritten() {
        int at = HEADER_LENGTH;
        while (u8(at) != 0) {
            at += 1 + u8(at);
        }
        return at + 1 + 4 - HEADER_LENGTH;
    }

    /** Writes the counts and, when the query had EDNS0, an OPT record with tapnet's size; returns the reply's length. */
    public int finish() {
        putU16(ANCOUNT, answers);
        if (replyEdns) {
            putU8(position, 0);
            putU16(position + 1, TYPE_OPT);
            putU16(position + 3, MAX_UDP_SIZE);
            putI32(position + 5, 0);
            putU16(position + 9, 0);
            position += OPT_RECORD_LENGTH;
            putU16(ARCOUNT, 1);
        }
        return position;
    }
}
