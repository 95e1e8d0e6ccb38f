package tapnet.wire;

import java.nio.ByteBuffer;

/**
 * The IPv6 extension headers between the fixed header and the upper layer, walked as a destination host
 * does (RFC 8200 §4), into fields: one instance is reused for every packet and never allocates.
 * {@link #walk} ends in one {@link Outcome}:
 * <ul>
 * <li>{@link Outcome#UPPER_LAYER}: {@link #protocol()} (TCP, UDP, ICMPv6, or No Next Header) starts at
 *     {@link #upperLayerOffset()}. An atomic fragment (offset 0, M clear) ends here too.</li>
 * <li>{@link Outcome#FRAGMENT}: a piece of a fragmented packet, to reassemble (RFC 8200 §4.5); see
 *     {@link #fragmentOffset()} and its neighbours. A first fragment was walked to the end of its header
 *     chain (structure only: options and routing are judged once the packet is whole), and
 *     {@link #protocol()} says what it ends with; a later fragment has no protocol (-1).</li>
 * <li>{@link Outcome#PARAMETER_PROBLEM}: drop, and answer with an ICMPv6 Parameter Problem (RFC 4443 §3.4)
 *     of {@link #problemCode()} and {@link #problemPointer()}.</li>
 * <li>{@link Outcome#DROP}: drop silently.</li>
 * </ul>
 * Every outcome but {@code UPPER_LAYER} and {@code FRAGMENT} has a {@link #reason()} to count.
 *
 * <p>Cost is bounded whatever the packet's length: at most {@value #MAX_EXTENSION_HEADERS} extension
 * headers, at most {@value #MAX_OPTIONS} options other than padding in an options header, and no run of
 * padding longer than {@value #MAX_PADDING_RUN} bytes (limits RFC 8504 §5.3 allows; the last two are
 * Linux's); past them the packet is dropped. So an options header takes at most 8 + 9 × 7 = 71 steps, a
 * walk fewer than 600, and every step moves forward. A header of thousands of empty options stops at its
 * ninth.
 *
 * <p>A Parameter Problem is the walk's verdict only; whether to send it (rate limits, never in answer to
 * an ICMPv6 error or, but for {@link #problemAnswersMulticast()}, to a multicast destination: RFC 4443
 * §2.4) is the host's call.
 */
public final class Ipv6HeaderChain {
    public static final int FIXED_HEADER_LENGTH = 40;

    // Next Header values (IANA "Assigned Internet Protocol Numbers").
    public static final int HOP_BY_HOP_OPTIONS = 0;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ROUTING = 43;
    public static final int FRAGMENT = 44;
    public static final int ICMPV6 = 58;
    public static final int NO_NEXT_HEADER = 59;
    public static final int DESTINATION_OPTIONS = 60;

    // ICMPv6 Parameter Problem codes (RFC 4443 §3.4, RFC 7112 §6).
    public static final int CODE_ERRONEOUS_HEADER_FIELD = 0;
    public static final int CODE_UNRECOGNIZED_NEXT_HEADER = 1;
    public static final int CODE_UNRECOGNIZED_OPTION = 2;
    public static final int CODE_INCOMPLETE_HEADER_CHAIN = 3;

    public static final int MAX_EXTENSION_HEADERS = 8;
    public static final int MAX_OPTIONS = 8;
    public static final int MAX_PADDING_RUN = 7;

    private static final int OPTION_PAD1 = 0;
    private static final int OPTION_PADN = 1;
    private static final int PAYLOAD_LENGTH_FIELD = 4;
    private static final int NEXT_HEADER_FIELD = 6;
    private static final int MAX_PAYLOAD_LENGTH = 65_535;
    private static final int TCP_MIN_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int ICMPV6_HEADER = 4;

    /** How a walk ended. */
    public enum Outcome { UPPER_LAYER, FRAGMENT, PARAMETER_PROBLEM, DROP }

