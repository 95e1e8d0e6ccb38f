package tapnet.topology.yaml;

import java.math.BigInteger;
import java.time.Duration;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import tapnet.topology.Address6;
import tapnet.topology.HostSpec;
import tapnet.topology.Prefix6;
import tapnet.topology.TapSpec;
import tapnet.wire.Ipv4Address;
import tapnet.wire.Ipv6Address;
import tapnet.wire.MacAddress;

/**
 * The scalar values of a topology file, read from their nodes: text, whole numbers, true or false,
 * durations, sizes, rates, percentages, IPv4 addresses (alone or with a prefix length), MACs and interface
 * names. Every section reader and the script's readers read their values here, so that a value reads, and
 * fails, alike wherever the file writes it. {@link Units} parses the text of quantities; this class takes
 * the text from its node and reports what is wrong at that node, giving null (or the caller's fallback).
 * The methods named {@code optional...} read a key of a section, and give the fallback when it is absent.
 */
final class Scalars {
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");
    private static final String MAC_EXAMPLE = "six hex bytes like 02:00:00:00:00:10";
    private static final String INTERFACE_ADDRESS_EXPECTED =
            "the kernel's address and the prefix length of the subnet routed into the TAP, like 10.77.0.1/24";

    private final Problems problems;

    Scalars(Problems problems) {
        this.problems = problems;
    }

    /** An address and the prefix length of its subnet, {@code 10.77.0.1/24}: an interface's address. */
    record InterfaceAddress(int address, int prefixLength) {
    }

    // ------------------------------------------------------------------------------------------------
    // text, numbers, true or false
    // ------------------------------------------------------------------------------------------------

    /** The text of a scalar; when the value is missing, a list or a mapping, reports that and gives null. */
    String text(Node node, String key, String expected) {
        if (node instanceof ScalarNode scalar && !Section.isNull(node)) {
            return scalar.getValue();
        }
        problems.at(node, "'" + key + "' " + (Section.isNull(node) ? "has no value" : "is " + Section.describe(node))
                + "; expected " + expected);
        return null;
    }

