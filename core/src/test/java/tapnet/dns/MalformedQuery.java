package tapnet.dns;

import java.nio.ByteBuffer;
import java.util.Arrays;
import tapnet.wire.DnsMessage;
import tapnet.wire.DnsMessage.Validity;

/**
 * DNS queries broken in one named way each, for web.shop.test (A), and what a server owes each: FORMERR
 * where the header can be read (RFC 1035 §4.1.1: "unable to interpret the query"), nothing for a message
 * shorter than a header or one that is itself a response (never answered: no loops between servers), and
 * an ordinary answer where RFC 6891 says to read past the fault (an EDNS0 size below 512 counts as 512).
 * The engine's frame fuzzer seeds from these; {@code MalformedDnsTest} asserts each outcome.
 */
public enum MalformedQuery {
    TRUNCATED_HEADER(Outcome.UNANSWERED, Validity.SHORTER_THAN_HEADER) {
        @Override
        public byte[] bytes() {
            return Arrays.copyOf(valid(), 7);
        }
    },
    TRUNCATED_QUESTION_NAME(Outcome.FORMERR, Validity.NAME_TRUNCATED) {
        @Override
        public byte[] bytes() {
            return Arrays.copyOf(valid(), QUESTION + 6); // inside "shop"
        }
    },
    TRUNCATED_QUESTION_TYPE_AND_CLASS(Outcome.FORMERR, Validity.QUESTION_TRUNCATED) {
        @Override
        public byte[] bytes() {
            return Arrays.copyOf(valid(), QUESTION_END - 2); // the name and QTYPE, no QCLASS
        }
    },
    /** The question's name is a pointer to itself (RFC 1035 §4.1.4 pointers, made to loop). */
    POINTER_TO_ITSELF(Outcome.FORMERR, Validity.POINTER_LOOP) {
        @Override
        public byte[] bytes() {
            return question(new byte[] {(byte) 0xc0, QUESTION});
        }
    },
    /** "web" then a pointer back to the name's start: web.web.web... if followed blindly. */
    POINTER_LOOP(Outcome.FORMERR, Validity.POINTER_LOOP) {
        @Override
        public byte[] bytes() {
            return question(new byte[] {3, 'w', 'e', 'b', (byte) 0xc0, QUESTION});
        }
    },
    POINTER_FORWARD(Outcome.FORMERR, Validity.POINTER_FORWARD) {
        @Override
        public byte[] bytes() {
            return question(new byte[] {(byte) 0xc0, QUESTION + 2, 3, 'w', 'e', 'b', 0}); // to the "web" after it
        }
    },
    POINTER_OUT_OF_MESSAGE(Outcome.FORMERR, Validity.POINTER_OUT_OF_RANGE) {
        @Override
        public byte[] bytes() {
            return question(new byte[] {(byte) 0xff, (byte) 0xff});
        }
    },
    /** A length byte of 64: above RFC 1035 §2.3.4's 63, and no label type RFC 6891 §5 leaves. */
    LABEL_LONGER_THAN_63(Outcome.FORMERR, Validity.LABEL_TOO_LONG) {
        @Override
        public byte[] bytes() {
            byte[] name = new byte[1 + 64 + 1];
            name[0] = 64;
            Arrays.fill(name, 1, 65, (byte) 'a');
            return question(name);
        }
    },
    /** Five labels of 63: 320 bytes, above RFC 1035 §2.3.4's 255. */
    NAME_LONGER_THAN_255(Outcome.FORMERR, Validity.NAME_TOO_LONG) {
        @Override
        public byte[] bytes() {
            byte[] name = new byte[5 * 64 + 1];
            for (int label = 0; label < 5; label++) {
                name[label * 64] = 63;
                Arrays.fill(name, label * 64 + 1, label * 64 + 64, (byte) 'a');
            }
            return question(name);
        }
    },
    NO_QUESTION(Outcome.FORMERR, Validity.NOT_ONE_QUESTION) {
        @Override
        public byte[] bytes() {
            byte[] q = Arrays.copyOf(valid(), DnsMessage.HEADER_LENGTH);
            return count(q, QDCOUNT, 0);
        }
    },
    /** RFC 9619: a query holds one question; two is FORMERR. */
    TWO_QUESTIONS(Outcome.FORMERR, Validity.NOT_ONE_QUESTION) {
        @Override
        public byte[] bytes() {
            byte[] q = valid();
            byte[] two = Arrays.copyOf(q, q.length + QUESTION_END - QUESTION);
            System.arraycopy(q, QUESTION, two, q.length, QUESTION_END - QUESTION);
            return count(two, QDCOUNT, 2);
        }
    },
    ANSWER_COUNT_LYING(Outcome.FORMERR, Validity.NAME_TRUNCATED) {
        @Override
        public byte[] bytes() {
            return count(valid(), ANCOUNT, 1);
        }
    },
    AUTHORITY_COUNT_LYING(Outcome.FORMERR, Validity.NAME_TRUNCATED) {
        @Override
        public byte[] bytes() {
            return count(valid(), NSCOUNT, 3);
        }
    },
    /** An OPT record, and a count of two additional records. */
    ADDITIONAL_COUNT_LYING(Outcome.FORMERR, Validity.NAME_TRUNCATED) {
        @Override
        public byte[] bytes() {
            return count(withEdns(1232), ARCOUNT, 2);
        }
    },
    /** Every count at its most: bounded work (DnsMessage.MAX_RECORDS), then FORMERR. */
    COUNTS_AT_65535(Outcome.FORMERR, Validity.TOO_MANY_RECORDS) {
        @Override
        public byte[] bytes() {
            return count(count(count(valid(), ANCOUNT, 0xffff), NSCOUNT, 0xffff), ARCOUNT, 0xffff);
        }
    },
    /** The OPT record's RDLENGTH says 100 bytes follow; none do. */
    OPT_LENGTH_PAST_THE_END(Outcome.FORMERR, Validity.RECORD_TRUNCATED) {
        @Override
        public byte[] bytes() {
            byte[] q = withEdns(1232);
            ByteBuffer.wrap(q).putShort(q.length - 2, (short) 100);
            return q;
        }
    },
    /** The OPT record cut inside its fixed part. */
    OPT_TRUNCATED(Outcome.FORMERR, Validity.RECORD_TRUNCATED) {
        @Override
        public byte[] bytes() {
            byte[] q = withEdns(1232);
            return Arrays.copyOf(q, q.length - 5);
        }
    },
    /** RFC 6891 §6.2.5: a UDP payload size below 512 is taken as 512, and the query answered. */
    OPT_PAYLOAD_SIZE_BELOW_512(Outcome.ANSWERED, Validity.VALID) {
        @Override
        public byte[] bytes() {
            return withEdns(100);
        }
    },
    /** RFC 6891 §6.1.1: more than one OPT record is FORMERR. */
    TWO_OPT_RECORDS(Outcome.FORMERR, Validity.TWO_OPT_RECORDS) {
        @Override
        public byte[] bytes() {
            byte[] q = withEdns(1232);
            byte[] two = Arrays.copyOf(q, q.length + OPT_LENGTH);
            System.arraycopy(q, QUESTION_END, two, q.length, OPT_LENGTH);
            return count(two, ARCOUNT, 2);
        }
    },
    /** RFC 6891 §6.1.2: an OPT record's owner is the root; here it is "web". */
    OPT_OWNER_NOT_ROOT(Outcome.FORMERR, Validity.OPT_NOT_ROOT) {
        @Override
        public byte[] bytes() {
            byte[] q = withEdns(1232);
            byte[] out = new byte[q.length + 4];
            System.arraycopy(q, 0, out, 0, QUESTION_END);
            System.arraycopy(new byte[] {3, 'w', 'e', 'b'}, 0, out, QUESTION_END, 4);
            System.arraycopy(q, QUESTION_END, out, QUESTION_END + 4, OPT_LENGTH);
            return out;
        }
    },
    /** QR set: a response sent to the server, never answered. */
    RESPONSE_AS_QUERY(Outcome.UNANSWERED, Validity.NOT_A_QUERY) {
        @Override
        public byte[] bytes() {
            byte[] q = valid();
            q[2] |= (byte) 0x80;
            return q;
        }
    };