    /** Why a packet was refused; the RFC rule is on each constant. */
    public enum Reason {
        NONE,
        /** A header runs past the packet's end (silent drop, as for any malformed header). */
        TRUNCATED,
        /** An option runs past its header's end. */
        OPTION_TRUNCATED,
        /** More than {@value #MAX_PADDING_RUN} bytes of Pad1/PadN in a row (RFC 8504 §5.3). */
        PADDING_TOO_LONG,
        /** More than {@value #MAX_OPTIONS} options other than padding in one header (RFC 8504 §5.3). */
        TOO_MANY_OPTIONS,
        /** More than {@value #MAX_EXTENSION_HEADERS} extension headers. */
        TOO_MANY_HEADERS,
        /** Unknown option of action 01: discard silently (RFC 8200 §4.2). */
        UNKNOWN_OPTION_DISCARD,
        /** Unknown option of action 10, or 11 to a unicast destination: Parameter Problem code 2. */
        UNKNOWN_OPTION,
        /** Unknown option of action 11 to a multicast destination: discard silently. */
        UNKNOWN_OPTION_MULTICAST,
        /** Hop-by-Hop Options anywhere but right after the fixed header (RFC 8200 §4.1): code 1. */
        HOP_BY_HOP_NOT_FIRST,
        /** A routing type this host does not know with Segments Left above 0 (RFC 8200 §4.4): code 0. */
        UNKNOWN_ROUTING_TYPE,
        /** A Next Header value that is neither an extension header nor a known upper layer: code 1. */
        UNKNOWN_NEXT_HEADER,
        /** A first fragment without the whole header chain (RFC 7112 §5, RFC 8200 §4.5): code 3. */
        INCOMPLETE_HEADER_CHAIN,
        /** A fragment other than the last whose length is no multiple of 8 (RFC 8200 §4.5): code 0. */
        FRAGMENT_LENGTH_NOT_MULTIPLE_OF_8,
        /** A fragment that would reassemble past 65,535 bytes of payload (RFC 8200 §4.5): code 0. */
        FRAGMENT_PAST_MAXIMUM,
        /** A Fragment header inside a first fragment's fragmentable part. */
        NESTED_FRAGMENT
    }

    private final Ipv6FragmentHeader fragmentHeader = new Ipv6FragmentHeader();

    private ByteBuffer buffer;
    private int packetOffset;
    private int end;
    private boolean multicastDestination;

    private Outcome outcome;
    private Reason reason;
    private int protocol;
    private int upperLayerOffset;
    private int problemCode;
    private int problemPointer;
    private int extensionHeaders;

    private int fragmentHeaderOffset;
    private int fragmentNextHeaderField;
    private int fragmentNextHeader;
    private int fragmentOffset;
    private boolean moreFragments;
    private int fragmentIdentification;

    /**
     * Walks the chain of one packet. {@code firstHeaderOffset} is the absolute index right after the fixed
     * header (the packet starts {@value #FIXED_HEADER_LENGTH} bytes before it: pointers count from there),
     * {@code nextHeader} the fixed header's Next Header, {@code end} the absolute index past the payload
     * (fixed header plus Payload Length, at most the buffer's limit), and {@code multicastDestination}
     * whether the packet was sent to a multicast address (RFC 8200 §4.2, action 11).
     */
    public Outcome walk(ByteBuffer buffer, int firstHeaderOffset, int nextHeader, int end, boolean multicastDestination) {
        this.buffer = buffer;
        this.packetOffset = firstHeaderOffset - FIXED_HEADER_LENGTH;
        this.end = end;
        this.multicastDestination = multicastDestination;
        clear();

        int at = firstHeaderOffset;
        int header = nextHeader;
        int headerField = packetOffset + NEXT_HEADER_FIELD;
        boolean firstFragment = false; // past a first fragment's Fragment header: check structure only
        while (true) {
            if (isUpperLayer(header) || (firstFragment && !isExtensionHeader(header))) {
                return upperLayer(header, at, firstFragment);
            }
            if (!isExtensionHeader(header)) { // RFC 8200 §4: an unrecognized Next Header
                return problem(CODE_UNRECOGNIZED_NEXT_HEADER, headerField, Reason.UNKNOWN_NEXT_HEADER);
            }
            if (header == HOP_BY_HOP_OPTIONS && at != firstHeaderOffset && !firstFragment) {
                return problem(CODE_UNRECOGNIZED_NEXT_HEADER, headerField, Reason.HOP_BY_HOP_NOT_FIRST);
            }
            if (++extensionHeaders > MAX_EXTENSION_HEADERS) {
                return drop(Reason.TOO_MANY_HEADERS);
            }
            int length = headerLength(header, at);
            if (length < 0) {
                return firstFragment ? incompleteChain() : drop(Reason.TRUNCATED);
            }
            if (header == FRAGMENT) {
                if (firstFragment) {
                    return drop(Reason.NESTED_FRAGMENT);
                }
                readFragment(at, headerField);
                if (fragmentOffset > 0) {
                    Outcome refused = checkFragmentLength();
                    outcome = refused != null ? refused : Outcome.FRAGMENT;
                    return outcome;
                }
                firstFragment = moreFragments; // an atomic fragment goes on as a whole packet
            } else if (!firstFragment) {
                Outcome refused = header == ROUTING ? checkRouting(at) : checkOptions(at, length);
                if (refused != null) {
                    return refused;
                }
            }
            header = u8(at);
            headerField = at;
            at += length;
        }
    }