    /** A whole number in [min, max]; {@code fallback} when reported. */
    long integer(Node node, String key, long min, long max, String expected, long fallback) {
        String text = text(node, key, expected);
        if (text == null) {
            return fallback;
        }
        String trimmed = text.strip();
        if (!WHOLE_NUMBER.matcher(trimmed).matches()) {
            problems.at(node, "'" + text + "' is not a whole number; expected " + expected);
            return fallback;
        }
        BigInteger value = new BigInteger(trimmed);
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            problems.at(node, key + " " + trimmed + " is out of range; expected " + expected);
            return fallback;
        }
        return value.longValueExact();
    }

    long optionalInteger(Section section, String key, long min, long max, long fallback) {
        return section.has(key) ? integer(section.get(key), key, min, max, "a whole number from " + min + " to " + max, fallback) : fallback;
    }

    /** True or false; false when reported. */
    boolean bool(Node node, String key) {
        String text = text(node, key, "true or false");
        if (text == null) {
            return false;
        }
        Boolean value = bool(text);
        if (value == null) {
            problems.at(node, "'" + text + "' is not true or false; expected true or false");
            return false;
        }
        return value;
    }

    /** The spellings of true and false YAML 1.2 gives booleans; null for any other text. */
    static Boolean bool(String text) {
        return switch (text) {
            case "true", "True", "TRUE" -> true;
            case "false", "False", "FALSE" -> false;
            default -> null;
        };
    }

    // ------------------------------------------------------------------------------------------------
    // quantities with units
    // ------------------------------------------------------------------------------------------------

    /** A duration in [min, max]; null when reported. */
    Duration duration(Node node, String key, Duration min, Duration max) {
        return quantity(node, key, "a duration, like 200ms or 1.5s", Units::duration, min, max,
                Units.format(min) + " to " + Units.format(max));
    }

    Duration optionalDuration(Section section, String key, Duration min, Duration max, Duration fallback) {
        Duration duration = section.has(key) ? duration(section.get(key), key, min, max) : null;
        return duration == null ? fallback : duration;
    }

    /** A count of bytes in [min, max], as faults and probes give them; 0 when reported. */
    long size(Node node, String key, long min, long max) {
        Long size = quantity(node, key, "a size, like 1024 or 2KiB", Units::size, min, max, Units.formatSize(min) + " or more");
        return size == null ? 0 : size;
    }

    /** A size in [min, max], as buffers and queues give them; {@code fallback} when absent or reported. */
    long optionalSize(Section section, String key, long min, long max, long fallback) {
        Long size = section.has(key) ? quantity(section.get(key), key, "a size, like 1500 or 64KiB", Units::size, min, max,
                Units.formatSize(min) + " to " + Units.formatSize(max)) : null;
        return size == null ? fallback : size;
    }

    /** A rate in bits per second; null when reported. */
    Long rate(Node node, String key) {
        return quantity(node, key, "a rate like 100mbit", Units::rate, null, null, null);
    }

    /** A percentage as a fraction from 0 to 1; null when reported. */
    Double fraction(Node node, String key, String expected) {
        return quantity(node, key, expected, Units::fraction, null, null, null);
    }

    /** An optional percentage as a fraction; 0 when absent or reported. */
    double optionalFraction(Section section, String key) {
        Double fraction = section.has(key) ? fraction(section.get(key), key, "a percentage, like 1% or 0.5%") : null;
        return fraction == null ? 0 : fraction;
    }

    /**
     * The value {@code parse} makes of the node's text, within [min, max] unless they are null (then
     * {@code parse} checks all); null when reported. {@code range} says what is in range for the message.
     */
    private <T extends Comparable<T>> T quantity(Node node, String key, String expected, Function<String, T> parse,
                                                 T min, T max, String range) {
        String text = text(node, key, expected);
        if (text == null) {
            return null;
        }
        T value;
        try {
            value = parse.apply(text);
        } catch (IllegalArgumentException e) { // Units' messages say what was expected, ready for the user
            problems.at(node, e.getMessage());
            return null;
        }
        if (min != null && (value.compareTo(min) < 0 || value.compareTo(max) > 0)) {
            problems.at(node, key + " " + text + " is out of range; expected " + range);
            return null;
        }
        return value;
    }

    // ------------------------------------------------------------------------------------------------
    // addresses and names of the network
    // ------------------------------------------------------------------------------------------------

    /** An IPv4 address given under {@code key}; null when reported. */
    Integer ipv4(Node node, String key, String expected) {
        String text = text(node, key, expected);
        return text == null ? null : ipv4(node, text);
    }

    /** True for an IPv4 address written exactly, as part of a longer value: {@code 10.77.0.10} of {@code 10.77.0.10:80}. */
    static boolean isAddress(String text) {
        try {
            Ipv4Address.parse(text);
            return text.equals(text.strip()) && !text.isEmpty();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** True for a TCP port from 1 to 65535 written as digits alone, as part of a longer value: {@code 80} of {@code web:80}. */
    static boolean isTcpPort(String text) {
        return text.matches("\\d{1,5}") && Integer.parseInt(text) >= 1 && Integer.parseInt(text) <= 65535;
    }

    /** Dotted-quad text as an address; reports and gives null when it is not one. */
    Integer ipv4(Node node, String text) {
        try {
            return Ipv4Address.parse(text);
        } catch (IllegalArgumentException e) {
            problems.at(node, "'" + text.strip() + "' is not an IPv4 address; expected four numbers from 0 to 255, like 10.77.0.10");
            return null;
        }
    }

    /**
     * {@code a.b.c.d/n} under {@code address}: a unicast host address of its subnet, as the kernel's side of
     * the TAP and a router's side of its subnet have. Null when it is not right (reported).
     */
    InterfaceAddress interfaceAddress(Node node) {
        String expected = INTERFACE_ADDRESS_EXPECTED;
        String text = text(node, "address", expected);
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            problems.at(node, "'" + text + "' has no prefix length; expected " + expected);
            return null;
        }
        Integer address = ipv4(node, text.substring(0, slash));
        if (address == null) {
            return null;
        }
        String prefixText = text.substring(slash + 1).strip();
        String prefixExpected = "a prefix length from " + TapSpec.MIN_PREFIX_LENGTH + " to " + TapSpec.MAX_PREFIX_LENGTH
                + ", like 10.77.0.1/24";
        if (!WHOLE_NUMBER.matcher(prefixText).matches()) {
            problems.at(node, "'/" + prefixText + "' is not a prefix length; expected " + prefixExpected);
            return null;
        }
        BigInteger prefix = new BigInteger(prefixText);
        if (prefix.compareTo(BigInteger.valueOf(TapSpec.MIN_PREFIX_LENGTH)) < 0
                || prefix.compareTo(BigInteger.valueOf(TapSpec.MAX_PREFIX_LENGTH)) > 0) {
            problems.at(node, "prefix length /" + prefixText + " is out of range; expected " + prefixExpected);
            return null;
        }
        int prefixLength = prefix.intValue();
        int first = address >>> 24;
        if (first == 0 || first == 127 || first >= 224) {
            problems.at(node, Ipv4Address.format(address) + " is " + (first == 127 ? "a loopback" : first == 0 ? "a 'this network'"
                    : "a multicast or reserved") + " address; expected a unicast address, like 10.77.0.1/24");
            return null;
        }
        int mask = Ipv4Address.mask(prefixLength);
        String subnet = Ipv4Address.format(address & mask) + "/" + prefixLength;
        String hostExpected = "expected a host address of the subnet for the kernel's side, like "
                + Ipv4Address.format((address & mask) + 1) + "/" + prefixLength;
        if (address == (address & mask)) {
            problems.at(node, Ipv4Address.format(address) + " is the network address of " + subnet + "; " + hostExpected);
            return null;
        }
        if (address == (address | ~mask)) {
            problems.at(node, Ipv4Address.format(address) + " is the broadcast address of " + subnet + "; " + hostExpected);
            return null;
        }
        return new InterfaceAddress(address, prefixLength);
    }

    /**
     * An IPv6 address a node may have under {@code key}: unicast, not link-local (each node has its own,
     * made from its MAC), not loopback or unspecified. Null when reported.
     */
    Address6 ipv6(Node node, String key, String example) {
        String text = text(node, key, "an IPv6 address like " + example);
        return text == null ? null : ipv6Text(node, text, example);
    }

    private Address6 ipv6Text(Node node, String text, String example) {
        Address6 address;
        try {
            address = Address6.parse(text);
        } catch (IllegalArgumentException e) {
            problems.at(node, "'" + text.strip() + "' is not an IPv6 address; expected eight groups of hex digits, :: for zeros, like "
                    + example);
            return null;
        }
        String problem = Ipv6Address.isMulticast(address.high()) ? "a multicast address"
                : Ipv6Address.isLinkLocal(address.high()) ? "a link-local address (every node has one made from its MAC already)"
                : address.high() == 0 && (address.low() == 0 || address.low() == 1) ? "the unspecified or loopback address"
                : null;
        if (problem != null) {
            problems.at(node, address + " is " + problem + "; expected a unicast address, like " + example);
            return null;
        }
        return address;
    }

    /** {@code fd77::1/64} under {@code address6}: the kernel's IPv6 address on the TAP and the hosts' prefix. Null when reported. */
    Prefix6 interfaceAddress6(Node node) {
        return interfaceAddress6(node, "address6", "fd77::1/64");
    }

    /** As above, under {@code key} (a router's subnet6). */
    Prefix6 interfaceAddress6(Node node, String key, String example) {
        String text = text(node, key, "an IPv6 address and prefix length, like " + example);
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            problems.at(node, "'" + text + "' has no prefix length; expected an IPv6 address and prefix length, like " + example);
            return null;
        }
        String prefixText = text.substring(slash + 1).strip();
        if (!WHOLE_NUMBER.matcher(prefixText).matches() || prefixText.length() > 3
                || Integer.parseInt(prefixText) < 16 || Integer.parseInt(prefixText) > 126) {
            problems.at(node, "'/" + prefixText + "' is not a prefix length for a subnet; expected 16 to 126, like " + example);
            return null;
        }
        Address6 address = ipv6Text(node, text.substring(0, slash), example);
        if (address == null) {
            return null;
        }
        Prefix6 prefix = new Prefix6(address, Integer.parseInt(prefixText));
        if (prefix.network().equals(address)) {
            problems.at(node, address + " is the Subnet-Router anycast address of " + prefix.subnet()
                    + " (RFC 4291 §2.6.1); expected an address of the prefix for the kernel's side, like "
                    + new Address6(address.high(), address.low() + 1) + "/" + prefix.length());
            return null;
        }
        return prefix;
    }

    /** A MAC a virtual node may have (unicast, locally administered...); null when reported. */
    Long mac(Node node) {
        String text = text(node, "mac", MAC_EXAMPLE);
        if (text == null) {
            return null;
        }
        long mac;
        try {
            mac = MacAddress.parse(text);
        } catch (IllegalArgumentException e) {
            problems.at(node, "'" + text + "' is not a MAC address; expected " + MAC_EXAMPLE);
            return null;
        }
        String problem = HostSpec.macProblem(mac);
        if (problem != null) {
            problems.at(node, problem);
            return null;
        }
        return mac;
    }

    /** A network interface's name under {@code device}; null when it is not one (reported). */
    String device(Node node, String example) {
        String device = text(node, "device", "an interface name, like " + example);
        String problem = device == null ? null : TapSpec.deviceProblem(device);
        if (problem != null) {
            problems.at(node, problem);
            return null;
        }
        return device;
    }
}
