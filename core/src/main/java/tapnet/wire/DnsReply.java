package tapnet.wire;

import java.nio.ByteBuffer;

import static tapnet.wire.DnsMessage.ANCOUNT;
import static tapnet.wire.DnsMessage.ARCOUNT;
import static tapnet.wire.DnsMessage.CLASS_IN;
import static tapnet.wire.DnsMessage.FLAGS;
import static tapnet.wire.DnsMessage.FLAG_AA;
import static tapnet.wire.DnsMessage.FLAG_QR;
import static tapnet.wire.DnsMessage.FLAG_RD;
import static tapnet.wire.DnsMessage.FLAG_TC;
import static tapnet.wire.DnsMessage.HEADER_LENGTH;
import static tapnet.wire.DnsMessage.ID;
import static tapnet.wire.DnsMessage.MAX_UDP_SIZE;
import static tapnet.wire.DnsMessage.NSCOUNT;
import static tapnet.wire.DnsMessage.OPCODE_MASK;
import static tapnet.wire.DnsMessage.OPCODE_SHIFT;
import static tapnet.wire.DnsMessage.QDCOUNT;
import static tapnet.wire.DnsMessage.RCODE_MASK;
import static tapnet.wire.DnsMessage.RECORD_FIXED;
import static tapnet.wire.DnsMessage.TYPE_OPT;

/**
 * The reply to a {@link DnsMessage} query, written in place over (buffer, offset, length): the header
 * ({@link #startReply}), the question echoed as it came, answer records whose owners are compression
 * pointers to it ({@link #addRecord}), and an OPT record when the query had one ({@link #finish}). It
 * never writes past its size limit: a record that does not fit drops every answer and sets TC.
 */
public final class DnsReply extends BufferView {
    /** The OPT record tapnet writes: root name, type, class (payload size), TTL (extended rcode, flags), RDLENGTH. */
    private static final int OPT_RECORD_LENGTH = 11;
    /** The question's name begins right after the header, where every reply's owner pointers point. */
    private static final int QUESTION_POINTER = 0xc000 | HEADER_LENGTH;

    private int position;
    private int limit;
    private int answers;
    private boolean replyEdns;
    /** The upper 8 bits of a 12-bit rcode (RFC 6891 §6.1.3), written in the OPT record's TTL. */
    private int extendedRcode;

    public DnsReply wrap(ByteBuffer buffer, int offset, int length) {
        wrapRegion(buffer, offset, length);
        position = 0;
        answers = 0;
        return this;
    }

    public boolean truncated() {
        return (u16(FLAGS) & FLAG_TC) != 0;
    }

    /**
     * Starts the reply to {@code query} (checked VALID) in this view's region: the header with the
     * query's id, opcode and RD, QR and AA set, and the question echoed as it came. The reply is kept
     * within {@code maxSize} and the query's {@link DnsMessage#replySizeLimit()}. Returns false, writing nothing,
     * when even the header and the question do not fit.
     */
    public boolean startReply(DnsMessage query, int rcode, int maxSize) {
        return startReply(query, rcode, maxSize, false);
    }

    /**
     * As above; over a stream (TCP, RFC 1035 §4.2.2) the datagram's 512 bytes or EDNS0 size do not apply,
     * only {@code maxSize} and the region: that is what a resolver retries a TC answer over TCP for.
     */
    public boolean startReply(DnsMessage query, int rcode, int maxSize, boolean overStream) {
        limit = Math.min(maxSize, length);
        if (!overStream) {
            limit = Math.min(limit, query.replySizeLimit());
        }
        replyEdns = query.hasEdns();
        extendedRcode = 0;
        int questionLength = query.nameLength() + 4;
        if (HEADER_LENGTH + questionLength + (replyEdns ? OPT_RECORD_LENGTH : 0) > limit) {
            return false;
        }
        writeHeader(query.id(), query.flags(), rcode, 1);
        for (int i = 0; i < query.nameLength(); i++) {
            putU8(HEADER_LENGTH + i, query.nameByte(i));
        }
        putU16(HEADER_LENGTH + query.nameLength(), query.questionType());
        putU16(HEADER_LENGTH + query.nameLength() + 2, query.questionClass());
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
        if (query.length() < HEADER_LENGTH || query.isResponse() || Math.min(maxSize, length) < HEADER_LENGTH) {
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
    /**
     * BADVERS (RFC 6891 §6.1.3): the header's rcode 0 and the extended bits 1 in the OPT record, which a
     * query with EDNS has; the reply's version stays 0, the highest tapnet implements.
     */
    public void setBadVersion() {
        setRcode(DnsMessage.RCODE_BADVERS & DnsMessage.RCODE_MASK);
        extendedRcode = DnsMessage.RCODE_BADVERS >>> 4;
    }

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

    /**
     * Changes the answer records written so far: each record's TTL becomes {@code ttl} (unless it is
     * negative), and each A record's address becomes {@code address} when {@code replaceAddress}. What a
     * server's faults do to an answer after the zone wrote it; the records' owners are the pointers
     * {@link #addRecord} writes, two bytes each.
     */
    public void rewriteAnswers(int ttl, boolean replaceAddress, int address) {
        int at = HEADER_LENGTH + questionLengthWritten();
        for (int i = 0; i < answers; i++) {
            int type = u16(at + 2);
            if (ttl >= 0) {
                putI32(at + 6, ttl);
            }
            int rdlength = u16(at + 10);
            if (replaceAddress && type == DnsMessage.TYPE_A && rdlength == 4) {
                putI32(at + 2 + RECORD_FIXED, address);
            }
            at += 2 + RECORD_FIXED + rdlength;
        }
    }

    /** Sets TC and drops every answer written: what a reply too large for a datagram is (RFC 2181 §9). */
    public void truncate() {
        position = HEADER_LENGTH + questionLengthWritten();
        answers = 0;
        putU16(FLAGS, u16(FLAGS) | FLAG_TC);
    }

    /** Writes the counts and, when the query had EDNS0, an OPT record with tapnet's size; returns the reply's length. */
    public int finish() {
        putU16(ANCOUNT, answers);
        if (replyEdns) {
            putU8(position, 0);
            putU16(position + 1, TYPE_OPT);
            putU16(position + 3, MAX_UDP_SIZE);
            putI32(position + 5, extendedRcode << 24);
            putU16(position + 9, 0);
            position += OPT_RECORD_LENGTH;
            putU16(ARCOUNT, 1);
        }
        return position;
    }
}
