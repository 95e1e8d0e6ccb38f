package tapnet.topology.yaml;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import tapnet.link.DelayDistribution;
import tapnet.link.Impairments;
import tapnet.link.LossModel;

/**
 * Writes links back in the syntax of a topology's {@code links:} entries, so that what {@code tapnet ctl
 * links} shows can be pasted into a file or into {@code tapnet ctl link} and reads back the same. Only
 * settings that differ from a perfect link are written.
 */
public final class LinkYaml {
    private LinkYaml() {
    }

    /**
     * The entries for the link between {@code parent} and {@code node}: one {@code between} entry when both
     * directions do the same, else a {@code from}/{@code to} entry for each.
     */
    public static List<String> entries(String parent, String node, Impairments towardNode, Impairments towardParent) {
        if (towardNode.equals(towardParent)) {
            return List.of(mapping("between: [" + parent + ", " + node + "]", towardNode));
        }
        return List.of(mapping("from: " + parent + ", to: " + node, towardNode),
                mapping("from: " + node + ", to: " + parent, towardParent));
    }

    private static String mapping(String ends, Impairments impairments) {
        String keys = keys(impairments);
        return "{" + ends + (keys.isEmpty() ? "" : ", " + keys) + "}";
    }

    /** The impairment keys of one direction, {@code delay: 20ms, loss: 1%}; empty for a perfect link. */
    public static String keys(Impairments i) {
        List<String> keys = new ArrayList<>();
        if (i.down()) {
            keys.add("down: true");
        }
        if (i.mtu() != Impairments.NO_MTU) {
            keys.add("mtu: " + i.mtu());
        }
        Impairments.Delay delay = i.delay();
        if (!delay.delay().isZero() || !delay.jitter().isZero()) {
            keys.add("delay: " + Units.format(delay.delay()));
            if (!delay.jitter().isZero()) {
                keys.add("jitter: " + Units.format(delay.jitter()));
            }
            if (delay.correlation() != 0) {
                keys.add("delayCorrelation: " + percent(delay.correlation()));
            }
        }
        if (delay.distribution() != DelayDistribution.UNIFORM) {
            keys.add("distribution: " + delay.distribution().name().toLowerCase(java.util.Locale.ROOT));
        }
        loss(i.loss(), keys);
        chance("duplicate", i.duplicate(), keys);
        Impairments.Reorder reorder = i.reorder();
        if (reorder.probability() != 0) {
            keys.add("reorder: " + percent(reorder.probability()));
            if (reorder.correlation() != 0) {
                keys.add("reorderCorrelation: " + percent(reorder.correlation()));
            }
            if (reorder.gap() != 1) {
                keys.add("gap: " + reorder.gap());
            }
        }
        chance("corrupt", i.corrupt(), keys);
        Impairments.Rate rate = i.rate();
        if (rate.limited()) {
            keys.add("rate: " + rate(rate.bitsPerSecond()));
            if (rate.packetOverhead() != 0) {
                keys.add("overhead: " + rate.packetOverhead());
            }
            if (rate.limit() != Impairments.Rate.DEFAULT_LIMIT) {
                keys.add("limit: " + rate.limit());
            }
            if (rate.limitBytes() != 0) {
                keys.add("limitBytes: " + Units.formatSize(rate.limitBytes()));
            }
        }
        Impairments.Slot slot = i.slot();
        if (slot.enabled()) {
            List<String> parts = new ArrayList<>();
            parts.add("min: " + Units.format(slot.min()));
            if (!slot.max().equals(slot.min())) {
                parts.add("max: " + Units.format(slot.max()));
            }
            if (slot.packets() > 0) {
                parts.add("packets: " + slot.packets());
            }
            if (slot.bytes() > 0) {
                parts.add("bytes: " + Units.formatSize(slot.bytes()));
            }
            keys.add("slot: {" + String.join(", ", parts) + "}");
        }
        return String.join(", ", keys);
    }

    private static void loss(LossModel loss, List<String> keys) {
        if (loss instanceof LossModel.Random r) {
            if (r.probability() != 0 || r.correlation() != 0) {
                keys.add("loss: " + percent(r.probability()));
                if (r.correlation() != 0) {
                    keys.add("lossCorrelation: " + percent(r.correlation()));
                }
            }
        } else if (loss instanceof LossModel.GilbertElliott ge) {
            keys.add("gemodel: {p: " + percent(ge.p()) + ", r: " + percent(ge.r()) + ", lossInBad: "
                    + percent(ge.oneMinusH()) + ", lossInGood: " + percent(ge.oneMinusK()) + "}");
        } else if (loss instanceof LossModel.FourState st) {
            keys.add("lossState: {p13: " + percent(st.p13()) + ", p31: " + percent(st.p31()) + ", p32: "
                    + percent(st.p32()) + ", p23: " + percent(st.p23()) + ", p14: " + percent(st.p14()) + "}");
        }
    }

    private static void chance(String name, Impairments.Chance chance, List<String> keys) {
        if (chance.probability() != 0) {
            keys.add(name + ": " + percent(chance.probability()));
            if (chance.correlation() != 0) {
                keys.add(name + "Correlation: " + percent(chance.correlation()));
            }
        }
    }

    /** A fraction as the percentage files write: 0.01 as {@code 1%}, 0.005 as {@code 0.5%}. */
    static String percent(double fraction) {
        // valueOf takes the shortest decimal that reads back as the same double, so 0.07 is 7%, not 7.000000000000001%
        return BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    /** Bits per second in the largest of tc's decimal units that writes them exactly: {@code 10mbit}. */
    static String rate(long bitsPerSecond) {
        String[] units = {"tbit", "gbit", "mbit", "kbit"};
        long per = 1_000_000_000_000L;
        for (String unit : units) {
            if (bitsPerSecond % per == 0) {
                return bitsPerSecond / per + unit;
            }
            per /= 1000;
        }
        return bitsPerSecond + "bit";
    }
}