    /** What the server does with the message. */
    public enum Outcome {
        /** A header-only reply with the query's id, QR set, rcode FORMERR. */
        FORMERR,
        /** Nothing sent; counted as unanswered. */
        UNANSWERED,
        /** Answered as the well-formed query would be: NOERROR with web.shop.test's A record. */
        ANSWERED
    }

    /** The id every malformed query carries, for the FORMERR reply to echo. */
    public static final int ID = 0x4d51;
    public static final String NAME = "web.shop.test";

    private static final int QUESTION = DnsMessage.HEADER_LENGTH;
    /** The header, then 3web4shop4test0 (15 bytes), QTYPE and QCLASS. */
    private static final int QUESTION_END = QUESTION + 15 + 4;
    private static final int OPT_LENGTH = 11;
    private static final int QDCOUNT = 4;
    private static final int ANCOUNT = 6;
    private static final int NSCOUNT = 8;
    private static final int ARCOUNT = 10;

    private final Outcome outcome;
    private final Validity reason;

    MalformedQuery(Outcome outcome, Validity reason) {
        this.outcome = outcome;
        this.reason = reason;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** What {@link DnsMessage#check()} finds wrong: the fault the message is named for, not another. */
    public Validity reason() {
        return reason;
    }

    /** The message's bytes, built fresh. */
    public abstract byte[] bytes();

    private static byte[] valid() {
        return DnsQueries.query(ID, NAME, DnsMessage.TYPE_A, 0);
    }

    private static byte[] withEdns(int size) {
        return DnsQueries.query(ID, NAME, DnsMessage.TYPE_A, size);
    }

    /** A header for one question, then {@code name} as the question's name, then QTYPE A and QCLASS IN. */
    private static byte[] question(byte[] name) {
        byte[] q = Arrays.copyOf(valid(), QUESTION + name.length + 4);
        System.arraycopy(name, 0, q, QUESTION, name.length);
        ByteBuffer.wrap(q).putShort(QUESTION + name.length, (short) DnsMessage.TYPE_A)
                .putShort(QUESTION + name.length + 2, (short) DnsMessage.CLASS_IN);
        return q;
    }

    private static byte[] count(byte[] q, int at, int value) {
        ByteBuffer.wrap(q).putShort(at, (short) value);
        return q;
    }
}