    private void clear() {
        outcome = null;
        reason = Reason.NONE;
        protocol = -1;
        upperLayerOffset = -1;
        problemCode = -1;
        problemPointer = -1;
        extensionHeaders = 0;
        fragmentHeaderOffset = -1;
        fragmentNextHeaderField = -1;
        fragmentNextHeader = -1;
        fragmentOffset = 0;
        moreFragments = false;
        fragmentIdentification = 0;
    }

    /** The upper layers a host knows; everything else that is no extension header is refused with code 1. */
    public static boolean isUpperLayer(int nextHeader) {
        return nextHeader == TCP || nextHeader == UDP || nextHeader == ICMPV6 || nextHeader == NO_NEXT_HEADER;
    }

    private static boolean isExtensionHeader(int nextHeader) {
        return nextHeader == HOP_BY_HOP_OPTIONS || nextHeader == DESTINATION_OPTIONS || nextHeader == ROUTING
                || nextHeader == FRAGMENT;
    }

    /** The header's length in bytes, or -1 when it runs past the packet's end. */
    private int headerLength(int header, int at) {
        int length;
        if (header == FRAGMENT) {
            length = Ipv6FragmentHeader.LENGTH;
        } else if (at + 2 > end) {
            return -1;
        } else {
            length = (u8(at + 1) + 1) * 8; // Hdr Ext Len: 8-byte units, not counting the first 8 (RFC 8200 §4.3)
        }
        return at + length > end ? -1 : length;
    }

    private Outcome upperLayer(int header, int at, boolean firstFragment) {
        // RFC 7112 §5: a first fragment holds the whole chain, the upper-layer header included.
        if (firstFragment) {
            if (at + upperLayerHeaderLength(header, at) > end) {
                return incompleteChain();
            }
            Outcome refused = checkFragmentLength();
            if (refused != null) {
                return refused;
            }
        }
        protocol = header;
        upperLayerOffset = at;
        outcome = firstFragment ? Outcome.FRAGMENT : Outcome.UPPER_LAYER;
        return outcome;
    }

    /** Bytes the upper-layer header needs; for TCP its data offset when that byte is there. */
    private int upperLayerHeaderLength(int header, int at) {
        return switch (header) {
            case TCP -> at + 13 <= end ? Math.max(TCP_MIN_HEADER, (u8(at + 12) >>> 4) * 4) : TCP_MIN_HEADER;
            case UDP -> UDP_HEADER;
            case ICMPV6 -> ICMPV6_HEADER; // type, code, checksum (RFC 4443 §2.1)
            default -> 0; // No Next Header, or a header this host does not know: its length is unknown
        };
    }

    private void readFragment(int at, int headerField) {
        fragmentHeader.wrap(buffer, at);
        fragmentHeaderOffset = at;
        fragmentNextHeaderField = headerField;
        fragmentNextHeader = fragmentHeader.nextHeader();
        fragmentOffset = fragmentHeader.fragmentOffset();
        moreFragments = fragmentHeader.moreFragments();
        fragmentIdentification = fragmentHeader.identification();
    }

    /**
     * The length rules of RFC 8200 §4.5 for a fragment to reassemble (an atomic one is not), checked in
     * Linux's order: a first fragment's header chain first, then the reassembled length, then the multiple
     * of 8. A refusal, or null.
     */
    private Outcome checkFragmentLength() {
        int dataLength = fragmentDataLength();
        int perFragmentHeaders = fragmentHeaderOffset - (packetOffset + FIXED_HEADER_LENGTH);
        if (perFragmentHeaders + fragmentOffset + dataLength > MAX_PAYLOAD_LENGTH) {
            // The reassembled Payload Length would pass 65,535: pointer to the Fragment Offset field.
            return problem(CODE_ERRONEOUS_HEADER_FIELD, fragmentHeaderOffset + 2, Reason.FRAGMENT_PAST_MAXIMUM);
        }
        if (moreFragments && dataLength % 8 != 0) {
            // Pointer to the Payload Length field.
            return problem(CODE_ERRONEOUS_HEADER_FIELD, packetOffset + PAYLOAD_LENGTH_FIELD, Reason.FRAGMENT_LENGTH_NOT_MULTIPLE_OF_8);
        }
        return null;
    }

    /**
     * RFC 8200 §4.4: this host knows no routing type (type 0 is deprecated, RFC 5095 §3, so unknown too);
     * with Segments Left 0 the header is ignored, otherwise code 0 pointing at the Routing Type.
     */
    private Outcome checkRouting(int at) {
        int segmentsLeft = u8(at + 3);
        return segmentsLeft == 0 ? null : problem(CODE_ERRONEOUS_HEADER_FIELD, at + 2, Reason.UNKNOWN_ROUTING_TYPE);
    }

    /**
     * The TLV options of a Hop-by-Hop or Destination Options header (RFC 8200 §4.2). No option is known
     * beyond padding (Router Alert, RFC 2711, is for routers and its action bits say skip); an unknown
     * one is handled as its two high bits say.
     */
    private Outcome checkOptions(int at, int length) {
        int headerEnd = at + length;
        int i = at + 2;
        int paddingRun = 0;
        int options = 0;
        while (i < headerEnd) {
            int type = u8(i);
            if (type == OPTION_PAD1) {
                if (++paddingRun > MAX_PADDING_RUN) {
                    return drop(Reason.PADDING_TOO_LONG);
                }
                i++;
                continue;
            }
            if (i + 2 > headerEnd || i + 2 + u8(i + 1) > headerEnd) {
                return drop(Reason.OPTION_TRUNCATED);
            }
            int optionLength = 2 + u8(i + 1);
            if (type == OPTION_PADN) {
                paddingRun += optionLength;
                if (paddingRun > MAX_PADDING_RUN) {
                    return drop(Reason.PADDING_TOO_LONG);
                }
                i += optionLength;
                continue;
            }
            paddingRun = 0;
            if (++options > MAX_OPTIONS) {
                return drop(Reason.TOO_MANY_OPTIONS);
            }
            switch (type >>> 6) {
                case 0b01:
                    return drop(Reason.UNKNOWN_OPTION_DISCARD);
                case 0b10:
                    return problem(CODE_UNRECOGNIZED_OPTION, i, Reason.UNKNOWN_OPTION);
                case 0b11:
                    return multicastDestination ? drop(Reason.UNKNOWN_OPTION_MULTICAST)
                            : problem(CODE_UNRECOGNIZED_OPTION, i, Reason.UNKNOWN_OPTION);
                default:
                    break; // 00: skip over this option
            }
            i += optionLength;
        }
        return null;
    }

    /** RFC 7112 §5 and RFC 8200 §4.5: code 3 with the pointer set to zero. */
    private Outcome incompleteChain() {
        outcome = Outcome.PARAMETER_PROBLEM;
        reason = Reason.INCOMPLETE_HEADER_CHAIN;
        problemCode = CODE_INCOMPLETE_HEADER_CHAIN;
        problemPointer = 0;
        return outcome;
    }

    private Outcome problem(int code, int absoluteIndex, Reason why) {
        outcome = Outcome.PARAMETER_PROBLEM;
        reason = why;
        problemCode = code;
        problemPointer = absoluteIndex - packetOffset;
        return outcome;
    }

    private Outcome drop(Reason why) {
        outcome = Outcome.DROP;
        reason = why;
        return outcome;
    }

    private int u8(int index) {
        return buffer.get(index) & 0xff;
    }

    // --- results of the last walk ---

    public Outcome outcome() {
        return outcome;
    }

    /** Why the packet was refused ({@code PARAMETER_PROBLEM} or {@code DROP}); {@code NONE} otherwise. */
    public Reason reason() {
        return reason;
    }

    /** The upper-layer protocol (6, 17, 58, 59, or in a first fragment whatever ends its chain), or -1. */
    public int protocol() {
        return protocol;
    }

    /** Absolute index of the upper-layer header, or -1. */
    public int upperLayerOffset() {
        return upperLayerOffset;
    }

    /** Bytes from the upper-layer header to the packet's end, or 0 when there is none. */
    public int upperLayerLength() {
        return upperLayerOffset < 0 ? 0 : end - upperLayerOffset;
    }

    /** The Parameter Problem code (0 to 3), or -1. */
    public int problemCode() {
        return problemCode;
    }

    /** The Parameter Problem pointer: offset of the bad byte from the start of the IPv6 header, or -1. */
    public int problemPointer() {
        return problemPointer;
    }

    /**
     * Whether this Parameter Problem may answer a packet sent to a multicast address: only code 2 for an
     * option whose action bits are 10 (RFC 4443 §2.4 e.3); 11 to multicast is already a silent drop.
     */
    public boolean problemAnswersMulticast() {
        return problemCode == CODE_UNRECOGNIZED_OPTION;
    }

    /** Extension headers walked, the one that was refused included. */
    public int extensionHeaders() {
        return extensionHeaders;
    }

    /** Whether a Fragment header was met (an atomic fragment's included). */
    public boolean hasFragmentHeader() {
        return fragmentHeaderOffset >= 0;
    }

    /** Absolute index of the Fragment header, or -1. */
    public int fragmentHeaderOffset() {
        return fragmentHeaderOffset;
    }

    /**
     * Absolute index of the Next Header field that names the Fragment header (in the fixed header or the
     * last per-fragment header): reassembly writes {@link #fragmentNextHeader()} there (RFC 8200 §4.5).
     */
    public int fragmentNextHeaderField() {
        return fragmentNextHeaderField;
    }

    /** The Fragment header's Next Header: the first header of the fragmentable part. */
    public int fragmentNextHeader() {
        return fragmentNextHeader;
    }

    /** Fragment offset in bytes. */
    public int fragmentOffset() {
        return fragmentOffset;
    }

    public boolean moreFragments() {
        return moreFragments;
    }

    public int fragmentIdentification() {
        return fragmentIdentification;
    }

    /** Bytes of the unfragmentable part: the fixed header and the headers before the Fragment header. */
    public int unfragmentableLength() {
        return fragmentHeaderOffset < 0 ? -1 : fragmentHeaderOffset - packetOffset;
    }

    /** Absolute index where this fragment's data (its piece of the fragmentable part) begins, or -1. */
    public int fragmentableOffset() {
        return fragmentHeaderOffset < 0 ? -1 : fragmentHeaderOffset + Ipv6FragmentHeader.LENGTH;
    }

    /** Bytes of fragment data this packet carries, or 0 without a Fragment header. */
    public int fragmentDataLength() {
        return fragmentHeaderOffset < 0 ? 0 : end - fragmentableOffset();
    }
}
